import { describe, expect, it } from 'vitest';
import * as v from 'valibot';
import { campaignInputSchema, feedMarkSchema } from './feed-schemas.js';

describe('campaignInputSchema', () => {
  const base = { kind: 'announcement', name: 'Late opening', title: { en: 'Open late on Friday' } };

  it('takes a campaign without body, products, coupon or call to action', () => {
    const out = v.parse(campaignInputSchema, base);
    expect(out).toMatchObject({ body: {}, productIds: [], couponId: null, cta: null, image: null, segmentId: null });
  });

  it('names the locale of a broken template and refuses unsafe links', () => {
    const bad = v.safeParse(campaignInputSchema, { ...base, title: { en: 'Hi {{nme}}', 'zh-CN': '您好' } });
    expect(bad.success).toBe(false);
    expect(bad.issues?.[0].message).toMatch(/^en: unknown variable \{\{nme\}\}/);
    expect(v.safeParse(campaignInputSchema, { ...base, image: 'javascript:alert(1)' }).success).toBe(false);
    expect(v.safeParse(campaignInputSchema, { ...base, cta: { label: { en: 'Go' }, url: 'data:text/html,x' } }).success).toBe(false);
    expect(v.safeParse(campaignInputSchema, { ...base, body: { en: '' }, title: { en: '' } }).success).toBe(false);
  });

  it('keeps repeated product ids once and caps them at 10', () => {
    expect(v.parse(campaignInputSchema, { ...base, productIds: ['a', 'b', 'a'] }).productIds).toEqual(['a', 'b']);
    expect(v.safeParse(campaignInputSchema, { ...base, productIds: Array.from({ length: 11 }, (_, i) => `p${i}`) }).success).toBe(false);
  });
});

describe('feedMarkSchema', () => {
  it('takes 1 to 50 ids', () => {
    expect(v.safeParse(feedMarkSchema, { ids: [] }).success).toBe(false);
    expect(v.safeParse(feedMarkSchema, { ids: ['c1'] }).success).toBe(true);
    expect(v.safeParse(feedMarkSchema, { ids: Array.from({ length: 51 }, (_, i) => `c${i}`) }).success).toBe(false);
  });
});
