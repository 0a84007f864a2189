/** Catalogue import (CSV/JSON, per-row errors) and the REST admin API, on PGlite and PostgreSQL. */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAgent, createShop, demoCatalogue, startServer, type RunningServer } from './app.js';
import { parseMajorUnits, parseOptions, IMPORT_MAX_BYTES } from './catalogue-import.js';
import { createTempPg, type TempPg } from './test-support.js';

const pgTarget = await createTempPg();
const pgAvailable = !('skip' in pgTarget);
if ('skip' in pgTarget) console.warn(`[server] skipping PostgreSQL import tests: ${pgTarget.skip}`);

afterAll(async () => {
  if (pgAvailable) await (pgTarget as TempPg).drop();
});

describe('amounts and options', () => {
  it('major units to minor units by the currency digits (string arithmetic)', () => {
    expect(parseMajorUnits('699.00', 'CNY')).toBe(69900);
    expect(parseMajorUnits('699', 'CNY')).toBe(69900);
    expect(parseMajorUnits('0.1', 'USD')).toBe(10);
    expect(parseMajorUnits('19.99', 'EUR')).toBe(1999);
    expect(parseMajorUnits('1.15', 'USD')).toBe(115); // 1.15 * 100 = 114.99999999999999 in floats
    expect(parseMajorUnits('5000', 'JPY')).toBe(5000);
    expect(parseMajorUnits('5000.00', 'JPY')).toBe(5000);
    expect(() => parseMajorUnits('5000.5', 'JPY')).toThrow(/JPY has no minor unit/);
    expect(() => parseMajorUnits('1.999', 'USD')).toThrow(/more than 2 decimals/);
    for (const bad of ['', '6,99', '-1', '1e3', '¥699', '12.', 'abc']) expect(() => parseMajorUnits(bad, 'CNY'), bad).toThrow();
  });

  it('options as name=value;name=value', () => {
    expect(parseOptions('colour=gold;length=45cm')).toEqual({ colour: 'gold', length: '45cm' });
    expect(parseOptions(' size = 42 ; ')).toEqual({ size: '42' });
    expect(parseOptions('')).toEqual({});
    expect(() => parseOptions('gold')).toThrow(/name=value/);
    expect(() => parseOptions('a=1;a=2')).toThrow(/twice/);
  });
});

const HEADER = 'id,title_zh-CN,title_en,description_en,price,currency,compare_at,images,url,tags,variant_id,sku,options,variant_price,stock';

const backends = [
  { name: 'PGlite', available: true, opts: () => ({ dataDir: 'memory://' }) },
  { name: 'PostgreSQL', available: pgAvailable, opts: () => ({ databaseUrl: (pgTarget as TempPg).url }) },
];

for (const backend of backends) {
  describe.skipIf(!backend.available)(`import and REST on ${backend.name}`, () => {
    let server: RunningServer;
    let token: string;
    let otherToken: string;

    beforeAll(async () => {
      server = await startServer({ port: 0, ...backend.opts(), quiet: true });
      for (const shop of ['cat', 'other']) {
        await createShop(server.store, { id: shop, name: `Shop ${shop}` });
        await createAgent(server.store, { shop, email: `owner@${shop}.test`, name: 'Owner', password: 'open-sesame' });
      }
      const login = async (shop: string): Promise<string> => {
        const res = await fetch(`${server.url}/api/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ email: `owner@${shop}.test`, password: 'open-sesame', shop }),
        });
        return ((await res.json()) as { token: string }).token;
      };
      token = await login('cat');
      otherToken = await login('other');
    });
    afterAll(async () => {
      await server?.close();
    });

    const api = (path: string, init: RequestInit & { tok?: string | null } = {}): Promise<Response> => {
      const headers = new Headers(init.headers);
      const tok = init.tok === undefined ? token : init.tok;
      if (tok) headers.set('authorization', `Bearer ${tok}`);
      return fetch(`${server.url}${path}`, { ...init, headers });
    };
    const importCsv = async (csv: string, tok?: string): Promise<{ status: number; body: any }> => {
      const res = await api('/api/products/import', { method: 'POST', headers: { 'content-type': 'text/csv; charset=utf-8' }, body: csv, tok });
      return { status: res.status, body: await res.json() };
    };

    it('401 without or with a bad token, on every route', async () => {
      for (const [method, path] of [
        ['GET', '/api/products'],
        ['GET', '/api/products/x'],
        ['PUT', '/api/products/x'],
        ['DELETE', '/api/products/x'],
        ['POST', '/api/products/import'],
      ] as const) {
        for (const tok of [null, 'not-a-token']) {
          const res = await api(path, { method, tok, headers: { 'content-type': 'application/json' }, body: method === 'GET' || method === 'DELETE' ? undefined : '[]' });
          expect(res.status, `${method} ${path}`).toBe(401);
          expect(((await res.json()) as { error: { code: string } }).error.code).toBe('unauthorized');
        }
      }
    });

    it('imports the demo CSV: merged variants, prices in minor units, and a second run updates', async () => {
      const csv = readFileSync(new URL('../demo/catalogue.csv', import.meta.url), 'utf8');
      const first = await importCsv(csv);
      expect(first.status).toBe(200);
      expect(first.body).toEqual({ imported: 6, updated: 0, errors: [] });
      const again = await importCsv(csv);
      expect(again.body).toEqual({ imported: 0, updated: 6, errors: [] });
      // The CSV and server/demo-catalogue.json describe the same catalogue, except for the option
      // labels, which the CSV format does not carry.
      const list = (await (await api('/api/products?limit=100')).json()) as { items: { updatedAt: string }[]; hasMore: boolean };
      expect(list.hasMore).toBe(false);
      expect(list.items.map(({ updatedAt: _, ...p }) => p)).toEqual(
        [...demoCatalogue()]
          .map((p) => ({ ...(p as { id: string }), options: [] }))
          .sort((a, b) => ((a as { id: string }).id < (b as { id: string }).id ? -1 : 1)),
      );
    });

    it('bad rows get errors per row; good rows are stored', async () => {
      const csv = [
        HEADER,
        'good-1,好,Good one,,699.00,CNY,799.00,/img/a.svg|https://cdn.example/b.png,/p/good-1,a|b,gold,G1,colour=gold;length=45cm,,5', // 2
        'good-1,,,,,,,,,,silver,S1,colour=silver,709.50,', // 3: second variant, own price, untracked stock
        'good-1,,,,,,,,,,gold,G2,colour=gold,,1', // 4: duplicate variant id
        'bad-price,坏,,,6.99.9,CNY,,,,,,,,,', // 5
        'bad-currency,坏,,,10,ABC,,,,,,,,,', // 6
        'bad-image,坏,,,10,CNY,,javascript:alert(1),,,,,,,', // 7
        'no-title,,,,10,CNY,,,,,,,,,', // 8
        'good-2,,Yen,,5000,JPY,,,,,,,,,', // 9
        'bad-yen,,Yen,,5000.5,JPY,,,,,,,,,', // 10
        'good-2,,,,,,,,,,v1,,size=M,,-3', // 11: bad stock
        'good-2,,,,,,,,,,v2,,nonsense,,', // 12: bad options
        'good-2,,Other title,,,,,,,,v3,,,,', // 13: conflicting product column
        ',x,,,1,CNY,,,,,,,,,', // 14: no id
        'bad id,x,,,1,CNY,,,,,,,,,', // 15
        'bad-url,x,,,1,CNY,,,data:text/html;base64,xx,,,,,', // 16
        'good-3,"<img src=x onerror=alert(1)>","multi\nline",,1,USD,,,https://shop.example/p?a=1,,,,,,', // 17-18
        'short,row', // 19: wrong number of columns
      ].join('\n');
      const { status, body } = await importCsv(csv);
      expect(status).toBe(200);
      expect(body.imported).toBe(3);
      expect(body.updated).toBe(0);
      const byRow = Object.fromEntries((body.errors as { row: number; id?: string; field?: string; message: string }[]).map((e) => [e.row, e]));
      expect(Object.keys(byRow).map(Number)).toEqual([4, 5, 6, 7, 8, 10, 11, 12, 13, 14, 15, 16, 19]);
      expect(byRow[4]).toMatchObject({ id: 'good-1', field: 'variant_id', message: expect.stringMatching(/given twice/) });
      expect(byRow[5]).toMatchObject({ id: 'bad-price', field: 'price', message: expect.stringMatching(/not an amount.*not imported/) });
      expect(byRow[6]).toMatchObject({ id: 'bad-currency', field: 'currency', message: expect.stringMatching(/ABC/) });
      expect(byRow[7]).toMatchObject({ id: 'bad-image', field: 'images' });
      expect(byRow[8]).toMatchObject({ id: 'no-title', field: 'title' });
      expect(byRow[10]).toMatchObject({ id: 'bad-yen', field: 'price', message: expect.stringMatching(/JPY has no minor unit/) });
      expect(byRow[11]).toMatchObject({ id: 'good-2', field: 'stock' });
      expect(byRow[12]).toMatchObject({ id: 'good-2', field: 'options' });
      expect(byRow[13]).toMatchObject({ id: 'good-2', field: 'title_en', message: expect.stringMatching(/differs from row 9/) });
      expect(byRow[14]).toMatchObject({ field: 'id' });
      expect(byRow[15]).toMatchObject({ id: 'bad id', field: 'id' });
      expect(byRow[16]).toMatchObject({ id: 'bad-url', field: 'url' });
      expect(byRow[19].message).toMatch(/not a valid CSV row/);

      const got = (await (await api('/api/products/good-1')).json()) as { product: any };
      expect(got.product).toMatchObject({
        title: { 'zh-CN': '好', en: 'Good one' },
        price: { amount: 69900, currency: 'CNY' },
        compareAt: { amount: 79900, currency: 'CNY' },
        images: ['/img/a.svg', 'https://cdn.example/b.png'],
        url: '/p/good-1',
        tags: ['a', 'b'],
        variants: [
          { id: 'gold', sku: 'G1', options: { colour: 'gold', length: '45cm' }, price: null, stock: 5 },
          { id: 'silver', sku: 'S1', options: { colour: 'silver' }, price: { amount: 70950, currency: 'CNY' }, stock: null },
        ],
      });
      const yen = (await (await api('/api/products/good-2')).json()) as { product: any };
      expect(yen.product).toMatchObject({ price: { amount: 5000, currency: 'JPY' }, variants: [] });
      const hostile = (await (await api('/api/products/good-3')).json()) as { product: any };
      expect(hostile.product.title).toEqual({ 'zh-CN': '<img src=x onerror=alert(1)>', en: 'multi\nline' });
      for (const id of ['bad-price', 'bad-currency', 'bad-image', 'no-title', 'bad-yen']) {
        expect((await api(`/api/products/${id}`)).status, id).toBe(404);
      }
    });

    it('whole-file problems are 400: missing columns, not CSV/JSON, wrong content type', async () => {
      expect((await importCsv('id,title_en,currency\nx,X,CNY')).body.error.message).toMatch(/missing column: price/);
      expect((await importCsv('id,price,currency\nx,1,CNY')).status).toBe(400);
      expect((await importCsv('')).status).toBe(400);
      // An unclosed quote swallows the rest of the file: reported as an error of the row where it starts.
      const unclosed = await importCsv('id,title_en,price,currency\nok,OK,1,CNY\n"x,X,1,CNY');
      expect(unclosed.body).toMatchObject({ imported: 1, errors: [{ row: 3, message: expect.stringMatching(/Quote Not Closed/) }] });
      const res = await api('/api/products/import', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'x' });
      expect(res.status).toBe(415);
      const notArray = await api('/api/products/import', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"id":"x"}' });
      expect(notArray.status).toBe(400);
    });

    it('JSON import: each product on its own, errors by position', async () => {
      const res = await api('/api/products/import', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify([
          { id: 'j-1', title: { en: 'J1' }, price: { amount: 100, currency: 'EUR' } },
          { id: 'j-2', title: { en: 'J2' }, price: { amount: 1.5, currency: 'EUR' } },
          'not an object',
          { id: 'j-3', title: { en: 'J3' }, price: { amount: 100, currency: 'EUR' }, url: 'javascript:alert(1)' },
          { id: 'j-1', title: { en: 'J1 again' }, price: { amount: 200, currency: 'EUR' }, variants: [{ id: 'a', stock: 1 }, { id: 'a' }] },
          { id: 'j-4', title: { en: 'J4' }, price: { amount: 100, currency: 'EUR' }, variants: [{ id: 'a', stock: 1 }] },
        ]),
      });
      expect(res.status).toBe(200);
      const body = (await res.json()) as { imported: number; updated: number; errors: { row: number; id?: string; field?: string }[] };
      expect(body.imported).toBe(2);
      expect(body.updated).toBe(0);
      expect(body.errors.map((e) => [e.row, e.id, e.field])).toEqual([
        [2, 'j-2', 'price.amount'],
        [3, undefined, undefined],
        [4, 'j-3', 'url'],
        [5, 'j-1', 'variants'],
      ]);
      expect(((await (await api('/api/products/j-1')).json()) as { product: { title: unknown } }).product.title).toEqual({ en: 'J1' });
    });

    it('PUT creates (201) then replaces (200); GET, search, DELETE; per shop', async () => {
      const product = { title: { en: 'Put me' }, price: { amount: 1299, currency: 'USD' }, tags: ['rest'], variants: [{ id: 'v', sku: 'SKU-PUT', stock: 2 }] };
      const put = (body: unknown, id = 'put-1'): Promise<Response> =>
        api(`/api/products/${id}`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      const created = await put(product);
      expect(created.status).toBe(201);
      expect(((await created.json()) as { created: boolean }).created).toBe(true);
      const replaced = await put({ ...product, id: 'put-1', price: { amount: 1399, currency: 'USD' } });
      expect(replaced.status).toBe(200);
      expect(((await replaced.json()) as { product: { price: unknown } }).product.price).toEqual({ amount: 1399, currency: 'USD' });
      expect((await put({ ...product, id: 'other-id' })).status).toBe(400);
      const invalid = await put({ ...product, images: ['javascript:alert(1)'] });
      expect(invalid.status).toBe(400);
      expect(((await invalid.json()) as { error: { message: string } }).error.message).toMatch(/images/);
      expect((await put(product, 'bad%20id')).status).toBe(404);
      const search = (await (await api('/api/products?query=sku-put')).json()) as { items: { id: string }[] };
      expect(search.items.map((p) => p.id)).toEqual(['put-1']);
      expect((await api('/api/products?limit=0')).status).toBe(400);
      expect((await api('/api/products?limit=abc')).status).toBe(400);
      // Another shop's agent sees nothing of it.
      expect((await api('/api/products/put-1', { tok: otherToken })).status).toBe(404);
      expect((await api('/api/products/put-1', { method: 'DELETE', tok: otherToken })).status).toBe(404);
      expect((await api('/api/products/put-1', { method: 'DELETE' })).status).toBe(200);
      expect((await api('/api/products/put-1')).status).toBe(404);
      expect((await api('/api/products/put-1', { method: 'DELETE' })).status).toBe(404);
      expect((await api('/api/products', { method: 'POST', body: '{}' })).status).toBe(405);
    });

    it('413 too_large beyond 1 MiB; 1 MiB itself is accepted', async () => {
      const row = 'big,Big,,,1,CNY,,,,,,,,,\n';
      const header = `${HEADER}\n`;
      const fits = header + row + ' '.repeat(IMPORT_MAX_BYTES - header.length - row.length);
      const ok = await importCsv(fits);
      expect(ok.status).toBe(200);
      const tooBig = await importCsv(`${fits} `);
      expect(tooBig.status).toBe(413);
      expect(tooBig.body.error.code).toBe('too_large');
      // The server still answers.
      expect((await api('/api/products/big')).status).toBe(200);
    });
  });
}
