/**
 * REST of broadcasts over a real server on 127.0.0.1: customers, segments, campaigns (states,
 * references, schedule in the shop's zone), statistics, preview and settings; agent auth and
 * shop isolation; errors with codes naming the field.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAgent, createShop, DEMO, demoCustomers, seedDemo, startServer, type RunningServer } from './app.js';
import { hashToken } from './security.js';

let server: RunningServer;
const tokens: Record<string, string> = {};
const customers: string[] = [];

beforeAll(async () => {
  server = await startServer({ port: 0, dataDir: 'memory://', quiet: true });
  for (const shop of ['bc', 'other']) {
    await createShop(server.store, { id: shop, name: `Shop ${shop}` });
    await createAgent(server.store, { shop, email: `owner@${shop}.test`, name: 'Owner', password: 'open-sesame' });
    const res = await fetch(`${server.url}/api/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: `owner@${shop}.test`, password: 'open-sesame', shop }),
    });
    tokens[shop] = ((await res.json()) as { token: string }).token;
  }
  const people = [
    { name: 'Lin Mei', email: 'mei@example.com' },
    { name: 'Zhang Wei', email: 'wei@example.com' },
    { name: 'Anne', email: 'anne@example.org' },
  ];
  for (const [i, p] of people.entries()) {
    const { visitor } = await server.store.createVisitor('bc', hashToken(`customer-${i}`), p);
    customers.push(visitor.id);
  }
  await server.store.upsertProduct('bc', { id: 'ring', title: { en: 'Ring' }, price: { amount: 100, currency: 'CNY' } });
});

afterAll(async () => {
  await server?.close();
});

async function api(path: string, init: { method?: string; body?: unknown; shop?: string; token?: string | null } = {}): Promise<{ status: number; body: any }> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  const token = init.token === undefined ? tokens[init.shop ?? 'bc'] : init.token;
  if (token) headers.authorization = `Bearer ${token}`;
  const res = await fetch(`${server.url}${path}`, {
    method: init.method ?? 'GET',
    headers,
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

const CAMPAIGN = {
  kind: 'promotion',
  name: 'Earrings week',
  title: { en: 'Hi {{name|there}}', 'zh-CN': '您好 {{name|朋友}}' },
  body: { en: 'New earrings are in.' },
  productIds: ['ring'],
};

describe('broadcast REST', () => {
  it('needs an agent token on every route', async () => {
    for (const path of ['/api/customers', '/api/segments', '/api/campaigns', '/api/settings/broadcasts', '/api/campaigns/x/stats']) {
      const res = await api(path, { token: null });
      expect(res.status, path).toBe(401);
      expect(res.body.error.code).toBe('unauthorized');
    }
  });

  it('lists, searches and patches customers within the limits', async () => {
    const all = await api('/api/customers?limit=2');
    expect(all.status).toBe(200);
    expect(all.body.items).toHaveLength(2);
    expect(all.body.hasMore).toBe(true);
    const next = await api(`/api/customers?limit=2&after=${all.body.items[1].id}`);
    expect(next.body.items).toHaveLength(1);
    expect(next.body.hasMore).toBe(false);

    const found = await api('/api/customers?q=MEI');
    expect(found.body.items.map((c: { name: string }) => c.name)).toEqual(['Lin Mei']);
    expect((await api('/api/customers?email=WEI@example.com')).body.items.map((c: { name: string }) => c.name)).toEqual(['Zhang Wei']);

    const id = customers[0];
    const patched = await api(`/api/customers/${id}`, {
      method: 'PATCH',
      body: { attributes: { tier: 'gold', points: '1200' }, tags: ['Bought:Earrings', 'vip'] },
    });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ id, attributes: { tier: 'gold', points: '1200' }, tags: ['bought:earrings', 'vip'], values: { name: 'Lin Mei', tier: 'gold', points: 1200 } });
    const again = await api(`/api/customers/${id}`, { method: 'PATCH', body: { attributes: { points: null }, addTags: ['new'], removeTags: ['VIP'] } });
    expect(again.body.attributes).toEqual({ tier: 'gold' });
    expect(again.body.tags).toEqual(['bought:earrings', 'new']);
    expect((await api(`/api/customers/${id}`)).body.values.points).toBeNull();

    const tooMany = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`a${i}`, 'x']));
    expect((await api(`/api/customers/${id}`, { method: 'PATCH', body: { attributes: tooMany } })).status).toBe(400);
    const bad = await api(`/api/customers/${id}`, { method: 'PATCH', body: { attributes: { 'Bad Name': 'x' } } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('invalid_payload');
    expect((await api(`/api/customers/${id}`, { shop: 'other' })).status).toBe(404);
    expect((await api('/api/customers/nobody')).status).toBe(404);
  });

  it('creates, previews, lists, updates and deletes segments', async () => {
    const rule = { match: 'all', conditions: [{ tag: 'bought:earrings', op: 'has' }] };
    const created = await api('/api/segments', { method: 'POST', body: { name: 'Earrings', rule } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'Earrings', rule });
    const preview = await api('/api/segments/preview', { method: 'POST', body: { rule } });
    expect(preview.body.size).toBe(1);
    expect(preview.body.sample.map((c: { id: string }) => c.id)).toEqual([customers[0]]);
    const list = await api('/api/segments');
    expect(list.body.items).toEqual([expect.objectContaining({ id: created.body.id, size: 1 })]);
    expect((await api(`/api/customers?segmentId=${created.body.id}`)).body.items).toHaveLength(1);

    const everyone = { match: 'any', conditions: [{ attribute: 'tier', op: 'missing' }, { attribute: 'tier', op: 'exists' }] };
    const put = await api(`/api/segments/${created.body.id}`, { method: 'PUT', body: { name: 'All', rule: everyone } });
    expect(put.body.name).toBe('All');
    expect((await api(`/api/segments/${created.body.id}`)).body.size).toBe(3);

    const badRule = await api('/api/segments', { method: 'POST', body: { name: 'x', rule: { match: 'all', conditions: [] } } });
    expect(badRule.status).toBe(400);
    expect(badRule.body.error.message).toMatch(/condition/);

    // A scheduled campaign keeps its segment.
    const c = await api('/api/campaigns', { method: 'POST', body: { ...CAMPAIGN, segmentId: created.body.id } });
    await api(`/api/campaigns/${c.body.id}/schedule`, { method: 'POST', body: { at: '2099-01-01T00:00:00Z' } });
    const refused = await api(`/api/segments/${created.body.id}`, { method: 'DELETE' });
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('conflict');
    await api(`/api/campaigns/${c.body.id}/cancel`, { method: 'POST' });
    expect((await api(`/api/segments/${created.body.id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await api(`/api/segments/${created.body.id}`)).status).toBe(404);
  });

  it('creates drafts, checks references, patches only the fields given, and deletes drafts', async () => {
    const missing = await api('/api/campaigns', { method: 'POST', body: { ...CAMPAIGN, productIds: ['ring', 'nope'] } });
    expect(missing.status).toBe(404);
    expect(missing.body.error.message).toMatch(/^productIds: .*nope/);
    expect((await api('/api/campaigns', { method: 'POST', body: { ...CAMPAIGN, couponId: 'ghost' } })).body.error.message).toMatch(/^couponId:/);
    expect((await api('/api/campaigns', { method: 'POST', body: { ...CAMPAIGN, segmentId: 'ghost' } })).body.error.message).toMatch(/^segmentId:/);
    const badTemplate = await api('/api/campaigns', { method: 'POST', body: { ...CAMPAIGN, title: { en: 'Hi {{nmae}}' } } });
    expect(badTemplate.status).toBe(400);
    expect(badTemplate.body.error.message).toMatch(/title/);

    const created = await api('/api/campaigns', { method: 'POST', body: CAMPAIGN });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      state: 'draft',
      kind: 'promotion',
      productIds: ['ring'],
      segmentId: null,
      scheduledAt: null,
      counts: { targeted: 0, capped: 0, delivered: 0, read: 0, clicked: 0 },
    });
    const patched = await api(`/api/campaigns/${created.body.id}`, { method: 'PATCH', body: { name: 'Renamed' } });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ name: 'Renamed', body: CAMPAIGN.body, productIds: ['ring'], title: CAMPAIGN.title });
    expect((await api('/api/campaigns')).body.items[0].id).toBe(created.body.id);
    expect((await api(`/api/campaigns/${created.body.id}`, { shop: 'other' })).status).toBe(404);

    const preview = await api(`/api/campaigns/${created.body.id}/preview`);
    expect(preview.body.audience).toBe(3);
    expect(preview.body.item).toMatchObject({ id: created.body.id, read: false, title: CAMPAIGN.title });
    expect(preview.body.item.products.map((p: { id: string }) => p.id)).toEqual(['ring']);

    const stats = await api(`/api/campaigns/${created.body.id}/stats`);
    expect(stats.body).toMatchObject({ targeted: 0, rates: { delivered: 0, read: 0, clicked: 0 }, timeline: [] });

    expect((await api(`/api/campaigns/${created.body.id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await api(`/api/campaigns/${created.body.id}`)).status).toBe(404);
  });

  it('schedules wall-clock times in the shop zone, unschedules, cancels and refuses what the state forbids', async () => {
    const settings = await api('/api/settings/broadcasts');
    expect(settings.body).toEqual({ frequencyCap: { max: 3, days: 7 }, timeZone: 'UTC' });
    expect((await api('/api/settings/broadcasts', { method: 'PUT', body: { frequencyCap: { max: 2, days: 3 }, timeZone: 'Mars/Olympus' } })).status).toBe(400);
    const put = await api('/api/settings/broadcasts', { method: 'PUT', body: { frequencyCap: { max: 2, days: 3 }, timeZone: 'Asia/Shanghai' } });
    expect(put.body).toEqual({ frequencyCap: { max: 2, days: 3 }, timeZone: 'Asia/Shanghai' });

    const { body: c } = await api('/api/campaigns', { method: 'POST', body: CAMPAIGN });
    const scheduled = await api(`/api/campaigns/${c.id}/schedule`, { method: 'POST', body: { localTime: '2099-11-24T10:00' } });
    expect(scheduled.status).toBe(200);
    expect(scheduled.body).toMatchObject({ state: 'scheduled', scheduledAt: '2099-11-24T02:00:00.000Z', timeZone: 'Asia/Shanghai' });
    // Another zone, on a daylight-saving day: New York is UTC-4 in July.
    const ny = await api(`/api/campaigns/${c.id}/schedule`, { method: 'POST', body: { localTime: '2099-07-04T09:30', timeZone: 'America/New_York' } });
    expect(ny.body).toMatchObject({ scheduledAt: '2099-07-04T13:30:00.000Z', timeZone: 'America/New_York' });
    // 02:30 does not exist in New York on the spring-forward day.
    const gap = await api(`/api/campaigns/${c.id}/schedule`, { method: 'POST', body: { localTime: '2026-03-08T02:30', timeZone: 'America/New_York' } });
    expect(gap.status).toBe(400);
    expect(gap.body.error.message).toMatch(/^localTime:/);
    expect((await api(`/api/campaigns/${c.id}/schedule`, { method: 'POST', body: { localTime: 'tomorrow' } })).status).toBe(400);

    // Scheduled campaigns can still be edited; they cannot be deleted.
    expect((await api(`/api/campaigns/${c.id}`, { method: 'PATCH', body: { name: 'Still editable' } })).status).toBe(200);
    expect((await api(`/api/campaigns/${c.id}`, { method: 'DELETE' })).status).toBe(409);

    const draft = await api(`/api/campaigns/${c.id}/unschedule`, { method: 'POST' });
    expect(draft.body).toMatchObject({ state: 'draft', scheduledAt: null });
    expect((await api(`/api/campaigns/${c.id}/unschedule`, { method: 'POST' })).status).toBe(409);
    const cancelled = await api(`/api/campaigns/${c.id}/cancel`, { method: 'POST' });
    expect(cancelled.body.state).toBe('cancelled');
    for (const [method, path, body] of [
      ['PATCH', '', { name: 'x' }],
      ['POST', '/schedule', { at: '2099-01-01T00:00:00Z' }],
      ['POST', '/send', undefined],
      ['POST', '/cancel', undefined],
    ] as const) {
      const res = await api(`/api/campaigns/${c.id}${path}`, { method, body });
      expect(res.status, `${method} ${path}`).toBe(409);
      expect(res.body.error.code).toBe('conflict');
    }
    expect((await api(`/api/campaigns/${c.id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await api(`/api/campaigns/${c.id}/nonsense`, { method: 'POST' })).status).toBe(404);
    expect((await api(`/api/campaigns/${c.id}/stats`, { method: 'POST' })).status).toBe(405);
  });
});

describe('broadcast demo seed', () => {
  it('seeds 30 customers with profiles, the "Bought earrings" segment, Shanghai settings and one draft; nothing sent; idempotent', async () => {
    await seedDemo(server.store);
    const login = await fetch(`${server.url}/api/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: DEMO.agent.email, password: DEMO.agent.password, shop: DEMO.shop.id }),
    });
    const demoToken = ((await login.json()) as { token: string }).token;
    const demo = (path: string, method = 'GET', body?: unknown) => api(path, { token: demoToken, method, body });

    const list = await demo('/api/customers?limit=100');
    expect(list.body.items).toHaveLength(30);
    const tiers = new Set(list.body.items.map((c: { attributes: { tier: string } }) => c.attributes.tier));
    expect(tiers).toEqual(new Set(['gold', 'silver']));
    const earrings = demoCustomers().filter((c) => c.tags.includes('bought:earrings')).length;
    expect(earrings).toBeGreaterThan(3);
    expect(earrings).toBeLessThan(30);
    const segments = await demo('/api/segments');
    expect(segments.body.items).toEqual([expect.objectContaining({ name: 'Bought earrings', size: earrings, rule: { match: 'all', conditions: [{ tag: 'bought:earrings', op: 'has' }] } })]);
    expect((await demo('/api/settings/broadcasts')).body).toEqual({ frequencyCap: { max: 3, days: 7 }, timeZone: 'Asia/Shanghai' });
    const campaigns = await demo('/api/campaigns');
    expect(campaigns.body.items).toHaveLength(1);
    expect(campaigns.body.items[0]).toMatchObject({ state: 'draft', segmentId: segments.body.items[0].id, productIds: ['perle-studs', 'soleil-hoops'] });
    const preview = await demo(`/api/campaigns/${campaigns.body.items[0].id}/preview`);
    expect(preview.body.audience).toBe(earrings);

    // A console edit survives the next start's seeding; nothing is duplicated.
    const first = list.body.items[0];
    await demo(`/api/customers/${first.id}`, 'PATCH', { attributes: { tier: 'platinum' } });
    await seedDemo(server.store);
    expect((await demo('/api/customers?limit=100')).body.items).toHaveLength(30);
    expect((await demo(`/api/customers/${first.id}`)).body.attributes.tier).toBe('platinum');
    expect((await demo('/api/segments')).body.items).toHaveLength(1);
    expect((await demo('/api/campaigns')).body.items).toHaveLength(1);
    const sent = await server.store.db.query<{ n: number }>('SELECT count(*)::int AS n FROM campaign_recipients WHERE shop = $1', [DEMO.shop.id]);
    expect(sent[0].n).toBe(0);
  });
});
