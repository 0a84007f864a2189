import { describe, expect, it } from 'vitest';
import { couponInputSchema, handshakeAuthSchema, historyGetSchema, LIMITS, messageSendSchema, readSetSchema, reservationSettingsSchema, validate } from './index.js';

describe('protocol schemas', () => {
  it('accepts a well-formed message:send', () => {
    const r = validate(messageSendSchema, { conversationId: 'c_1', clientId: 'abc-1', kind: 'text', text: '这条项链有金色的吗?' });
    expect(r.ok).toBe(true);
  });

  it.each([
    [null, 'invalid_payload'],
    ['text', 'invalid_payload'],
    [{ conversationId: 'c_1', clientId: 'a', kind: 'text' }, 'invalid_payload'],
    [{ conversationId: 'c_1', clientId: 'a', kind: 'text', text: '   ' }, 'invalid_payload'],
    [{ conversationId: 'c_1', clientId: 'a', kind: 'image', text: 'x' }, 'invalid_payload'],
    [{ conversationId: 'c 1', clientId: 'a', kind: 'text', text: 'x' }, 'invalid_payload'],
    [{ conversationId: 'c_1', clientId: 'a'.repeat(65), kind: 'text', text: 'x' }, 'invalid_payload'],
    [{ conversationId: 'c_1', clientId: 'a', kind: 'text', text: 'x'.repeat(LIMITS.textMaxLength + 1) }, 'too_large'],
    [{ conversationId: 'c_1', clientId: 'a', kind: 'text', text: 42 }, 'invalid_payload'],
  ])('refuses %j with %s', (input, code) => {
    const r = validate(messageSendSchema, input);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe(code);
      expect(r.error.message.length).toBeGreaterThan(3);
    }
  });

  it('accepts text of exactly the limit', () => {
    expect(validate(messageSendSchema, { conversationId: 'c', clientId: 'a', kind: 'text', text: 'x'.repeat(LIMITS.textMaxLength) }).ok).toBe(true);
  });

  it('history:get refuses afterSeq together with beforeSeq, negative or fractional seqs and huge limits', () => {
    expect(validate(historyGetSchema, { conversationId: 'c', afterSeq: 1 }).ok).toBe(true);
    expect(validate(historyGetSchema, { conversationId: 'c', afterSeq: 1, beforeSeq: 5 }).ok).toBe(false);
    expect(validate(historyGetSchema, { conversationId: 'c', afterSeq: -1 }).ok).toBe(false);
    expect(validate(historyGetSchema, { conversationId: 'c', afterSeq: 1.5 }).ok).toBe(false);
    expect(validate(historyGetSchema, { conversationId: 'c', limit: LIMITS.pageMax + 1 }).ok).toBe(false);
  });

  it('read:set needs an integer seq', () => {
    expect(validate(readSetSchema, { conversationId: 'c', seq: 3 }).ok).toBe(true);
    expect(validate(readSetSchema, { conversationId: 'c', seq: '3' }).ok).toBe(false);
  });

  it('handshake: only protocol 1, known roles and sane shop ids', () => {
    expect(validate(handshakeAuthSchema, { protocol: 1, shop: 'demo', role: 'visitor' }).ok).toBe(true);
    expect(validate(handshakeAuthSchema, { protocol: 2, shop: 'demo', role: 'visitor' }).ok).toBe(false);
    expect(validate(handshakeAuthSchema, { protocol: 1, shop: 'demo', role: 'admin' }).ok).toBe(false);
    expect(validate(handshakeAuthSchema, { protocol: 1, shop: '../etc', role: 'visitor' }).ok).toBe(false);
    expect(validate(handshakeAuthSchema, { protocol: 1, shop: 'demo', role: 'visitor', identity: { email: 'not-an-email' } }).ok).toBe(false);
  });
});

describe('commerce schemas', () => {
  const base = { conversationId: 'c_1', clientId: 'k1' };
  it.each([
    [{ ...base, kind: 'reservation', action: 'request', productId: 'ring', start: '2026-11-28T06:00:00.000Z' }, true],
    [{ ...base, kind: 'reservation', action: 'request', productId: 'ring', variantId: 'gold', start: '2026-11-28T06:00:00.000Z', text: 'size 52' }, true],
    [{ ...base, kind: 'reservation', action: 'request', productId: 'ring', start: 'Saturday 2pm' }, false],
    [{ ...base, kind: 'reservation', action: 'propose', reservationId: 'r1' }, false],
    [{ ...base, kind: 'reservation', action: 'propose', reservationId: 'r1', start: '2026-11-28T07:00:00.000Z' }, true],
    [{ ...base, kind: 'reservation', action: 'confirm', reservationId: 'r1' }, true],
    [{ ...base, kind: 'reservation', action: 'approve', reservationId: 'r1' }, false],
    [{ ...base, kind: 'coupon', couponId: 'welcome50' }, true],
    [{ ...base, kind: 'coupon', couponId: '<script>' }, false],
    [{ ...base, kind: 'coupon-claim', couponId: 'welcome50' }, true],
    [{ ...base, kind: 'coupon-claim' }, false],
  ])('message:send %j valid=%s', (input, ok) => {
    expect(validate(messageSendSchema, input).ok).toBe(ok);
  });

  const week = { mon: [['10:00', '21:00']], tue: [], wed: [], thu: [], fri: [], sat: [['10:00', '12:00'], ['13:00', '24:00']], sun: [] };
  const settings = { enabled: true, timeZone: 'Asia/Shanghai', hours: week, slotMinutes: 30, capacity: 2, horizonDays: 14, leadMinutes: 60 };
  it('validates reservation settings, naming the bad field', () => {
    expect(validate(reservationSettingsSchema, settings).ok).toBe(true);
    const zone = validate(reservationSettingsSchema, { ...settings, timeZone: 'Mars/Olympus' });
    expect(zone.ok || zone.error.message).toMatch(/^timeZone: .*IANA/);
    const backwards = validate(reservationSettingsSchema, { ...settings, hours: { ...week, mon: [['21:00', '10:00']] } });
    expect(backwards.ok || backwards.error.message).toMatch(/^hours\.mon\.0: must open before it closes/);
  });

  it('validates coupons: value, currency, min spend', () => {
    const coupon = { id: 'welcome50', code: 'WELCOME50', title: { en: 'Welcome', 'zh-CN': '新客礼' }, value: { type: 'amount', amount: { amount: 5000, currency: 'CNY' } } };
    const ok = validate(couponInputSchema, { ...coupon, minSpend: { amount: 50000, currency: 'CNY' } });
    expect(ok.ok && ok.value).toMatchObject({ conditions: {}, maxClaims: null, expiresAt: null, active: true });
    const mixed = validate(couponInputSchema, { ...coupon, minSpend: { amount: 50000, currency: 'USD' } });
    expect(mixed.ok || mixed.error.message).toMatch(/^minSpend: /);
    const percent = validate(couponInputSchema, { ...coupon, value: { type: 'percent', percent: 150 } });
    expect(percent.ok || percent.error.message).toMatch(/^value\.percent: /);
    const code = validate(couponInputSchema, { ...coupon, code: 'WELCOME 50' });
    expect(code.ok).toBe(false);
  });
});
