/** Catalogue storage (upsert, search, get, snapshots, product messages), on PGlite and PostgreSQL. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Author } from '../../src/protocol/types.js';
import { demoCatalogue, seedDemo } from '../app.js';
import { createShop } from '../auth.js';
import { hashToken } from '../security.js';
import { createTempPg, type TempPg } from '../test-support.js';
import { snapshot, Store } from './store.js';

const pgTarget = await createTempPg();
const pgAvailable = !('skip' in pgTarget);
if ('skip' in pgTarget) console.warn(`[server] skipping PostgreSQL catalogue tests: ${pgTarget.skip}`);

afterAll(async () => {
  if (pgAvailable) await (pgTarget as TempPg).drop();
});

const backends = [
  { name: 'PGlite', available: true, opts: () => ({ dataDir: 'memory://' }) },
  { name: 'PostgreSQL', available: pgAvailable, opts: () => ({ databaseUrl: (pgTarget as TempPg).url }) },
];

const necklace = {
  id: 'etoile-necklace',
  title: { 'zh-CN': '星辰项链', en: 'Étoile star necklace' },
  description: { en: '18K gold-plated S925 silver.' },
  price: { amount: 69900, currency: 'CNY' },
  images: ['/img/necklace.svg', 'https://cdn.example/n2.jpg'],
  url: '/#p-etoile-necklace',
  tags: ['necklace', 'S925'],
  variants: [
    { id: 'gold', sku: 'ETN-925-G', options: { colour: 'gold' }, stock: 12 },
    { id: 'silver', sku: 'ETN-925-S', options: { colour: 'silver' }, stock: 4, price: { amount: 59900, currency: 'CNY' } },
  ],
};

for (const backend of backends) {
  describe.skipIf(!backend.available)(`catalogue on ${backend.name}`, () => {
    let store: Store;
    let n = 0;
    const newShop = async (): Promise<string> => {
      const id = `cat-${backend.name.toLowerCase()}-${++n}`;
      await createShop(store, { id, name: 'Catalogue shop' });
      return id;
    };
    const visitorAuthor = (id: string): Author => ({ role: 'visitor', id, name: null });

    beforeAll(async () => {
      store = await Store.open(backend.opts());
    });
    afterAll(async () => {
      await store?.close();
    });

    it('upsert creates, then replaces (variants as a whole), with defaults filled in', async () => {
      const shop = await newShop();
      const first = await store.upsertProduct(shop, necklace);
      expect(first.created).toBe(true);
      expect(first.product).toMatchObject({
        id: 'etoile-necklace',
        title: necklace.title,
        price: { amount: 69900, currency: 'CNY' },
        compareAt: null,
        images: necklace.images,
        tags: ['necklace', 'S925'],
      });
      expect(first.product.variants).toEqual([
        { id: 'gold', sku: 'ETN-925-G', options: { colour: 'gold' }, price: null, stock: 12 },
        { id: 'silver', sku: 'ETN-925-S', options: { colour: 'silver' }, price: { amount: 59900, currency: 'CNY' }, stock: 4 },
      ]);
      expect(typeof first.product.price.amount).toBe('number');
      const second = await store.upsertProduct(shop, { ...necklace, variants: [{ id: 'gold', stock: 0 }], compareAt: { amount: 79900, currency: 'CNY' } });
      expect(second.created).toBe(false);
      expect(second.product.variants).toEqual([{ id: 'gold', sku: null, options: {}, price: null, stock: 0 }]);
      expect(second.product.compareAt).toEqual({ amount: 79900, currency: 'CNY' });
      // Minimal input.
      const bare = await store.upsertProduct(shop, { id: 'bare', title: { en: 'Bare' }, price: { amount: 100, currency: 'JPY' } });
      expect(bare.product).toMatchObject({ description: {}, images: [], url: null, tags: [], variants: [], compareAt: null });
    });

    it('refuses invalid input with invalid_payload naming the field, and stores nothing', async () => {
      const shop = await newShop();
      const bad: [unknown, RegExp][] = [
        [{ ...necklace, images: ['javascript:alert(1)'] }, /images/],
        [{ ...necklace, url: 'data:text/html,x' }, /url/],
        [{ ...necklace, price: { amount: 699.5, currency: 'CNY' } }, /price/],
        [{ ...necklace, price: { amount: 100, currency: 'ABC' } }, /currency/],
        [{ ...necklace, title: {} }, /title/],
        [{ ...necklace, title: { en: '  ' } }, /title/],
        [{ ...necklace, variants: [{ id: 'a' }, { id: 'a' }] }, /variant/],
        [{ ...necklace, compareAt: { amount: 1, currency: 'USD' } }, /compareAt/],
        [{ ...necklace, variants: [{ id: 'a', stock: -1 }] }, /stock/],
        [{ ...necklace, id: 'has space' }, /id/],
      ];
      for (const [input, field] of bad) {
        await expect(store.upsertProduct(shop, input)).rejects.toMatchObject({ code: 'invalid_payload', message: expect.stringMatching(field) });
      }
      expect((await store.searchProducts(shop)).items).toEqual([]);
    });

    it('get keeps the order asked and leaves unknown ids out; products are per shop', async () => {
      const shop = await newShop();
      const other = await newShop();
      for (const id of ['a', 'b', 'c']) await store.upsertProduct(shop, { id, title: { en: id.toUpperCase() }, price: { amount: 1, currency: 'EUR' } });
      expect((await store.getProducts(shop, ['c', 'nope', 'a', 'c'])).map((p) => p.id)).toEqual(['c', 'a']);
      expect(await store.getProducts(other, ['a'])).toEqual([]);
      expect(await store.deleteProduct(other, 'a')).toBe(false);
      expect(await store.deleteProduct(shop, 'a')).toBe(true);
      expect((await store.getProducts(shop, ['a', 'b'])).map((p) => p.id)).toEqual(['b']);
    });

    it('search matches id, any-locale title, tag and SKU, case-insensitively, pages by id', async () => {
      const shop = await newShop();
      for (const p of demoCatalogue()) await store.upsertProduct(shop, p);
      const ids = async (q: string): Promise<string[]> => (await store.searchProducts(shop, q)).items.map((p) => p.id);
      expect(await ids('项链')).toEqual(['etoile-necklace']);
      expect(await ids('PEARL')).toEqual(['perle-studs']);
      expect(await ids('etn-925-s')).toEqual(['etoile-necklace']);
      expect(await ids('earrings')).toEqual(['perle-studs', 'soleil-hoops']);
      expect(await ids('%')).toEqual([]); // no LIKE wildcards
      expect(await ids('ring')).toEqual(['aube-ring', 'perle-studs', 'soleil-hoops']); // "earrings" contains "ring"
      const page1 = await store.searchProducts(shop, '', null, 4);
      expect(page1.items.map((p) => p.id)).toEqual(['aube-ring', 'etoile-necklace', 'jade-bangle', 'lune-bracelet']);
      expect(page1.hasMore).toBe(true);
      const page2 = await store.searchProducts(shop, '', 'lune-bracelet', 4);
      expect(page2.items.map((p) => p.id)).toEqual(['perle-studs', 'soleil-hoops']);
      expect(page2.hasMore).toBe(false);
    });

    it('snapshot: first image, variants with stock, source catalogue', async () => {
      const shop = await newShop();
      const { product } = await store.upsertProduct(shop, necklace);
      expect(snapshot(product)).toEqual({
        id: 'etoile-necklace',
        title: necklace.title,
        price: { amount: 69900, currency: 'CNY' },
        compareAt: null,
        image: '/img/necklace.svg',
        url: '/#p-etoile-necklace',
        variants: product.variants,
        source: 'catalogue',
      });
    });

    it('product messages carry frozen snapshots; repeats return the original; history returns them', async () => {
      const shop = await newShop();
      await store.upsertProduct(shop, necklace);
      await store.upsertProduct(shop, { id: 'studs', title: { en: 'Studs' }, price: { amount: 45900, currency: 'CNY' } });
      const { visitor, conversation } = await store.createVisitor(shop, hashToken(`t-${shop}`));
      const author = visitorAuthor(visitor.id);
      const base = { conversationId: conversation.id };
      const one = await store.sendRequest(shop, { ...base, clientId: 'p1', kind: 'product', productId: 'etoile-necklace', text: 'this one?' }, author);
      expect(one.message).toMatchObject({ kind: 'product', text: 'this one?', product: { id: 'etoile-necklace', source: 'catalogue' } });
      expect(one.message.product?.variants[0].stock).toBe(12);
      const many = await store.sendRequest(shop, { ...base, clientId: 'p2', kind: 'products', productIds: ['studs', 'etoile-necklace'] }, author);
      expect(many.message.text).toBe('');
      expect(many.message.products?.map((p) => p.id)).toEqual(['studs', 'etoile-necklace']);
      const ctx = await store.sendRequest(shop, { ...base, clientId: 't1', kind: 'text', text: 'gold?', context: { productId: 'etoile-necklace' } }, author);
      expect(ctx.message.context?.product).toMatchObject({ id: 'etoile-necklace', source: 'catalogue' });
      const page = await store.sendRequest(
        shop,
        { ...base, clientId: 't2', kind: 'text', text: 'and this?', context: { product: { id: 'not-in-catalogue', title: '<b>x</b>' } } },
        author,
      );
      expect(page.message.context?.product).toEqual({
        id: 'not-in-catalogue',
        title: { und: '<b>x</b>' },
        price: { amount: 0, currency: 'XXX' },
        compareAt: null,
        image: null,
        url: null,
        variants: [],
        source: 'page',
      });
      // The catalogue changes (stock sold out, price up) and the product is even deleted:
      await store.upsertProduct(shop, { ...necklace, price: { amount: 99900, currency: 'CNY' }, variants: [{ id: 'gold', stock: 0 }] });
      await store.deleteProduct(shop, 'studs');
      const { messages } = await store.history(conversation.id);
      expect(messages.map((m) => m.kind)).toEqual(['product', 'products', 'text', 'text']);
      expect(messages[0].product?.price.amount).toBe(69900);
      expect(messages[0].product?.variants.map((x) => x.stock)).toEqual([12, 4]);
      expect(messages[1].products?.[0].title).toEqual({ en: 'Studs' });
      expect(messages[3].context?.product?.source).toBe('page');
      // A repeat of a send whose product is gone returns the original, with its snapshot.
      const repeat = await store.sendRequest(shop, { ...base, clientId: 'p2', kind: 'products', productIds: ['studs', 'etoile-necklace'] }, author);
      expect(repeat.created).toBe(false);
      expect(repeat.message).toEqual(many.message);
      // Unknown products: not_found, nothing stored.
      await expect(store.sendRequest(shop, { ...base, clientId: 'x1', kind: 'product', productId: 'studs' }, author)).rejects.toMatchObject({ code: 'not_found' });
      await expect(
        store.sendRequest(shop, { ...base, clientId: 'x2', kind: 'products', productIds: ['etoile-necklace', 'studs'] }, author),
      ).rejects.toMatchObject({ code: 'not_found' });
      await expect(
        store.sendRequest(shop, { ...base, clientId: 'x3', kind: 'text', text: 'q', context: { productId: 'studs' } }, author),
      ).rejects.toMatchObject({ code: 'not_found' });
      expect((await store.getConversation(conversation.id))?.lastSeq).toBe(4);
      // The agents' list shows the payload of the last message too.
      expect((await store.getSummary(conversation.id))?.lastMessage?.context?.product?.id).toBe('not-in-catalogue');
    });

    it('page context without a price takes the catalogue price of that id', async () => {
      const shop = await newShop();
      await store.upsertProduct(shop, necklace);
      const { visitor, conversation } = await store.createVisitor(shop, hashToken(`t-${shop}`));
      const { message } = await store.sendRequest(
        shop,
        { conversationId: conversation.id, clientId: 'a', kind: 'text', text: 'q', context: { product: { id: 'etoile-necklace', title: { en: 'Star' }, url: '/p' } } },
        visitorAuthor(visitor.id),
      );
      expect(message.context?.product).toMatchObject({ title: { en: 'Star' }, price: { amount: 69900, currency: 'CNY' }, url: '/p', source: 'page' });
    });

    it('the demo seed is idempotent and keeps edits', async () => {
      await seedDemo(store);
      await store.upsertProduct('demo', { ...(demoCatalogue()[2] as object), variants: [{ id: 'default', stock: 0 }] });
      await seedDemo(store);
      const all = await store.searchProducts('demo', '', null, 100);
      expect(all.items).toHaveLength(6);
      expect(all.items.find((p) => p.id === 'jade-bangle')?.variants[0].stock).toBe(0);
      expect(all.items.find((p) => p.id === 'lune-bracelet')?.compareAt).toEqual({ amount: 62900, currency: 'CNY' });
    });
  });
}
