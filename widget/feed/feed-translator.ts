/** The translator of the feed elements: `feed.*` strings from the feed chunk's table, the rest from the core. */
import { createTranslator, type MessageKey, type MessageParams, type Translator } from '../../src/index.js';
import { feedStrings } from './feed-strings.js';

/**
 * `createTranslator` for the feed elements: in the built widget their `feed.*` strings travel in the
 * feed chunk (see feed-strings.ts). Those entries use `{name}` placeholders and
 * `{count, plural, …}`-free text only. Every other key comes from the core catalogues.
 */
export function feedTranslator(locale?: string | readonly string[] | null): Translator {
  const tr = createTranslator(locale);
  const own = feedStrings[tr.locale] ?? {};
  const en = feedStrings.en ?? {};
  const t = (key: MessageKey, params: MessageParams = {}): string => {
    const text = own[key] ?? en[key];
    if (text === undefined) return tr.t(key, params);
    return text.replace(/\{(\w+)\}/g, (all, name: string) => (name in params ? String(params[name]) : all));
  };
  return { ...tr, t };
}

/** The translator for an element's `locale` property (the browser's languages while it is empty). */
export function feedTranslatorFor(locale: string): Translator {
  return feedTranslator(locale || (typeof navigator !== 'undefined' ? navigator.languages : 'en'));
}
