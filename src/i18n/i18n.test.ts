import { describe, expect, it } from 'vitest';
import { en } from './en.js';
import { zhCN } from './zh-CN.js';
import { createTranslator, formatCouponValue, formatMoney, formatSlot, localized, resolveLocale } from './index.js';

describe('i18n', () => {
  it('zh-CN has exactly the keys of en, none empty', () => {
    expect(Object.keys(zhCN).sort()).toEqual(Object.keys(en).sort());
    for (const [key, value] of Object.entries(zhCN)) expect(value.trim(), key).not.toBe('');
  });

  it('every placeholder of en exists in zh-CN', () => {
    const names = (s: string) => [...s.matchAll(/\{(\w+)/g)].map((m) => m[1]).sort();
    for (const key of Object.keys(en) as (keyof typeof en)[]) {
      expect(new Set(names(zhCN[key])), key).toEqual(new Set(names(en[key])));
    }
  });

  it('resolves locales from tags and lists', () => {
    expect(resolveLocale('zh-TW')).toBe('zh-CN');
    expect(resolveLocale(['fr-FR', 'en-GB'])).toBe('en');
    expect(resolveLocale(['fr-FR'])).toBe('en');
    expect(resolveLocale(undefined)).toBe('en');
  });

  it('substitutes parameters and plurals', () => {
    const en = createTranslator('en');
    expect(en.t('launcher.unread', { count: 1 })).toBe('1 unread message');
    expect(en.t('launcher.unread', { count: 1200 })).toBe('1,200 unread messages');
    expect(en.t('typing.one', { name: 'Lin' })).toBe('Lin is typing…');
    expect(createTranslator('zh-CN').t('launcher.unread', { count: 3 })).toBe('3 条未读消息');
  });

  it('keeps parameter values as plain text (no markup interpretation)', () => {
    const t = createTranslator('en');
    expect(t.t('typing.one', { name: '<img src=x onerror=alert(1)>' })).toBe('<img src=x onerror=alert(1)> is typing…');
  });

  it('formats days relative to now', () => {
    const now = new Date(2026, 10, 23, 15, 0);
    const en = createTranslator('en');
    expect(en.day(new Date(2026, 10, 23, 9, 0), now)).toBe('Today');
    expect(en.day(new Date(2026, 10, 22, 23, 59), now)).toBe('Yesterday');
    expect(en.day(new Date(2026, 10, 1), now)).toMatch(/Nov/);
    expect(createTranslator('zh-CN').day(new Date(2026, 10, 22), now)).toBe('昨天');
  });

  it('formats money from minor units with the currency\'s own digits (CNY/USD/EUR 2, JPY 0)', () => {
    const cases: [string, string, number, string][] = [
      ['zh-CN', 'CNY', 12900, '¥129.00'],
      ['zh-CN', 'USD', 12900, 'US$129.00'],
      ['zh-CN', 'EUR', 12950, '€129.50'],
      ['zh-CN', 'JPY', 12900, 'JP¥12,900'],
      ['en', 'CNY', 12900, 'CN¥129.00'],
      ['en', 'USD', 199, '$1.99'],
      ['en', 'EUR', 1234567, '€12,345.67'],
      ['en', 'JPY', 12900, '¥12,900'],
    ];
    for (const [locale, currency, amount, expected] of cases) {
      expect(formatMoney({ amount, currency }, locale), `${locale} ${currency}`).toBe(expected);
    }
    expect(createTranslator('zh-CN').money({ amount: 59900, currency: 'CNY' })).toBe('¥599.00');
    expect(createTranslator('en').money({ amount: 500, currency: 'jpy' })).toBe('¥500');
  });

  it('shows no price for the ISO "no currency" code XXX (page products without a price)', () => {
    expect(formatMoney({ amount: 0, currency: 'XXX' }, 'en')).toBe('');
    expect(formatMoney({ amount: 0, currency: 'XXX' }, 'zh-CN')).toBe('');
  });

  it('falls back to plain text for an unknown currency code', () => {
    expect(formatMoney({ amount: 1250, currency: 'NOPE!' }, 'en')).toBe('12.50 NOPE!');
  });

  it('picks the best localized text: exact, same language, en, first', () => {
    const text = { 'zh-TW': '項鍊', en: 'Necklace', fr: 'Collier' };
    expect(localized({ 'zh-CN': '项链', ...text }, 'zh-CN')).toBe('项链');
    expect(localized(text, 'zh-CN')).toBe('項鍊');
    expect(localized(text, 'de')).toBe('Necklace');
    expect(localized({ fr: 'Collier', ja: 'ネックレス' }, 'de')).toBe('Collier');
    expect(localized({ EN: 'Ring' }, 'en-GB')).toBe('Ring');
    expect(localized({}, 'en')).toBe('');
    expect(localized('plain', 'en')).toBe('plain');
    expect(createTranslator('zh-CN').localized({ en: 'Ring', 'zh-CN': '戒指' })).toBe('戒指');
  });
});

describe('commerce formatting', () => {
  it('shows a slot in the shop time zone, not the viewer one', () => {
    // 06:00 UTC is 14:00 in Shanghai (UTC+8) and 07:00 in Paris (UTC+1 in November).
    expect(formatSlot('2026-11-28T06:00:00.000Z', '2026-11-28T06:30:00.000Z', 'Asia/Shanghai', 'en')).toMatch(/Sat.*Nov.*28.*14:00–14:30/);
    expect(formatSlot('2026-11-28T06:00:00.000Z', null, 'Europe/Paris', 'en')).toMatch(/07:00$/);
    expect(formatSlot('2026-11-28T06:00:00.000Z', '2026-11-28T06:30:00.000Z', 'Asia/Shanghai', 'zh-CN')).toMatch(/11月28日.*周六.*14:00–14:30/);
  });

  it('formats amount and percent coupon values per locale', () => {
    expect(formatCouponValue({ type: 'amount', amount: { amount: 5000, currency: 'CNY' } }, 'zh-CN')).toBe('¥50.00');
    expect(formatCouponValue({ type: 'amount', amount: { amount: 500, currency: 'JPY' } }, 'en')).toBe('¥500');
    expect(formatCouponValue({ type: 'percent', percent: 15 }, 'en')).toBe('15%');
  });
});
