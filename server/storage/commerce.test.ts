/**
 * Commerce storage on PGlite and PostgreSQL: reservation steps (every step by role and state),
 * slot capacity, coupon cards and claims, concurrency, idempotent retries, quick replies.
 */
import { randomBytes } from 'node:crypto';
import * as v from 'valibot';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nextReservationState, type ReservationAction, type ReservationSettings, type ReservationState } from '../../src/protocol/commerce.js';
import { VitrineError } from '../../src/protocol/errors.js';
import { couponInputSchema } from '../../src/protocol/schemas.js';
import type { Author, Message, MessageSendRequest } from '../../src/protocol/types.js';
import { createShop } from '../auth.js';
import { daySlotTimes, addDays } from '../reservations.js';
import { hashToken } from '../security.js';
import { createTempPg, type TempPg } from '../test-support.js';
import { ALWAYS_OPEN_SETTINGS as SETTINGS } from '../../test/support/commerce-fixtures.js';
import { QUICK_REPLIES_MAX } from './commerce.js';
import { Store } from './store.js';

const pgTarget = await createTempPg();
const pgAvailable = !('skip' in pgTarget);
if ('skip' in pgTarget) console.warn(`[server] skipping PostgreSQL commerce tests: ${pgTarget.skip}`);

afterAll(async () => {
  if (pgAvailable) await (pgTarget as TempPg).drop();
});

const backends = [
  { name: 'PGlite', available: true, opts: () => ({ dataDir: 'memory://' }) },
  { name: 'PostgreSQL', available: pgAvailable, opts: () => ({ databaseUrl: (pgTarget as TempPg).url }) },
];

/** Friday 2026-11-27 11:10 in Shanghai. */
const NOW = Date.parse('2026-11-27T03:10:00Z');

/** Every slot start from tomorrow on (Shanghai), as ISO strings. */
const SLOTS = Array.from({ length: 5 }, (_, i) => daySlotTimes(addDays('2026-11-27', i + 1), SETTINGS.hours, 30, SETTINGS.timeZone))
  .flat()
  .map((s) => new Date(s.start).toISOString());

const RING = {
  id: 'ring',
  title: { en: 'Ring', 'zh-CN': '戒指' },
  price: { amount: 129900, currency: 'CNY' },
  variants: [
    { id: 'gold', options: { colour: 'gold' }, stock: 2 },
    { id: 'silver', options: { colour: 'silver' }, stock: 0 },
  ],
  options: [{ name: 'colour', label: { en: 'Colour', 'zh-CN': '颜色' }, values: { gold: { en: 'Gold', 'zh-CN': '金色' } } }],
};

const agentAuthor: Author = { role: 'agent', id: 'a_staff', name: 'Lin' };

async function refused(p: Promise<unknown>, code: string, message?: RegExp): Promise<VitrineError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err, `expected ${code}`).toBeInstanceOf(VitrineError);
  expect((err as VitrineError).code).toBe(code);
  if (message) expect((err as VitrineError).message).toMatch(message);
  return err as VitrineError;
}

/** A send request without its clientId (one is made up), per kind. */
type SendInput = MessageSendRequest extends infer R ? (R extends MessageSendRequest ? Omit<R, 'clientId'> & { clientId?: string } : never) : never;

const cid = (): string => `c-${randomBytes(6).toString('hex')}`;

for (const backend of backends) {
  describe.skipIf(!backend.available)(`commerce on ${backend.name}`, () => {
    let store: Store;
    let n = 0;
    let slot = 0;
    const nextSlot = (): string => SLOTS[slot++];

    beforeAll(async () => {
      store = await Store.open(backend.opts());
      store.now = () => NOW;
    });
    afterAll(async () => {
      await store?.close();
    });

    async function newShop(settings: ReservationSettings | null = SETTINGS): Promise<string> {
      const id = `com-${backend.name.toLowerCase()}-${++n}`;
      await createShop(store, { id, name: 'Commerce shop' });
      if (settings) await store.putReservationSettings(id, settings);
      await store.upsertProduct(id, RING);
      return id;
    }

    async function newVisitor(shop: string): Promise<{ conv: string; author: Author }> {
      const { visitor, conversation } = await store.createVisitor(shop, hashToken(`t-${randomBytes(8).toString('hex')}`));
      return { conv: conversation.id, author: { role: 'visitor', id: visitor.id, name: null } };
    }

    async function send(shop: string, author: Author, req: SendInput): Promise<Message> {
      const { message } = await store.sendRequest(shop, { clientId: cid(), ...req } as MessageSendRequest, author);
      return message;
    }

    async function request(shop: string, who: { conv: string; author: Author }, start = nextSlot()): Promise<Message> {
      return send(shop, who.author, { conversationId: who.conv, kind: 'reservation', action: 'request', productId: 'ring', variantId: 'gold', start });
    }

    async function step(shop: string, conv: string, author: Author, reservationId: string, action: Exclude<ReservationAction, 'request'>): Promise<Message> {
      const req =
        action === 'propose'
          ? { conversationId: conv, kind: 'reservation' as const, action, reservationId, start: nextSlot() }
          : { conversationId: conv, kind: 'reservation' as const, action, reservationId };
      return send(shop, author, req);
    }

    it('request, propose, confirm, cancel: each step is a message carrying the reservation as of after it', async () => {
      const shop = await newShop();
      const vis = await newVisitor(shop);
      const start = nextSlot();
      const m1 = await send(shop, vis.author, { conversationId: vis.conv, kind: 'reservation', action: 'request', productId: 'ring', variantId: 'gold', start, text: 'Size 6 please' });
      expect(m1).toMatchObject({ kind: 'reservation', action: 'request', text: 'Size 6 please', seq: 1 });
      const r = m1.reservation!;
      expect(r).toMatchObject({ state: 'requested', variantId: 'gold', start, timeZone: 'Asia/Shanghai' });
      expect(Date.parse(r.end) - Date.parse(r.start)).toBe(30 * 60_000);
      expect(r.product).toMatchObject({ id: 'ring', source: 'catalogue', options: RING.options });
      expect(r.id).toMatch(/^r_/);

      const m2 = await step(shop, vis.conv, agentAuthor, r.id, 'propose');
      expect(m2).toMatchObject({ kind: 'reservation', action: 'propose', text: '', reservation: { id: r.id, state: 'proposed' } });
      expect(m2.reservation!.start).not.toBe(start);
      const m3 = await step(shop, vis.conv, vis.author, r.id, 'confirm');
      expect(m3.reservation).toEqual({ ...m2.reservation, state: 'confirmed' });
      const m4 = await step(shop, vis.conv, agentAuthor, r.id, 'cancel');
      expect(m4.reservation!.state).toBe('cancelled');
      await refused(step(shop, vis.conv, vis.author, r.id, 'cancel'), 'conflict', /the reservation is cancelled: it cannot be cancelled/);
      // History keeps each step as it was.
      const { messages } = await store.history(vis.conv);
      expect(messages.map((m) => [m.action, m.reservation?.state])).toEqual([
        ['request', 'requested'],
        ['propose', 'proposed'],
        ['confirm', 'confirmed'],
        ['cancel', 'cancelled'],
      ]);
      // The variant-less request stores null.
      const other = await newVisitor(shop);
      const m5 = await send(shop, other.author, { conversationId: other.conv, kind: 'reservation', action: 'request', productId: 'ring', start: nextSlot() });
      expect(m5.reservation!.variantId).toBeNull();
    });

    describe('every step by role and state follows nextReservationState', () => {
      const STATES: ReservationState[] = ['requested', 'proposed', 'confirmed', 'declined', 'cancelled'];
      const ACTIONS: Exclude<ReservationAction, 'request'>[] = ['propose', 'confirm', 'decline', 'cancel'];
      let shop: string;
      beforeAll(async () => {
        shop = await newShop();
      });

      /** A fresh reservation driven to `state`. */
      async function reach(state: ReservationState): Promise<{ vis: { conv: string; author: Author }; id: string }> {
        const vis = await newVisitor(shop);
        const id = (await request(shop, vis)).reservation!.id;
        if (state === 'proposed') await step(shop, vis.conv, agentAuthor, id, 'propose');
        if (state === 'confirmed') await step(shop, vis.conv, agentAuthor, id, 'confirm');
        if (state === 'declined') await step(shop, vis.conv, agentAuthor, id, 'decline');
        if (state === 'cancelled') await step(shop, vis.conv, vis.author, id, 'cancel');
        return { vis, id };
      }

      for (const state of STATES) {
        for (const action of ACTIONS) {
          for (const role of ['visitor', 'agent'] as const) {
            const expected = nextReservationState(state, action, role);
            const outcome = role === 'visitor' && action === 'propose' ? 'forbidden' : (expected ?? 'conflict');
            it(`${role} ${action} on ${state} -> ${outcome}`, async () => {
              const { vis, id } = await reach(state);
              const author = role === 'visitor' ? vis.author : agentAuthor;
              const before = (await store.getConversation(vis.conv))!.lastSeq;
              if (expected && outcome !== 'forbidden') {
                const m = await step(shop, vis.conv, author, id, action);
                expect(m.reservation!.state).toBe(expected);
                expect(m.action).toBe(action);
              } else {
                await refused(step(shop, vis.conv, author, id, action), outcome);
                // Nothing stored: no message, the reservation unchanged.
                expect((await store.getConversation(vis.conv))!.lastSeq).toBe(before);
                const items = await store.listReservations(shop, 'all');
                expect(items.find((x) => x.id === id)!.state).toBe(state);
              }
            });
          }
        }
      }

      it('staff cannot request', async () => {
        const vis = await newVisitor(shop);
        await refused(send(shop, agentAuthor, { conversationId: vis.conv, kind: 'reservation', action: 'request', productId: 'ring', start: nextSlot() }), 'forbidden');
      });

      it('a refusal names who may act: staff cannot confirm a proposed time', async () => {
        const { vis, id } = await reach('proposed');
        await refused(step(shop, vis.conv, agentAuthor, id, 'confirm'), 'conflict', /the reservation is proposed: only the customer can confirm it now/);
        const c = await reach('confirmed');
        await refused(step(shop, c.vis.conv, agentAuthor, c.id, 'decline'), 'conflict', /the reservation is confirmed: it cannot be declined/);
      });
    });

    it('request checks: disabled shop, unknown product, unknown variant, bad slot, another conversation', async () => {
      const off = await newShop(null);
      const v0 = await newVisitor(off);
      await refused(request(off, v0), 'not_found', /this shop does not take reservations/);
      await expect(store.reservationSlots(off, {})).rejects.toMatchObject({ code: 'not_found' });

      const shop = await newShop();
      const vis = await newVisitor(shop);
      await refused(send(shop, vis.author, { conversationId: vis.conv, kind: 'reservation', action: 'request', productId: 'nope', start: nextSlot() }), 'not_found', /productId/);
      await refused(
        send(shop, vis.author, { conversationId: vis.conv, kind: 'reservation', action: 'request', productId: 'ring', variantId: 'platinum', start: nextSlot() }),
        'invalid_payload',
        /^variantId: product ring has no variant platinum/,
      );
      const unaligned = new Date(Date.parse(nextSlot()) + 10 * 60_000).toISOString();
      await refused(request(shop, vis, unaligned), 'invalid_payload', /^start: must be the start of a 30-minute slot/);
      await refused(request(shop, vis, '2026-11-27T03:00:00.000Z'), 'invalid_payload', /^start: /); // in the past
      await refused(request(shop, vis, '2026-12-25T03:00:00.000Z'), 'invalid_payload', /within the next 7 day/);
      expect((await store.getConversation(vis.conv))!.lastSeq).toBe(0);

      const mine = (await request(shop, vis)).reservation!;
      const stranger = await newVisitor(shop);
      await refused(step(shop, stranger.conv, stranger.author, mine.id, 'cancel'), 'not_found', /reservationId/);
      await refused(step(shop, stranger.conv, agentAuthor, mine.id, 'confirm'), 'not_found');
    });

    it('a full slot is a conflict; the slot frees up when the reservation is declined; slots show availability', async () => {
      const shop = await newShop({ ...SETTINGS, capacity: 2 });
      const start = nextSlot();
      const a = await newVisitor(shop);
      const b = await newVisitor(shop);
      const c = await newVisitor(shop);
      const ra = (await request(shop, a, start)).reservation!;
      await request(shop, b, start);
      const full = (await store.reservationSlots(shop, { from: start.slice(0, 10), days: 2 })).days.flatMap((d) => d.slots).find((s) => s.start === start);
      expect(full).toMatchObject({ available: false });
      await refused(request(shop, c, start), 'conflict', /^that time is no longer available$/);
      // Staff cannot propose a full slot either.
      const other = nextSlot();
      await request(shop, c, other);
      await request(shop, await newVisitor(shop), other);
      await refused(send(shop, agentAuthor, { conversationId: a.conv, kind: 'reservation', action: 'propose', reservationId: ra.id, start: other }), 'conflict');
      await step(shop, a.conv, agentAuthor, ra.id, 'decline');
      expect((await request(shop, await newVisitor(shop), start)).reservation!.state).toBe('requested');
      const page = await store.reservationSlots(shop, {});
      expect(page).toMatchObject({ timeZone: 'Asia/Shanghai', slotMinutes: 30 });
      expect(page.days).toHaveLength(7);
    });

    it('concurrent requests for the last place of a slot: exactly one wins', async () => {
      const shop = await newShop();
      const start = nextSlot();
      const visitors = await Promise.all(Array.from({ length: 4 }, () => newVisitor(shop)));
      const results = await Promise.allSettled(visitors.map((vis) => request(shop, vis, start)));
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      for (const r of results) if (r.status === 'rejected') expect((r.reason as VitrineError).code).toBe('conflict');
      expect((await store.listReservations(shop, 'all')).filter((r) => r.start === start)).toHaveLength(1);
    });

    it('two concurrent confirms of one reservation: one wins, the other is a conflict', async () => {
      const shop = await newShop();
      const vis = await newVisitor(shop);
      const id = (await request(shop, vis)).reservation!.id;
      const results = await Promise.allSettled([step(shop, vis.conv, agentAuthor, id, 'confirm'), step(shop, vis.conv, agentAuthor, id, 'decline')]);
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      const loser = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
      expect((loser.reason as VitrineError).code).toBe('conflict');
      expect((await store.getConversation(vis.conv))!.lastSeq).toBe(2);
    });

    it('a retried step after a lost ack returns the stored message, not a conflict (also when racing)', async () => {
      const shop = await newShop();
      const vis = await newVisitor(shop);
      const id = (await request(shop, vis)).reservation!.id;
      const req: MessageSendRequest = { conversationId: vis.conv, clientId: 'confirm-1', kind: 'reservation', action: 'confirm', reservationId: id };
      const first = await store.sendRequest(shop, req, agentAuthor);
      expect(first.created).toBe(true);
      const again = await store.sendRequest(shop, req, agentAuthor);
      expect(again).toEqual({ message: first.message, created: false });
      // Same for a request retried after its slot filled up, and for parallel duplicates.
      const reqReq: MessageSendRequest = { conversationId: vis.conv, clientId: 'req-2', kind: 'reservation', action: 'request', productId: 'ring', start: nextSlot() };
      const racing = await Promise.all([store.sendRequest(shop, reqReq, vis.author), store.sendRequest(shop, reqReq, vis.author), store.sendRequest(shop, reqReq, vis.author)]);
      expect(racing.filter((r) => r.created)).toHaveLength(1);
      for (const r of racing) expect(r.message).toEqual(racing[0].message);
      expect((await store.listReservations(shop, 'all')).length).toBe(2);
    });

    it('staff list: open ones soonest first, with conversation and visitor name; all includes closed ones', async () => {
      const shop = await newShop();
      const a = await newVisitor(shop);
      const b = await newVisitor(shop);
      const late = nextSlot();
      const later = nextSlot();
      const early = SLOTS[0]; // the first slot of the run: free in this new shop
      const rb = (await request(shop, b, later)).reservation!;
      await request(shop, a, early);
      await step(shop, b.conv, agentAuthor, rb.id, 'decline');
      await request(shop, b, late);
      const open = await store.listReservations(shop, 'open');
      expect(open.map((r) => [r.start, r.conversationId, r.state])).toEqual([
        [early, a.conv, 'requested'],
        [late, b.conv, 'requested'],
      ]);
      expect(open[0]).toMatchObject({ visitorName: null, product: { id: 'ring' } });
      expect(typeof open[0].updatedAt).toBe('string');
      expect((await store.listReservations(shop, 'all')).map((r) => r.state)).toEqual(['requested', 'requested', 'declined']);
    });

    describe('coupons', () => {
      const base = {
        code: 'WELCOME50',
        title: { en: '¥50 off', 'zh-CN': '立减 ¥50' },
        value: { type: 'amount', amount: { amount: 5000, currency: 'CNY' } },
        minSpend: { amount: 50000, currency: 'CNY' },
        expiresAt: new Date(NOW + 86_400_000).toISOString(),
      };
      const coupon = (over: Record<string, unknown> = {}) => v.parse(couponInputSchema, { id: 'welcome', ...base, ...over });

      it('staff send a card (no code), customers claim once and get the code; counters follow', async () => {
        const shop = await newShop();
        const { coupon: created, created: isNew } = await store.upsertCoupon(shop, coupon());
        expect(isNew).toBe(true);
        expect(created).toMatchObject({ id: 'welcome', code: 'WELCOME50', sent: 0, claimed: 0, active: true, maxClaims: null, conditions: {} });
        const vis = await newVisitor(shop);
        const card = await send(shop, agentAuthor, { conversationId: vis.conv, kind: 'coupon', couponId: 'welcome', text: 'For you' });
        expect(card).toMatchObject({ kind: 'coupon', text: 'For you' });
        expect(card.coupon).toEqual({ id: 'welcome', title: base.title, conditions: {}, value: base.value, minSpend: base.minSpend, expiresAt: base.expiresAt });
        expect(JSON.stringify(card)).not.toContain('WELCOME50');
        await refused(send(shop, vis.author, { conversationId: vis.conv, kind: 'coupon', couponId: 'welcome' }), 'forbidden');

        const claimReq: MessageSendRequest = { conversationId: vis.conv, clientId: 'claim-1', kind: 'coupon-claim', couponId: 'welcome' };
        const claim = await store.sendRequest(shop, claimReq, vis.author);
        expect(claim.message).toMatchObject({ kind: 'coupon-claim', text: '', coupon: card.coupon, claim: { code: 'WELCOME50', claimedAt: new Date(NOW).toISOString() } });
        // A retry after a lost ack returns the stored claim; a new claim is refused.
        expect(await store.sendRequest(shop, claimReq, vis.author)).toEqual({ message: claim.message, created: false });
        await refused(send(shop, vis.author, { conversationId: vis.conv, kind: 'coupon-claim', couponId: 'welcome' }), 'conflict', /already claimed/);
        await refused(send(shop, agentAuthor, { conversationId: vis.conv, kind: 'coupon-claim', couponId: 'welcome' }), 'forbidden');
        expect(await store.getCoupon(shop, 'welcome')).toMatchObject({ sent: 1, claimed: 1 });

        // An update keeps counters and creation time.
        const updated = await store.upsertCoupon(shop, coupon({ code: 'HELLO50' }));
        expect(updated).toMatchObject({ created: false, coupon: { code: 'HELLO50', sent: 1, claimed: 1, createdAt: created.createdAt } });
      });

      it('unknown or inactive: not_found; expired: conflict; exhausted: conflict; a new coupon may not be expired already', async () => {
        const shop = await newShop();
        const vis = await newVisitor(shop);
        const claim = (id: string, who = vis) => send(shop, who.author, { conversationId: who.conv, kind: 'coupon-claim', couponId: id });
        await refused(claim('nope'), 'not_found');
        await store.upsertCoupon(shop, coupon({ id: 'off', active: false }));
        await refused(claim('off'), 'not_found');
        await refused(send(shop, agentAuthor, { conversationId: vis.conv, kind: 'coupon', couponId: 'off' }), 'not_found');

        await refused(store.upsertCoupon(shop, coupon({ id: 'old', expiresAt: new Date(NOW - 1000).toISOString() })), 'invalid_payload', /^expiresAt: /);
        await store.upsertCoupon(shop, coupon({ id: 'soon', expiresAt: new Date(NOW + 60_000).toISOString() }));
        store.now = () => NOW + 120_000;
        try {
          await refused(claim('soon'), 'conflict', /the coupon has expired/);
          await refused(send(shop, agentAuthor, { conversationId: vis.conv, kind: 'coupon', couponId: 'soon' }), 'conflict', /expired/);
          // Updating an existing coupon to a past expiry is allowed (that is how staff end one early).
          expect((await store.upsertCoupon(shop, coupon({ id: 'soon', expiresAt: new Date(NOW).toISOString() }))).created).toBe(false);
        } finally {
          store.now = () => NOW;
        }

        await store.upsertCoupon(shop, coupon({ id: 'one', maxClaims: 1 }));
        await claim('one');
        const other = await newVisitor(shop);
        await refused(claim('one', other), 'conflict', /fully claimed/);
        expect(await store.getCoupon(shop, 'one')).toMatchObject({ claimed: 1 });
        expect((await store.getConversation(other.conv))!.lastSeq).toBe(0);
      });

      it('concurrent claims: one per customer, and never beyond maxClaims', async () => {
        const shop = await newShop();
        await store.upsertCoupon(shop, coupon({ id: 'race', maxClaims: 2 }));
        const visitors = await Promise.all(Array.from({ length: 5 }, () => newVisitor(shop)));
        const results = await Promise.allSettled(visitors.map((vis) => send(shop, vis.author, { conversationId: vis.conv, kind: 'coupon-claim', couponId: 'race' })));
        expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(2);
        expect(await store.getCoupon(shop, 'race')).toMatchObject({ claimed: 2 });

        await store.upsertCoupon(shop, coupon({ id: 'mine' }));
        const vis = await newVisitor(shop);
        const same = await Promise.allSettled(Array.from({ length: 3 }, () => send(shop, vis.author, { conversationId: vis.conv, kind: 'coupon-claim', couponId: 'mine' })));
        expect(same.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
        for (const r of same) if (r.status === 'rejected') expect((r.reason as VitrineError).code).toBe('conflict');
        expect(await store.getCoupon(shop, 'mine')).toMatchObject({ claimed: 1 });
      });

      it('lists newest first', async () => {
        const shop = await newShop();
        await store.upsertCoupon(shop, coupon({ id: 'first' }));
        store.now = () => NOW + 1000;
        try {
          await store.upsertCoupon(shop, coupon({ id: 'second' }));
        } finally {
          store.now = () => NOW;
        }
        expect((await store.listCoupons(shop)).map((c) => c.id)).toEqual(['second', 'first']);
      });
    });

    it('quick replies: add in order, edit, delete, at most QUICK_REPLIES_MAX per shop', async () => {
      const shop = await newShop();
      const a = await store.addQuickReply(shop, '您好！');
      const b = await store.addQuickReply(shop, '<b>not markup</b>');
      expect((await store.listQuickReplies(shop)).map((q) => q.text)).toEqual(['您好！', '<b>not markup</b>']);
      expect((await store.updateQuickReply(shop, a.id, 'Hello!'))!.text).toBe('Hello!');
      expect(await store.updateQuickReply(shop, 'q_missing', 'x')).toBeNull();
      expect(await store.deleteQuickReply(shop, b.id)).toBe(true);
      expect(await store.deleteQuickReply(shop, b.id)).toBe(false);
      expect((await store.listQuickReplies(shop)).map((q) => q.id)).toEqual([a.id]);
      for (let i = 1; i < QUICK_REPLIES_MAX; i++) await store.addQuickReply(shop, `reply ${i}`);
      await refused(store.addQuickReply(shop, 'one too many'), 'conflict', /at most 200/);
      expect(await store.listQuickReplies(shop)).toHaveLength(QUICK_REPLIES_MAX);
    });
  });
}
