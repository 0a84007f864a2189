/**
 * Conformance: product cards (`product`, `products`), product context on text, `product:search`
 * and `product:get`. Tests that need known products run only against the in-process reference
 * server, which seeds SEEDED_PRODUCTS (an external target has no protocol to seed them).
 */
import { describe, expect, it, type TestContext } from 'vitest';
import {
  agent,
  allMessages,
  cid,
  next,
  NO_CATALOGUE,
  ok,
  request,
  SEEDED_PRODUCTS,
  visitor,
  type Target,
  type TargetCatalogue,
  type WireMessage,
  type WireProduct,
  useTarget,
} from './harness.js';

let t: Target;
let token: string;
useTarget((target, agentTok) => {
  t = target;
  token = agentTok;
});

/** The in-process catalogue, or skips the test with a clear note. */
function catalogue(ctx: TestContext): TargetCatalogue {
  if (!t.catalogue) ctx.skip(NO_CATALOGUE);
  return t.catalogue as TargetCatalogue;
}

const [RING, STUDS, HOSTILE] = SEEDED_PRODUCTS;

describe('kind product / products', () => {
  it('a product card carries a catalogue snapshot and reaches both sides', async (ctx) => {
    catalogue(ctx);
    const v = await visitor(t);
    const conv = v.session.conversation!.id;
    const a = await agent(t, token);
    const onVisitor = next<WireMessage>(v.socket, 'message:new');
    const clientId = cid();
    const res = await ok<{ message: WireMessage }>(a.socket, 'message:send', { conversationId: conv, clientId, kind: 'product', productId: RING.id, text: 'In stock in size 6' });
    const m = res.message;
    expect(m).toMatchObject({ kind: 'product', text: 'In stock in size 6', clientId, seq: 1, author: { role: 'agent' } });
    expect(m.product).toEqual({
      id: RING.id,
      title: RING.title,
      price: RING.price,
      compareAt: RING.compareAt,
      image: RING.images[0],
      url: RING.url,
      variants: RING.variants,
      source: 'catalogue',
    });
    expect(await onVisitor).toEqual(m);
    expect(await allMessages(v.socket, conv)).toEqual([m]);
  });

  it('a visitor may share a product card too; the caption defaults to an empty text', async (ctx) => {
    catalogue(ctx);
    const v = await visitor(t);
    const conv = v.session.conversation!.id;
    const res = await ok<{ message: WireMessage }>(v.socket, 'message:send', { conversationId: conv, clientId: cid(), kind: 'product', productId: STUDS.id });
    expect(res.message).toMatchObject({ kind: 'product', text: '', author: { role: 'visitor' }, product: { id: STUDS.id, image: null, url: null, variants: [] } });
  });

  it('a carousel carries 2 to 10 snapshots in the order sent', async (ctx) => {
    catalogue(ctx);
    const v = await visitor(t);
    const conv = v.session.conversation!.id;
    const a = await agent(t, token);
    const res = await ok<{ message: WireMessage }>(a.socket, 'message:send', {
      conversationId: conv,
      clientId: cid(),
      kind: 'products',
      productIds: [STUDS.id, RING.id],
      text: 'Under 300 yuan?',
    });
    expect(res.message.kind).toBe('products');
    expect(res.message.products?.map((p) => [p.id, p.source])).toEqual([
      [STUDS.id, 'catalogue'],
      [RING.id, 'catalogue'],
    ]);
    expect(await allMessages(v.socket, conv)).toEqual([res.message]);
  });

  it('snapshots stay frozen when the catalogue changes; repeats return the original', async (ctx) => {
    const cat = catalogue(ctx);
    const id = `conf-frozen-${cid().slice(2, 8)}`;
    await cat.upsert({ ...RING, id, variants: [{ id: 'one', stock: 5 }] });
    const v = await visitor(t);
    const conv = v.session.conversation!.id;
    const clientId = cid();
    const payload = { conversationId: conv, clientId, kind: 'product', productId: id };
    const first = (await ok<{ message: WireMessage }>(v.socket, 'message:send', payload)).message;
    await cat.upsert({ ...RING, id, title: { en: 'Renamed' }, price: { amount: 1, currency: 'CNY' }, compareAt: null, variants: [{ id: 'one', stock: 0 }] });
    const [stored] = await allMessages(v.socket, conv);
    expect(stored).toEqual(first);
    expect(stored.product?.title).toEqual(RING.title);
    expect(stored.product?.variants[0].stock).toBe(5);
    // Deleted from the catalogue: a repeat still returns the original card.
    await cat.remove(id);
    const again = (await ok<{ message: WireMessage }>(v.socket, 'message:send', payload)).message;
    expect(again).toEqual(first);
    // The current state is what product:get answers (nothing, once deleted).
    expect((await ok<{ items: WireProduct[] }>(v.socket, 'product:get', { productIds: [id] })).items).toEqual([]);
  });

  it('an unknown product is not_found and nothing is stored', async () => {
    const v = await visitor(t);
    const conv = v.session.conversation!.id;
    const base = { conversationId: conv, clientId: cid() };
    const one = await request(v.socket, 'message:send', { ...base, kind: 'product', productId: 'no-such-product-here' });
    expect(one).toMatchObject({ ok: false, error: { code: 'not_found' } });
    if (t.catalogue) {
      const many = await request(v.socket, 'message:send', { ...base, kind: 'products', productIds: [RING.id, 'no-such-product-here'] });
      expect(many).toMatchObject({ ok: false, error: { code: 'not_found' } });
    }
    const ctx = await request(v.socket, 'message:send', { ...base, kind: 'text', text: 'this?', context: { productId: 'no-such-product-here' } });
    expect(ctx).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(await allMessages(v.socket, conv)).toEqual([]);
  });

  it('carousels of 1, of 11, with repeated ids, and malformed ids are invalid_payload', async () => {
    const v = await visitor(t);
    const conv = v.session.conversation!.id;
    const ids = (n: number): string[] => Array.from({ length: n }, (_, i) => `p-${i}`);
    const bad: unknown[] = [
      { kind: 'products', productIds: ['p-0'] },
      { kind: 'products', productIds: ids(11) },
      { kind: 'products', productIds: ['p-0', 'p-1', 'p-0'] },
      { kind: 'products', productIds: [] },
      { kind: 'products', productIds: 'p-0,p-1' },
      { kind: 'product' },
      { kind: 'product', productId: '' },
      { kind: 'product', productId: 'has space' },
      { kind: 'product', productId: 'x'.repeat(65) },
      { kind: 'product', productId: 'p-0', text: 5 },
      { kind: 'card', productId: 'p-0' },
      { kind: 'text', text: 'x', context: { productId: 'has space' } },
      { kind: 'text', text: 'x', context: { product: { id: 'p', title: 'T', image: 'javascript:alert(1)' } } },
      { kind: 'text', text: 'x', context: { product: { id: 'p', title: 'T', url: 'data:text/html,<b>' } } },
      { kind: 'text', text: 'x', context: { product: { id: 'p', title: 'T', url: '//evil.example/' } } },
      { kind: 'text', text: 'x', context: { product: { id: 'p', title: 'T', price: { amount: 1.5, currency: 'CNY' } } } },
      { kind: 'text', text: 'x', context: { product: { id: 'p', title: '' } } },
    ];
    for (const b of bad) {
      const res = await request(v.socket, 'message:send', { conversationId: conv, clientId: cid(), ...(b as object) });
      expect(res.ok, JSON.stringify(b)).toBe(false);
      if (!res.ok) expect(res.error.code, JSON.stringify(b)).toBe('invalid_payload');
    }
    expect(await allMessages(v.socket, conv)).toEqual([]);
  });

  it('a snapshot sent by the client is never stored: the server takes its own', async (ctx) => {
    catalogue(ctx);
    const v = await visitor(t);
    const conv = v.session.conversation!.id;
    const forged = { id: RING.id, title: { en: 'forged' }, price: { amount: 1, currency: 'CNY' }, compareAt: null, image: null, url: 'https://evil.example/', variants: [], source: 'catalogue' };
    const res = await request(v.socket, 'message:send', { conversationId: conv, clientId: cid(), kind: 'product', productId: RING.id, product: forged });
    // Either refused, or stored with the catalogue's snapshot.
    if (res.ok) expect((res as unknown as { message: WireMessage }).message.product).toMatchObject({ title: RING.title, price: RING.price, url: RING.url });
    else expect(res.error.code).toBe('invalid_payload');
  });
});

describe('product context on text', () => {
  it('context by productId: the catalogue snapshot', async (ctx) => {
    catalogue(ctx);
    const v = await visitor(t);
    const conv = v.session.conversation!.id;
    const a = await agent(t, token);
    const onAgent = next<WireMessage>(a.socket, 'message:new', (m) => m.conversationId === conv);
    const res = await ok<{ message: WireMessage }>(v.socket, 'message:send', {
      conversationId: conv,
      clientId: cid(),
      kind: 'text',
      text: 'Is size 7 back soon?',
      context: { productId: RING.id },
    });
    expect(res.message).toMatchObject({ kind: 'text', text: 'Is size 7 back soon?', context: { product: { id: RING.id, source: 'catalogue', price: RING.price } } });
    expect(await onAgent).toEqual(res.message);
  });

  it('context by page data: a page snapshot (title as given, no variants)', async () => {
    const v = await visitor(t);
    const conv = v.session.conversation!.id;
    const page = { id: 'page-only-product', title: { 'zh-CN': '页面商品', en: 'Page product' }, price: { amount: 38900, currency: 'CNY' }, image: '/img/gold-hoops.svg', url: 'https://shop.example/p/1' };
    const res = await ok<{ message: WireMessage }>(v.socket, 'message:send', { conversationId: conv, clientId: cid(), kind: 'text', text: 'gift wrap?', context: { product: page } });
    expect(res.message.context?.product).toEqual({
      id: page.id,
      title: page.title,
      price: page.price,
      compareAt: null,
      image: page.image,
      url: page.url,
      variants: [],
      source: 'page',
    });
    // A plain-string title becomes a LocalizedText.
    const res2 = await ok<{ message: WireMessage }>(v.socket, 'message:send', {
      conversationId: conv,
      clientId: cid(),
      kind: 'text',
      text: 'and this?',
      context: { product: { id: 'page-2', title: 'Plain title', price: { amount: 100, currency: 'JPY' } } },
    });
    const title = res2.message.context!.product.title;
    expect(typeof title).toBe('object');
    expect(Object.values(title)).toEqual(['Plain title']);
    expect(await allMessages(v.socket, conv)).toEqual([res.message, res2.message]);
  });
});

describe('untrusted product text', () => {
  it('hostile catalogue text round-trips unchanged (it is data)', async (ctx) => {
    catalogue(ctx);
    const v = await visitor(t);
    const conv = v.session.conversation!.id;
    const res = await ok<{ message: WireMessage }>(v.socket, 'message:send', { conversationId: conv, clientId: cid(), kind: 'product', productId: HOSTILE.id });
    expect(res.message.product).toMatchObject({ title: HOSTILE.title, image: HOSTILE.images[0], url: HOSTILE.url, variants: HOSTILE.variants });
    const [got] = (await ok<{ items: WireProduct[] }>(v.socket, 'product:get', { productIds: [HOSTILE.id] })).items;
    expect(got).toMatchObject({ title: HOSTILE.title, description: HOSTILE.description, tags: HOSTILE.tags, variants: HOSTILE.variants });
  });

  it('hostile page text round-trips unchanged', async () => {
    const v = await visitor(t);
    const conv = v.session.conversation!.id;
    const title = '<img src=x onerror=alert(1)>"\'&amp;';
    const res = await ok<{ message: WireMessage }>(v.socket, 'message:send', {
      conversationId: conv,
      clientId: cid(),
      kind: 'text',
      text: '<script>alert(1)</script>',
      context: { product: { id: 'evil', title, price: { amount: 1, currency: 'CNY' } } },
    });
    expect(res.message.text).toBe('<script>alert(1)</script>');
    expect(Object.values(res.message.context!.product.title)).toEqual([title]);
  });
});

describe('product:search and product:get', () => {
  it('product:search is forbidden for visitors', async () => {
    const v = await visitor(t);
    expect(await request(v.socket, 'product:search', { query: 'ring' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });

  it('product:search finds by title, tag and SKU; pages by id', async (ctx) => {
    catalogue(ctx);
    const a = await agent(t, token);
    const search = async (req: object): Promise<{ items: WireProduct[]; hasMore: boolean }> => ok(a.socket, 'product:search', req);
    expect((await search({ query: '测试戒指' })).items.map((p) => p.id)).toEqual([RING.id]);
    expect((await search({ query: 'TEST RING' })).items.map((p) => p.id)).toEqual([RING.id]);
    expect((await search({ query: 'conf-r-7' })).items.map((p) => p.id)).toEqual([RING.id]);
    expect((await search({ query: 'earrings' })).items.map((p) => p.id)).toEqual([STUDS.id]);
    const [found] = (await search({ query: RING.id })).items;
    expect(found).toMatchObject({ ...RING, updatedAt: expect.any(String) });
    const first = await search({ query: 'conf-', limit: 1 });
    expect(first.items).toHaveLength(1);
    expect(first.hasMore).toBe(true);
    const second = await search({ query: 'conf-', limit: 1, after: first.items[0].id });
    expect(second.items[0].id > first.items[0].id).toBe(true);
    expect(await request(a.socket, 'product:search', { query: 'x'.repeat(101) })).toMatchObject({ ok: false });
  });

  it('product:get returns current stock to anyone, in the order asked, unknown ids left out', async (ctx) => {
    const cat = catalogue(ctx);
    const id = `conf-stock-${cid().slice(2, 8)}`;
    await cat.upsert({ ...RING, id, variants: [{ id: 'a', stock: 2 }, { id: 'b', stock: null }] });
    const v = await visitor(t);
    const get = async (productIds: string[]): Promise<WireProduct[]> => (await ok<{ items: WireProduct[] }>(v.socket, 'product:get', { productIds })).items;
    expect((await get([id]))[0].variants.map((x) => x.stock)).toEqual([2, null]);
    await cat.upsert({ ...RING, id, variants: [{ id: 'a', stock: 0 }, { id: 'b', stock: null }] });
    expect((await get([id]))[0].variants.map((x) => x.stock)).toEqual([0, null]);
    expect((await get([STUDS.id, 'nope', id])).map((p) => p.id)).toEqual([STUDS.id, id]);
    expect(await request(v.socket, 'product:get', { productIds: [] })).toMatchObject({ ok: false, error: { code: 'invalid_payload' } });
    expect(await request(v.socket, 'product:get', { productIds: Array.from({ length: 21 }, (_, i) => `p${i}`) })).toMatchObject({ ok: false });
  });
});
