import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createVitrineClient } from '../client.js';
import type { FeedItem, SessionReady } from '../protocol/index.js';
import type { Transport } from '../transport/transport.js';
import { createFeedStore, FEED_MARK_BATCH_MS } from './feed.js';

const item = (id: string, sentAt: string, extra: Partial<FeedItem> = {}): FeedItem => ({
  id,
  kind: 'new-arrival',
  title: { en: `Title ${id}` },
  body: { en: 'Body' },
  image: null,
  products: [],
  coupon: null,
  cta: null,
  sentAt,
  read: false,
  ...extra,
});

type Handler = (payload: any) => any;

/** A transport whose requests are answered by `handlers` (recorded in `calls`). */
function fakeTransport(handlers: Record<string, Handler>) {
  const calls: { event: string; payload: any }[] = [];
  const listeners = new Map<string, ((p: any) => void)[]>();
  let online = true;
  const transport: Transport = {
    open: () => {},
    close: () => {},
    async request(event: string, payload: any) {
      calls.push({ event, payload });
      if (!online) throw Object.assign(new Error('offline'), { code: 'unavailable' });
      const handler = handlers[event];
      return handler ? handler(payload) : { ok: true };
    },
    on(event: string, listener: (p: any) => void) {
      listeners.set(event, [...(listeners.get(event) ?? []), listener]);
      return () => {};
    },
    onStatus: () => () => {},
    onRefused: () => () => {},
  } as unknown as Transport;
  return {
    transport,
    calls,
    of: (event: string) => calls.filter((c) => c.event === event).map((c) => c.payload),
    emit: (event: string, payload: unknown) => listeners.get(event)?.forEach((l) => l(payload)),
    setOnline: (value: boolean) => (online = value),
  };
}

/** Lets pending promise callbacks run (works with fake timers). */
const flush = async () => {
  for (let i = 0; i < 20; i++) await Promise.resolve();
};

describe('feed store', () => {
  beforeEach(() => vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] }));
  afterEach(() => vi.useRealTimers());

  const page1 = [item('c', '2026-11-23T10:00:00Z'), item('b', '2026-11-22T10:00:00Z', { read: true }), item('a', '2026-11-21T10:00:00Z')];

  function setup(handlers: Record<string, Handler> = {}) {
    let online = true;
    const fake = fakeTransport({
      'feed:get': (p) =>
        p.limit === 0
          ? { ok: true, items: [], hasMore: false, unread: 2, values: { name: 'Lin' } }
          : p.before
            ? { ok: true, items: [item('old', '2026-11-01T00:00:00Z')], hasMore: false, unread: 2, values: { name: 'Lin' } }
            : { ok: true, items: page1, hasMore: true, unread: 2, values: { name: 'Lin' } },
      'feed:read': (p) => ({ ok: true, unread: Math.max(0, 2 - p.ids.length) }),
      'feed:delivered': () => ({ ok: true, unread: 3 }),
      ...handlers,
    });
    const store = createFeedStore({ transport: fake.transport, isOnline: () => online, conversation: () => null });
    return { store, fake, setOnline: (v: boolean) => ((online = v), fake.setOnline(v)) };
  }

  it('knows the unread count after a session, before the feed is loaded', async () => {
    const { store, fake } = setup();
    store.ready(['feed']);
    await flush();
    expect(fake.of('feed:get')).toEqual([{ limit: 0 }]);
    expect(store.$unread.get()).toBe(2);
    expect(store.$values.get()).toEqual({ name: 'Lin' });
    expect(store.$items.get()).toEqual([]);
    expect(store.$available.get()).toBe(true);
  });

  it('asks nothing when the server has no feeds', async () => {
    const { store, fake } = setup();
    store.ready(['reservations']);
    await flush();
    expect(fake.calls).toEqual([]);
    expect(store.$available.get()).toBe(false);
  });

  it('loads newest first and pages back with `before`', async () => {
    const { store, fake } = setup();
    await store.load();
    expect(store.$items.get().map((i) => i.id)).toEqual(['c', 'b', 'a']);
    expect(store.$hasMore.get()).toBe(true);
    expect(store.$loaded.get()).toBe(true);
    await store.loadMore();
    expect(fake.of('feed:get').at(-1)).toEqual({ before: 'a', limit: 20 });
    expect(store.$items.get().map((i) => i.id)).toEqual(['c', 'b', 'a', 'old']);
    expect(store.$hasMore.get()).toBe(false);
    await store.loadMore(); // nothing more
    expect(fake.of('feed:get')).toHaveLength(2);
  });

  it('puts a live item first once, counts it unread and reports it delivered in one batch', async () => {
    const { store, fake } = setup();
    await store.load();
    const live = item('d', '2026-11-23T11:00:00Z');
    store.ingest(live);
    store.ingest(live);
    store.ingest(item('e', '2026-11-23T12:00:00Z'));
    expect(store.$items.get().map((i) => i.id)).toEqual(['e', 'd', 'c', 'b', 'a']);
    expect(store.$unread.get()).toBe(4);
    expect(fake.of('feed:delivered')).toEqual([]);
    await vi.advanceTimersByTimeAsync(FEED_MARK_BATCH_MS);
    expect(fake.of('feed:delivered')).toEqual([{ ids: ['d', 'e'] }]);
    expect(store.$unread.get()).toBe(3); // the server's count once nothing is pending
  });

  it('an item read before the first page arrives stays read', async () => {
    const { store } = setup();
    store.ingest(item('c', '2026-11-23T10:00:00Z'));
    const loading = store.load();
    store.markRead(['c']);
    await loading;
    expect(store.$items.get().find((i) => i.id === 'c')?.read).toBe(true);
  });

  it('an item both in a page and live shows once and is not counted twice', async () => {
    const { store } = setup();
    await store.load();
    store.ingest(page1[0]);
    expect(store.$items.get().filter((i) => i.id === 'c')).toHaveLength(1);
    expect(store.$unread.get()).toBe(2);
  });

  it('marks read at once locally and sends one batched feed:read (known unread items only)', async () => {
    const { store, fake } = setup();
    await store.load();
    store.markRead(['c']);
    store.markRead(['a', 'b', 'zz', 'c']);
    expect(store.$unread.get()).toBe(0);
    expect(store.$items.get().every((i) => i.read)).toBe(true);
    await vi.advanceTimersByTimeAsync(FEED_MARK_BATCH_MS);
    expect(fake.of('feed:read')).toEqual([{ ids: ['c', 'a'] }]);
    expect(store.$unread.get()).toBe(0);
  });

  it('sends read marks in chunks of 50', async () => {
    const many = Array.from({ length: 60 }, (_, i) => item(`i${i}`, `2026-11-23T10:${String(i).padStart(2, '0')}:00Z`));
    const { store, fake } = setup({ 'feed:get': () => ({ ok: true, items: many, hasMore: false, unread: 60, values: {} }), 'feed:read': () => ({ ok: true, unread: 0 }) });
    await store.load();
    store.markRead(many.map((i) => i.id));
    await vi.advanceTimersByTimeAsync(FEED_MARK_BATCH_MS);
    expect(fake.of('feed:read').map((p) => p.ids.length)).toEqual([50, 10]);
  });

  it('keeps marks made offline and sends them after the reconnect; a server count never undoes a pending mark', async () => {
    let marked = 0;
    const { store, fake, setOnline } = setup({
      'feed:read': (p) => ((marked += p.ids.length), { ok: true, unread: 2 - marked }),
      // Answered after the read mark (sent first) arrived... with the count of before it.
      'feed:get': async () => ({ ok: true, items: page1, hasMore: true, unread: 2, values: {} }),
    });
    await store.load();
    setOnline(false);
    store.markRead(['c']);
    await vi.advanceTimersByTimeAsync(FEED_MARK_BATCH_MS);
    expect(fake.of('feed:read')).toEqual([]);
    expect(store.$unread.get()).toBe(1);
    setOnline(true);
    store.ready(['feed']);
    await flush();
    expect(fake.of('feed:read')).toEqual([{ ids: ['c'] }]);
    // The loaded feed refetches its newest page (the server still says c unread: the mark was in flight).
    expect(fake.of('feed:get').at(-1)).toEqual({ limit: 20 });
    expect(store.$items.get().find((i) => i.id === 'c')?.read).toBe(true);
    expect(store.$unread.get()).toBe(1);
  });

  it('resync after a reconnect merges the newest page; a page that does not meet the loaded items replaces them', async () => {
    let newest: FeedItem[] = page1;
    const { store } = setup({ 'feed:get': () => ({ ok: true, items: newest, hasMore: true, unread: 5, values: {} }) });
    await store.load();
    newest = [item('n', '2026-11-24T00:00:00Z'), ...page1.slice(0, 2)];
    store.ready(['feed']);
    await flush();
    expect(store.$items.get().map((i) => i.id)).toEqual(['n', 'c', 'b', 'a']);
    newest = [item('x', '2026-11-25T00:00:00Z'), item('y', '2026-11-24T12:00:00Z')];
    store.ready(['feed']);
    await flush();
    expect(store.$items.get().map((i) => i.id)).toEqual(['x', 'y']);
    expect(store.$hasMore.get()).toBe(true);
    expect(store.$unread.get()).toBe(5);
  });

  it('records clicks, and queues them while offline', async () => {
    const { store, fake, setOnline } = setup();
    await store.click('c', 'cta');
    await store.click('c', 'product', 'ring');
    expect(fake.of('feed:click')).toEqual([{ id: 'c', target: 'cta' }, { id: 'c', target: 'product', productId: 'ring' }]);
    setOnline(false);
    const later = store.click('a', 'ask');
    await flush();
    expect(fake.of('feed:click')).toHaveLength(2);
    setOnline(true);
    store.ready(['feed']);
    await later;
    expect(fake.of('feed:click').at(-1)).toEqual({ id: 'a', target: 'ask' });
  });

  it('rejects a refused click', async () => {
    const { store } = setup({ 'feed:click': () => ({ ok: false, error: { code: 'not_found', message: 'no such item' } }) });
    await expect(store.click('nope', 'cta')).rejects.toMatchObject({ code: 'not_found' });
  });
});

describe('client feed', () => {
  const session: SessionReady = {
    protocol: 1,
    role: 'visitor',
    shop: 's',
    shopName: 'S',
    userId: 'v1',
    token: 'vt_x',
    conversation: { id: 'conv', shop: 's', visitorId: 'v1', lastSeq: 0, visitorReadSeq: 0, agentReadSeq: 0, createdAt: '2026-11-23T00:00:00Z' },
    agent: null,
    features: ['feed'],
    serverTime: '2026-11-23T00:00:00Z',
  };

  it('fetches the feed count on session:ready; the badge total adds chat and feed unread; askAbout sends the item as context', async () => {
    const fake = fakeTransport({
      'feed:get': () => ({ ok: true, items: [], hasMore: false, unread: 3, values: {} }),
      'history:get': () => ({ ok: true, messages: [], hasMore: false }),
      'message:send': (p) => ({
        ok: true,
        message: { id: 'm1', conversationId: 'conv', seq: 1, clientId: p.clientId, author: { role: 'visitor', id: 'v1', name: null }, kind: 'text', text: p.text, createdAt: '2026-11-23T00:00:00Z' },
      }),
    });
    const client = createVitrineClient({ url: 'http://x', shop: 's', transport: () => fake.transport });
    fake.emit('session:ready', session);
    await flush();
    await flush();
    expect(fake.of('feed:get')).toEqual([{ limit: 0 }]);
    expect(client.feed.$unread.get()).toBe(3);
    expect(client.$unreadTotal.get()).toBe(0);
    expect(client.$unreadAll.get()).toBe(3);
    fake.emit('feed:new', { item: item('z', '2026-11-23T10:00:00Z') });
    expect(client.$unreadAll.get()).toBe(4);
    await client.feed.askAbout('z', 'Is it S925 silver?', { productId: 'ring' });
    expect(fake.of('message:send')[0]).toMatchObject({ kind: 'text', text: 'Is it S925 silver?', context: { feedItemId: 'z', productId: 'ring' } });
    client.destroy();
  });

  it('resyncs the feed when the app comes back to the foreground', async () => {
    const fake = fakeTransport({
      'feed:get': () => ({ ok: true, items: [], hasMore: false, unread: 2, values: {} }),
      'history:get': () => ({ ok: true, messages: [], hasMore: false }),
    });
    let show = () => {};
    const client = createVitrineClient({
      url: 'http://x',
      shop: 's',
      transport: () => fake.transport,
      ports: { visibility: { onShow: (listener) => ((show = listener), () => {}) } },
    });
    fake.emit('session:ready', session);
    await flush();
    expect(fake.of('feed:get')).toEqual([{ limit: 0 }]);
    show();
    await flush();
    expect(fake.of('feed:get')).toEqual([{ limit: 0 }, { limit: 0 }]);
    client.destroy();
  });

  it('agents have an inert feed', async () => {
    const fake = fakeTransport({ 'conversation:list': () => ({ ok: true, items: [], hasMore: false }) });
    const client = createVitrineClient({ url: 'http://x', shop: 's', role: 'agent', token: 't', transport: () => fake.transport });
    fake.emit('session:ready', { ...session, role: 'agent', conversation: null, agent: { id: 'a', name: 'A', email: 'a@x' } });
    fake.emit('feed:new', { item: item('z', '2026-11-23T10:00:00Z') });
    await flush();
    expect(fake.of('feed:get')).toEqual([]);
    expect(client.feed.$items.get()).toEqual([]);
    client.destroy();
  });
});
