/**
 * Commerce storage: reservation settings and reservations, coupons and claims, quick replies.
 * The message-side steps (`reservationStep`, `couponCard`, `couponClaim`) run inside the
 * transaction that stores their message (see Store.sendMessage), after the conversation row is
 * locked: a step is applied together with its message or not at all.
 */
import type { ProductSnapshot } from '../../src/protocol/catalogue.js';
import {
  nextReservationState,
  type Coupon,
  type CouponSnapshot,
  type QuickReply,
  type Reservation,
  type ReservationAction,
  type ReservationSettings,
  type ReservationState,
} from '../../src/protocol/commerce.js';
import { VitrineError } from '../../src/protocol/errors.js';
import type { CouponInput } from '../../src/protocol/schemas.js';
import type { Author, CouponClaimSendRequest, CouponSendRequest, ReservationSendRequest } from '../../src/protocol/types.js';
import type { ReservationSlotsPage } from '../../src/protocol/events.js';
import { computeSlots, DEFAULT_RESERVATION_SETTINGS, slotProblem } from '../reservations.js';
import { newId } from '../security.js';
import type { Queryable } from './db.js';

type Row = Record<string, unknown>;

const iso = (v: unknown): string => (v instanceof Date ? v.toISOString() : new Date(String(v)).toISOString());
const json = <T>(v: unknown): T => (typeof v === 'string' ? JSON.parse(v) : v) as T;
const num = (v: unknown): number => (typeof v === 'number' ? v : Number(v));

/** Reservation states that hold a slot. */
export const OPEN_STATES: readonly ReservationState[] = ['requested', 'proposed', 'confirmed'];
const OPEN_SQL = `('requested', 'proposed', 'confirmed')`;

/** Quick replies one shop may keep. */
export const QUICK_REPLIES_MAX = 200;

/** Past participle of an action, for refusals ("it cannot be declined"). */
const DONE: Record<ReservationAction, string> = {
  request: 'requested',
  propose: 'given another time',
  confirm: 'confirmed',
  decline: 'declined',
  cancel: 'cancelled',
};

// ---- reservation settings ----

/** The shop's settings (the defaults, reservations off, when none were saved). */
export async function getReservationSettings(q: Queryable, shop: string, lock = false): Promise<ReservationSettings | null> {
  const rows = await q.query<Row>(`SELECT reservation_settings FROM shops WHERE id = $1${lock ? ' FOR UPDATE' : ''}`, [shop]);
  if (!rows[0]) return null;
  const saved = rows[0].reservation_settings;
  return saved === null || saved === undefined ? structuredClone(DEFAULT_RESERVATION_SETTINGS) : json<ReservationSettings>(saved);
}

export async function putReservationSettings(q: Queryable, shop: string, settings: ReservationSettings): Promise<ReservationSettings> {
  await q.query('UPDATE shops SET reservation_settings = $2::jsonb WHERE id = $1', [shop, JSON.stringify(settings)]);
  return settings;
}

/** Saves `settings` only when the shop has none yet (demo seeding). True when saved. */
export async function initReservationSettings(q: Queryable, shop: string, settings: ReservationSettings): Promise<boolean> {
  const rows = await q.query<Row>('UPDATE shops SET reservation_settings = $2::jsonb WHERE id = $1 AND reservation_settings IS NULL RETURNING id', [
    shop,
    JSON.stringify(settings),
  ]);
  return rows.length > 0;
}

// ---- reservations ----

function toReservation(r: Row): Reservation {
  return {
    id: String(r.id),
    product: json<ProductSnapshot>(r.product),
    variantId: r.variant_id === null || r.variant_id === undefined ? null : String(r.variant_id),
    start: iso(r.start_at),
    end: iso(r.end_at),
    state: String(r.state) as ReservationState,
    timeZone: String(r.time_zone),
  };
}

/** Open reservations of the shop per start instant (ms), from `fromMs` on. */
async function takenSlots(q: Queryable, shop: string, fromMs: number, toMs: number, exceptId: string | null = null): Promise<Map<number, number>> {
  const rows = await q.query<Row>(
    `SELECT start_at, count(*)::int AS n FROM reservations
      WHERE shop = $1 AND state IN ${OPEN_SQL} AND start_at >= $2 AND start_at < $3 AND ($4::text IS NULL OR id <> $4::text)
      GROUP BY start_at`,
    [shop, new Date(fromMs), new Date(toMs), exceptId],
  );
  return new Map(rows.map((r) => [new Date(iso(r.start_at)).getTime(), num(r.n)]));
}

/** The `reservation:slots` page (`not_found` when the shop takes no reservations). */
export async function reservationSlots(q: Queryable, shop: string, req: { from?: string; days?: number }, now: number): Promise<ReservationSlotsPage> {
  const settings = await getReservationSettings(q, shop);
  if (!settings?.enabled) throw new VitrineError('not_found', 'this shop does not take reservations');
  const taken = await takenSlots(q, shop, now, now + (settings.horizonDays + 2) * 86_400_000);
  const days = computeSlots(settings, { from: req.from, days: req.days, now, taken: (start) => taken.get(start) ?? 0 });
  return { timeZone: settings.timeZone, slotMinutes: settings.slotMinutes, days };
}

/**
 * Checks that `startIso` is a bookable slot with room left; the shop row is locked by the caller
 * (`getReservationSettings(tx, shop, true)`), so concurrent requests for one slot are serialised.
 */
async function checkSlot(q: Queryable, shop: string, settings: ReservationSettings, startIso: string, now: number, exceptId: string | null): Promise<number> {
  const start = Date.parse(startIso);
  const problem = slotProblem(settings, start, now);
  if (problem) throw new VitrineError('invalid_payload', problem);
  const taken = await takenSlots(q, shop, start, start + 1, exceptId);
  if ((taken.get(start) ?? 0) >= settings.capacity) throw new VitrineError('conflict', 'that time is no longer available', 'slot_full');
  return start;
}

/** What a reservation step stores in its message. */
export interface ReservationStepResult {
  reservation: Reservation;
  action: ReservationAction;
}

/**
 * Applies one reservation step of `author` in `conversationId` (inside the message transaction).
 * `product` is the catalogue entry of a `request` (`null` when not found).
 */
export async function reservationStep(
  tx: Queryable,
  ctx: {
    shop: string;
    conversationId: string;
    author: Author;
    now: number;
    product: (id: string) => Promise<{ snapshot: ProductSnapshot; variantIds: string[] } | null>;
  },
  req: ReservationSendRequest,
): Promise<ReservationStepResult> {
  const { shop, conversationId, author, now } = ctx;
  const role = author.role === 'visitor' ? 'visitor' : author.role === 'agent' ? 'agent' : null;
  if (!role) throw new VitrineError('forbidden', 'only customers and staff take reservation steps');

  if (req.action === 'request') {
    if (role !== 'visitor') throw new VitrineError('forbidden', 'only customers request reservations');
    const settings = await getReservationSettings(tx, shop, true);
    if (!settings?.enabled) throw new VitrineError('not_found', 'this shop does not take reservations');
    const product = await ctx.product(req.productId);
    if (!product) throw new VitrineError('not_found', `productId: product ${req.productId} not found`);
    const variantId = req.variantId ?? null;
    if (variantId !== null && !product.variantIds.includes(variantId)) {
      throw new VitrineError('invalid_payload', `variantId: product ${req.productId} has no variant ${variantId}`);
    }
    const start = await checkSlot(tx, shop, settings, req.start, now, null);
    const rows = await tx.query<Row>(
      `INSERT INTO reservations (id, shop, conversation_id, product, variant_id, start_at, end_at, state, time_zone, created_at, updated_at)
       VALUES ($1, $2, $3, $4::jsonb, $5, $6, $7, 'requested', $8, $9, $9) RETURNING *`,
      [newId('r'), shop, conversationId, JSON.stringify(product.snapshot), variantId, new Date(start), new Date(start + settings.slotMinutes * 60_000), settings.timeZone, new Date(now)],
    );
    return { reservation: toReservation(rows[0]), action: 'request' };
  }

  if (req.action === 'propose' && role !== 'agent') throw new VitrineError('forbidden', 'only staff propose another time');
  // Lock order everywhere: conversation (by the message insert), shop, reservation.
  const settings = req.action === 'propose' ? await getReservationSettings(tx, shop, true) : null;
  const rows = await tx.query<Row>('SELECT * FROM reservations WHERE id = $1 AND conversation_id = $2 AND shop = $3 FOR UPDATE', [
    req.reservationId,
    conversationId,
    shop,
  ]);
  if (!rows[0]) throw new VitrineError('not_found', `reservationId: reservation ${req.reservationId} not found in this conversation`);
  const current = toReservation(rows[0]);
  const next = nextReservationState(current.state, req.action, role);
  if (!next) {
    const other = nextReservationState(current.state, req.action, role === 'agent' ? 'visitor' : 'agent');
    throw new VitrineError(
      'conflict',
      other
        ? `the reservation is ${current.state}: only the ${role === 'agent' ? 'customer' : 'shop'} can ${req.action === 'confirm' ? 'confirm' : 'decline'} it now`
        : `the reservation is ${current.state}: it cannot be ${DONE[req.action]}`,
      'reservation_state',
    );
  }
  let start = Date.parse(current.start);
  let end = Date.parse(current.end);
  if (req.action === 'propose') {
    if (!settings?.enabled) throw new VitrineError('not_found', 'this shop does not take reservations');
    start = await checkSlot(tx, shop, settings, req.start, now, current.id);
    end = start + settings.slotMinutes * 60_000;
  }
  const updated = await tx.query<Row>('UPDATE reservations SET state = $2, start_at = $3, end_at = $4, updated_at = $5 WHERE id = $1 RETURNING *', [
    current.id,
    next,
    new Date(start),
    new Date(end),
    new Date(now),
  ]);
  return { reservation: toReservation(updated[0]), action: req.action };
}

/** A reservation as staff list it. */
export type ReservationListItem = Reservation & { conversationId: string; visitorName: string | null; updatedAt: string };

/** `open`: holding a slot and not over yet; `all`: every reservation. Soonest first. */
export async function listReservations(q: Queryable, shop: string, which: 'open' | 'all', now: number, limit = 500): Promise<ReservationListItem[]> {
  const rows = await q.query<Row>(
    `SELECT r.*, v.name AS visitor_name FROM reservations r
       JOIN conversations c ON c.id = r.conversation_id
       JOIN visitors v ON v.id = c.visitor_id
      WHERE r.shop = $1 AND ($2::boolean OR (r.state IN ${OPEN_SQL} AND r.end_at > $3))
      ORDER BY r.start_at, r.id LIMIT $4`,
    [shop, which === 'all', new Date(now), limit],
  );
  return rows.map((r) => ({
    ...toReservation(r),
    conversationId: String(r.conversation_id),
    visitorName: r.visitor_name === null || r.visitor_name === undefined ? null : String(r.visitor_name),
    updatedAt: iso(r.updated_at),
  }));
}

// ---- coupons ----

function toCoupon(r: Row): Coupon {
  return {
    id: String(r.id),
    title: json(r.title),
    conditions: json(r.conditions),
    value: json(r.value),
    minSpend: r.min_spend === null || r.min_spend === undefined ? null : json(r.min_spend),
    expiresAt: r.expires_at === null || r.expires_at === undefined ? null : iso(r.expires_at),
    code: String(r.code),
    maxClaims: r.max_claims === null || r.max_claims === undefined ? null : num(r.max_claims),
    sent: num(r.sent_count),
    claimed: num(r.claimed_count),
    active: r.active === true,
    createdAt: iso(r.created_at),
  };
}

/** What a coupon card carries: everything but the code and the staff-side counters. */
export function couponSnapshot(c: Coupon): CouponSnapshot {
  return { id: c.id, title: c.title, conditions: c.conditions, value: c.value, minSpend: c.minSpend, expiresAt: c.expiresAt };
}

export async function getCoupon(q: Queryable, shop: string, id: string, lock = false): Promise<Coupon | null> {
  const rows = await q.query<Row>(`SELECT * FROM coupons WHERE shop = $1 AND id = $2${lock ? ' FOR UPDATE' : ''}`, [shop, id]);
  return rows[0] ? toCoupon(rows[0]) : null;
}

/** The shop's coupons, newest first. */
export async function listCoupons(q: Queryable, shop: string, limit = 500): Promise<Coupon[]> {
  const rows = await q.query<Row>('SELECT * FROM coupons WHERE shop = $1 ORDER BY created_at DESC, id DESC LIMIT $2', [shop, limit]);
  return rows.map(toCoupon);
}

/** What a coupon insert does when the id exists: `replace` (counters and creation time kept) returns the row; `skip` returns no row. */
const COUPON_ON_CONFLICT = {
  replace: `ON CONFLICT (shop, id) DO UPDATE SET
       code = EXCLUDED.code, title = EXCLUDED.title, conditions = EXCLUDED.conditions, value = EXCLUDED.value,
       min_spend = EXCLUDED.min_spend, expires_at = EXCLUDED.expires_at, max_claims = EXCLUDED.max_claims,
       active = EXCLUDED.active, updated_at = EXCLUDED.updated_at
     RETURNING *`,
  skip: 'ON CONFLICT (shop, id) DO NOTHING RETURNING id',
} as const;

/** Inserts the coupon row of `c`, created and updated `now`. */
function insertCoupon(q: Queryable, shop: string, c: CouponInput, now: number, onConflict: keyof typeof COUPON_ON_CONFLICT): Promise<Row[]> {
  return q.query<Row>(
    `INSERT INTO coupons (shop, id, code, title, conditions, value, min_spend, expires_at, max_claims, active, created_at, updated_at)
     VALUES ($1, $2, $3, $4::jsonb, $5::jsonb, $6::jsonb, $7::jsonb, $8, $9, $10, $11, $11)
     ${COUPON_ON_CONFLICT[onConflict]}`,
    [
      shop,
      c.id,
      c.code,
      JSON.stringify(c.title),
      JSON.stringify(c.conditions),
      JSON.stringify(c.value),
      c.minSpend ? JSON.stringify(c.minSpend) : null,
      c.expiresAt ? new Date(c.expiresAt) : null,
      c.maxClaims,
      c.active,
      new Date(now),
    ],
  );
}

/**
 * Creates or replaces a coupon (counters and creation time are kept). A new coupon must not
 * already be expired (`invalid_payload`).
 */
export async function upsertCoupon(tx: Queryable, shop: string, c: CouponInput, now: number): Promise<{ coupon: Coupon; created: boolean }> {
  const existing = await getCoupon(tx, shop, c.id, true);
  if (!existing && c.expiresAt !== null && Date.parse(c.expiresAt) <= now) {
    throw new VitrineError('invalid_payload', 'expiresAt: must be in the future for a new coupon');
  }
  const rows = await insertCoupon(tx, shop, c, now, 'replace');
  return { coupon: toCoupon(rows[0]), created: !existing };
}

/** Inserts a coupon unless one with its id exists (seeding; safe under concurrency). True when inserted. */
export async function insertCouponIfMissing(q: Queryable, shop: string, c: CouponInput, now: number): Promise<boolean> {
  const rows = await insertCoupon(q, shop, c, now, 'skip');
  return rows.length > 0;
}

function expired(c: Coupon, now: number): boolean {
  return c.expiresAt !== null && Date.parse(c.expiresAt) <= now;
}

/** A coupon card sent by staff (inside the message transaction): counts it as sent. */
export async function couponCard(tx: Queryable, shop: string, author: Author, req: CouponSendRequest, now: number): Promise<CouponSnapshot> {
  if (author.role !== 'agent') throw new VitrineError('forbidden', 'only staff send coupons');
  const coupon = await getCoupon(tx, shop, req.couponId, true);
  if (!coupon || !coupon.active) throw new VitrineError('not_found', `couponId: coupon ${req.couponId} not found or not active`);
  if (expired(coupon, now)) throw new VitrineError('conflict', 'the coupon has expired', 'coupon_expired');
  await tx.query('UPDATE coupons SET sent_count = sent_count + 1 WHERE shop = $1 AND id = $2', [shop, coupon.id]);
  return couponSnapshot(coupon);
}

/**
 * A customer's claim (inside the message transaction): once per customer and coupon, within
 * `maxClaims`. The coupon row lock serialises claims of one coupon; the claims' primary key makes
 * "once per customer" hold whatever happens.
 */
export async function couponClaim(
  tx: Queryable,
  shop: string,
  author: Author,
  req: CouponClaimSendRequest,
  now: number,
): Promise<{ coupon: CouponSnapshot; claim: { code: string; claimedAt: string } }> {
  if (author.role !== 'visitor') throw new VitrineError('forbidden', 'only customers claim coupons');
  const coupon = await getCoupon(tx, shop, req.couponId, true);
  if (!coupon || !coupon.active) throw new VitrineError('not_found', `couponId: coupon ${req.couponId} not found or not active`);
  if (expired(coupon, now)) throw new VitrineError('conflict', 'the coupon has expired', 'coupon_expired');
  const mine = await tx.query<Row>('SELECT 1 FROM coupon_claims WHERE shop = $1 AND coupon_id = $2 AND visitor_id = $3', [shop, coupon.id, author.id]);
  if (mine.length > 0) throw new VitrineError('conflict', 'you have already claimed this coupon', 'coupon_claimed');
  if (coupon.maxClaims !== null && coupon.claimed >= coupon.maxClaims) throw new VitrineError('conflict', 'the coupon has been fully claimed', 'coupon_exhausted');
  const inserted = await tx.query<Row>(
    `INSERT INTO coupon_claims (shop, coupon_id, visitor_id, code, claimed_at) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (shop, coupon_id, visitor_id) DO NOTHING RETURNING claimed_at`,
    [shop, coupon.id, author.id, coupon.code, new Date(now)],
  );
  if (!inserted[0]) throw new VitrineError('conflict', 'you have already claimed this coupon', 'coupon_claimed');
  await tx.query('UPDATE coupons SET claimed_count = claimed_count + 1 WHERE shop = $1 AND id = $2', [shop, coupon.id]);
  return { coupon: couponSnapshot(coupon), claim: { code: coupon.code, claimedAt: iso(inserted[0].claimed_at) } };
}

// ---- quick replies ----

function toQuickReply(r: Row): QuickReply {
  return { id: String(r.id), text: String(r.text), updatedAt: iso(r.updated_at) };
}

export async function listQuickReplies(q: Queryable, shop: string): Promise<QuickReply[]> {
  const rows = await q.query<Row>('SELECT * FROM quick_replies WHERE shop = $1 ORDER BY position, id', [shop]);
  return rows.map(toQuickReply);
}

/** Appends a quick reply (`conflict` beyond {@link QUICK_REPLIES_MAX}); the shop row lock serialises adds. */
export async function addQuickReply(tx: Queryable, shop: string, text: string): Promise<QuickReply> {
  await tx.query('SELECT id FROM shops WHERE id = $1 FOR UPDATE', [shop]);
  const stats = await tx.query<Row>('SELECT count(*)::int AS n, coalesce(max(position), -1)::int AS last FROM quick_replies WHERE shop = $1', [shop]);
  if (num(stats[0].n) >= QUICK_REPLIES_MAX) throw new VitrineError('conflict', `a shop keeps at most ${QUICK_REPLIES_MAX} quick replies`);
  const rows = await tx.query<Row>('INSERT INTO quick_replies (shop, id, text, position) VALUES ($1, $2, $3, $4) RETURNING *', [
    shop,
    newId('q'),
    text,
    num(stats[0].last) + 1,
  ]);
  return toQuickReply(rows[0]);
}

/** Adds `texts` only when the shop has no quick reply yet (seeding; the shop row lock makes it once). */
export async function seedQuickReplies(tx: Queryable, shop: string, texts: readonly string[]): Promise<boolean> {
  await tx.query('SELECT id FROM shops WHERE id = $1 FOR UPDATE', [shop]);
  const existing = await tx.query<Row>('SELECT 1 FROM quick_replies WHERE shop = $1 LIMIT 1', [shop]);
  if (existing.length > 0) return false;
  for (const [i, text] of texts.entries()) {
    await tx.query('INSERT INTO quick_replies (shop, id, text, position) VALUES ($1, $2, $3, $4)', [shop, newId('q'), text, i]);
  }
  return true;
}

export async function updateQuickReply(q: Queryable, shop: string, id: string, text: string): Promise<QuickReply | null> {
  const rows = await q.query<Row>('UPDATE quick_replies SET text = $3, updated_at = now() WHERE shop = $1 AND id = $2 RETURNING *', [shop, id, text]);
  return rows[0] ? toQuickReply(rows[0]) : null;
}

export async function deleteQuickReply(q: Queryable, shop: string, id: string): Promise<boolean> {
  const rows = await q.query<Row>('DELETE FROM quick_replies WHERE shop = $1 AND id = $2 RETURNING id', [shop, id]);
  return rows.length > 0;
}
