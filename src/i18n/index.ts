/**
 * Message catalogues and `Intl` formatting. `createTranslator(locale)` returns `t(key, params)`;
 * `{name}` placeholders are replaced, and `{count, plural, one {...} other {...}}` is resolved
 * with `Intl.PluralRules`. Output is plain text: render it with text bindings only.
 */
import type { LocalizedText, Money } from '../protocol/catalogue.js';
import type { CouponValue } from '../protocol/commerce.js';
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
  /** A price in this locale: {@link formatMoney}. */
  money(money: Money): string;
  /** The best text of a {@link LocalizedText} for this locale: {@link localized}. */
  localized(text: LocalizedText | string | null | undefined): string;
}

const moneyFormats = new Map<string, Intl.NumberFormat | null>();

function moneyFormat(locale: string, currency: string): Intl.NumberFormat | null {
  const key = `${locale}|${currency}`;
  let format = moneyFormats.get(key);
  if (format === undefined) {
    try {
      format = new Intl.NumberFormat(locale || 'en', { style: 'currency', currency });
    } catch {
      format = null; // unknown currency code or locale
    }
    moneyFormats.set(key, format);
  }
  return format;
}

/**
 * Formats money for `locale`: `amount` is in integer minor units of `currency` (fen, cents; yen has
 * none), so `{ amount: 12900, currency: 'CNY' }` is "¥129.00" in zh-CN. The number of minor-unit
 * digits is the currency's own (`Intl` knows it: 2 for CNY/USD/EUR, 0 for JPY). An unknown currency
 * code falls back to "129.00 XYZ"-style plain text.
 */
export function formatMoney(money: Money, locale: string): string {
  const currency = String(money.currency ?? '').toUpperCase();
  // ISO 4217 "XXX" = no currency: a page-supplied product without a price (docs/protocol.md).
  if (currency === 'XXX') return '';
  const format = moneyFormat(locale, currency);
  const digits = format ? format.resolvedOptions().maximumFractionDigits ?? 2 : 2;
  const value = Number(money.amount) / 10 ** digits;
  if (format) return format.format(value);
  return `${value.toFixed(digits)} ${currency}`.trim();
}

/**
 * Formats a coupon's value for `locale`: "¥50.00 off"-style amounts use {@link formatMoney}; percents
 * use `Intl.NumberFormat` with `style: 'percent'` ("15%"). Returns the figure only; the catalogue
 * supplies the words around it.
 */
export function formatCouponValue(value: CouponValue, locale: string): string {
  if (value.type === 'amount') return formatMoney(value.amount, locale);
  return new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 0 }).format(value.percent / 100);
}

/**
 * Formats a reservation slot in the shop's time zone for `locale`, e.g. "Sat, Nov 28, 14:00–14:30"
 * (en) or "11月28日周六 14:00–14:30" (zh-CN). `end` is optional.
 */
export function formatSlot(start: string, end: string | null, timeZone: string, locale: string): string {
  const day = new Intl.DateTimeFormat(locale, { timeZone, weekday: 'short', month: 'short', day: 'numeric' }).format(new Date(start));
  const time = new Intl.DateTimeFormat(locale, { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  return `${day} ${time.format(new Date(start))}${end ? `–${time.format(new Date(end))}` : ''}`;
}

/**
 * Picks the best text of `text` for `locale`: the exact locale, then another entry of the same
 * language (`zh-TW` for `zh-CN`), then `en`, then the first entry; `''` when empty. A plain string is
 * returned as is.
 */
export function localized(text: LocalizedText | string | null | undefined, locale: string): string {
  if (typeof text === 'string') return text;
  if (!text || typeof text !== 'object') return '';
  const entries = Object.entries(text).filter((e): e is [string, string] => typeof e[1] === 'string');
  if (entries.length === 0) return '';
  const wanted = (locale || 'en').toLowerCase();
  const language = wanted.split('-')[0];
  const find = (test: (tag: string) => boolean) => entries.find(([tag]) => test(tag.toLowerCase()))?.[1];
  return (
    find((tag) => tag === wanted) ??
    find((tag) => tag.split('-')[0] === language) ??
    find((tag) => tag === 'en' || tag.startsWith('en-')) ??
    entries[0][1]
  );
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
    money: (money) => formatMoney(money, resolved),
    localized: (text) => localized(text, resolved),
  };
}
