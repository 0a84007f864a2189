/** The console's language: zh-CN or en, chosen in the header, defaulting to the browser's languages. */
import { atom, computed } from 'nanostores';
import { createTranslator, resolveLocale, type SupportedLocale, type Translator } from '../../../src/index.js';
import { localStoragePort } from '../lib/web-ports.js';

const storage = localStoragePort('vitrine.console.');

function initialLocale(): SupportedLocale {
  const saved = storage.get('locale');
  if (saved === 'en' || saved === 'zh-CN') return saved;
  return resolveLocale(navigator.languages?.length ? navigator.languages : [navigator.language]);
}

export const $locale = atom<SupportedLocale>(initialLocale());

export const $tr = computed($locale, (locale): Translator => createTranslator(locale));

export function setLocale(locale: SupportedLocale): void {
  storage.set('locale', locale);
  $locale.set(locale);
}

// Keep <html lang> and the document title in step with the chosen language.
$tr.subscribe((tr) => {
  document.documentElement.lang = tr.locale;
  document.title = tr.t('console.title');
});
