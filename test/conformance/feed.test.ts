/**
 * Conformance: the broadcast feed (`feed:get`, `feed:delivered`, `feed:read`, `feed:click`,
 * `feed:new`, text context `feedItemId`). Broadcasts are created through the reference REST admin
 * API (segments, campaigns, customer tags); every campaign here targets a tag only this run's
 * visitors carry, so the suite never broadcasts to the shop's other customers.
 */
import { randomBytes } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { agent, cid, next, ok, record, request, sleep, visitor, type AnySocket, type Connected, type Target, type WireMessage, useTarget } from './harness.js';

let t: Target;
let token: string;
useTarget((target, agentTok) => {
  t = target;
  token = agentTok;
});

interface WireFeedItem {
  id: string;
  kind: string;
  title: Record<string, string>;
  body: Record<string, string>;
  image: string | null;
  products: { id: string; title: Record<string, string> }[];
  coupon: unknown;
  cta: { label: Record<string, string>; url: string | null } | null;
  sentAt: string;
  read: boolean;
}
interface WireFeedPage {
  items: WireFeedItem[];
  hasMore: boolean;
  unread: number;
  values: { name?: string | null; tier?: string | null; points?: number | null };
}
type FeedMessage = WireMessage & { context?: { product?: { id: string }; feedItem?: { id: string; kind: string; title: Record<string, string> } } };

async function rest(path: string, method = 'GET', body?: unknown): Promise<{ status: number; body: any }> {
  const res = await fetch(`${t.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

async function refused(socket: AnySocket, event: string, payload: unknown, code: string): Promise<void> {
  const res = await request(socket, event, payload);
  expect(res.ok, `${event} ${JSON.stringify(payload)} → ${JSON.stringify(res)}`).toBe(false);
  if (res.ok) return;
  expect(res.error.code).toBe(code);
  expect(res.error.message.length).toBeGreaterThan(0);
}

const suffix = randomBytes(3).toString('hex');
const TAG = `conf-feed-${suffix}`;
const PRODUCTS = [`conf-feed-a-${suffix}`, `conf-feed-b-${suffix}`];
let segmentId = '';

/** Tags a connected visitor so the run's segment (or the one of `tagName`) contains it. */
async function tag(v: Connected, tagName = TAG): Promise<void> {
  const res = await rest(`/api/customers/${v.session.userId}`, 'PATCH', { addTags: [tagName], attributes: { tier: 'gold', points: '12850' } });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
}

/** A segment of its own (tag `name`), for counts that must not include other tests' visitors. */
async function ownSegment(name: string): Promise<string> {
  const seg = await rest('/api/segments', 'POST', { name, rule: { match: 'all', conditions: [{ tag: name, op: 'has' }] } });
  expect(seg.status, JSON.stringify(seg.body)).toBe(201);
  return seg.body.id as string;
}

/** Creates a campaign for the run's segment and sends it now; returns its id. */
async function broadcast(extra: Record<string, unknown> = {}): Promise<string> {
  const created = await rest('/api/campaigns', 'POST', {
    kind: 'new-arrival',
    name: `conformance ${suffix}`,
    title: { en: 'Hello {{name|friend}}', 'zh-CN': '您好 {{name|朋友}}' },
    body: { en: 'New earrings, {{tier|member}} price. You have {{points}} points.', 'zh-CN': '新款耳环上市' },
    productIds: PRODUCTS,
    cta: { label: { en: 'See them', 'zh-CN': '去看看' }, url: '/#new' },
    segmentId,
    ...extra,
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const id = created.body.id as string;
  const sent = await rest(`/api/campaigns/${id}/send`, 'POST');
  expect(sent.status, JSON.stringify(sent.body)).toBe(200);
  return id;
}

beforeAll(async () => {
  for (const [i, id] of PRODUCTS.entries()) {
    const put = await rest(`/api/products/${id}`, 'PUT', {
      title: { en: `Feed earrings ${i}`, 'zh-CN': `上新耳环 ${i}` },
      price: { amount: 59900 + i, currency: 'CNY' },
      variants: [],
    });
    expect([200, 201]).toContain(put.status);
  }
  const seg = await rest('/api/segments', 'POST', { name: `conformance ${suffix}`, rule: { match: 'all', conditions: [{ tag: TAG, op: 'has' }] } });
  expect(seg.status, JSON.stringify(seg.body)).toBe(201);
  segmentId = seg.body.id;
});

describe('feed: session and requests', () => {
  it('announces the feed feature and starts empty', async () => {
    const v = await visitor(t, { identity: { name: 'Feed Fresh' } });
    expect(v.session.features).toContain('feed');
    const page = await ok<WireFeedPage>(v.socket, 'feed:get', {});
    expect(page.items).toEqual([]);
    expect(page.hasMore).toBe(false);
    expect(page.unread).toBe(0);
    expect(page.values.name).toBe('Feed Fresh');
    const counts = await ok<WireFeedPage>(v.socket, 'feed:get', { limit: 0 });
    expect(counts.items).toEqual([]);
    expect(counts.unread).toBe(0);
  });

  it('refuses malformed requests with invalid_payload and agents with forbidden', async () => {
    const v = await visitor(t);
    const bad: [string, unknown][] = [
      ['feed:get', { limit: -1 }],
      ['feed:get', { limit: 1000 }],
      ['feed:get', { limit: 2.5 }],
      ['feed:get', { before: 'not an id' }],
      ['feed:get', 'x'],
      ['feed:read', { ids: [] }],
      ['feed:read', { ids: Array.from({ length: 51 }, (_, i) => `c${i}`) }],
      ['feed:delivered', { ids: 'c1' }],
      ['feed:click', { id: 'c1', target: 'nope' }],
      ['feed:click', { target: 'cta' }],
    ];
    for (const [event, payload] of bad) await refused(v.socket, event, payload, 'invalid_payload');
    const a = await agent(t, token);
    await refused(a.socket, 'feed:get', {}, 'forbidden');
    await refused(a.socket, 'feed:read', { ids: ['c1'] }, 'forbidden');
  });
});

describe('feed: a broadcast to a segment', () => {
  it('reaches connected recipients live once, not others; offline recipients find it on next visit', async () => {
    const inSeg = await visitor(t, { identity: { name: '<img src=x onerror=alert(1)>' } });
    const outSeg = await visitor(t, { identity: { name: 'Not targeted' } });
    const offline = await visitor(t, { identity: { name: 'Away' } });
    await tag(inSeg);
    await tag(offline);
    const offlineToken = offline.session.token;
    offline.socket.close();
    const seenIn = record<{ item: WireFeedItem }>(inSeg.socket, 'feed:new');
    const seenOut = record<{ item: WireFeedItem }>(outSeg.socket, 'feed:new');

    const live = next<{ item: WireFeedItem }>(inSeg.socket, 'feed:new', () => true, 15_000);
    const id = await broadcast();
    const { item } = await live;
    expect(item.id).toBe(id);
    expect(item.kind).toBe('new-arrival');
    // Templates travel unrendered; the client renders them as text for its customer.
    expect(item.title).toEqual({ en: 'Hello {{name|friend}}', 'zh-CN': '您好 {{name|朋友}}' });
    expect(item.products.map((p) => p.id)).toEqual(PRODUCTS);
    expect(item.cta).toEqual({ label: { en: 'See them', 'zh-CN': '去看看' }, url: '/#new' });
    expect(item.read).toBe(false);
    expect(Number.isNaN(Date.parse(item.sentAt))).toBe(false);

    await sleep(500);
    expect(seenIn.filter((x) => x.item.id === id)).toHaveLength(1);
    expect(seenOut.filter((x) => x.item.id === id)).toHaveLength(0);

    const page = await ok<WireFeedPage>(inSeg.socket, 'feed:get', {});
    expect(page.items.map((i) => i.id)).toContain(id);
    expect(page.unread).toBe(1);
    expect(page.values).toMatchObject({ name: '<img src=x onerror=alert(1)>', tier: 'gold', points: 12850 });
    expect((await ok<WireFeedPage>(outSeg.socket, 'feed:get', {})).items.map((i) => i.id)).not.toContain(id);

    const back = await visitor(t, { token: offlineToken });
    const later = await ok<WireFeedPage>(back.socket, 'feed:get', {});
    expect(later.items.map((i) => i.id)).toContain(id);
    expect(later.unread).toBe(1);
  });

  it('records delivered, read and clicked; unknown ids are ignored or not_found', async () => {
    const v = await visitor(t, { identity: { name: 'Reader' } });
    const own = `${TAG}-stats`;
    await tag(v, own);
    const live = next<{ item: WireFeedItem }>(v.socket, 'feed:new', () => true, 15_000);
    const id = await broadcast({ segmentId: await ownSegment(own) });
    await live;
    expect((await ok<{ unread: number }>(v.socket, 'feed:delivered', { ids: [id] })).unread).toBe(1);
    expect((await ok<{ unread: number }>(v.socket, 'feed:read', { ids: [id, 'not-in-my-feed'] })).unread).toBe(0);
    const page = await ok<WireFeedPage>(v.socket, 'feed:get', {});
    expect(page.items.find((i) => i.id === id)?.read).toBe(true);
    await ok(v.socket, 'feed:click', { id, target: 'product', productId: PRODUCTS[1] });
    await refused(v.socket, 'feed:click', { id: 'not-in-my-feed', target: 'cta' }, 'not_found');

    const stats = await rest(`/api/campaigns/${id}/stats`);
    expect(stats.status).toBe(200);
    expect(stats.body).toMatchObject({ targeted: 1, capped: 0, delivered: 1, read: 1, clicked: 1 });
    expect(stats.body.rates).toEqual({ delivered: 1, read: 1, clicked: 1 });
  });

  it('pages the feed newest first with before', async () => {
    const v = await visitor(t);
    await tag(v);
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const before = [...ids];
      const live = next<{ item: WireFeedItem }>(v.socket, 'feed:new', (x) => !before.includes(x.item.id), 15_000);
      ids.push(await broadcast({ name: `page ${i} ${suffix}` }));
      await live;
    }
    const first = await ok<WireFeedPage>(v.socket, 'feed:get', { limit: 2 });
    expect(first.items.map((i) => i.id)).toEqual([ids[2], ids[1]]);
    expect(first.hasMore).toBe(true);
    const second = await ok<WireFeedPage>(v.socket, 'feed:get', { limit: 2, before: ids[1] });
    expect(second.items.map((i) => i.id)).toEqual([ids[0]]);
    expect(second.hasMore).toBe(false);
    expect(second.unread).toBe(3);
  });

  it('a text about a feed item carries the item rendered for the customer; others cannot cite it', async () => {
    const v = await visitor(t, { identity: { name: '<b>Lin</b>' } });
    const stranger = await visitor(t);
    await tag(v);
    const live = next<{ item: WireFeedItem }>(v.socket, 'feed:new', () => true, 15_000);
    const id = await broadcast();
    await live;
    const conversationId = v.session.conversation?.id ?? '';
    const res = await ok<{ message: FeedMessage }>(v.socket, 'message:send', {
      conversationId,
      clientId: cid(),
      kind: 'text',
      text: 'Are these S925 silver?',
      context: { feedItemId: id, productId: PRODUCTS[0] },
    });
    expect(res.message.context?.feedItem).toEqual({ id, kind: 'new-arrival', title: { en: 'Hello <b>Lin</b>', 'zh-CN': '您好 <b>Lin</b>' } });
    expect(res.message.context?.product?.id).toBe(PRODUCTS[0]);
    const plain = await ok<{ message: FeedMessage }>(v.socket, 'message:send', { conversationId, clientId: cid(), kind: 'text', text: 'And this one?', context: { feedItemId: id } });
    expect(plain.message.context?.feedItem?.id).toBe(id);
    expect(plain.message.context?.product).toBeUndefined();

    const notMine = { conversationId: stranger.session.conversation?.id, clientId: cid(), kind: 'text', text: 'q', context: { feedItemId: id } };
    await refused(stranger.socket, 'message:send', notMine, 'not_found');
    const wrongProduct = { conversationId, clientId: cid(), kind: 'text', text: 'q', context: { feedItemId: id, productId: 'conf-ring-not-in-campaign' } };
    await refused(v.socket, 'message:send', wrongProduct, 'not_found');
    const stats = await rest(`/api/campaigns/${id}/stats`);
    expect(stats.body.clicked).toBe(1);
  });
});
