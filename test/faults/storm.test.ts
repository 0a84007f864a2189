/**
 * Scenario f — server restart during a reconnect storm of 500 visitors. Every visitor is connected
 * through the fault proxy; the proxy resets all connections at once and the server restarts while
 * they reconnect (graceful SIGTERM, and SIGKILL). All converge to online, and one message sent by each
 * after the storm is stored exactly once.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort } from '../support/server-process.js';
import { DEMO_SHOP, DeliveryLog, finalHistory, login, sleep, spawnServer, tappedClient, until, verdict, type ServerProcess, type TappedClient } from './harness.js';
import { startFaultProxy } from './proxy.js';

const CLIENTS = Number(process.env.FAULTS_STORM_CLIENTS ?? 500);

const cleanups: (() => Promise<unknown> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function storm(signal: 'SIGTERM' | 'SIGKILL'): Promise<void> {
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'vitrine-faults-storm-'));
  cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
  let server: ServerProcess = await spawnServer({ port, dataDir });
  cleanups.push(() => server.kill('SIGKILL'));
  const proxy = await startFaultProxy({ port });
  cleanups.push(() => proxy.close());

  const log = new DeliveryLog();
  const visitors: TappedClient[] = [];
  const tConnect = Date.now();
  for (let i = 0; i < CLIENTS; i++) {
    const v = tappedClient(log, `visitor${i}`, { url: proxy.url, shop: DEMO_SHOP });
    visitors.push(v);
    cleanups.push(() => v.destroy());
    if (i % 50 === 49) await sleep(50);
  }
  const online = (): number => visitors.filter((v) => v.client.$connection.get() === 'online').length;
  await until(`${CLIENTS} online`, () => online() === CLIENTS, 60_000, 50);
  const connectMs = Date.now() - tConnect;
  const convs = await Promise.all(visitors.map((v) => v.conversation()));
  const connectionsBefore = proxy.stats.connections;

  // The storm: every connection reset at once, and the server restarts while they come back.
  const t0 = Date.now();
  const reset = proxy.resetAll();
  expect(reset).toBe(CLIENTS);
  await sleep(200);
  const exit = await server.kill(signal);
  server = await spawnServer({ port, dataDir });
  const restartMs = Date.now() - t0;
  await until(`${CLIENTS} online again`, () => online() === CLIENTS, 90_000, 50);
  const convergeMs = Date.now() - t0;
  // Same visitors, same conversations.
  expect(visitors.map((v) => v.client.$conversation.get()?.id)).toEqual(convs.map((c) => c.id));

  const sends = visitors.map((v, i) => v.send(convs[i]!, `after the storm ${i}`));
  const tSend = Date.now();
  await Promise.all(sends.map((s) => s.done));
  const sendMs = Date.now() - tSend;

  const history = await finalHistory(server.url, DEMO_SHOP, await login(server.url), convs.map((c) => c.id));
  for (let i = 0; i < CLIENTS; i++) log.expectComplete(`visitor${i}`, convs[i]!.id);
  verdict(log, history, {
    scenario: `f. storm x${CLIENTS} + ${signal}`,
    messages: CLIENTS,
    retries: log.retries(),
    convergeMs,
    note: `exit ${exit}; restart ${(restartMs / 1000).toFixed(1)}s; ${proxy.stats.connections - connectionsBefore} reconnect attempts; first connect ${(connectMs / 1000).toFixed(1)}s; ${CLIENTS} sends ${(sendMs / 1000).toFixed(1)}s`,
  });
  expect([...history.values()].every((l) => l.length === 1)).toBe(true);
}

describe(`faults: server restart during a reconnect storm of ${CLIENTS} clients`, () => {
  it('graceful restart (SIGTERM)', async () => {
    await storm('SIGTERM');
  });

  it('crash (SIGKILL)', async () => {
    await storm('SIGKILL');
  });
});
