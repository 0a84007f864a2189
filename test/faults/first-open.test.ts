/**
 * Scenario c — 20 parallel first opens by one visitor create one conversation. Once as 20 Vitrine
 * clients sharing one storage (20 tabs of one browser opening at the same moment), once as 20 raw
 * sockets with one client-chosen token; on PGlite and on PostgreSQL. Afterwards each tab sends one
 * message: 20 messages, one conversation, seq 1..20.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { io, type Socket } from 'socket.io-client';
import { afterEach, describe, expect, it } from 'vitest';
import { createAgent, createShop, startServer, type RunningServer } from '../../server/app.js';
import { createTempPg } from '../../server/test-support.js';
import { PROTOCOL_VERSION, type SessionReady } from '../../src/index.js';
import { AGENT, agentToken, SHOP } from '../integration/helpers.js';
import { browserTabs, DeliveryLog, finalHistory, tappedClient, verdict, type TappedClient } from './harness.js';
import { startFaultProxy } from './proxy.js';

const TABS = 20;
const cleanups: (() => Promise<unknown> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function start(store: 'PGlite' | 'PostgreSQL'): Promise<RunningServer | null> {
  let databaseUrl: string | undefined;
  let dataDir: string | undefined;
  if (store === 'PostgreSQL') {
    const pg = await createTempPg();
    if ('skip' in pg) {
      console.log(`[faults] skipped: ${pg.skip}`);
      return null;
    }
    cleanups.push(() => pg.drop());
    databaseUrl = pg.url;
  } else {
    const dir = mkdtempSync(join(tmpdir(), 'vitrine-faults-open-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    dataDir = dir;
  }
  const server = await startServer({ port: 0, dataDir, databaseUrl, quiet: true });
  cleanups.push(() => server.close());
  await createShop(server.store, { id: SHOP, name: 'Faults Shop' });
  await createAgent(server.store, { shop: SHOP, ...AGENT });
  return server;
}

async function visitorRows(server: RunningServer): Promise<{ visitors: number; conversations: number }> {
  const [v] = await server.store.db.query<{ n: string }>('SELECT count(*) AS n FROM visitors WHERE shop = $1', [SHOP]);
  const [c] = await server.store.db.query<{ n: string }>('SELECT count(*) AS n FROM conversations WHERE shop = $1', [SHOP]);
  return { visitors: Number(v!.n), conversations: Number(c!.n) };
}

for (const store of ['PGlite', 'PostgreSQL'] as const) {
  describe(`faults: 20 parallel first opens (${store})`, () => {
    it('20 tabs of one browser (shared storage and locks; through the proxy, 50 ms latency) open one conversation and share it', async (ctx) => {
      const server = await start(store);
      if (!server) return ctx.skip();
      const proxy = await startFaultProxy({ port: server.port });
      cleanups.push(() => proxy.close());
      proxy.setLatency(50);
      const log = new DeliveryLog();
      const browser = browserTabs();
      const t0 = Date.now();
      const tabs: TappedClient[] = Array.from({ length: TABS }, (_, i) =>
        tappedClient(log, `tab${i}`, { url: proxy.url, shop: SHOP, storage: browser.storage(), lock: browser.lock }),
      );
      for (const t of tabs) cleanups.push(() => t.destroy());
      const convs = await Promise.all(tabs.map((t) => t.conversation()));
      const convergeMs = Date.now() - t0;
      expect(new Set(convs.map((c) => c.id)).size).toBe(1);
      expect(new Set(tabs.map((t) => t.client.$session.get()?.userId)).size).toBe(1);
      expect(await visitorRows(server)).toEqual({ visitors: 1, conversations: 1 });

      await Promise.all(tabs.map((t, i) => t.send(convs[i]!, `from tab ${i}`).done));
      const history = await finalHistory(server.url, SHOP, await agentToken(server.url), [convs[0]!.id]);
      expect(history.get(convs[0]!.id)).toHaveLength(TABS);
      for (const t of tabs) log.expectComplete(t.id, convs[0]!.id);
      verdict(log, history, { scenario: `c. 20 first opens, one browser (${store})`, messages: TABS, retries: log.retries(), convergeMs, note: '1 visitor, 1 conversation' });
    });

    it('20 raw sockets with one client-chosen token bind one visitor and one conversation', async (ctx) => {
      const server = await start(store);
      if (!server) return ctx.skip();
      const token = `vt_${randomBytes(48).toString('base64url')}`;
      const t0 = Date.now();
      const sockets: Socket[] = [];
      const sessions = await Promise.all(
        Array.from({ length: TABS }, () => {
          const s = io(`${server.url}/vitrine`, {
            auth: { protocol: PROTOCOL_VERSION, shop: SHOP, role: 'visitor', token },
            transports: ['websocket'],
            forceNew: true,
            reconnection: false,
          });
          sockets.push(s);
          return new Promise<SessionReady>((resolve, reject) => {
            s.once('session:ready', resolve);
            s.once('connect_error', reject);
          });
        }),
      );
      const convergeMs = Date.now() - t0;
      for (const s of sockets) cleanups.push(() => void s.disconnect());
      expect(new Set(sessions.map((s) => s.conversation?.id)).size).toBe(1);
      expect(new Set(sessions.map((s) => s.userId)).size).toBe(1);
      expect(sessions.every((s) => s.token === token)).toBe(true);
      expect(await visitorRows(server)).toEqual({ visitors: 1, conversations: 1 });
      console.log(`[faults] c. raw first opens (${store}): ${TABS} handshakes -> 1 visitor, 1 conversation in ${convergeMs} ms`);
    });
  });
}
