/**
 * Conformance: reservations (`reservation:slots`, kind `reservation` and its state machine),
 * coupons (kinds `coupon` and `coupon-claim`), product watch (`product:update`) and option labels.
 * Data is created only through the REST admin API and the protocol, so this runs against any
 * server: it saves the shop's reservation settings first and puts them back afterwards.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALWAYS_OPEN_SETTINGS as SETTINGS } from '../support/commerce-fixtures.js';
import { agent, cid, next, ok, request, visitor, type AnySocket, type Target, type WireMessage, useTarget } from './harness.js';

let t: Target;
let token: string;
useTarget((target, agentTok) => {
  t = target;
  token = agentTok;
});

interface WireReservation {
  id: string;
  product: { id: string; options?: unknown[] };
  variantId: string | null;
  start: string;
  end: string;
  state: string;
  timeZone: string;
}
type CommerceMessage = WireMessage & {
  reservation?: WireReservation;
  action?: string;
  coupon?: Record<string, unknown>;
  claim?: { code: string; claimedAt: string };
};
interface SlotsPage {
  timeZone: string;
  slotMinutes: number;
  days: { date: string; slots: { start: string; end: string; available: boolean }[] }[];
}

const suffix = randomBytes(3).toString('hex');
const PRODUCT_ID = `conf-try-${suffix}`;
const PRODUCT = {
  title: { en: 'Try-on ring', 'zh-CN': '试戴戒指' },
  price: { amount: 99900, currency: 'CNY' },
  variants: [
    { id: 'gold', options: { colour: 'gold' }, stock: 3 },
    { id: 'silver', options: { colour: 'silver' }, stock: 1 },
  ],
  options: [{ name: 'colour', label: { en: 'Colour', 'zh-CN': '颜色' }, values: { gold: { en: 'Gold', 'zh-CN': '金色' }, silver: { en: 'Silver', 'zh-CN': '银色' } } }],
};

async function rest(path: string, method = 'GET', body?: unknown): Promise<{ status: number; body: any }> {
  const res = await fetch(`${t.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

async function send(socket: AnySocket, payload: Record<string, unknown>): Promise<CommerceMessage> {
  return (await ok<{ message: CommerceMessage }>(socket, 'message:send', { clientId: cid(), ...payload })).message;
}

async function refusedWith(socket: AnySocket, payload: Record<string, unknown>, code: string): Promise<string> {
  const res = await request(socket, 'message:send', { clientId: cid(), ...payload });
  expect(res.ok, JSON.stringify(res)).toBe(false);
  if (res.ok) return '';
  expect(res.error.code).toBe(code);
  expect(res.error.message.length).toBeGreaterThan(0);
  return res.error.message;
}

let savedSettings: unknown = null;
let slots: string[] = [];
let nextFree = 0;
/** A slot start from tomorrow on that no test of this file used yet. */
const freeSlot = (): string => slots[nextFree++];

beforeAll(async () => {
  const before = await rest('/api/settings/reservations');
  expect(before.status).toBe(200);
  savedSettings = before.body.settings;
  expect((await rest('/api/settings/reservations', 'PUT', SETTINGS)).status).toBe(200);
  const put = await rest(`/api/products/${PRODUCT_ID}`, 'PUT', PRODUCT);
  expect([200, 201]).toContain(put.status);
  const v = await visitor(t);
  const page = await ok<SlotsPage>(v.socket, 'reservation:slots', { days: 7 });
  v.socket.close();
  // Tomorrow on: today's next slot may start while a test runs. Skip slots other runs already hold.
  slots = page.days
    .slice(1)
    .flatMap((d) => d.slots)
    .filter((s) => s.available)
    .map((s) => s.start);
});

afterAll(async () => {
  if (savedSettings) await rest('/api/settings/reservations', 'PUT', savedSettings);
  await rest(`/api/products/${PRODUCT_ID}`, 'DELETE');
});

describe('session features', () => {
  it('announces coupons, product-watch and, with reservations enabled, reservations', async () => {
    const v = await visitor(t);
    expect(v.session.features).toEqual(expect.arrayContaining(['coupons', 'product-watch', 'reservations']));
  });
});

describe('reservation:slots', () => {
  it('returns shop-time days of slotMinutes slots in UTC, with availability', async () => {
    const v = await visitor(t);
    const page = await ok<SlotsPage>(v.socket, 'reservation:slots', {});
    expect(page.timeZone).toBe('Asia/Shanghai');
    expect(page.slotMinutes).toBe(30);
    expect(page.days.length).toBeGreaterThan(0);
    expect(page.days.length).toBeLessThanOrEqual(7);
    const full = page.days[1];
    expect(full.date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(full.slots).toHaveLength(48);
    // Shop midnight in Shanghai is 16:00 UTC of the day before.
    expect(full.slots[0].start).toMatch(/T16:00:00(\.000)?Z$/);
    for (const s of full.slots) {
      expect(Date.parse(s.end) - Date.parse(s.start)).toBe(30 * 60_000);
      expect(typeof s.available).toBe('boolean');
    }
    const two = await ok<SlotsPage>(v.socket, 'reservation:slots', { from: full.date, days: 2 });
    expect(two.days.map((d) => d.date)).toEqual([full.date, page.days[2].date]);
  });

  it('refuses malformed requests with invalid_payload', async () => {
    const v = await visitor(t);
    for (const bad of [{ days: 0 }, { days: 1000 }, { days: 1.5 }, { from: 'tomorrow' }, { from: 20261128 }, 'x']) {
      const res = await request(v.socket, 'reservation:slots', bad);
      expect(res.ok, JSON.stringify(bad)).toBe(false);
      if (!res.ok) expect(res.error.code).toBe('invalid_payload');
    }
  });
});

describe('kind reservation', () => {
  it('request, confirm and cancel reach both sides; each message carries the reservation as of after the step', async () => {
    const v = await visitor(t);
    const conv = v.session.conversation!.id;
    const a = await agent(t, token);
    const start = freeSlot();
    const agentSees = next<CommerceMessage>(a.socket, 'message:new', (m) => m.conversationId === conv);
    const req = await send(v.socket, { conversationId: conv, kind: 'reservation', action: 'request', productId: PRODUCT_ID, variantId: 'gold', start, text: 'After work' });
    expect(req).toMatchObject({ kind: 'reservation', action: 'request', text: 'After work', author: { role: 'visitor' } });
    expect(req.reservation).toMatchObject({ state: 'requested', variantId: 'gold', timeZone: 'Asia/Shanghai', product: { id: PRODUCT_ID, options: PRODUCT.options } });
    expect(Date.parse(req.reservation!.start)).toBe(Date.parse(start));
    expect(Date.parse(req.reservation!.end) - Date.parse(start)).toBe(30 * 60_000);
    expect(await agentSees).toEqual(req);

    const visitorSees = next<CommerceMessage>(v.socket, 'message:new', (m) => m.action === 'confirm');
    const confirm = await send(a.socket, { conversationId: conv, kind: 'reservation', action: 'confirm', reservationId: req.reservation!.id });
    expect(confirm.reservation).toEqual({ ...req.reservation, state: 'confirmed' });
    expect(await visitorSees).toEqual(confirm);

    // The state machine: a confirmed reservation cannot be declined; it can be cancelled by either side.
    await refusedWith(a.socket, { conversationId: conv, kind: 'reservation', action: 'decline', reservationId: req.reservation!.id }, 'conflict');
    const cancel = await send(v.socket, { conversationId: conv, kind: 'reservation', action: 'cancel', reservationId: req.reservation!.id });
    expect(cancel.reservation!.state).toBe('cancelled');
    await refusedWith(a.socket, { conversationId: conv, kind: 'reservation', action: 'cancel', reservationId: req.reservation!.id }, 'conflict');
  });

  it('staff propose another time; only the customer confirms it', async () => {
    const v = await visitor(t);
    const conv = v.session.conversation!.id;
    const a = await agent(t, token);
    const req = await send(v.socket, { conversationId: conv, kind: 'reservation', action: 'request', productId: PRODUCT_ID, start: freeSlot() });
    expect(req.reservation!.variantId).toBeNull();
    const other = freeSlot();
    const proposal = await send(a.socket, { conversationId: conv, kind: 'reservation', action: 'propose', reservationId: req.reservation!.id, start: other });
    expect(proposal.reservation).toMatchObject({ id: req.reservation!.id, state: 'proposed' });
    expect(Date.parse(proposal.reservation!.start)).toBe(Date.parse(other));
    await refusedWith(a.socket, { conversationId: conv, kind: 'reservation', action: 'confirm', reservationId: req.reservation!.id }, 'conflict');
    const yes = await send(v.socket, { conversationId: conv, kind: 'reservation', action: 'confirm', reservationId: req.reservation!.id });
    expect(yes.reservation!.state).toBe('confirmed');
  });

  it('a retried step returns the stored message (not a conflict)', async () => {
    const v = await visitor(t);
    const conv = v.session.conversation!.id;
    const a = await agent(t, token);
    const req = await send(v.socket, { conversationId: conv, kind: 'reservation', action: 'request', productId: PRODUCT_ID, start: freeSlot() });
    const step = { conversationId: conv, clientId: cid(), kind: 'reservation', action: 'decline', reservationId: req.reservation!.id };
    const first = await ok<{ message: CommerceMessage }>(a.socket, 'message:send', step);
    const again = await ok<{ message: CommerceMessage }>(a.socket, 'message:send', step);
    expect(again.message).toEqual(first.message);
  });

  it('refusals: staff cannot request, unknown product, unknown variant, unbookable time, full slot, another conversation', async () => {
    const v = await visitor(t);
    const conv = v.session.conversation!.id;
    const a = await agent(t, token);
    const start = freeSlot();
    const base = { conversationId: conv, kind: 'reservation', action: 'request', productId: PRODUCT_ID, start };
    await refusedWith(a.socket, base, 'forbidden');
    await refusedWith(v.socket, { ...base, productId: `missing-${suffix}` }, 'not_found');
    await refusedWith(v.socket, { ...base, variantId: 'platinum' }, 'invalid_payload');
    await refusedWith(v.socket, { ...base, start: new Date(Date.parse(start) + 7 * 60_000).toISOString() }, 'invalid_payload');
    await refusedWith(v.socket, { ...base, start: new Date(Date.now() - 86_400_000).toISOString() }, 'invalid_payload');
    await refusedWith(v.socket, { ...base, start: new Date(Date.now() + 30 * 86_400_000).toISOString() }, 'invalid_payload');
    await refusedWith(v.socket, { ...base, start: 'soon' }, 'invalid_payload');
    const mine = await send(v.socket, base);
    // Capacity 1: the slot is now full for everyone else.
    const w = await visitor(t);
    expect(await refusedWith(w.socket, { ...base, conversationId: w.session.conversation!.id }, 'conflict')).toMatch(/no longer available/);
    const page = await ok<SlotsPage>(w.socket, 'reservation:slots', { days: 7 });
    expect(page.days.flatMap((d) => d.slots).find((s) => Date.parse(s.start) === Date.parse(start))?.available).toBe(false);
    // Another conversation cannot touch it: not_found.
    await refusedWith(w.socket, { conversationId: w.session.conversation!.id, kind: 'reservation', action: 'cancel', reservationId: mine.reservation!.id }, 'not_found');
  });
});

describe('coupons', () => {
  const id = `conf-${suffix}`;
  const coupon = {
    code: `CONF${suffix.toUpperCase()}`,
    title: { en: '¥50 off', 'zh-CN': '立减 ¥50' },
    conditions: { en: 'Orders over ¥500' },
    value: { type: 'amount', amount: { amount: 5000, currency: 'CNY' } },
    minSpend: { amount: 50000, currency: 'CNY' },
    expiresAt: new Date(Date.now() + 7 * 86_400_000).toISOString(),
    maxClaims: 2,
  };

  it('staff send a card without the code; the customer claims it once and gets the code', async () => {
    expect((await rest(`/api/coupons/${id}`, 'PUT', coupon)).status).toBe(201);
    const v = await visitor(t);
    const conv = v.session.conversation!.id;
    const a = await agent(t, token);
    const visitorSees = next<CommerceMessage>(v.socket, 'message:new', (m) => m.kind === 'coupon');
    const card = await send(a.socket, { conversationId: conv, kind: 'coupon', couponId: id });
    expect(card.coupon).toEqual({ id, title: coupon.title, conditions: coupon.conditions, value: coupon.value, minSpend: coupon.minSpend, expiresAt: coupon.expiresAt });
    expect(JSON.stringify(card)).not.toContain(coupon.code);
    expect(await visitorSees).toEqual(card);
    await refusedWith(v.socket, { conversationId: conv, kind: 'coupon', couponId: id }, 'forbidden');

    const claimReq = { conversationId: conv, clientId: cid(), kind: 'coupon-claim', couponId: id };
    const claim = (await ok<{ message: CommerceMessage }>(v.socket, 'message:send', claimReq)).message;
    expect(claim).toMatchObject({ kind: 'coupon-claim', coupon: card.coupon, claim: { code: coupon.code } });
    expect(Number.isNaN(Date.parse(claim.claim!.claimedAt))).toBe(false);
    // A retry returns the stored claim; a new claim is a conflict.
    expect((await ok<{ message: CommerceMessage }>(v.socket, 'message:send', claimReq)).message).toEqual(claim);
    await refusedWith(v.socket, { conversationId: conv, kind: 'coupon-claim', couponId: id }, 'conflict');
    await refusedWith(a.socket, { conversationId: conv, kind: 'coupon-claim', couponId: id }, 'forbidden');
    expect((await rest(`/api/coupons/${id}`)).body.coupon).toMatchObject({ sent: 1, claimed: 1 });
  });

  it('unknown or inactive coupons are not_found; an exhausted one is a conflict', async () => {
    const v = await visitor(t);
    const conv = v.session.conversation!.id;
    await refusedWith(v.socket, { conversationId: conv, kind: 'coupon-claim', couponId: `none-${suffix}` }, 'not_found');
    const off = `off-${suffix}`;
    await rest(`/api/coupons/${off}`, 'PUT', { ...coupon, active: false });
    await refusedWith(v.socket, { conversationId: conv, kind: 'coupon-claim', couponId: off }, 'not_found');
    const one = `one-${suffix}`;
    await rest(`/api/coupons/${one}`, 'PUT', { ...coupon, maxClaims: 1 });
    await send(v.socket, { conversationId: conv, kind: 'coupon-claim', couponId: one });
    const w = await visitor(t);
    await refusedWith(w.socket, { conversationId: w.session.conversation!.id, kind: 'coupon-claim', couponId: one }, 'conflict');
  });

  it('malformed coupon sends are invalid_payload', async () => {
    const v = await visitor(t);
    const conv = v.session.conversation!.id;
    await refusedWith(v.socket, { conversationId: conv, kind: 'coupon-claim' }, 'invalid_payload');
    await refusedWith(v.socket, { conversationId: conv, kind: 'coupon-claim', couponId: '../etc' }, 'invalid_payload');
    await refusedWith(v.socket, { conversationId: conv, kind: 'coupon', couponId: 42 }, 'invalid_payload');
  });
});

describe('product watch', () => {
  it('product:get with watch delivers product:update when the product changes and when it is removed', async () => {
    const pid = `conf-watch-${suffix}`;
    await rest(`/api/products/${pid}`, 'PUT', PRODUCT);
    const v = await visitor(t);
    const got = await ok<{ items: { id: string; options: unknown[] }[] }>(v.socket, 'product:get', { productIds: [pid], watch: true });
    expect(got.items[0].options).toEqual(PRODUCT.options);
    const changed = next<{ product: { id: string; variants: { id: string; stock: number | null }[] } }>(v.socket, 'product:update');
    await rest(`/api/products/${pid}`, 'PUT', { ...PRODUCT, variants: [{ id: 'gold', options: { colour: 'gold' }, stock: 0 }] });
    const update = await changed;
    expect(update.product.id).toBe(pid);
    expect(update.product.variants).toEqual([{ id: 'gold', sku: null, options: { colour: 'gold' }, price: null, stock: 0 }]);
    const removed = next(v.socket, 'product:update');
    await rest(`/api/products/${pid}`, 'DELETE');
    expect(await removed).toEqual({ productId: pid, deleted: true });
  });

  it('without watch, no product:update arrives', async () => {
    const pid = `conf-nowatch-${suffix}`;
    await rest(`/api/products/${pid}`, 'PUT', PRODUCT);
    const v = await visitor(t);
    await ok(v.socket, 'product:get', { productIds: [pid] });
    const seen: unknown[] = [];
    v.socket.on('product:update', (u: unknown) => seen.push(u));
    await rest(`/api/products/${pid}`, 'PUT', { ...PRODUCT, price: { amount: 1, currency: 'CNY' } });
    await rest(`/api/products/${pid}`, 'DELETE');
    // A round trip on the same connection after the changes: any update would have come first.
    await new Promise((r) => setTimeout(r, 200));
    await ok(v.socket, 'product:get', { productIds: [pid] });
    expect(seen).toEqual([]);
  });
});
