/**
 * Broadcasts across server processes: two `server/main.ts` processes on one PostgreSQL database
 * (rooms shared through Redis) each run the scheduler. Every due campaign is sent exactly once
 * (recipient rows = audience, no duplicates, one `feed:new` per connected socket whichever
 * process it is on); a campaign scheduled while every process is stopped goes out once after the
 * restart; a campaign cancelled before it is due never goes out.
 *
 * Needs PostgreSQL (DATABASE_URL, default postgres://postgres@127.0.0.1:5432/postgres) and Redis
 * (REDIS_URL, default redis://127.0.0.1:6379); skipped with a warning when either is unreachable.
 */
import { randomBytes } from 'node:crypto';
import { createClient } from 'redis';
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FeedItem, FeedNew } from '../../src/protocol/feed.js';
import { createAgent, createShop, Store } from '../../server/app.js';
import { createTempPg, type TempPg } from '../../server/test-support.js';
import { freePort, startServerProcess, type ServerProcess } from '../support/server-process.js';

const SHOP = 'bcast';
const AGENT = { email: 'owner@bcast.test', password: 'broadcast agent password', name: 'Lin' };
const REDIS_URL = process.env.REDIS_URL || 'redis://127.0.0.1:6379';

async function redisReachable(): Promise<string | null> {
  const r = createClient({ url: REDIS_URL, socket: { connectTimeout: 2000, reconnectStrategy: false } });
  r.on('error', () => undefined);
  try {
    await r.connect();
    await r.ping();
    return null;
  } catch (err) {
    return `Redis unreachable at ${REDIS_URL}: ${err instanceof Error ? err.message : String(err)}`;
  } finally {
    if (r.isOpen) await r.close();
  }
}

const pgTarget = await createTempPg();
const redisProblem = await redisReachable();
const skip = 'skip' in pgTarget ? pgTarget.skip : redisProblem;
if (skip) console.warn(`[integration] skipping cross-process broadcast tests: ${skip}`);

const prefix = `vitrine-bcast-${randomBytes(4).toString('hex')}`;
const processes: ServerProcess[] = [];
const sockets: Socket[] = [];
let store: Store;
let ports: number[] = [];
const savedTick = process.env.VITRINE_BROADCAST_TICK_MS;

/** Starts the `i`th server process (same port on a restart). */
async function node(i: number): Promise<ServerProcess> {
  const p = await startServerProcess({
    name: `node${i}`,
    port: ports[i],
    demo: false,
    databaseUrl: (pgTarget as TempPg).url,
    redisUrl: REDIS_URL,
    redisPrefix: prefix,
  });
  processes.push(p);
  return p;
}

async function login(url: string): Promise<string> {
  const res = await fetch(`${url}/api/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: AGENT.email, password: AGENT.password, shop: SHOP }),
  });
  if (!res.ok) throw new Error(`login failed: ${res.status}`);
  return ((await res.json()) as { token: string }).token;
}

async function api(url: string, token: string, path: string, method = 'GET', body?: unknown): Promise<any> {
  const res = await fetch(`${url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

interface Visitor {
  socket: Socket;
  userId: string;
  token: string;
  received: FeedItem[];
}

function connect(url: string, visitorToken?: string): Promise<Visitor> {
  const auth = { protocol: 1, shop: SHOP, role: 'visitor', ...(visitorToken ? { token: visitorToken } : {}) };
  const socket = io(`${url}/vitrine`, { auth, transports: ['websocket'], reconnection: false, forceNew: true });
  sockets.push(socket);
  const received: FeedItem[] = [];
  socket.on('feed:new', (p: FeedNew) => received.push(p.item));
  return new Promise((resolve, reject) => {
    socket.once('session:ready', (s: { userId: string; token: string }) => resolve({ socket, userId: s.userId, token: s.token, received }));
    socket.once('connect_error', reject);
  });
}

async function until<T>(what: string, check: () => T | undefined | null | false | Promise<T | undefined | null | false>, ms = 20_000): Promise<T> {
  const start = Date.now();
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() - start > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const CAMPAIGN = { kind: 'announcement', name: 'News', title: { en: 'Hi {{name|there}}', 'zh-CN': '{{name|朋友}}您好' }, body: { en: 'News' } };

async function state(id: string): Promise<string> {
  const rows = await store.db.query<{ state: string }>('SELECT state FROM campaigns WHERE id = $1', [id]);
  return rows[0]?.state ?? 'missing';
}

async function recipients(id: string): Promise<{ rows: number; distinct: number }> {
  const rows = await store.db.query<{ n: number; d: number }>(
    'SELECT count(*)::int AS n, count(DISTINCT visitor_id)::int AS d FROM campaign_recipients WHERE campaign_id = $1',
    [id],
  );
  return { rows: rows[0].n, distinct: rows[0].d };
}

describe.skipIf(skip !== null)('broadcasts across two server processes on one PostgreSQL database', () => {
  let token = '';
  let segmentId = '';
  let visitors: Visitor[] = [];

  beforeAll(async () => {
    process.env.VITRINE_BROADCAST_TICK_MS = '100';
    store = await Store.open({ databaseUrl: (pgTarget as TempPg).url });
    await createShop(store, { id: SHOP, name: 'Broadcast shop' });
    await createAgent(store, { shop: SHOP, ...AGENT });
    await store.broadcasts.putSettings(SHOP, { frequencyCap: { max: 100, days: 7 }, timeZone: 'Asia/Shanghai' });
    ports = [await freePort(), await freePort()];
    await Promise.all([node(0), node(1)]);
    token = await login(processes[0].url);
    // Six customers, three on each process; four of them (two per process) in the segment.
    visitors = [];
    for (let i = 0; i < 6; i++) visitors.push(await connect(processes[i % 2].url));
    for (const v of visitors.slice(0, 4)) await api(processes[0].url, token, `/api/customers/${v.userId}`, 'PATCH', { tags: ['vip'] });
    segmentId = (await api(processes[1].url, token, '/api/segments', 'POST', { name: 'VIP', rule: { match: 'all', conditions: [{ tag: 'vip', op: 'has' }] } })).id;
  }, 90_000);

  afterAll(async () => {
    for (const s of sockets.splice(0)) s.close();
    for (const p of processes.splice(0)) await p.stop().catch(() => undefined);
    await store?.close();
    if (!('skip' in pgTarget)) await pgTarget.drop().catch(() => undefined);
    if (savedTick === undefined) delete process.env.VITRINE_BROADCAST_TICK_MS;
    else process.env.VITRINE_BROADCAST_TICK_MS = savedTick;
  });

  it('sends each due campaign exactly once: recipient rows = audience, one feed:new per connected socket', async () => {
    const [a, b] = processes;
    const due = new Date(Date.now() + 1500).toISOString();
    const ids: string[] = [];
    for (let i = 0; i < 8; i++) {
      const url = i % 2 ? b.url : a.url;
      const c = await api(url, token, '/api/campaigns', 'POST', { ...CAMPAIGN, name: `Due ${i}`, segmentId: i < 4 ? segmentId : null });
      await api(url, token, `/api/campaigns/${c.id}/schedule`, 'POST', { at: due });
      ids.push(c.id);
    }
    await until('every campaign sent', async () => (await Promise.all(ids.map(state))).every((s) => s === 'sent'));
    for (const [i, id] of ids.entries()) {
      expect(await recipients(id), `campaign ${i}`).toEqual(i < 4 ? { rows: 4, distinct: 4 } : { rows: 6, distinct: 6 });
    }
    const claimedBy = await store.db.query<{ claimed_by: string }>('SELECT claimed_by FROM campaigns WHERE id = ANY($1::text[])', [ids]);
    expect(claimedBy.every((r) => typeof r.claimed_by === 'string' && r.claimed_by.length > 0)).toBe(true);

    // A last broadcast to everyone: once every socket has it, nothing else is on its way.
    const last = await api(a.url, token, '/api/campaigns', 'POST', { ...CAMPAIGN, name: 'Last' });
    await api(b.url, token, `/api/campaigns/${last.id}/send`, 'POST');
    await until('the last broadcast on every socket', () => visitors.every((v) => v.received.some((item) => item.id === last.id)));
    for (const [i, v] of visitors.entries()) {
      const got = v.received.map((item) => item.id);
      const expected = [...ids.filter((_, k) => i < 4 || k >= 4), last.id];
      expect(got.slice().sort(), `visitor ${i} (process ${i % 2})`).toEqual(expected.slice().sort());
      expect(new Set(got).size).toBe(got.length);
      expect(got.at(-1)).toBe(last.id);
    }
  }, 90_000);

  it('a campaign cancelled before it is due never goes out', async () => {
    const [a, b] = processes;
    const cancelled = await api(a.url, token, '/api/campaigns', 'POST', { ...CAMPAIGN, name: 'Cancelled' });
    const sentinel = await api(a.url, token, '/api/campaigns', 'POST', { ...CAMPAIGN, name: 'Sentinel' });
    const at = Date.now() + 1500;
    await api(a.url, token, `/api/campaigns/${cancelled.id}/schedule`, 'POST', { at: new Date(at).toISOString() });
    // Due after the cancelled one: the claim order (scheduled_at) reaches it later.
    await api(b.url, token, `/api/campaigns/${sentinel.id}/schedule`, 'POST', { at: new Date(at + 500).toISOString() });
    expect((await api(b.url, token, `/api/campaigns/${cancelled.id}/cancel`, 'POST')).state).toBe('cancelled');
    await until('the sentinel on every socket', () => visitors.every((v) => v.received.some((item) => item.id === sentinel.id)));
    expect(await state(cancelled.id)).toBe('cancelled');
    expect(await recipients(cancelled.id)).toEqual({ rows: 0, distinct: 0 });
    for (const v of visitors) expect(v.received.some((item) => item.id === cancelled.id)).toBe(false);
  }, 60_000);

  it('a campaign due while every process is stopped is sent once after the restart', async () => {
    const [a] = processes;
    const c = await api(a.url, token, '/api/campaigns', 'POST', { ...CAMPAIGN, name: 'Across a restart', segmentId });
    const due = Date.now() + 2000;
    await api(a.url, token, `/api/campaigns/${c.id}/schedule`, 'POST', { at: new Date(due).toISOString() });
    for (const s of sockets.splice(0)) s.close();
    for (const p of processes.splice(0)) expect(await p.stop()).toBe('0');
    // Nobody runs: past its due time it is still scheduled, with no recipients.
    await until('due time passed', () => Date.now() > due + 300, 10_000);
    expect(await state(c.id)).toBe('scheduled');
    expect(await recipients(c.id)).toEqual({ rows: 0, distinct: 0 });

    await Promise.all([node(0), node(1)]);
    await until('sent after the restart', async () => (await state(c.id)) === 'sent');
    expect(await recipients(c.id)).toEqual({ rows: 4, distinct: 4 });
    // A recipient sees it on their next open (feed:get), newest first and unread.
    const back = await connect(processes[1].url, visitors[0].token);
    expect(back.userId).toBe(visitors[0].userId);
    const feed = await back.socket.timeout(5000).emitWithAck('feed:get', { limit: 1 });
    expect(feed.ok).toBe(true);
    expect(feed.items.map((item: FeedItem) => [item.id, item.read])).toEqual([[c.id, false]]);
    const again = await store.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM campaigns WHERE id = $1 AND state = 'sent'`, [c.id]);
    expect(again[0].n).toBe(1);
  }, 120_000);
});
