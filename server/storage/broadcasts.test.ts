/**
 * Broadcast storage on PGlite and PostgreSQL: segments and audiences, template values, the claim
 * (snapshots, frequency cap with its capped count, exactly once under concurrency, cancel wins),
 * campaign state transitions, statistics and rates, the customer's feed and the feed-item message
 * context.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VitrineError } from '../../src/protocol/errors.js';
import type { CampaignInput } from '../../src/protocol/feed-schemas.js';
import type { Author, MessageSendRequest } from '../../src/protocol/types.js';
import { createShop } from '../auth.js';
import { hashToken } from '../security.js';
import { createTempPg, type TempPg } from '../test-support.js';
import { Store } from './store.js';

const pgTarget = await createTempPg();
const pgAvailable = !('skip' in pgTarget);
if ('skip' in pgTarget) console.warn(`[server] skipping PostgreSQL broadcast tests: ${pgTarget.skip}`);
afterAll(async () => {
  if (pgAvailable) await (pgTarget as TempPg).drop();
});

const backends = [
  { name: 'PGlite', available: true, opts: () => ({ dataDir: 'memory://' }) },
  { name: 'PostgreSQL', available: pgAvailable, opts: () => ({ databaseUrl: (pgTarget as TempPg).url }) },
];

async function refused(p: Promise<unknown>, code: string, message?: RegExp): Promise<void> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err, `expected ${code}`).toBeInstanceOf(VitrineError);
  expect((err as VitrineError).code).toBe(code);
  if (message) expect((err as VitrineError).message).toMatch(message);
}

const INPUT: CampaignInput = {
  kind: 'new-arrival',
  name: 'Earrings',
  title: { en: 'Hi {{name|there}}, {{coupon}} for {{tier|you}} ({{points|0}} points)', 'zh-CN': '{{name|朋友}}，{{coupon}}' },
  body: { en: 'New earrings' },
  image: null,
  productIds: ['pearl', 'hoop'],
  couponId: 'gift',
  cta: { label: { en: 'Shop now' }, url: 'https://shop.example/earrings' },
  segmentId: null,
};

let shopSeq = 0;

for (const backend of backends) {
  describe.skipIf(!backend.available)(`broadcasts on ${backend.name}`, () => {
    let store: Store;
    beforeAll(async () => {
      store = await Store.open(backend.opts());
    });
    afterAll(async () => {
      await store?.close();
    });

    /** A fresh shop with two products, a coupon and customers with these profiles. */
    async function shopWith(profiles: { name: string | null; attributes?: Record<string, string>; tags?: string[] }[]) {
      const shop = `bc${++shopSeq}${backend.name === 'PGlite' ? 'l' : 'p'}`;
      await createShop(store, { id: shop, name: shop });
      await store.upsertProduct(shop, { id: 'pearl', title: { en: 'Pearl drops', 'zh-CN': '珍珠耳坠' }, price: { amount: 59900, currency: 'CNY' } });
      await store.upsertProduct(shop, { id: 'hoop', title: { en: 'Gold hoops' }, price: { amount: 39900, currency: 'CNY' } });
      await store.upsertCoupon(shop, {
        id: 'gift',
        code: 'GIFT',
        title: { en: '¥50 off', 'zh-CN': '立减 50 元' },
        conditions: {},
        value: { type: 'amount', amount: { amount: 5000, currency: 'CNY' } },
        minSpend: null,
        expiresAt: null,
        maxClaims: null,
        active: true,
      });
      const ids: string[] = [];
      const conversations: string[] = [];
      for (const [i, p] of profiles.entries()) {
        const { visitor, conversation } = await store.createVisitor(shop, hashToken(`${shop}-${i}-${Math.random()}`), p.name ? { name: p.name } : undefined);
        await store.broadcasts.updateCustomerProfile(shop, visitor.id, { attributes: p.attributes ?? {}, tags: p.tags ?? [] });
        ids.push(visitor.id);
        conversations.push(conversation.id);
      }
      return { shop, ids, conversations };
    }

    /** Schedules a campaign for now and claims it. */
    async function send(shop: string, input: Partial<CampaignInput> = {}) {
      const c = await store.broadcasts.createCampaign(shop, { ...INPUT, ...input });
      await store.broadcasts.scheduleCampaign(shop, c.id, Date.now() - 1000, 'UTC');
      // Other shops' due campaigns may be claimed first: claim until ours.
      for (;;) {
        const claim = await store.broadcasts.claimDue('test');
        expect(claim, 'a due campaign').not.toBeNull();
        if (claim!.campaignId === c.id) return claim!;
        await store.broadcasts.markSent(claim!.shop, claim!.campaignId);
      }
    }

    it('template values come from the name and the tier / points attributes', async () => {
      const { shop, ids } = await shopWith([
        { name: 'Mei', attributes: { tier: 'gold', points: ' 12850 ' } },
        { name: null, attributes: { points: 'many' } },
      ]);
      expect((await store.broadcasts.getCustomer(shop, ids[0]))?.values).toEqual({ name: 'Mei', tier: 'gold', points: 12850 });
      expect((await store.broadcasts.getCustomer(shop, ids[1]))?.values).toEqual({ name: null, tier: null, points: null });
      const page = await store.broadcasts.feedPage(shop, ids[0], { limit: 0 });
      expect(page).toEqual({ items: [], hasMore: false, unread: 0, values: { name: 'Mei', tier: 'gold', points: 12850 } });
    });

    it('segments list with their live size; the segment audience and everyone', async () => {
      const { shop } = await shopWith([
        { name: 'A', tags: ['Bought:Earrings'] },
        { name: 'B', tags: ['bought:rings'] },
        { name: 'C', attributes: { tier: 'gold' }, tags: ['bought:earrings'] },
      ]);
      const seg = await store.broadcasts.createSegment(shop, { name: 'Earrings', rule: { match: 'all', conditions: [{ tag: 'bought:earrings', op: 'has' }] } });
      expect(await store.broadcasts.listSegments(shop)).toEqual([expect.objectContaining({ id: seg.id, size: 2 })]);
      expect(await store.broadcasts.audienceSize(shop, null)).toBe(3);
      const preview = await store.broadcasts.previewAudience(shop, { match: 'any', conditions: [{ attribute: 'tier', op: 'eq', value: 'gold' }] });
      expect(preview.size).toBe(1);
      expect(preview.sample.map((c) => c.name)).toEqual(['C']);
      await refused(store.broadcasts.listCustomers(shop, { segmentId: 'nope' }), 'not_found', /^segmentId/);
      await refused(store.broadcasts.updateSegment(shop, 'nope', { name: 'x', rule: seg.rule }), 'not_found');
    });

    it('a claim snapshots products and coupon, stores the segment audience once, and the cap skips and counts customers at the cap', async () => {
      const { shop, ids } = await shopWith([
        { name: 'At cap', tags: ['vip'] },
        { name: 'Old sends', tags: ['vip'] },
        { name: 'Fresh', tags: ['vip'] },
        { name: 'Not in segment', tags: [] },
      ]);
      await store.broadcasts.putSettings(shop, { frequencyCap: { max: 2, days: 7 }, timeZone: 'UTC' });
      // Earlier broadcasts: two within the last 7 days for the first customer, two 8+ days ago for the second.
      await store.db.query(`INSERT INTO campaigns (shop, id, kind, state, name, title) VALUES ($1, 'old1', 'announcement', 'sent', 'o', '{}'), ($1, 'old2', 'announcement', 'sent', 'o', '{}')`, [shop]);
      await store.db.query(
        `INSERT INTO campaign_recipients (shop, campaign_id, visitor_id, sent_at) VALUES
           ($1, 'old1', $2, now() - interval '1 day'), ($1, 'old2', $2, now() - interval '6 days'),
           ($1, 'old1', $3, now() - interval '8 days'), ($1, 'old2', $3, now() - interval '9 days')`,
        [shop, ids[0], ids[1]],
      );
      const seg = await store.broadcasts.createSegment(shop, { name: 'VIP', rule: { match: 'all', conditions: [{ tag: 'vip', op: 'has' }] } });

      const claim = await send(shop, { segmentId: seg.id });
      expect(claim.targeted).toBe(3);
      expect(claim.capped).toBe(1);
      expect(claim.visitorIds.sort()).toEqual([ids[1], ids[2]].sort());
      expect(claim.item.products.map((p) => p.id)).toEqual(['pearl', 'hoop']);
      expect(claim.item.products[0].title['zh-CN']).toBe('珍珠耳坠');
      expect(claim.item.coupon).toMatchObject({ id: 'gift', title: { en: '¥50 off' } });
      expect(JSON.stringify(claim.item)).not.toContain('GIFT');
      expect(claim.item.read).toBe(false);

      // Snapshots: later catalogue changes do not touch the sent campaign.
      await store.upsertProduct(shop, { id: 'pearl', title: { en: 'Renamed' }, price: { amount: 1, currency: 'CNY' } });
      await store.broadcasts.markSent(shop, claim.campaignId);
      const c = await store.broadcasts.getCampaign(shop, claim.campaignId);
      expect(c).toMatchObject({ state: 'sent', counts: { targeted: 3, capped: 1, delivered: 0, read: 0, clicked: 0 } });
      const feed = await store.broadcasts.feedPage(shop, ids[2]);
      expect(feed.items[0].products[0].title.en).toBe('Pearl drops');
      const rows = await store.db.query<{ n: number }>('SELECT count(*)::int AS n FROM campaign_recipients WHERE campaign_id = $1', [claim.campaignId]);
      expect(rows[0].n).toBe(2);
      // Nothing else is due.
      expect(await store.broadcasts.claimDue('test')).toBeNull();
    });

    it('each due campaign is claimed exactly once by concurrent claimers; a cancelled one never', async () => {
      const { shop, ids } = await shopWith([{ name: 'A' }, { name: 'B' }]);
      const a = await store.broadcasts.createCampaign(shop, INPUT);
      const b = await store.broadcasts.createCampaign(shop, INPUT);
      const cancelled = await store.broadcasts.createCampaign(shop, INPUT);
      for (const c of [a, b, cancelled]) await store.broadcasts.scheduleCampaign(shop, c.id, Date.now() - 5000, 'UTC');
      await store.broadcasts.cancelCampaign(shop, cancelled.id);
      const claims = (await Promise.all(Array.from({ length: 6 }, (_, i) => store.broadcasts.claimDue(`p${i}`)))).filter((x) => x !== null);
      // Further claims until none is due (PGlite serialises: some claimers may have found nothing yet).
      for (let c = await store.broadcasts.claimDue('late'); c; c = await store.broadcasts.claimDue('late')) claims.push(c);
      const mine = claims.filter((c) => c.shop === shop).map((c) => c.campaignId);
      expect(mine.sort()).toEqual([a.id, b.id].sort());
      for (const c of claims) await store.broadcasts.markSent(c.shop, c.campaignId);
      const recipients = await store.db.query<{ campaign_id: string; n: number }>(
        'SELECT campaign_id, count(*)::int AS n FROM campaign_recipients WHERE shop = $1 GROUP BY campaign_id ORDER BY campaign_id',
        [shop],
      );
      expect(recipients.map((r) => [r.campaign_id, r.n])).toEqual([a.id, b.id].sort().map((id) => [id, 2]));
      expect((await store.broadcasts.getCampaign(shop, cancelled.id))?.state).toBe('cancelled');
      expect((await store.broadcasts.feedPage(shop, ids[0])).items.map((i) => i.id).sort()).toEqual([a.id, b.id].sort());
    });

    it('a claim that fails before its commit leaves the campaign scheduled with no recipients; the next claim sends it once', async () => {
      const { shop, ids } = await shopWith([{ name: 'A' }, { name: 'B' }]);
      const c = await store.broadcasts.createCampaign(shop, INPUT);
      // The failure happens inside the claim's transaction, after some recipient rows were inserted.
      await store.db.exec(`CREATE FUNCTION fail_${shop}() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN IF NEW.campaign_id = '${c.id}' THEN RAISE EXCEPTION 'simulated crash'; END IF; RETURN NEW; END $$`);
      await store.db.exec(`CREATE TRIGGER fail_${shop} AFTER INSERT ON campaign_recipients FOR EACH ROW EXECUTE FUNCTION fail_${shop}()`);
      await store.broadcasts.scheduleCampaign(shop, c.id, Date.now() - 1000, 'UTC');
      try {
        await expect(
          (async () => {
            for (let claim = await store.broadcasts.claimDue('doomed'); claim; claim = await store.broadcasts.claimDue('doomed')) {
              await store.broadcasts.markSent(claim.shop, claim.campaignId);
            }
          })(),
        ).rejects.toThrow(/simulated crash/);
        expect((await store.broadcasts.getCampaign(shop, c.id))?.state).toBe('scheduled');
        const none = await store.db.query<{ n: number }>('SELECT count(*)::int AS n FROM campaign_recipients WHERE campaign_id = $1', [c.id]);
        expect(none[0].n).toBe(0);
      } finally {
        await store.db.exec(`DROP TRIGGER fail_${shop} ON campaign_recipients; DROP FUNCTION fail_${shop}()`);
      }
      const claim = await store.broadcasts.claimDue('survivor');
      expect(claim?.campaignId).toBe(c.id);
      expect(claim?.visitorIds.sort()).toEqual([...ids].sort());
      await store.broadcasts.markSent(shop, c.id);
      expect(await store.broadcasts.claimDue('survivor')).toBeNull();
      const rows = await store.db.query<{ n: number; claimed_by: string }>(
        'SELECT (SELECT count(*)::int FROM campaign_recipients WHERE campaign_id = $1) AS n, claimed_by FROM campaigns WHERE id = $1',
        [c.id],
      );
      expect(rows[0]).toEqual({ n: 2, claimed_by: 'survivor' });
    });

    it('state transitions: what sending and sent campaigns refuse; stale sending is finished', async () => {
      const { shop, ids } = await shopWith([{ name: 'A' }]);
      const claim = await send(shop);
      const id = claim.campaignId;
      await refused(store.broadcasts.cancelCampaign(shop, id), 'conflict', /sending/);
      await refused(store.broadcasts.updateCampaign(shop, id, { name: 'x' }), 'conflict');
      await refused(store.broadcasts.unscheduleCampaign(shop, id), 'conflict');
      await refused(store.broadcasts.scheduleCampaign(shop, id, Date.now(), 'UTC'), 'conflict');
      await refused(store.broadcasts.deleteCampaign(shop, id), 'conflict');
      // Left in sending by a dead process: finished once the claim is old enough.
      expect(await store.broadcasts.finishStale()).not.toContain(id);
      await store.db.query(`UPDATE campaigns SET claimed_at = now() - interval '2 minutes' WHERE id = $1`, [id]);
      expect(await store.broadcasts.finishStale()).toContain(id);
      expect((await store.broadcasts.getCampaign(shop, id))?.state).toBe('sent');
      await refused(store.broadcasts.cancelCampaign(shop, id), 'conflict', /sent/);
      await refused(store.broadcasts.getCampaign(shop, 'nope').then((c) => (c ? c : Promise.reject(new VitrineError('not_found', 'x')))), 'not_found');
      await refused(store.broadcasts.cancelCampaign(shop, 'nope'), 'not_found');
      // Drafts: schedule, unschedule, cancel, delete.
      const d = await store.broadcasts.createCampaign(shop, INPUT);
      const future = await store.broadcasts.scheduleCampaign(shop, d.id, Date.now() + 3_600_000, 'Asia/Shanghai');
      expect(future).toMatchObject({ state: 'scheduled', timeZone: 'Asia/Shanghai' });
      expect(await store.broadcasts.claimDue('test')).toBeNull();
      expect((await store.broadcasts.unscheduleCampaign(shop, d.id)).state).toBe('draft');
      expect((await store.broadcasts.cancelCampaign(shop, d.id)).state).toBe('cancelled');
      await store.broadcasts.deleteCampaign(shop, d.id);
      expect(await store.broadcasts.getCampaign(shop, d.id)).toBeNull();
      // Recipient rows have no foreign key to their campaign: one that has any is never deleted
      // (a draft cannot have recipients; this one is written behind the store's back).
      const odd = await store.broadcasts.createCampaign(shop, INPUT);
      await store.db.query(`INSERT INTO campaign_recipients (shop, campaign_id, visitor_id, sent_at) VALUES ($1, $2, $3, now())`, [shop, odd.id, ids[0]]);
      await refused(store.broadcasts.deleteCampaign(shop, odd.id), 'conflict', /recipients/);
      expect((await store.broadcasts.getCampaign(shop, odd.id))?.state).toBe('draft');
      await refused(store.broadcasts.createCampaign(shop, { ...INPUT, productIds: ['pearl', 'ghost'] }), 'not_found', /^productIds: product ghost/);
    });

    it('the feed: newest first with paging, delivered on get, unread / read / click, statistics and rates', async () => {
      const { shop, ids } = await shopWith([{ name: 'A' }, { name: 'B' }, { name: 'C' }, { name: 'D' }]);
      await store.broadcasts.putSettings(shop, { frequencyCap: { max: 10, days: 7 }, timeZone: 'UTC' });
      const first = await send(shop);
      await store.broadcasts.markSent(shop, first.campaignId);
      const second = await send(shop);
      await store.broadcasts.markSent(shop, second.campaignId);

      const page1 = await store.broadcasts.feedPage(shop, ids[0], { limit: 1 });
      expect(page1.items.map((i) => i.id)).toEqual([second.campaignId]);
      expect(page1.hasMore).toBe(true);
      expect(page1.unread).toBe(2);
      const page2 = await store.broadcasts.feedPage(shop, ids[0], { before: second.campaignId, limit: 1 });
      expect(page2.items.map((i) => i.id)).toEqual([first.campaignId]);
      expect(page2.hasMore).toBe(false);
      await refused(store.broadcasts.feedPage(shop, ids[0], { before: 'b_not_mine' }), 'not_found');

      // Customer B: delivered live, then read; C: clicked straight away; D: never opened.
      expect(await store.broadcasts.markFeed(ids[1], [first.campaignId, 'b_unknown'], 'delivered')).toEqual({ unread: 2 });
      expect(await store.broadcasts.markFeed(ids[1], [first.campaignId], 'read')).toEqual({ unread: 1 });
      await store.broadcasts.clickFeed(ids[2], first.campaignId, 'cta');
      await store.broadcasts.clickFeed(ids[2], first.campaignId, 'product');
      await refused(store.broadcasts.clickFeed(ids[2], 'b_unknown', 'cta'), 'not_found');
      expect((await store.broadcasts.feedPage(shop, ids[2])).items.find((i) => i.id === first.campaignId)?.read).toBe(true);

      const stats = await store.broadcasts.campaignStats(shop, first.campaignId);
      // A got it through feed:get, B delivered + read, C clicked (delivered + read), D nothing.
      expect(stats).toMatchObject({ targeted: 4, capped: 0, delivered: 3, read: 2, clicked: 1 });
      expect(stats.rates.delivered).toBeCloseTo(3 / 4);
      expect(stats.rates.read).toBeCloseTo(2 / 3);
      expect(stats.rates.clicked).toBeCloseTo(1 / 3);
      const sum = (k: 'delivered' | 'read' | 'clicked'): number => stats.timeline.reduce((n, h) => n + h[k], 0);
      expect([sum('delivered'), sum('read'), sum('clicked')]).toEqual([3, 2, 1]);
      expect(stats.timeline.length).toBeGreaterThanOrEqual(1);
      expect(stats.timeline[0].at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:00:00\.000Z$/);
    });

    it('"Ask about this": a recipient message carries the feed item with its title rendered for them and the product', async () => {
      const { shop, ids, conversations } = await shopWith([{ name: 'Mei', attributes: { tier: 'gold', points: '1200' } }, { name: 'Out', tags: ['x'] }]);
      const seg = await store.broadcasts.createSegment(shop, { name: 'Gold', rule: { match: 'all', conditions: [{ attribute: 'tier', op: 'eq', value: 'gold' }] } });
      const claim = await send(shop, { segmentId: seg.id });
      await store.broadcasts.markSent(shop, claim.campaignId);
      const ask = (i: number, context: MessageSendRequest & { kind: 'text' } extends { context?: infer C } ? C : never, clientId: string) => {
        const author: Author = { role: 'visitor', id: ids[i], name: null };
        return store.sendRequest(shop, { conversationId: conversations[i], clientId, kind: 'text', text: 'Is it in stock?', context }, author);
      };
      const { message } = await ask(0, { feedItemId: claim.campaignId, productId: 'hoop' }, 'ask-1');
      expect(message.context?.feedItem).toEqual({
        id: claim.campaignId,
        kind: 'new-arrival',
        title: { en: 'Hi Mei, ¥50 off for gold (1,200 points)', 'zh-CN': 'Mei，立减 50 元' },
      });
      expect(message.context?.product).toMatchObject({ id: 'hoop', title: { en: 'Gold hoops' } });
      const plain = await ask(0, { feedItemId: claim.campaignId }, 'ask-2');
      expect(plain.message.context?.product).toBeUndefined();
      expect((await store.broadcasts.campaignStats(shop, claim.campaignId)).clicked).toBe(1);

      await refused(ask(1, { feedItemId: claim.campaignId }, 'ask-3'), 'not_found', /feedItemId/);
      await refused(ask(0, { feedItemId: claim.campaignId, productId: 'pearl-x' }, 'ask-4'), 'not_found', /productId/);
      const agent: Author = { role: 'agent', id: 'a_1', name: 'Lin' };
      await refused(
        store.sendRequest(shop, { conversationId: conversations[0], clientId: 'ask-5', kind: 'text', text: 'x', context: { feedItemId: claim.campaignId } }, agent),
        'not_found',
      );
    });

    it('segments in use by a scheduled campaign cannot be deleted; profile limits hold', async () => {
      const { shop, ids } = await shopWith([{ name: 'A' }]);
      const seg = await store.broadcasts.createSegment(shop, { name: 'S', rule: { match: 'all', conditions: [{ attribute: 'tier', op: 'exists' }] } });
      const c = await store.broadcasts.createCampaign(shop, { ...INPUT, segmentId: seg.id });
      await store.broadcasts.scheduleCampaign(shop, c.id, Date.now() + 3_600_000, 'UTC');
      await refused(store.broadcasts.deleteSegment(shop, seg.id), 'conflict');
      await store.broadcasts.unscheduleCampaign(shop, c.id);
      await store.broadcasts.deleteSegment(shop, seg.id);
      await refused(store.broadcasts.deleteSegment(shop, seg.id), 'not_found');
      // The draft now names a segment that is gone: scheduling it is refused.
      await refused(store.broadcasts.scheduleCampaign(shop, c.id, Date.now(), 'UTC'), 'not_found', /^segmentId/);

      const attrs = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`a${i}`, 'x']));
      await store.broadcasts.updateCustomerProfile(shop, ids[0], { attributes: attrs });
      await refused(store.broadcasts.updateCustomerProfile(shop, ids[0], { attributes: { one_more: 'x' } }), 'invalid_payload', /attributes/);
      // Removing one makes room again.
      const ok = await store.broadcasts.updateCustomerProfile(shop, ids[0], { attributes: { a0: null, one_more: 'x' } });
      expect(Object.keys(ok.attributes)).toHaveLength(50);
      await refused(store.broadcasts.updateCustomerProfile(shop, 'v_nobody', {}), 'not_found');
    });
  });
}
