import { describe, expect, it } from 'vitest';
import { createTranslator } from '../i18n/index.js';
import type { FeedItem } from '../protocol/feed.js';
import { feedItemView } from './feed.js';

const coupon = {
  id: 'bday',
  title: { en: 'Birthday voucher', 'zh-CN': '生日礼券' },
  conditions: {},
  value: { type: 'amount' as const, amount: { amount: 5000, currency: 'CNY' } },
  minSpend: null,
  expiresAt: null,
};

const base: FeedItem = {
  id: 'cmp1',
  kind: 'member-benefit',
  title: { en: 'Hi {{name|there}}, a gift for {{tier}} members', 'zh-CN': '{{name|朋友}}您好，{{tier}}会员专享' },
  body: { en: 'You have {{points}} points. Claim {{coupon}}.', 'zh-CN': '您有 {{points}} 积分，领取{{coupon}}。' },
  image: 'https://cdn.example/earrings.jpg',
  products: [],
  coupon,
  cta: { label: { en: 'Shop now', 'zh-CN': '去看看' }, url: 'https://shop.example/new' },
  sentAt: '2026-11-23T10:05:00.000Z',
  read: false,
};

describe('feedItemView', () => {
  const now = Date.parse('2026-11-23T12:00:00.000Z');

  it('renders title and body templates with the values and the coupon title, per locale', () => {
    const values = { name: 'Lin', tier: 'Gold', points: 2000 };
    const en = feedItemView(base, values, createTranslator('en'), now);
    expect(en.title).toBe('Hi Lin, a gift for Gold members');
    expect(en.body).toBe('You have 2,000 points. Claim Birthday voucher.');
    const zh = feedItemView(base, values, createTranslator('zh-CN'), now);
    expect(zh.title).toBe('Lin您好，Gold会员专享');
    expect(zh.body).toBe('您有 2,000 积分，领取生日礼券。');
  });

  it('uses the fallbacks for missing values', () => {
    const view = feedItemView(base, { name: null }, createTranslator('zh-CN'), now);
    expect(view.title).toBe('朋友您好，会员专享');
    expect(feedItemView({ ...base, coupon: null }, {}, createTranslator('en'), now).body).toBe('You have  points. Claim .');
  });

  it('keeps a hostile name as the same characters (plain text)', () => {
    const view = feedItemView(base, { name: '<img src=x onerror=alert(1)>' }, createTranslator('en'), now);
    expect(view.title).toBe('Hi <img src=x onerror=alert(1)>, a gift for  members');
  });

  it('gives the send time as "Today …" with its ISO datetime', () => {
    const tr = createTranslator('en');
    const view = feedItemView(base, {}, tr, now);
    expect(view.datetime).toBe(base.sentAt);
    expect(view.time).toBe(`Today ${tr.time(base.sentAt)}`);
    const zh = createTranslator('zh-CN');
    expect(feedItemView(base, {}, zh, now + 86_400_000).time).toBe(`昨天 ${zh.time(base.sentAt)}`);
    expect(feedItemView({ ...base, sentAt: 'not a date' }, {}, tr, now).time).toBe('');
  });

  it('separates a link call to action from an "ask in the chat" one', () => {
    const tr = createTranslator('en');
    expect(feedItemView(base, {}, tr, now)).toMatchObject({ cta: { label: 'Shop now', url: 'https://shop.example/new' }, askLabel: null });
    const ask = feedItemView({ ...base, cta: { label: { en: 'Ask us', 'zh-CN': '问问我们' }, url: null } }, {}, createTranslator('zh-CN'), now);
    expect(ask).toMatchObject({ cta: null, askLabel: '问问我们' });
    expect(feedItemView({ ...base, cta: null }, {}, tr, now)).toMatchObject({ cta: null, askLabel: null });
  });

  it('passes products, coupon, image, kind and read through', () => {
    const view = feedItemView({ ...base, read: true, image: null }, {}, createTranslator('en'), now);
    expect(view).toMatchObject({ id: 'cmp1', kind: 'member-benefit', image: null, products: [], coupon, read: true });
  });
});
