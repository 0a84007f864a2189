/**
 * Protocol v1 commerce types beyond the catalogue: reservation / try-on requests, coupons and the
 * shop's reservation settings. docs/protocol.md sections "Reservations" and "Coupons" are the
 * normative text.
 */
import type { LocalizedText, Money, ProductSnapshot } from './catalogue.js';

/**
 * Life of a reservation:
 * - `requested`: the customer asked for a time; staff confirm, propose another time or decline;
 * - `proposed`: staff proposed another time; the customer confirms or declines;
 * - `confirmed`: both agree on the time; either side may still cancel;
 * - `declined` / `cancelled`: final.
 */
export type ReservationState = 'requested' | 'proposed' | 'confirmed' | 'declined' | 'cancelled';

/** What a participant does to a reservation (`message:send` kind `reservation`). */
export type ReservationAction = 'request' | 'propose' | 'confirm' | 'decline' | 'cancel';

/** A reservation / try-on request as of one message (each state change is a new message). */
export interface Reservation {
  id: string;
  /** The product to try, as it was when requested. */
  product: ProductSnapshot;
  /** The chosen variant (e.g. gold, size 38), `null` when the product has none or none was chosen. */
  variantId: string | null;
  /** The slot currently on the table (the proposed one while `proposed`). ISO 8601 UTC. */
  start: string;
  end: string;
  state: ReservationState;
  /** The shop's IANA time zone, for showing the slot in shop time ("Sat 14:00 Beijing time"). */
  timeZone: string;
}

/** One bookable slot. */
export interface ReservationSlot {
  start: string;
  end: string;
  /** False when the slot is full (capacity reached by open reservations). */
  available: boolean;
}

/** The slots of one day in shop time. */
export interface ReservationDay {
  /** `YYYY-MM-DD` in the shop's time zone. */
  date: string;
  slots: ReservationSlot[];
}

/** Opening hours per weekday: `[['10:00', '20:00']]`, empty when closed. */
export type OpeningHours = Record<Weekday, [string, string][]>;
export type Weekday = 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun';

/** A shop's reservation settings (REST `GET/PUT /api/settings/reservations`). */
export interface ReservationSettings {
  enabled: boolean;
  /** IANA time zone of the shop, e.g. `Asia/Shanghai`. */
  timeZone: string;
  hours: OpeningHours;
  /** Length of one slot in minutes (15 to 240). */
  slotMinutes: number;
  /** Open reservations one slot takes (fitting rooms, staff). */
  capacity: number;
  /** How far ahead customers may book, in days (1 to 60). */
  horizonDays: number;
  /** Minimum notice in minutes: slots starting sooner are not offered. */
  leadMinutes: number;
}

/** The value of a coupon: a fixed amount off or a percentage off. */
export type CouponValue = { type: 'amount'; amount: Money } | { type: 'percent'; percent: number };

/** What a coupon card carries (never the code: the code is revealed by claiming). */
export interface CouponSnapshot {
  id: string;
  title: LocalizedText;
  /** Conditions in words ("On necklaces, not with other offers"); may be empty. */
  conditions: LocalizedText;
  value: CouponValue;
  /** Minimum order value, `null` when none. */
  minSpend: Money | null;
  /** After this the coupon cannot be claimed; `null`: no expiry. ISO 8601 UTC. */
  expiresAt: string | null;
}

/** A shop's coupon as staff manage it (REST `/api/coupons`). */
export interface Coupon extends CouponSnapshot {
  code: string;
  /** Claims allowed in total, `null` for no limit (each customer claims at most once). */
  maxClaims: number | null;
  /** Cards sent in conversations. */
  sent: number;
  /** Customers who claimed it. */
  claimed: number;
  active: boolean;
  createdAt: string;
}

/** A customer's claim of a coupon (kind `coupon-claim`). */
export interface CouponClaim {
  code: string;
  claimedAt: string;
}

/** A saved reply staff insert while answering (REST `/api/quick-replies`, shared per shop). */
export interface QuickReply {
  id: string;
  text: string;
  updatedAt: string;
}

/**
 * The reservation state machine, shared by servers (to refuse a step with `conflict`) and clients
 * (to offer only the allowed buttons). Returns the next state, or `null` when `role` may not take
 * `action` in `state`. `request` creates a reservation (state `null` before it exists).
 */
export function nextReservationState(state: ReservationState | null, action: ReservationAction, role: 'visitor' | 'agent'): ReservationState | null {
  if (state === null) return action === 'request' && role === 'visitor' ? 'requested' : null;
  if (state === 'declined' || state === 'cancelled') return null;
  switch (action) {
    case 'request':
      return null;
    case 'propose':
      return role === 'agent' ? 'proposed' : null;
    case 'confirm':
      return (role === 'agent' && state === 'requested') || (role === 'visitor' && state === 'proposed') ? 'confirmed' : null;
    case 'decline':
      return (role === 'agent' && state === 'requested') || (role === 'visitor' && state === 'proposed') ? 'declined' : null;
    case 'cancel':
      return 'cancelled';
  }
}
