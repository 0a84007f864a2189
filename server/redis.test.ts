/**
 * REDIS_URL: option checks, fail-fast start, and (with PostgreSQL and Redis on 127.0.0.1) two
 * in-process servers sharing rooms through @socket.io/redis-adapter. The process-level story
 * (SIGKILL, balancer) lives in test/scale/.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createClient } from 'redis';
import { io, type Socket } from 'socket.io-client';
import { afterAll, describe, expect, it } from 'vitest';
import type { ConversationSummary, Message, SessionReady } from '../src/protocol/types.js';
import { createAgent, createShop, startServer, type RunningServer } from './app.js';
import { createTempPg, type TempPg } from './test-support.js';

const REDIS_URL = process.env.REDIS_URL || 'redis://127.0.0.1:6379';
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createNetServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

describe('REDIS_URL options', () => {
  it('refuses redisUrl without databaseUrl (several processes cannot share PGlite)', async () => {
    await expect(startServer({ port: 0, dataDir: 'memory://', redisUrl: REDIS_URL, quiet: true })).rejects.toThrow(/needs DATABASE_URL/);
  });

  it('main.ts exits 2 with a clear message when REDIS_URL is set without DATABASE_URL', () => {
    const res = spawnSync(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
      cwd: root,
      env: { ...process.env, PORT: '0', REDIS_URL, DATABASE_URL: '' },
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(res.status).toBe(2);
    expect(res.stderr).toMatch(/REDIS_URL is set but DATABASE_URL is not/);
  });

  it('fails fast, and frees its port, when Redis is unreachable', async () => {
    const redisPort = await closedPort();
    const port = await closedPort();
    const t0 = Date.now();
    await expect(
      startServer({ port, redisUrl: `redis://127.0.0.1:${redisPort}`, databaseUrl: 'postgres://nobody@127.0.0.1:1/none', quiet: true }),
    ).rejects.toThrow(new RegExp(`Redis unreachable at redis://127.0.0.1:${redisPort}`));
    expect(Date.now() - t0).toBeLessThan(5000);
    // The port is free again.
    await new Promise<void>((resolve, reject) => {
      const s = createNetServer().once('error', reject).listen(port, '127.0.0.1', () => s.close(() => resolve()));
    });
  });
});

async function redisReachable(): Promise<string | null> {
  const c = createClient({ url: REDIS_URL, socket: { connectTimeout: 2000, reconnectStrategy: false } });
  c.on('error', () => undefined);
  try {
    await c.connect();
    await c.close();
    return null;
  } catch (err) {
    return `Redis unreachable at ${REDIS_URL}: ${err instanceof Error ? err.message : String(err)}`;
  }
}

const pgTarget = await createTempPg();
const redisProblem = await redisReachable();
const skip = 'skip' in pgTarget ? pgTarget.skip : redisProblem;
if (skip) console.warn(`[server] skipping Redis adapter tests: ${skip} (test/scale/ fails instead of skipping)`);

const sockets: Socket[] = [];
const servers: RunningServer[] = [];
afterAll(async () => {
  for (const s of sockets) s.close();
  for (const s of servers) await s.close().catch(() => undefined);
  if (!('skip' in pgTarget)) await (pgTarget as TempPg).drop();
});

type Events = { event: string; payload: Record<string, unknown> }[];

function connect(url: string, auth: Record<string, unknown>): Promise<{ socket: Socket; session: SessionReady; seen: Events }> {
  const socket = io(`${url}/vitrine`, { auth: { protocol: 1, ...auth }, transports: ['websocket'], reconnection: false, forceNew: true });
  sockets.push(socket);
  const seen: Events = [];
  socket.onAny((event: string, payload: Record<string, unknown>) => seen.push({ event, payload }));
  return new Promise((resolve, reject) => {
    socket.once('session:ready', (session: SessionReady) => resolve({ socket, session, seen }));
    socket.once('connect_error', reject);
  });
}

async function until<T>(what: string, check: () => T | undefined | null | false, ms = 5000): Promise<T> {
  const t0 = Date.now();
  for (;;) {
    const v = check();
    if (v) return v;
    if (Date.now() - t0 > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe.skipIf(skip !== null)('two servers sharing rooms through Redis (PostgreSQL)', () => {
  const prefix = `vitrine-test-${randomBytes(5).toString('hex')}`;

  it('delivers message:new, typing:update (never to the sender), read:update and conversation:update across servers', async () => {
    const databaseUrl = (pgTarget as TempPg).url;
    const a = await startServer({ port: 0, databaseUrl, redisUrl: REDIS_URL, redisKeyPrefix: prefix, quiet: true });
    servers.push(a);
    const b = await startServer({ port: 0, databaseUrl, redisUrl: REDIS_URL, redisKeyPrefix: prefix, quiet: true });
    servers.push(b);
    await createShop(a.store, { id: 'rshop', name: 'Redis shop' });
    const { token: agentToken } = await createAgentToken(a, b.url);

    const token = `vt_${randomBytes(32).toString('hex')}`;
    const v1 = await connect(a.url, { shop: 'rshop', role: 'visitor', token });
    const v2 = await connect(b.url, { shop: 'rshop', role: 'visitor', token });
    const ag = await connect(b.url, { shop: 'rshop', role: 'agent', token: agentToken });
    const conversationId = v1.session.conversation!.id;
    expect(v2.session.conversation!.id).toBe(conversationId);

    // typing from A reaches B (same visitor's other socket, and the agent), not the sender.
    await v1.socket.emitWithAck('typing:set', { conversationId, typing: true });
    await until('typing on B', () => v2.seen.some((e) => e.event === 'typing:update') && ag.seen.some((e) => e.event === 'typing:update'));
    expect(v1.seen.filter((e) => e.event === 'typing:update')).toEqual([]);

    // message from A reaches B; the typing stop goes out too; the agent's list gets unread 1.
    const sent = (await v1.socket.emitWithAck('message:send', { conversationId, clientId: 'c-1', kind: 'text', text: 'hi' })) as { ok: true; message: Message };
    expect(sent.ok).toBe(true);
    await until('message on B', () => v2.seen.some((e) => e.event === 'message:new') && ag.seen.some((e) => e.event === 'message:new'));
    expect(v1.seen.filter((e) => e.event === 'message:new')).toHaveLength(1); // one emit to both rooms: once
    await until('typing stop on B', () => ag.seen.some((e) => e.event === 'typing:update' && e.payload.typing === false));
    const update = await until('conversation:update on B', () =>
      ag.seen.find((e) => e.event === 'conversation:update' && (e.payload as unknown as ConversationSummary).unread === 1),
    );
    expect((update.payload as unknown as ConversationSummary).id).toBe(conversationId);

    // read mark set on B reaches A.
    await ag.socket.emitWithAck('read:set', { conversationId, seq: 1 });
    await until('read:update on A', () => v1.seen.some((e) => e.event === 'read:update' && e.payload.role === 'agent' && e.payload.seq === 1));

    // Graceful close of A disconnects only A's sockets; B keeps serving and emitting.
    await a.close();
    await until('v1 closed', () => !v1.socket.connected);
    expect(v2.socket.connected && ag.socket.connected).toBe(true);
    await v2.socket.emitWithAck('message:send', { conversationId, clientId: 'c-2', kind: 'text', text: 'still here' });
    await until('agent got it', () => ag.seen.filter((e) => e.event === 'message:new').length === 2);
  });

  it('several servers started together with demo seeding on one database all start', async () => {
    const databaseUrl = (pgTarget as TempPg).url;
    const started = await Promise.all(
      [1, 2, 3].map(() => startServer({ port: 0, databaseUrl, redisUrl: REDIS_URL, redisKeyPrefix: `${prefix}-seed`, demo: true, quiet: true })),
    );
    servers.push(...started);
    expect(started).toHaveLength(3);
    // Seeded once, whoever won: three quick replies, two coupons, reservations on.
    expect(await started[0].store.listQuickReplies('demo')).toHaveLength(3);
    expect((await started[0].store.listCoupons('demo')).map((c) => c.id).sort()).toEqual(['pearl15', 'welcome50']);
    expect((await started[0].store.getReservationSettings('demo'))!.enabled).toBe(true);
  });

  it('delivers product:update to a socket of another server watching the product', async () => {
    const databaseUrl = (pgTarget as TempPg).url;
    const a = await startServer({ port: 0, databaseUrl, redisUrl: REDIS_URL, redisKeyPrefix: `${prefix}-watch`, quiet: true });
    servers.push(a);
    const b = await startServer({ port: 0, databaseUrl, redisUrl: REDIS_URL, redisKeyPrefix: `${prefix}-watch`, quiet: true });
    servers.push(b);
    await createShop(a.store, { id: 'wshop', name: 'Watch shop' });
    await createAgent(a.store, { shop: 'wshop', email: 'w@wshop.test', name: 'Wen', password: 'watch test password' });
    const login = await fetch(`${a.url}/api/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'w@wshop.test', password: 'watch test password', shop: 'wshop' }),
    });
    const { token } = (await login.json()) as { token: string };
    const put = (stock: number) =>
      fetch(`${a.url}/api/products/p1`, {
        method: 'PUT',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ title: { en: 'P1' }, price: { amount: 100, currency: 'CNY' }, variants: [{ id: 'v', stock }] }),
      });
    expect((await put(5)).status).toBe(201);
    const v = await connect(b.url, { shop: 'wshop', role: 'visitor' });
    expect(((await v.socket.emitWithAck('product:get', { productIds: ['p1'], watch: true })) as { ok: boolean }).ok).toBe(true);
    expect((await put(0)).status).toBe(200);
    const update = await until('product:update on B', () => v.seen.find((e) => e.event === 'product:update'));
    expect(update.payload).toMatchObject({ product: { id: 'p1', variants: [{ id: 'v', stock: 0 }] } });
  });

  it('after losing its Redis subscription, a server makes its clients reconnect (to resync)', async () => {
    const databaseUrl = (pgTarget as TempPg).url;
    const killPrefix = `${prefix}-kill`;
    const s = await startServer({ port: 0, databaseUrl, redisUrl: REDIS_URL, redisKeyPrefix: killPrefix, quiet: true });
    servers.push(s);
    await createShop(s.store, { id: 'rshop', name: 'Redis shop' });
    const v = await connect(s.url, { shop: 'rshop', role: 'visitor' });
    const admin = createClient({ url: REDIS_URL });
    await admin.connect();
    try {
      const list = String(await admin.sendCommand(['CLIENT', 'LIST']));
      const line = list.split('\n').find((l) => l.includes(` name=${killPrefix}:sub `));
      expect(line, 'the subscriber connection is named <prefix>:sub').toBeTruthy();
      const id = /\bid=(\d+)/.exec(line!)![1]!;
      await admin.sendCommand(['CLIENT', 'KILL', 'ID', id]);
    } finally {
      await admin.close();
    }
    await until('client disconnected for resync', () => !v.socket.connected, 8000);
    // The server still serves: a new connection works and its emits flow.
    const again = await connect(s.url, { shop: 'rshop', role: 'visitor', token: v.session.token });
    expect(again.session.conversation!.id).toBe(v.session.conversation!.id);
  });
});

async function createAgentToken(server: RunningServer, url: string): Promise<{ token: string }> {
  await createAgent(server.store, { shop: 'rshop', email: 'a@rshop.test', name: 'Ren', password: 'redis adapter test password' });
  const res = await fetch(`${url}/api/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'a@rshop.test', password: 'redis adapter test password', shop: 'rshop' }),
  });
  return (await res.json()) as { token: string };
}
