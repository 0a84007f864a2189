/**
 * Scenario a — `kill -9` of the server process in the middle of a burst of 1,000 sends from 20
 * visitors (50 each, as fast as each outbox flushes), then a restart on the same port and data.
 * All 1,000 are stored exactly once, and every ack received before the kill is durable. Runs on the
 * embedded store (PGlite) and on PostgreSQL (a database created for the run and dropped after).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createTempPg } from '../../server/test-support.js';
import { freePort } from '../support/server-process.js';
import { DEMO_SHOP, DeliveryLog, finalHistory, login, spawnServer, tappedClient, until, verdict, type ServerProcess, type TappedClient } from './harness.js';

const CLIENTS = 20;
const PER_CLIENT = 50;
const KILL_AFTER_ACKS = 400;

const cleanups: (() => Promise<unknown> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function killMidBurst(store: 'PGlite' | 'PostgreSQL', databaseUrl?: string): Promise<void> {
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'vitrine-faults-kill9-'));
  cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
  let server: ServerProcess = await spawnServer({ port, dataDir, databaseUrl });
  cleanups.push(() => server.kill('SIGKILL'));

  const log = new DeliveryLog();
  const visitors: TappedClient[] = [];
  for (let i = 0; i < CLIENTS; i++) {
    const v = tappedClient(log, `visitor${i}`, { url: server.url, shop: DEMO_SHOP });
    visitors.push(v);
    cleanups.push(() => v.destroy());
  }
  const convs = await Promise.all(visitors.map((v) => v.conversation()));

  const t0 = Date.now();
  const sends = visitors.flatMap((v, i) => Array.from({ length: PER_CLIENT }, (_, k) => v.send(convs[i]!, `v${i} #${k + 1}`)));
  let settled = 0;
  for (const s of sends) void s.done.then(() => (settled += 1));

  await until(`${KILL_AFTER_ACKS} acks`, () => log.acks.length >= KILL_AFTER_ACKS, 60_000, 1);
  const ackedBeforeKill = [...log.acks];
  const exit = await server.kill('SIGKILL');
  const killedAt = Date.now();
  expect(exit).toBe('SIGKILL');
  const settledAtKill = settled;

  server = await spawnServer({ port, dataDir, databaseUrl });
  const restartedMs = Date.now() - killedAt;
  await until('every send acked', () => settled === sends.length, 90_000, 20);
  const convergeMs = Date.now() - killedAt;

  const token = await login(server.url);
  const history = await finalHistory(server.url, DEMO_SHOP, token, convs.map((c) => c.id));
  const stored = [...history.values()].reduce((n, l) => n + l.length, 0);
  const lostAcked = ackedBeforeKill.filter((a) => ![...history.values()].some((l) => l.some((m) => m.id === a.messageId)));
  expect(lostAcked).toEqual([]);
  for (let i = 0; i < CLIENTS; i++) log.expectComplete(`visitor${i}`, convs[i]!.id);
  const afterKill = log.acks.filter((a) => a.at >= killedAt).length;
  verdict(log, history, {
    scenario: `a. kill -9 mid-burst (${store})`,
    messages: stored,
    retries: log.retries(),
    convergeMs,
    note: `${ackedBeforeKill.length} acked before kill (${settledAtKill} settled), ${afterKill} after; restart ${(restartedMs / 1000).toFixed(1)}s; burst start->kill ${((killedAt - t0) / 1000).toFixed(1)}s`,
  });
  expect(stored).toBe(CLIENTS * PER_CLIENT);
}

describe('faults: server kill -9 mid-burst', () => {
  it('embedded store (PGlite): 1,000 sends from 20 clients, kill -9, restart: all stored exactly once, acked = durable', async () => {
    await killMidBurst('PGlite');
  });

  it('PostgreSQL: the same', async (ctx) => {
    const pg = await createTempPg();
    if ('skip' in pg) {
      console.log(`[faults] skipped: ${pg.skip}`);
      ctx.skip();
      return;
    }
    cleanups.push(() => pg.drop());
    await killMidBurst('PostgreSQL', pg.url);
  });
});
