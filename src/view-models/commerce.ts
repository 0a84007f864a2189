/**
 * Render-ready state of reservations and coupons in a conversation, derived from its messages
 * (each reservation step and each claim is a message): the latest state of every reservation and
 * the coupons this customer has claimed. Front ends use these to show "superseded" on older
 * reservation cards, the allowed buttons on the latest one, and "claimed: CODE" on coupon cards.
 */
import { nextReservationState, type CouponClaim, type Reservation, type ReservationAction } from '../protocol/commerce.js';
import type { Role } from '../protocol/types.js';
import type { ChatMessage } from '../types.js';

/** The newest stored state of each reservation of `messages` (by reservation id). */
export function latestReservations(messages: readonly ChatMessage[]): Map<string, Reservation> {
  const latest = new Map<string, Reservation>();
  for (const m of messages) if (m.kind === 'reservation' && m.reservation && m.seq !== null) latest.set(m.reservation.id, m.reservation);
  return latest;
}

/** Coupons claimed in `messages` (kind `coupon-claim`), by coupon id. */
export function claimedCoupons(messages: readonly ChatMessage[]): Map<string, CouponClaim> {
  const claims = new Map<string, CouponClaim>();
  for (const m of messages) if (m.kind === 'coupon-claim' && m.coupon && m.claim) claims.set(m.coupon.id, m.claim);
  return claims;
}

/** Coupons with a claim still in the outbox (show "claiming…", do not offer the button twice). */
export function pendingClaims(messages: readonly ChatMessage[]): Set<string> {
  const pending = new Set<string>();
  for (const m of messages) {
    if (m.seq === null && m.status !== 'failed' && m.pending?.kind === 'coupon-claim') pending.add(m.pending.couponId);
  }
  return pending;
}

/** The steps `role` may take on `reservation` now (in a stable display order). */
export function reservationActions(reservation: Reservation, role: Role): Exclude<ReservationAction, 'request'>[] {
  const order = ['confirm', 'propose', 'decline', 'cancel'] as const;
  return order.filter((a) => nextReservationState(reservation.state, a, role) !== null);
}

/** True when a coupon can no longer be claimed because it expired (at `now`, ms since epoch). */
export function couponExpired(expiresAt: string | null, now: number): boolean {
  return expiresAt !== null && Date.parse(expiresAt) <= now;
}
