import { describe, expect, it } from 'vitest';
import { nextReservationState, type Reservation, type ReservationAction, type ReservationState } from '../protocol/commerce.js';
import type { ChatMessage } from '../types.js';
import { claimedCoupons, couponExpired, latestReservations, pendingClaims, reservationActions } from './commerce.js';

const reservation = (id: string, state: ReservationState): Reservation => ({
  id,
  product: { id: 'ring', title: { en: 'Ring' }, price: { amount: 100, currency: 'CNY' }, compareAt: null, image: null, url: null, variants: [], source: 'catalogue' },
  variantId: null,
  start: '2026-11-28T06:00:00.000Z',
  end: '2026-11-28T06:30:00.000Z',
  state,
  timeZone: 'Asia/Shanghai',
});

const message = (seq: number | null, extra: Partial<ChatMessage>): ChatMessage => ({
  id: seq === null ? null : `m${seq}`,
  seq,
  conversationId: 'c',
  clientId: `k${seq ?? 'p'}`,
  author: { role: 'visitor', id: 'v', name: null },
  kind: 'text',
  text: '',
  createdAt: '2026-11-23T00:00:00.000Z',
  mine: true,
  status: seq === null ? 'sending' : 'sent',
  error: null,
  ...extra,
});

describe('nextReservationState', () => {
  const cases: [ReservationState | null, ReservationAction, 'visitor' | 'agent', ReservationState | null][] = [
    [null, 'request', 'visitor', 'requested'],
    [null, 'request', 'agent', null],
    ['requested', 'request', 'visitor', null],
    ['requested', 'confirm', 'agent', 'confirmed'],
    ['requested', 'confirm', 'visitor', null],
    ['requested', 'decline', 'agent', 'declined'],
    ['requested', 'decline', 'visitor', null],
    ['requested', 'propose', 'agent', 'proposed'],
    ['requested', 'propose', 'visitor', null],
    ['proposed', 'confirm', 'visitor', 'confirmed'],
    ['proposed', 'confirm', 'agent', null],
    ['proposed', 'decline', 'visitor', 'declined'],
    ['proposed', 'propose', 'agent', 'proposed'],
    ['confirmed', 'propose', 'agent', 'proposed'],
    ['confirmed', 'decline', 'agent', null],
    ['confirmed', 'cancel', 'visitor', 'cancelled'],
    ['confirmed', 'cancel', 'agent', 'cancelled'],
    ['declined', 'cancel', 'visitor', null],
    ['cancelled', 'propose', 'agent', null],
  ];
  it.each(cases)('%s + %s by %s -> %s', (state, action, role, next) => {
    expect(nextReservationState(state, action, role)).toBe(next);
  });
});

describe('commerce view-models', () => {
  it('keeps the newest stored state of each reservation, ignoring pending ones', () => {
    const messages = [
      message(1, { kind: 'reservation', reservation: reservation('r1', 'requested') }),
      message(2, { kind: 'reservation', reservation: reservation('r2', 'requested') }),
      message(3, { kind: 'reservation', reservation: reservation('r1', 'confirmed') }),
      message(null, { kind: 'reservation', pending: { kind: 'reservation', action: 'cancel', reservationId: 'r1' } }),
    ];
    const latest = latestReservations(messages);
    expect(latest.get('r1')?.state).toBe('confirmed');
    expect(latest.get('r2')?.state).toBe('requested');
  });

  it('offers each side only the steps the state machine allows', () => {
    expect(reservationActions(reservation('r', 'requested'), 'agent')).toEqual(['confirm', 'propose', 'decline', 'cancel']);
    expect(reservationActions(reservation('r', 'requested'), 'visitor')).toEqual(['cancel']);
    expect(reservationActions(reservation('r', 'proposed'), 'visitor')).toEqual(['confirm', 'decline', 'cancel']);
    expect(reservationActions(reservation('r', 'declined'), 'agent')).toEqual([]);
  });

  it('finds claimed and pending coupon claims', () => {
    const coupon = { id: 'welcome', title: { en: 'Welcome' }, conditions: {}, value: { type: 'percent' as const, percent: 10 }, minSpend: null, expiresAt: null };
    const messages = [
      message(1, { kind: 'coupon', coupon }),
      message(2, { kind: 'coupon-claim', coupon, claim: { code: 'W10', claimedAt: '2026-11-23T01:00:00.000Z' } }),
      message(null, { kind: 'coupon-claim', pending: { kind: 'coupon-claim', couponId: 'other' } }),
      message(null, { kind: 'coupon-claim', status: 'failed', pending: { kind: 'coupon-claim', couponId: 'gone' } }),
    ];
    expect(claimedCoupons(messages).get('welcome')?.code).toBe('W10');
    expect(claimedCoupons(messages).has('other')).toBe(false);
    expect([...pendingClaims(messages)]).toEqual(['other']);
  });

  it('treats the expiry instant itself as expired', () => {
    const at = Date.parse('2026-12-01T00:00:00.000Z');
    expect(couponExpired('2026-12-01T00:00:00.000Z', at)).toBe(true);
    expect(couponExpired('2026-12-01T00:00:00.000Z', at - 1)).toBe(false);
    expect(couponExpired(null, at)).toBe(false);
  });
});
