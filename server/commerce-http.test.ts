/**
 * REST for coupons, reservation settings, reservations and quick replies; `product:update` to a
 * watching socket after a REST change; `reservation:slots` and features over a real socket.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { io, type Socket } from 'socket.io-client';
import { LIMITS } from '../src/protocol/limits.js';
import { ALWAYS_OPEN_SETTINGS as SETTINGS } from '../test/support/commerce-fixtures.js';
import { createAgent, createShop, DEMO, DEMO_RESERVATIONS, seedDemo, startServer, type RunningServer } from './app.js';

let server: RunningServer;
const tokens: Record<string, string> = {};
const sockets: Socket[] = [];


beforeAll(async () => {
  server = await startServer({ port: 0, dataDir: 'memory://', quiet: true });
  for (const shop of ['rest', 'other']) {
    await createShop(server.store, { id: shop, name: `Shop ${shop}` });
    await createAgent(server.store, { shop, email: `owner@${shop}.test`, name: 'Owner', password: 'open-sesame' });
    const res = await fetch(`${server.url}/api/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: `owner@${shop}.test`, password: 'open-sesame', shop }),
    });
    tokens[shop] = ((await res.json()) as { token: string }).token;
  }
});

afterEach(() => {
  for (const s of sockets.splice(0)) s.close();
});

afterAll(async () => {
  await server?.close();
});

async function api(path: string, init: { method?: string; body?: unknown; shop?: string; token?: string | null } = {}): Promise<{ status: number; body: any }> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  const token = init.token === undefined ? tokens[init.shop ?? 'rest'] : init.token;
  if (token) headers.authorization = `Bearer ${token}`;
  const res = await fetch(`${server.url}${path}`, {
    method: init.method ?? 'GET',
    headers,
    body: init.body === undefined ? undefined : typeof init.body === 'string' ? init.body : JSON.stringify(init.body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

function connect(auth: Record<string, unknown>): Promise<{ socket: Socket; session: { features: string[]; conversation: { id: string } | null } }> {
  const socket = io(`${server.url}/vitrine`, { auth, transports: ['websocket'], reconnection: false, forceNew: true });
  sockets.push(socket);
  return new Promise((resolve, reject) => {
    socket.once('session:ready', (session) => resolve({ socket, session }));
    socket.once('connect_error', reject);
  });
}

const ack = (socket: Socket, event: string, payload: unknown): Promise<any> => socket.timeout(5000).emitWithAck(event, payload);

const COUPON = {
  code: 'WELCOME50',
  title: { 'zh-CN': '立减 ¥50', en: '¥50 off' },
  value: { type: 'amount', amount: { amount: 5000, currency: 'CNY' } },
  minSpend: { amount: 50000, currency: 'CNY' },
  expiresAt: new Date(Date.now() + 30 * 86_400_000).toISOString(),
};

describe('auth', () => {
  it('401 without or with a bad token on every new route', async () => {
    for (const [method, path] of [
      ['GET', '/api/coupons'],
      ['GET', '/api/coupons/x'],
      ['PUT', '/api/coupons/x'],
      ['GET', '/api/settings/reservations'],
      ['PUT', '/api/settings/reservations'],
      ['GET', '/api/reservations'],
      ['GET', '/api/quick-replies'],
      ['POST', '/api/quick-replies'],
      ['PUT', '/api/quick-replies/q'],
      ['DELETE', '/api/quick-replies/q'],
    ]) {
      for (const token of [null, 'not-a-token']) {
        const res = await api(path, { method, token, body: method === 'GET' || method === 'DELETE' ? undefined : {} });
        expect(res.status, `${method} ${path}`).toBe(401);
        expect(res.body.error.code).toBe('unauthorized');
        expect(res.body.error.message).toBeTruthy();
      }
    }
  });
});

describe('coupons', () => {
  it('PUT creates (201) then updates (200); GET one and the list, newest first, with counters; per shop', async () => {
    const created = await api('/api/coupons/welcome', { method: 'PUT', body: COUPON });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ created: true, coupon: { id: 'welcome', code: 'WELCOME50', sent: 0, claimed: 0, active: true, maxClaims: null, conditions: {} } });
    const pct = await api('/api/coupons/pearl15', { method: 'PUT', body: { id: 'pearl15', code: 'PEARL15', title: { en: '15% off pearls' }, value: { type: 'percent', percent: 15 } } });
    expect(pct.status).toBe(201);
    expect(pct.body.coupon).toMatchObject({ minSpend: null, expiresAt: null });
    const updated = await api('/api/coupons/welcome', { method: 'PUT', body: { ...COUPON, active: false } });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({ created: false, coupon: { active: false, createdAt: created.body.coupon.createdAt } });
    expect((await api('/api/coupons/welcome')).body.coupon).toEqual(updated.body.coupon);
    const list = await api('/api/coupons');
    expect(list.status).toBe(200);
    expect(list.body.items.map((c: { id: string }) => c.id)).toEqual(['pearl15', 'welcome']);
    expect((await api('/api/coupons', { shop: 'other' })).body.items).toEqual([]);
    expect((await api('/api/coupons/welcome', { shop: 'other' })).status).toBe(404);
  });

  it('bad input is 400 invalid_payload naming the field', async () => {
    const cases: [unknown, RegExp][] = [
      [{ ...COUPON, id: 'other-id' }, /^id: must be bad-1/],
      [{ ...COUPON, code: 'has space' }, /^code: /],
      [{ ...COUPON, title: {} }, /^title: /],
      [{ ...COUPON, value: { type: 'percent', percent: 150 } }, /^value\.percent: /],
      [{ ...COUPON, value: { type: 'amount', amount: { amount: 1.5, currency: 'CNY' } } }, /^value\.amount\.amount: /],
      [{ ...COUPON, minSpend: { amount: 100, currency: 'USD' } }, /^minSpend: must use the currency of the value/],
      [{ ...COUPON, expiresAt: 'tomorrow' }, /^expiresAt: /],
      [{ ...COUPON, expiresAt: new Date(Date.now() - 60_000).toISOString() }, /^expiresAt: must be in the future/],
      [[COUPON], /body must be a coupon object/],
      ['{not json', /not valid JSON/],
    ];
    for (const [body, message] of cases) {
      const res = await api('/api/coupons/bad-1', { method: 'PUT', body });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.code).toBe('invalid_payload');
      expect(res.body.error.message).toMatch(message);
    }
    expect((await api('/api/coupons/bad-1')).status).toBe(404);
    expect((await api('/api/coupons/bad%20id')).status).toBe(404);
    expect((await api('/api/coupons', { method: 'POST', body: COUPON })).status).toBe(405);
  });
});

describe('reservation settings and reservations', () => {
  it('GET defaults (disabled), PUT validates and saves; features and slots follow', async () => {
    const first = await api('/api/settings/reservations', { shop: 'other' });
    expect(first.status).toBe(200);
    expect(first.body.settings).toMatchObject({ enabled: false });
    const visitorBefore = await connect({ protocol: 1, shop: 'other', role: 'visitor' });
    expect(visitorBefore.session.features).toEqual(expect.arrayContaining(['coupons', 'product-watch']));
    expect(visitorBefore.session.features).not.toContain('reservations');
    expect(await ack(visitorBefore.socket, 'reservation:slots', {})).toMatchObject({ ok: false, error: { code: 'not_found', message: 'this shop does not take reservations' } });

    for (const [body, message] of [
      [{ ...SETTINGS, timeZone: 'Mars/Olympus' }, /^timeZone: must be an IANA time zone/],
      [{ ...SETTINGS, slotMinutes: 5 }, /^slotMinutes: /],
      [{ ...SETTINGS, hours: { ...SETTINGS.hours, mon: [['18:00', '10:00']] } }, /^hours\.mon\.0: must open before it closes/],
      [{ ...SETTINGS, hours: { ...SETTINGS.hours, tue: [['9h', '10:00']] } }, /^hours\.tue\.0\.0: must be a time like 09:30/],
      [{ enabled: true }, /^timeZone: /],
    ] as [unknown, RegExp][]) {
      const res = await api('/api/settings/reservations', { method: 'PUT', body, shop: 'other' });
      expect(res.status).toBe(400);
      expect(res.body.error).toMatchObject({ code: 'invalid_payload' });
      expect(res.body.error.message).toMatch(message);
    }
    const saved = await api('/api/settings/reservations', { method: 'PUT', body: SETTINGS, shop: 'other' });
    expect(saved).toEqual({ status: 200, body: { settings: SETTINGS } });
    expect((await api('/api/settings/reservations', { shop: 'other' })).body.settings).toEqual(SETTINGS);
    const visitorAfter = await connect({ protocol: 1, shop: 'other', role: 'visitor' });
    expect(visitorAfter.session.features).toContain('reservations');
    const page = await ack(visitorAfter.socket, 'reservation:slots', { days: 2 });
    expect(page).toMatchObject({ ok: true, timeZone: 'Asia/Shanghai', slotMinutes: 30 });
    expect(page.days).toHaveLength(2);
    expect(await ack(visitorAfter.socket, 'reservation:slots', { days: 40 })).toMatchObject({ ok: false, error: { code: 'invalid_payload' } });
    expect(await ack(visitorAfter.socket, 'reservation:slots', { from: '28/11/2026' })).toMatchObject({ ok: false, error: { code: 'invalid_payload', message: expect.stringMatching(/^from: /) } });
  });

  it('GET /api/reservations lists open ones soonest first, ?state=all every one; bad state is 400', async () => {
    await api('/api/settings/reservations', { method: 'PUT', body: SETTINGS });
    await api('/api/products/ring', { method: 'PUT', body: { title: { en: 'Ring' }, price: { amount: 100, currency: 'CNY' } } });
    const v = await connect({ protocol: 1, shop: 'rest', role: 'visitor', identity: { name: 'Mei' } });
    const conv = v.session.conversation!.id;
    const slots = (await ack(v.socket, 'reservation:slots', { days: 3 })).days.flatMap((d: { slots: { start: string }[] }) => d.slots);
    const later = await ack(v.socket, 'message:send', { conversationId: conv, clientId: 'r1', kind: 'reservation', action: 'request', productId: 'ring', start: slots[10].start });
    const sooner = await ack(v.socket, 'message:send', { conversationId: conv, clientId: 'r2', kind: 'reservation', action: 'request', productId: 'ring', start: slots[5].start });
    expect(later.ok && sooner.ok).toBe(true);
    await ack(v.socket, 'message:send', { conversationId: conv, clientId: 'r3', kind: 'reservation', action: 'cancel', reservationId: later.message.reservation.id });
    const open = await api('/api/reservations');
    expect(open.status).toBe(200);
    expect(open.body.items).toHaveLength(1);
    expect(open.body.items[0]).toMatchObject({ ...sooner.message.reservation, conversationId: conv, visitorName: 'Mei' });
    expect(typeof open.body.items[0].updatedAt).toBe('string');
    const all = await api('/api/reservations?state=all');
    expect(all.body.items.map((r: { state: string }) => r.state)).toEqual(['requested', 'cancelled']);
    const bad = await api('/api/reservations?state=closed');
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/^state: /);
    expect((await api('/api/reservations', { shop: 'other' })).body.items).toEqual([]);
  });
});

describe('quick replies', () => {
  it('POST 201, GET by position, PUT, DELETE 204; 404 for unknown; 400 naming text', async () => {
    const a = await api('/api/quick-replies', { method: 'POST', body: { text: '您好，有什么可以帮您？' } });
    expect(a.status).toBe(201);
    expect(a.body.item).toMatchObject({ text: '您好，有什么可以帮您？' });
    const b = await api('/api/quick-replies', { method: 'POST', body: { text: '<script>alert(1)</script>' } });
    expect((await api('/api/quick-replies')).body.items.map((q: { text: string }) => q.text)).toEqual(['您好，有什么可以帮您？', '<script>alert(1)</script>']);
    const edited = await api(`/api/quick-replies/${a.body.item.id}`, { method: 'PUT', body: { text: 'Hello!' } });
    expect(edited.status).toBe(200);
    expect(edited.body.item).toMatchObject({ id: a.body.item.id, text: 'Hello!' });
    const del = await api(`/api/quick-replies/${b.body.item.id}`, { method: 'DELETE' });
    expect(del.status).toBe(204);
    expect((await api(`/api/quick-replies/${b.body.item.id}`, { method: 'DELETE' })).status).toBe(404);
    expect((await api(`/api/quick-replies/${b.body.item.id}`, { method: 'PUT', body: { text: 'x' } })).status).toBe(404);
    expect((await api('/api/quick-replies', { shop: 'other' })).body.items).toEqual([]);
    expect((await api(`/api/quick-replies/${a.body.item.id}`, { method: 'DELETE', shop: 'other' })).status).toBe(404);
    for (const body of [{}, { text: '   ' }, { text: 42 }]) {
      const res = await api('/api/quick-replies', { method: 'POST', body });
      expect(res.status).toBe(400);
      expect(res.body.error).toMatchObject({ code: 'invalid_payload', message: expect.stringMatching(/^text: /) });
    }
    expect((await api('/api/quick-replies')).body.items).toHaveLength(1);
  });

  it('409 conflict beyond 200 per shop', async () => {
    await createShop(server.store, { id: 'many', name: 'Many' });
    await createAgent(server.store, { shop: 'many', email: 'owner@many.test', name: 'Owner', password: 'open-sesame' });
    const res = await fetch(`${server.url}/api/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'owner@many.test', password: 'open-sesame', shop: 'many' }),
    });
    const token = ((await res.json()) as { token: string }).token;
    for (let i = 0; i < 200; i++) await server.store.addQuickReply('many', `reply ${i}`);
    const over = await api('/api/quick-replies', { method: 'POST', body: { text: 'one more' }, token });
    expect(over.status).toBe(409);
    expect(over.body.error.code).toBe('conflict');
  });
});

describe('products: option labels and live stock', () => {
  const necklace = {
    title: { en: 'Necklace' },
    price: { amount: 69900, currency: 'CNY' },
    variants: [{ id: 'gold', options: { colour: 'gold' }, stock: 3 }],
    options: [{ name: 'colour', label: { en: 'Colour', 'zh-CN': '颜色' }, values: { gold: { en: 'Gold', 'zh-CN': '金色' } } }],
  };

  it('PUT stores and returns options; bad labels are 400 naming the field; snapshots carry them', async () => {
    const put = await api('/api/products/necklace', { method: 'PUT', body: necklace });
    expect(put.status).toBe(201);
    expect(put.body.product.options).toEqual(necklace.options);
    const bad = await api('/api/products/necklace', { method: 'PUT', body: { ...necklace, options: [{ name: 'colour', label: {}, values: {} }] } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/^options\.0\.label: /);
    const a = await connect({ protocol: 1, shop: 'rest', role: 'agent', token: tokens.rest });
    const v = await connect({ protocol: 1, shop: 'rest', role: 'visitor' });
    const res = await ack(a.socket, 'message:send', { conversationId: v.session.conversation!.id, clientId: 'p1', kind: 'product', productId: 'necklace' });
    expect(res.message.product.options).toEqual(necklace.options);
  });

  it('a watching socket gets product:update after a REST PUT and DELETE; others do not', async () => {
    await api('/api/products/watched', { method: 'PUT', body: necklace });
    const watcher = await connect({ protocol: 1, shop: 'rest', role: 'visitor' });
    const bystander = await connect({ protocol: 1, shop: 'rest', role: 'visitor' });
    const otherShop = await connect({ protocol: 1, shop: 'other', role: 'visitor' });
    const seen: unknown[] = [];
    const unrelated: unknown[] = [];
    watcher.socket.on('product:update', (u) => seen.push(u));
    bystander.socket.on('product:update', (u) => unrelated.push(u));
    otherShop.socket.on('product:update', (u) => unrelated.push(u));
    const got = await ack(watcher.socket, 'product:get', { productIds: ['watched', 'not-yet'], watch: true });
    expect(got.ok).toBe(true);
    expect(got.items.map((p: { id: string }) => p.id)).toEqual(['watched']);
    await ack(bystander.socket, 'product:get', { productIds: ['watched'] });
    await ack(otherShop.socket, 'product:get', { productIds: ['watched'], watch: true });

    const update = new Promise((resolve) => watcher.socket.once('product:update', resolve));
    await api('/api/products/watched', { method: 'PUT', body: { ...necklace, variants: [{ id: 'gold', options: { colour: 'gold' }, stock: 0 }] } });
    expect(await update).toMatchObject({ product: { id: 'watched', variants: [{ id: 'gold', stock: 0 }], options: necklace.options } });

    const deleted = new Promise((resolve) => watcher.socket.once('product:update', resolve));
    expect((await api('/api/products/watched', { method: 'DELETE' })).status).toBe(200);
    expect(await deleted).toEqual({ productId: 'watched', deleted: true });

    // Created later: a watched id that did not exist yet.
    const createdLater = new Promise((resolve) => watcher.socket.once('product:update', resolve));
    await api('/api/products/not-yet', { method: 'PUT', body: necklace });
    expect(await createdLater).toMatchObject({ product: { id: 'not-yet' } });
    await new Promise((r) => setTimeout(r, 100));
    expect(unrelated).toEqual([]);
    expect(seen).toHaveLength(3);
  });

  it(`watching more than ${LIMITS.productWatchMax} products is too_large`, async () => {
    const v = await connect({ protocol: 1, shop: 'rest', role: 'visitor' });
    const ids = (from: number) => Array.from({ length: LIMITS.productGetMax }, (_, i) => `w-${from + i}`);
    for (let i = 0; i < LIMITS.productWatchMax; i += LIMITS.productGetMax) {
      expect((await ack(v.socket, 'product:get', { productIds: ids(i), watch: true })).ok).toBe(true);
    }
    // Already watched ids do not count twice.
    expect((await ack(v.socket, 'product:get', { productIds: ids(0), watch: true })).ok).toBe(true);
    expect(await ack(v.socket, 'product:get', { productIds: ['w-extra'], watch: true })).toMatchObject({ ok: false, error: { code: 'too_large' } });
    // Without watch it still answers.
    expect((await ack(v.socket, 'product:get', { productIds: ['w-extra'] })).ok).toBe(true);
  });
});

describe('demo seed', () => {
  it('enables reservations, adds two coupons and three quick replies, option labels; idempotent', async () => {
    await seedDemo(server.store);
    expect(await server.store.getReservationSettings(DEMO.shop.id)).toEqual(DEMO_RESERVATIONS);
    const coupons = await server.store.listCoupons(DEMO.shop.id);
    expect(coupons.map((c) => c.id).sort()).toEqual(['pearl15', 'welcome50']);
    const welcome = coupons.find((c) => c.id === 'welcome50')!;
    expect(welcome).toMatchObject({ code: 'WELCOME50', value: { type: 'amount', amount: { amount: 5000, currency: 'CNY' } }, minSpend: { amount: 50000, currency: 'CNY' } });
    expect(Date.parse(welcome.expiresAt!) - Date.now()).toBeGreaterThan(89 * 86_400_000);
    expect(await server.store.listQuickReplies(DEMO.shop.id)).toHaveLength(3);
    const [necklace] = await server.store.getProducts(DEMO.shop.id, ['etoile-necklace']);
    expect(necklace.options[0].values.gold['zh-CN']).toBe('金色');
    // Edits survive a second seeding.
    await server.store.putReservationSettings(DEMO.shop.id, { ...DEMO_RESERVATIONS, capacity: 5 });
    await server.store.deleteQuickReply(DEMO.shop.id, (await server.store.listQuickReplies(DEMO.shop.id))[0].id);
    await seedDemo(server.store);
    expect((await server.store.getReservationSettings(DEMO.shop.id))!.capacity).toBe(5);
    expect(await server.store.listQuickReplies(DEMO.shop.id)).toHaveLength(2);
    expect(await server.store.listCoupons(DEMO.shop.id)).toEqual(coupons);
  });
});
