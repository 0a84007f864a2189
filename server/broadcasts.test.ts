/**
 * Broadcast delivery through a real server (PGlite) and real Socket.IO clients on 127.0.0.1: the
 * scheduler sends due campaigns, a connected in-segment customer gets `feed:new` live (once per
 * socket, in every tab), an out-of-segment one does not, an offline one finds it with `feed:get`;
 * unread / read / click; "Ask about this" messages; visitors only; bad input refused with codes.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { io, type Socket } from 'socket.io-client';
import type { FeedItem, FeedNew } from '../src/protocol/feed.js';
import { createAgent, createShop, startServer, type RunningServer } from './app.js';

let server: RunningServer;
let token = '';
const sockets: Socket[] = [];
const SHOP = 'feed';

beforeAll(async () => {
  server = await startServer({ port: 0, dataDir: 'memory://', quiet: true, broadcastTickMs: 50 });
  await createShop(server.store, { id: SHOP, name: 'Feed shop' });
  await createAgent(server.store, { shop: SHOP, email: 'owner@feed.test', name: 'Owner', password: 'open-sesame' });
  const res = await fetch(`${server.url}/api/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'owner@feed.test', password: 'open-sesame', shop: SHOP }),
  });
  token = ((await res.json()) as { token: string }).token;
  await server.store.upsertProduct(SHOP, { id: 'pearl', title: { en: 'Pearl drops' }, price: { amount: 59900, currency: 'CNY' } });
  await server.store.broadcasts.putSettings(SHOP, { frequencyCap: { max: 50, days: 7 }, timeZone: 'Asia/Shanghai' });
});

afterEach(() => {
  for (const s of sockets.splice(0)) s.close();
});

afterAll(async () => {
  await server?.close();
});

async function api(path: string, method = 'GET', body?: unknown): Promise<any> {
  const res = await fetch(`${server.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

interface Client {
  socket: Socket;
  userId: string;
  token: string;
  conversationId: string;
  features: string[];
  received: FeedItem[];
}

/** Connects a visitor (a new one, or the one holding `visitorToken`) and records its feed:new packets. */
function connect(visitorToken?: string, role: 'visitor' | 'agent' = 'visitor'): Promise<Client> {
  const socket = io(`${server.url}/vitrine`, {
    auth: { protocol: 1, shop: SHOP, role, ...(role === 'agent' ? { token } : visitorToken ? { token: visitorToken } : {}) },
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
  });
  sockets.push(socket);
  const received: FeedItem[] = [];
  socket.on('feed:new', (p: FeedNew) => received.push(p.item));
  return new Promise((resolve, reject) => {
    socket.once('session:ready', (s: { userId: string; token: string; conversation: { id: string } | null; features: string[] }) =>
      resolve({ socket, userId: s.userId, token: s.token, conversationId: s.conversation?.id ?? '', features: s.features, received }),
    );
    socket.once('connect_error', reject);
  });
}

const ack = (socket: Socket, event: string, payload: unknown): Promise<any> => socket.timeout(5000).emitWithAck(event, payload);

async function until<T>(what: string, check: () => T | undefined | null | false | Promise<T | undefined | null | false>, ms = 8000): Promise<T> {
  const start = Date.now();
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() - start > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function campaign(extra: Record<string, unknown> = {}): Promise<{ id: string }> {
  return api('/api/campaigns', 'POST', {
    kind: 'new-arrival',
    name: 'Pearls',
    title: { en: 'Hi {{name|there}}' },
    body: { en: 'New pearls' },
    productIds: ['pearl'],
    ...extra,
  });
}

describe('broadcast delivery', () => {
  it('announces the feed feature; feed requests are for visitors only and validated', async () => {
    const v = await connect();
    expect(v.features).toContain('feed');
    const a = await connect(undefined, 'agent');
    expect((await ack(a.socket, 'feed:get', {})).error.code).toBe('forbidden');
    expect((await ack(a.socket, 'feed:read', { ids: ['x'] })).error.code).toBe('forbidden');
    expect((await ack(v.socket, 'feed:get', { limit: 1000 })).error.code).toBe('invalid_payload');
    expect((await ack(v.socket, 'feed:read', { ids: [] })).error.code).toBe('invalid_payload');
    expect((await ack(v.socket, 'feed:click', { id: 'b_x', target: 'nowhere' })).error.code).toBe('invalid_payload');
    expect((await ack(v.socket, 'feed:click', { id: 'b_x', target: 'cta' })).error.code).toBe('not_found');
    expect(await ack(v.socket, 'feed:get', { limit: 0 })).toEqual({ ok: true, items: [], hasMore: false, unread: 0, values: { name: null, tier: null, points: null } });
  });

  it('sends live to connected in-segment customers (every tab once), not to others; offline ones find it in feed:get', async () => {
    const inside = await connect();
    const secondTab = await connect(inside.token);
    expect(secondTab.userId).toBe(inside.userId);
    const outside = await connect();
    const offline = await connect();
    const offlineToken = offline.token;
    offline.socket.close();
    for (const c of [inside, offline]) await api(`/api/customers/${c.userId}`, 'PATCH', { tags: ['bought:earrings'], attributes: { tier: 'gold' } });
    const segment = await api('/api/segments', 'POST', { name: 'Earrings', rule: { match: 'all', conditions: [{ tag: 'bought:earrings', op: 'has' }] } });

    const c = await campaign({ segmentId: segment.id });
    const sent = await api(`/api/campaigns/${c.id}/send`, 'POST');
    // send answers as soon as the campaign is scheduled for now; the scheduler sends it right after.
    expect(sent).toMatchObject({ id: c.id, state: 'scheduled' });
    await until('feed:new in both tabs', () => inside.received.length === 1 && secondTab.received.length === 1);
    await until('sent', async () => (await api(`/api/campaigns/${c.id}`)).state === 'sent');
    expect(inside.received[0]).toMatchObject({ id: c.id, kind: 'new-arrival', title: { en: 'Hi {{name|there}}' }, read: false });
    expect(inside.received[0].products.map((p) => p.id)).toEqual(['pearl']);

    // A broadcast to everyone afterwards: the outside customer's first packet is that one.
    const all = await campaign({ name: 'Everyone' });
    await api(`/api/campaigns/${all.id}/send`, 'POST');
    await until('feed:new outside', () => outside.received.length === 1);
    expect(outside.received.map((i) => i.id)).toEqual([all.id]);
    await until('second feed:new inside', () => inside.received.length === 2);
    expect(inside.received.map((i) => i.id)).toEqual([c.id, all.id]);
    expect(secondTab.received.map((i) => i.id)).toEqual([c.id, all.id]);
    // The first campaign was marked sent before the second one was claimed (one tick at a time).
    expect((await api(`/api/campaigns/${c.id}`)).state).toBe('sent');

    // The offline customer comes back: both items, unread, and now delivered.
    const back = await connect(offlineToken);
    expect(back.received).toEqual([]);
    const page = await ack(back.socket, 'feed:get', {});
    expect(page.ok).toBe(true);
    expect(page.items.map((i: FeedItem) => i.id)).toEqual([all.id, c.id]);
    expect(page.unread).toBe(2);
    expect(page.values).toEqual({ name: null, tier: 'gold', points: null });
    const stats = await api(`/api/campaigns/${c.id}/stats`);
    expect(stats).toMatchObject({ targeted: 2, capped: 0, delivered: 1, read: 0, clicked: 0 });
  });

  it('unread, delivered, read and click through the socket, and "Ask about this" messages', async () => {
    const v = await connect();
    await api(`/api/customers/${v.userId}`, 'PATCH', { attributes: { tier: 'silver' }, tags: ['pearls'] });
    const segment = await api('/api/segments', 'POST', { name: 'Pearls', rule: { match: 'all', conditions: [{ tag: 'pearls', op: 'has' }] } });
    const c = await campaign({ segmentId: segment.id, title: { en: '{{tier|Dear}} customer: pearls' } });
    await api(`/api/campaigns/${c.id}/send`, 'POST');
    await until('feed:new', () => v.received.length === 1);

    expect(await ack(v.socket, 'feed:delivered', { ids: [c.id, 'b_not_mine'] })).toEqual({ ok: true, unread: 1 });
    expect((await api(`/api/campaigns/${c.id}/stats`)).delivered).toBe(1);
    expect(await ack(v.socket, 'feed:read', { ids: [c.id] })).toEqual({ ok: true, unread: 0 });
    expect((await ack(v.socket, 'feed:get', { limit: 5 })).items[0]).toMatchObject({ id: c.id, read: true });
    expect(await ack(v.socket, 'feed:click', { id: c.id, target: 'product', productId: 'pearl' })).toEqual({ ok: true });

    const sent = await ack(v.socket, 'message:send', {
      conversationId: v.conversationId,
      clientId: 'ask-1',
      kind: 'text',
      text: 'Do you have these in gold?',
      context: { feedItemId: c.id, productId: 'pearl' },
    });
    expect(sent.ok).toBe(true);
    expect(sent.message.context).toMatchObject({ feedItem: { id: c.id, kind: 'new-arrival', title: { en: 'silver customer: pearls' } }, product: { id: 'pearl' } });
    const other = await connect();
    const refused = await ack(other.socket, 'message:send', {
      conversationId: other.conversationId,
      clientId: 'ask-2',
      kind: 'text',
      text: 'And me?',
      context: { feedItemId: c.id },
    });
    expect(refused.error.code).toBe('not_found');
    expect(await api(`/api/campaigns/${c.id}/stats`)).toMatchObject({ targeted: 1, delivered: 1, read: 1, clicked: 1, rates: { delivered: 1, read: 1, clicked: 1 } });
  });

  it('the interval tick sends a campaign when it falls due; a cancelled one never goes out', async () => {
    const v = await connect();
    const later = await campaign({ name: 'Later' });
    const cancelled = await campaign({ name: 'Cancelled' });
    const soon = new Date(Date.now() + 400).toISOString();
    await api(`/api/campaigns/${later.id}/schedule`, 'POST', { at: soon });
    await api(`/api/campaigns/${cancelled.id}/schedule`, 'POST', { at: soon });
    await api(`/api/campaigns/${cancelled.id}/cancel`, 'POST');
    await until('scheduled campaign delivered', () => v.received.length === 1, 10_000);
    expect(v.received.map((i) => i.id)).toEqual([later.id]);
    // A later broadcast arrives right behind it: the cancelled one never came in between.
    const after = await campaign({ name: 'After' });
    await api(`/api/campaigns/${after.id}/send`, 'POST');
    await until('next delivered', () => v.received.length === 2);
    expect(v.received.map((i) => i.id)).toEqual([later.id, after.id]);
    expect((await api(`/api/campaigns/${cancelled.id}`)).state).toBe('cancelled');
    const recipients = await server.store.db.query<{ n: number }>('SELECT count(*)::int AS n FROM campaign_recipients WHERE campaign_id = $1', [cancelled.id]);
    expect(recipients[0].n).toBe(0);
  });
});

describe('broadcast scheduler timing', () => {
  it('a campaign due before the next interval tick is sent at its due time (the interval here is a minute)', async () => {
    const slow = await startServer({ port: 0, dataDir: 'memory://', quiet: true, broadcastTickMs: 60_000 });
    try {
      await createShop(slow.store, { id: 'timer', name: 'Timer shop' });
      const { visitor } = await slow.store.createVisitor('timer', 'seed:timer-visitor');
      const c = await slow.store.broadcasts.createCampaign('timer', {
        kind: 'announcement',
        name: 'Soon',
        title: { en: 'Soon' },
        body: {},
        image: null,
        productIds: [],
        couponId: null,
        cta: null,
        segmentId: null,
      });
      await slow.store.broadcasts.scheduleCampaign('timer', c.id, Date.now() + 300, 'UTC');
      expect((await slow.store.broadcasts.getCampaign('timer', c.id))?.state).toBe('scheduled');
      await until('sent by its own timer', async () => (await slow.store.broadcasts.getCampaign('timer', c.id))?.state === 'sent', 10_000);
      expect((await slow.store.broadcasts.feedPage('timer', visitor.id)).items.map((i) => i.id)).toEqual([c.id]);
    } finally {
      await slow.close();
    }
  });
});

describe('broadcast live delivery in chunks', () => {
  it('more recipients than one chunk: every socket gets exactly one feed:new; the campaign is sent after the last chunk', async () => {
    // Chunks of 2 rooms with 150 ms between them: 7 recipients take 4 emits (~450 ms).
    const chunked = await startServer({ port: 0, dataDir: 'memory://', quiet: true, broadcastTickMs: 60_000, broadcastChunk: 2, broadcastPaceMs: 150 });
    const open: Socket[] = [];
    try {
      await createShop(chunked.store, { id: 'chunks', name: 'Chunk shop' });
      const join = (visitorToken?: string) => {
        const socket = io(`${chunked.url}/vitrine`, {
          auth: { protocol: 1, shop: 'chunks', role: 'visitor', ...(visitorToken ? { token: visitorToken } : {}) },
          transports: ['websocket'],
          reconnection: false,
          forceNew: true,
        });
        open.push(socket);
        const received: FeedItem[] = [];
        socket.on('feed:new', (p: FeedNew) => received.push(p.item));
        return new Promise<{ token: string; received: FeedItem[] }>((resolve, reject) => {
          socket.once('session:ready', (s: { token: string }) => resolve({ token: s.token, received }));
          socket.once('connect_error', reject);
        });
      };
      const clients: { token: string; received: FeedItem[] }[] = [];
      for (let i = 0; i < 7; i++) clients.push(await join());
      // A second tab of the first and of the last visitor: one packet per socket still.
      clients.push(await join(clients[0].token), await join(clients[6].token));
      const c = await chunked.store.broadcasts.createCampaign('chunks', {
        kind: 'announcement',
        name: 'Everyone',
        title: { en: 'Hello' },
        body: {},
        image: null,
        productIds: [],
        couponId: null,
        cta: null,
        segmentId: null,
      });
      await chunked.store.broadcasts.scheduleCampaign('chunks', c.id, Date.now() - 1, 'UTC');
      const tick = chunked.broadcasts.tick();
      await until('first chunk received', () => clients.some((x) => x.received.length > 0));
      // Between chunks: claimed and partly delivered, not yet sent.
      expect((await chunked.store.broadcasts.getCampaign('chunks', c.id))?.state).toBe('sending');
      await tick;
      expect((await chunked.store.broadcasts.getCampaign('chunks', c.id))?.state).toBe('sent');
      await until('every socket received', () => clients.every((x) => x.received.length >= 1));
      await new Promise((r) => setTimeout(r, 300));
      expect(clients.map((x) => x.received.map((i) => i.id))).toEqual(clients.map(() => [c.id]));
    } finally {
      for (const s of open) s.close();
      await chunked.close();
    }
  });
});
