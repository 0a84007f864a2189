/**
 * Scenario e — a bad network during a burst: connections reset (RST) mid-frame in either direction,
 * byte cut-offs (truncated, then FIN), and 200 ms of added latency each way. 10 visitors send through
 * the fault proxy; an agent watches every conversation directly. The network is bad for 6 s of the
 * burst, then heals. Still exactly once, in order, and everybody converges.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { agentToken, SHOP, startTestServer } from '../integration/helpers.js';
import { DeliveryLog, finalHistory, tappedClient, until, verdict, type TappedClient } from './harness.js';
import { startFaultProxy, type FaultProxy } from './proxy.js';

const VISITORS = 10;
const FAULT_MS = 6000;

let server: Awaited<ReturnType<typeof startTestServer>>;
let token: string;
beforeAll(async () => {
  server = await startTestServer();
  token = await agentToken(server.url);
});
afterAll(async () => {
  await server?.close();
});
const cleanups: (() => Promise<unknown> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function burst(scenario: string, perVisitor: number, fault: (proxy: FaultProxy) => void, every: number | null): Promise<void> {
  const proxy = await startFaultProxy({ port: server.port });
  cleanups.push(() => proxy.close());
  const log = new DeliveryLog();
  const visitors: TappedClient[] = [];
  for (let i = 0; i < VISITORS; i++) {
    const v = tappedClient(log, `visitor${i}`, { url: proxy.url, shop: SHOP, requestTimeoutMs: 3000 });
    visitors.push(v);
    cleanups.push(() => v.destroy());
  }
  const convs = await Promise.all(visitors.map((v) => v.conversation()));
  const agent = tappedClient(log, 'agent', { url: server.url, shop: SHOP, role: 'agent', token });
  cleanups.push(() => agent.destroy());
  await until('agent online', () => agent.client.$connection.get() === 'online');
  for (const c of convs) agent.observe(c.id);

  const t0 = Date.now();
  fault(proxy);
  // The network stays bad for FAULT_MS (or until the burst is through), then heals.
  const timer = every ? setInterval(() => fault(proxy), every) : null;
  const heal = setTimeout(() => {
    if (timer) clearInterval(timer);
    proxy.heal();
  }, FAULT_MS);
  const sends = visitors.flatMap((v, i) => Array.from({ length: perVisitor }, (_, k) => v.send(convs[i]!, `${scenario} v${i} #${k + 1}`)));
  let settled = 0;
  for (const s of sends) void s.done.then(() => (settled += 1));
  try {
    await until(`${scenario}: every send acked`, () => settled === sends.length, 60_000, 20);
  } catch (err) {
    const state = visitors.map((v, i) => {
      const pending = convs[i]!.$messages.get().filter((m) => m.seq === null);
      return `${v.id}: ${v.client.$connection.get()}, ${pending.length} pending (${pending.map((m) => m.status).join(',')})`;
    });
    throw new Error(`${String(err)}\n${state.join('\n')}\nproxy: ${JSON.stringify({ ...proxy.stats, dropped: undefined })}`);
  } finally {
    clearTimeout(heal);
    if (timer) clearInterval(timer);
    proxy.heal();
  }
  const convergeMs = Date.now() - t0;
  const total = VISITORS * perVisitor;
  await until('agent saw everything', () => convs.every((c) => agent.client.conversation(c.id).$messages.get().length === perVisitor), 30_000);
  const history = await finalHistory(server.url, SHOP, token, convs.map((c) => c.id));
  for (let i = 0; i < VISITORS; i++) {
    log.expectComplete(`visitor${i}`, convs[i]!.id);
    log.expectComplete('agent', convs[i]!.id);
  }
  const s = proxy.stats;
  verdict(log, history, {
    scenario,
    messages: total,
    retries: log.retries(),
    convergeMs,
    note: `${s.connections} connections, ${s.resets} resets, ${s.cutoffs} cut-offs, ${(s.bytesDown / 1024).toFixed(0)} KiB down`,
  });
  expect([...history.values()].reduce((n, l) => n + l.length, 0)).toBe(total);
}

describe('faults: bad network during a burst', () => {
  it('resets mid-frame (server -> client and client -> server), repeatedly', async () => {
    let flip = false;
    await burst('e. reset mid-frame', 30, (p) => p.resetAfter(((flip = !flip), flip ? 1500 : 700), flip ? 'down' : 'up', 1), 400);
  });

  it('byte cut-off (truncated, then FIN), repeatedly', async () => {
    await burst('e. byte cut-off', 30, (p) => p.cutAfter(1100, 'down', 1), 400);
  });

  it('200 ms latency each way', async () => {
    await burst('e. latency 200 ms', 8, (p) => p.setLatency(200), null);
  });
});
