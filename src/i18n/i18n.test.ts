import { describe, expect, it } from 'vitest';
import { en } from './en.js';
import { zhCN } from './zh-CN.js';
import { createTranslator, resolveLocale } from './index.js';

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
});
