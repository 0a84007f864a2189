/**
 * Message catalogues and `Intl` formatting. `createTranslator(locale)` returns `t(key, params)`;
 * `{name}` placeholders are replaced, and `{count, plural, one {...} other {...}}` is resolved
 * with `Intl.PluralRules`. Output is plain text: render it with text bindings only.
 */
import { en, type MessageKey } from './en.js';
import { zhCN } from './zh-CN.js';

export type { MessageKey };

/** Locales with a full catalogue. */
export const SUPPORTED_LOCALES = ['zh-CN', 'en'] as const;
export type SupportedLocale = (typeof SUPPORTED_LOCALES)[number];

const catalogues: Record<SupportedLocale, Record<MessageKey, string>> = { en, 'zh-CN': zhCN };

/** Picks the best supported locale for a BCP 47 tag or a list of them (e.g. `navigator.languages`). */
export function resolveLocale(wanted: string | readonly string[] | null | undefined): SupportedLocale {
  const list = typeof wanted === 'string' ? [wanted] : wanted ?? [];
  for (const tag of list) {
    const lower = tag.toLowerCase();
    if (lower.startsWith('zh')) return 'zh-CN';
    if (lower.startsWith('en')) return 'en';
  }
  return 'en';
}

/** Parameters substituted into a message. */
export type MessageParams = Record<string, string | number>;

/** A bound translator. */
export interface Translator {
  readonly locale: SupportedLocale;
  t(key: MessageKey, params?: MessageParams): string;
  /** Time of day, e.g. "14:05" / "2:05 PM". */
  time(date: Date | string | number): string;
  /** Day label: "Today", "Yesterday" or a localized date. */
  day(date: Date | string | number, now?: Date | number): string;
}

const PLURAL = /\{(\w+), plural, ((?:\w+ \{[^}]*\}\s*)+)\}/g;
const PLURAL_CASE = /(\w+) \{([^}]*)\}/g;

function format(template: string, params: MessageParams, locale: SupportedLocale): string {
  const withPlurals = template.replace(PLURAL, (_all, name: string, cases: string) => {
    const count = Number(params[name] ?? 0);
    const category = new Intl.PluralRules(locale).select(count);
    const options = new Map<string, string>();
    for (const m of cases.matchAll(PLURAL_CASE)) options.set(m[1], m[2]);
    const chosen = options.get(category) ?? options.get('other') ?? '';
    return chosen.replace(/#/g, new Intl.NumberFormat(locale).format(count));
  });
  return withPlurals.replace(/\{(\w+)\}/g, (all, name: string) => (name in params ? String(params[name]) : all));
}

const startOfDay = (d: Date): number => new Date(d.getFullYear(), d.getMonth(), d.getDate()).getTime();

/** Creates a translator for `locale` (anything `resolveLocale` accepts). */
export function createTranslator(locale?: string | readonly string[] | null): Translator {
  const resolved = resolveLocale(locale);
  const catalogue = catalogues[resolved];
  const timeFormat = new Intl.DateTimeFormat(resolved, { hour: 'numeric', minute: '2-digit' });
  const dateFormat = new Intl.DateTimeFormat(resolved, { year: 'numeric', month: 'short', day: 'numeric' });
  return {
    locale: resolved,
    t: (key, params = {}) => format(catalogue[key] ?? en[key] ?? key, params, resolved),
    time: (date) => timeFormat.format(new Date(date)),
    day: (date, now = Date.now()) => {
      const d = new Date(date);
      const diff = Math.round((startOfDay(new Date(now)) - startOfDay(d)) / 86_400_000);
      if (diff === 0) return catalogue['day.today'];
      if (diff === 1) return catalogue['day.yesterday'];
      return dateFormat.format(d);
    },
  };
}
