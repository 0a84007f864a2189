/**
 * Reservations, coupons and live stock through the core client (src/) against the real reference
 * server over real sockets: every step travels through the outbox as a message, and the state
 * machine, the one-claim rule and `product:update` hold end to end.
 */
import { describe, expect, it } from 'vitest';
import { claimedCoupons, latestReservations, VitrineError, type ProductUpdate } from '../../src/index.js';
import { ALWAYS_OPEN_SETTINGS as SETTINGS } from '../support/commerce-fixtures.js';
import { agent, agentToken, cleanUpAfterEach, startTestServer, visitor, waitFor } from './helpers.js';

const { track, servers } = cleanUpAfterEach();


const RING = {
  id: 'aube-ring',
  title: { en: 'Aube ring', 'zh-CN': '晨曦戒指' },
  price: { amount: 89900, currency: 'CNY' },
  variants: [
    { id: 'gold-52', sku: 'AUB-G-52', options: { colour: 'gold', size: '52' }, stock: 3 },
    { id: 'gold-54', sku: 'AUB-G-54', options: { colour: 'gold', size: '54' }, stock: 0 },
  ],
  options: [{ name: 'colour', label: { en: 'Colour', 'zh-CN': '颜色' }, values: { gold: { en: 'Gold', 'zh-CN': '金色' } } }],
};

async function rest(url: string, token: string, method: string, path: string, body?: unknown): Promise<unknown> {
  const res = await fetch(`${url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

async function setup() {
  const server = await startTestServer();
  servers.push(server);
  const token = await agentToken(server.url);
  await rest(server.url, token, 'PUT', `/api/products/${RING.id}`, RING);
  await rest(server.url, token, 'PUT', '/api/settings/reservations', SETTINGS);
  const v = track(visitor(server.url));
  const conv = await waitFor('visitor conversation', () => v.$conversation.get());
  const a = track(agent(server.url, token));
  await waitFor('agent online', () => a.$connection.get() === 'online');
  return { server, token, v, conv, a, agentConv: a.conversation(conv.id) };
}

describe('commerce through the core client', () => {
  it('announces reservations, requests a slot, and both sides follow the state to confirmed', async () => {
    const { v, conv, agentConv } = await setup();
    expect(v.$session.get()?.features).toContain('reservations');
    const page = await v.getReservationSlots({ days: 2 });
    expect(page.timeZone).toBe('Asia/Shanghai');
    const slot = page.days.flatMap((d) => d.slots).find((s) => s.available);
    expect(slot).toBeTruthy();

    const requested = await conv.reserve({ productId: RING.id, variantId: 'gold-52', start: slot!.start, text: '想试 52 号' });
    expect(requested.kind).toBe('reservation');
    expect(requested.reservation).toMatchObject({ state: 'requested', variantId: 'gold-52', start: slot!.start, timeZone: 'Asia/Shanghai' });
    expect(requested.reservation?.product.title['zh-CN']).toBe('晨曦戒指');
    expect(requested.text).toBe('想试 52 号');
    const id = requested.reservation!.id;

    // Capacity 1: the same slot is now full for everyone.
    const again = await v.getReservationSlots({ days: 2 });
    expect(again.days.flatMap((d) => d.slots).find((s) => s.start === slot!.start)?.available).toBe(false);

    await waitFor('agent sees the request', () => latestReservations(agentConv.$messages.get()).get(id)?.state === 'requested');
    const confirmed = await agentConv.updateReservation(id, 'confirm', { text: 'See you then' });
    expect(confirmed.reservation?.state).toBe('confirmed');
    await waitFor('visitor sees confirmed', () => latestReservations(conv.$messages.get()).get(id)?.state === 'confirmed');

    // A step the state does not allow: refused with conflict and nothing stored.
    const count = conv.$messages.get().length;
    await expect(agentConv.updateReservation(id, 'decline')).rejects.toMatchObject({ code: 'conflict', reason: 'reservation_state' });
    const failed = agentConv.$messages.get().find((m) => m.status === 'failed');
    expect(failed?.error?.code).toBe('conflict');
    agentConv.discard(failed!.clientId);
    expect(conv.$messages.get().length).toBe(count);

    // Staff propose another time; the customer accepts it.
    const other = again.days.flatMap((d) => d.slots).find((s) => s.available && s.start !== slot!.start)!;
    const proposed = await agentConv.updateReservation(id, 'propose', { start: other.start });
    expect(proposed.reservation).toMatchObject({ state: 'proposed', start: other.start });
    await waitFor('visitor sees the proposal', () => latestReservations(conv.$messages.get()).get(id)?.state === 'proposed');
    const accepted = await conv.updateReservation(id, 'confirm');
    expect(accepted.reservation).toMatchObject({ state: 'confirmed', start: other.start });
  });

  it('refuses slots outside the opening hours and requests from staff', async () => {
    const { conv, agentConv } = await setup();
    const misaligned = new Date(Date.now() + 2 * 3600_000);
    misaligned.setUTCMinutes(7, 0, 0);
    await expect(conv.reserve({ productId: RING.id, start: misaligned.toISOString() })).rejects.toBeInstanceOf(VitrineError);
    expect(conv.$messages.get().at(-1)?.error?.code).toBe('invalid_payload');
    await expect(agentConv.reserve({ productId: RING.id, start: misaligned.toISOString() })).rejects.toMatchObject({ code: 'forbidden' });
  });

  it('sends a coupon card without its code, lets the customer claim it once, and counts it', async () => {
    const { server, token, conv, agentConv } = await setup();
    await rest(server.url, token, 'PUT', '/api/coupons/welcome50', {
      code: 'WELCOME50',
      title: { en: '¥50 off', 'zh-CN': '立减 50 元' },
      value: { type: 'amount', amount: { amount: 5000, currency: 'CNY' } },
      minSpend: { amount: 50000, currency: 'CNY' },
      expiresAt: new Date(Date.now() + 86_400_000).toISOString(),
    });
    const card = await agentConv.sendCoupon('welcome50', 'A welcome gift');
    expect(card.coupon).toMatchObject({ id: 'welcome50', value: { type: 'amount' } });
    expect(JSON.stringify(card)).not.toContain('WELCOME50');
    await waitFor('visitor sees the card', () => conv.$messages.get().some((m) => m.kind === 'coupon'));

    const claim = await conv.claimCoupon('welcome50');
    expect(claim.claim?.code).toBe('WELCOME50');
    expect(claimedCoupons(conv.$messages.get()).get('welcome50')?.code).toBe('WELCOME50');
    await waitFor('staff see the claim', () => claimedCoupons(agentConv.$messages.get()).has('welcome50'));

    await expect(conv.claimCoupon('welcome50')).rejects.toMatchObject({ code: 'conflict', reason: 'coupon_claimed' });
    expect(conv.$messages.get().find((m) => m.status === 'failed')?.error?.reason).toBe('coupon_claimed');
    const listed = (await rest(server.url, token, 'GET', '/api/coupons')) as { items: { id: string; sent: number; claimed: number }[] };
    expect(listed.items.find((c) => c.id === 'welcome50')).toMatchObject({ sent: 1, claimed: 1 });
  });

  it('pushes live stock to a watching visitor when the catalogue changes, and a deletion', async () => {
    const { server, token, v } = await setup();
    const updates: ProductUpdate[] = [];
    const stop = v.watchProducts([RING.id], (u) => updates.push(u));
    await waitFor('initial entry', () => updates.length >= 1);
    expect('product' in updates[0] && updates[0].product.variants[0].stock).toBe(3);
    expect('product' in updates[0] && updates[0].product.options[0].values.gold['zh-CN']).toBe('金色');

    await rest(server.url, token, 'PUT', `/api/products/${RING.id}`, { ...RING, variants: [{ ...RING.variants[0], stock: 1 }, RING.variants[1]] });
    await waitFor('pushed stock', () => updates.some((u) => 'product' in u && u.product.variants[0].stock === 1));
    await rest(server.url, token, 'DELETE', `/api/products/${RING.id}`);
    await waitFor('pushed deletion', () => updates.some((u) => 'deleted' in u && u.productId === RING.id));
    stop();
  });
});
