/** Server lifecycle: graceful close keeps acked data; PGlite directory reopen; PostgreSQL backend; main.ts. */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { io, type Socket } from 'socket.io-client';
import { afterAll, describe, expect, it } from 'vitest';
import type { Message, SessionReady } from '../src/protocol/types.js';
import { createShop, startServer, type RunningServer } from './app.js';
import { createTempPg, type TempPg } from './test-support.js';

const sockets: Socket[] = [];
afterAll(() => {
  for (const s of sockets) s.close();
});

function connectVisitor(url: string, shop: string, token?: string): Promise<{ socket: Socket; session: SessionReady }> {
  const socket = io(`${url}/vitrine`, { auth: { protocol: 1, shop, role: 'visitor', token }, transports: ['websocket'], reconnection: false, forceNew: true });
  sockets.push(socket);
  return new Promise((resolve, reject) => {
    socket.once('session:ready', (session: SessionReady) => resolve({ socket, session }));
    socket.once('connect_error', reject);
  });
}

async function sendText(socket: Socket, conversationId: string, text: string, clientId: string): Promise<Message> {
  const res = (await socket.timeout(5000).emitWithAck('message:send', { conversationId, clientId, kind: 'text', text })) as
    | { ok: true; message: Message }
    | { ok: false; error: { code: string } };
  if (!res.ok) throw new Error(res.error.code);
  return res.message;
}

describe('graceful close and reopen (PGlite directory)', () => {
  it('acks in flight at close still commit; history survives a restart', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'vitrine-data-'));
    try {
      let server: RunningServer = await startServer({ port: 0, dataDir: dir, quiet: true });
      await createShop(server.store, { id: 'persist', name: 'Persist' });
      const { socket, session } = await connectVisitor(server.url, 'persist');
      const conv = session.conversation!.id;
      await sendText(socket, conv, 'first', 'k1');
      // Fire several sends and close while they are in flight: every ack that arrives means stored.
      const inflight = Array.from({ length: 10 }, (_, i) => sendText(socket, conv, `burst ${i}`, `b${i}`).then((m) => m, () => null));
      // Once the first ack is back the server holds the rest; close now, with requests in flight.
      await Promise.race(inflight);
      const closing = server.close();
      const acked = (await Promise.all(inflight)).filter((m): m is Message => m !== null);
      await closing;
      expect(acked.length).toBeGreaterThan(1);
      expect((await fetch(`${server.url}/healthz`).catch(() => null))?.status ?? 0).not.toBe(200);

      server = await startServer({ port: 0, dataDir: dir, quiet: true });
      try {
        const again = await connectVisitor(server.url, 'persist', session.token);
        expect(again.session.conversation!.id).toBe(conv);
        const page = (await again.socket.timeout(5000).emitWithAck('history:get', { conversationId: conv, afterSeq: 0 })) as {
          ok: true;
          messages: Message[];
        };
        const texts = page.messages.map((m) => m.text);
        expect(texts[0]).toBe('first');
        for (const m of acked) expect(texts).toContain(m.text);
        expect(page.messages.map((m) => m.seq)).toEqual(page.messages.map((_, i) => i + 1));
        again.socket.close();
      } finally {
        await server.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('healthz answers 503 and handshakes are unavailable while the database starts', async () => {
    const port = await new Promise<number>((resolve) => {
      const probe = createNetServer().listen(0, '127.0.0.1', () => {
        const p = (probe.address() as AddressInfo).port;
        probe.close(() => resolve(p));
      });
    });
    const starting = startServer({ port, dataDir: 'memory://', quiet: true });
    const url = `http://127.0.0.1:${port}`;
    let during = 0;
    for (let i = 0; i < 200 && during === 0; i++) {
      const res = await fetch(`${url}/healthz`).catch(() => null);
      if (res) during = res.status;
      else await new Promise((r) => setTimeout(r, 10));
    }
    const refusedWith = await new Promise<unknown>((resolve) => {
      const s = io(`${url}/vitrine`, { auth: { protocol: 1, shop: 'x', role: 'visitor' }, transports: ['websocket'], reconnection: false, forceNew: true });
      sockets.push(s);
      s.once('connect_error', (err: Error & { data?: { code: string } }) => resolve(err.data?.code));
      s.once('session:ready', () => resolve('accepted'));
    });
    const server = await starting;
    try {
      expect(during).toBe(503);
      expect(refusedWith).toBe('unavailable');
      expect((await fetch(`${url}/healthz`)).status).toBe(200);
    } finally {
      await server.close();
    }
  });

  it('close() is idempotent and releases the port', async () => {
    const server = await startServer({ port: 0, dataDir: 'memory://', quiet: true });
    const a = server.close();
    const b = server.close();
    await Promise.all([a, b]);
    await expect(fetch(`${server.url}/healthz`)).rejects.toThrow();
  });
});

const pgTarget = await createTempPg();
if ('skip' in pgTarget) console.warn(`[server] skipping PostgreSQL server test: ${pgTarget.skip}`);

describe.skipIf('skip' in pgTarget)('server on PostgreSQL', () => {
  afterAll(async () => {
    if (!('skip' in pgTarget)) await (pgTarget as TempPg).drop();
  });

  it('speaks the protocol with databaseUrl and keeps data across restarts', async () => {
    const url = (pgTarget as TempPg).url;
    let server = await startServer({ port: 0, databaseUrl: url, quiet: true });
    await createShop(server.store, { id: 'pg-shop', name: 'PG' });
    const { socket, session } = await connectVisitor(server.url, 'pg-shop');
    const conv = session.conversation!.id;
    const sent = await Promise.all(Array.from({ length: 20 }, (_, i) => sendText(socket, conv, `m${i}`, `k${i}`)));
    expect(sent.map((m) => m.seq).sort((x, y) => x - y)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    socket.close();
    await server.close();
    server = await startServer({ port: 0, databaseUrl: url, quiet: true });
    try {
      const again = await connectVisitor(server.url, 'pg-shop', session.token);
      expect(again.session.conversation!.lastSeq).toBe(20);
      again.socket.close();
    } finally {
      await server.close();
    }
  });
});

describe('server/main.ts', () => {
  it('prints one ready line, seeds the demo idempotently and exits 0 on SIGTERM', async () => {
    const repo = fileURLToPath(new URL('..', import.meta.url));
    const dir = mkdtempSync(path.join(tmpdir(), 'vitrine-main-'));
    const run = async (): Promise<{ out: string; code: number | null; loginStatus: number }> => {
      const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts', '--demo'], {
        cwd: repo,
        env: { ...process.env, PORT: '0', VITRINE_DATA: dir, VITRINE_QUIET: '1', DATABASE_URL: '' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      child.stderr.on('data', (c: Buffer) => (out += c.toString()));
      const url = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no ready line: ${out}`)), 20_000);
        child.stdout.on('data', (c: Buffer) => {
          out += c.toString();
          const m = /Vitrine is running at (http:\/\/[^\s]+)/.exec(out);
          if (m) {
            clearTimeout(timer);
            resolve(m[1]);
          }
        });
      });
      const login = await fetch(`${url}/api/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'owner@demo.shop', password: 'vitrine-demo' }),
      });
      const code = await new Promise<number | null>((resolve) => {
        child.once('exit', (c) => resolve(c));
        child.kill('SIGTERM');
      });
      return { out, code, loginStatus: login.status };
    };
    try {
      const first = await run();
      expect(first.loginStatus).toBe(200);
      expect(first.code).toBe(0);
      expect(first.out.trim().split('\n').filter((l) => l.includes('http://'))).toHaveLength(1);
      expect(first.out).toMatch(/^Vitrine is running at http:\/\/127\.0\.0\.1:\d+ {2}\(console: http:\/\/127\.0\.0\.1:\d+\/console\/\)$/m);
      const second = await run(); // seeding again must not fail
      expect(second.loginStatus).toBe(200);
      expect(second.code).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
