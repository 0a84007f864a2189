import type { SupportedLocale } from '../../../src/index.js';
import { useStore } from '../lib/use-store.js';
import { $locale, $tr, setLocale } from '../stores/locale.js';

const NAMES: Record<SupportedLocale, string> = { 'zh-CN': '中文', en: 'English' };

/** zh-CN / en switch (names are shown in their own language, so they need no catalogue). */
export function LocaleSwitch() {
  const locale = useStore($locale);
  const tr = useStore($tr);
  return (
    <label class="locale-switch">
      <span class="visually-hidden">{tr.t('console.language')}</span>
      <select
        data-testid="locale-switch"
        value={locale}
        onChange={(e) => setLocale((e.currentTarget as HTMLSelectElement).value === 'en' ? 'en' : 'zh-CN')}
      >
        {(Object.keys(NAMES) as SupportedLocale[]).map((l) => (
          <option key={l} value={l} lang={l}>
            {NAMES[l]}
          </option>
        ))}
      </select>
    </label>
  );
}
