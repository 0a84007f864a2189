/**
 * Scenario d — a visitor is offline for 60 s (FAULTS_OFFLINE_MS) while the agent keeps writing
 * (one message per 500 ms) and the visitor queues sends of its own. Offline = the proxy resets its
 * connection and refuses new ones. Back online it catches up through `history:get { afterSeq }`
 * with everything, in order, without duplicates, flushes its outbox once, in order — and the
 * catch-up costs what it missed (the conversation holds 300 earlier messages), not the whole history.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { LIMITS } from '../../src/index.js';
import { agentToken, SHOP, startTestServer } from '../integration/helpers.js';
import { DeliveryLog, finalHistory, rawAgent, rawSend, sleep, tappedClient, until, verdict } from './harness.js';
import { startFaultProxy } from './proxy.js';

const OFFLINE_MS = Number(process.env.FAULTS_OFFLINE_MS ?? 60_000);
const BLACKHOLE_MS = Number(process.env.FAULTS_BLACKHOLE_MS ?? 20_000);
const SEED = 300;
const AGENT_EVERY_MS = 500;
const VISITOR_OFFLINE_SENDS = 5;

const cleanups: (() => Promise<unknown> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe('faults: client offline while the agent keeps writing', () => {
  it(`offline ${OFFLINE_MS / 1000} s: catches up with everything, in order, at the cost of what it missed`, { timeout: OFFLINE_MS + 120_000 }, async () => {
    const server = await startTestServer();
    cleanups.push(() => server.close());
    const proxy = await startFaultProxy({ port: server.port });
    cleanups.push(() => proxy.close());
    const token = await agentToken(server.url);
    const log = new DeliveryLog();

    const visitor = tappedClient(log, 'visitor', { url: proxy.url, shop: SHOP });
    cleanups.push(() => visitor.destroy());
    const conv = await visitor.conversation();
    const agent = await rawAgent(server.url, SHOP, token);
    cleanups.push(() => void agent.disconnect());

    let n = 0;
    for (let i = 0; i < SEED; i++) await rawSend(log, agent, conv.id, `agent-${++n}`, `earlier ${n}`);
    await until('visitor saw the seed', () => conv.$messages.get().length === SEED);

    // Offline: cut the connection and refuse new ones.
    proxy.resetAll();
    proxy.refuse(true);
    await until('visitor offline', () => visitor.client.$connection.get() === 'reconnecting', 5000);
    const before = { ...visitor.history };
    const offlineAt = Date.now();
    const missedFrom = SEED + 1;
    let writing = true;
    let every = AGENT_EVERY_MS;
    const writer = (async () => {
      while (writing) {
        await rawSend(log, agent, conv.id, `agent-${++n}`, `agent ${n}`);
        await sleep(every);
      }
    })();
    const own: { clientId: string; done: Promise<unknown> }[] = [];
    for (let i = 0; i < VISITOR_OFFLINE_SENDS; i++) {
      await sleep(OFFLINE_MS / (VISITOR_OFFLINE_SENDS + 1));
      own.push(visitor.send(conv, `sent offline ${i + 1}`));
    }
    await sleep(offlineAt + OFFLINE_MS - Date.now());
    expect(visitor.client.$connection.get()).not.toBe('online');
    const missed = n - SEED;

    // Back online; the agent keeps writing, faster, a few seconds more (live messages race the catch-up).
    every = 20;
    proxy.refuse(false);
    const backAt = Date.now();
    const nAtBack = n;
    await until('visitor online', () => visitor.client.$connection.get() === 'online', 30_000);
    const reconnectMs = Date.now() - backAt;
    await Promise.all(own.map((o) => o.done));
    await until('visitor caught up', () => conv.$messages.get().filter((m) => m.seq !== null).length >= nAtBack + VISITOR_OFFLINE_SENDS, 30_000);
    const convergeMs = Date.now() - backAt;
    await sleep(3000);
    writing = false;
    await writer;
    const total = n + VISITOR_OFFLINE_SENDS;
    await until('visitor has everything', () => conv.$messages.get().filter((m) => m.seq !== null).length === total, 30_000);

    const requests = visitor.history.requests - before.requests;
    const fetched = visitor.history.messages - before.messages;
    // Cost: pages of what was missed and written since (plus own sends), never the 300 earlier ones.
    expect(fetched).toBeLessThanOrEqual(total - SEED);
    expect(requests).toBeLessThanOrEqual(Math.ceil((total - SEED) / LIMITS.pageMax) + 2);
    // The offline sends were flushed once each, in order.
    for (const o of own) expect(log.attempts.get(o.clientId)).toBe(1);
    const history = await finalHistory(server.url, SHOP, token, [conv.id]);
    const ownSeqs = own.map((o) => history.get(conv.id)!.find((m) => m.clientId === o.clientId)!.seq);
    expect([...ownSeqs].sort((a, b) => a - b)).toEqual(ownSeqs);
    log.expectComplete('visitor', conv.id, 1);
    verdict(log, history, {
      scenario: `d. offline ${OFFLINE_MS / 1000}s, agent writing`,
      messages: total,
      retries: log.retries(),
      convergeMs,
      note: `missed ${missed} (from seq ${missedFrom}) + ${VISITOR_OFFLINE_SENDS} own sent offline, ${n - SEED - missed} live after; catch-up ${requests} history:get, ${fetched} messages; reconnect ${(reconnectMs / 1000).toFixed(1)}s`,
    });
  });

  it(`blackhole ${BLACKHOLE_MS / 1000} s (stalled TCP, no reset), client defaults: sends made meanwhile are stored once, nothing missed`, { timeout: BLACKHOLE_MS + 90_000 }, async () => {
    const server = await startTestServer();
    cleanups.push(() => server.close());
    const proxy = await startFaultProxy({ port: server.port });
    cleanups.push(() => proxy.close());
    const token = await agentToken(server.url);
    const log = new DeliveryLog();
    // The default retry budget (5 attempts) and request timeout (10 s).
    const visitor = tappedClient(log, 'visitor', { url: proxy.url, shop: SHOP, maxSendAttempts: 5, requestTimeoutMs: 10_000 });
    cleanups.push(() => visitor.destroy());
    const conv = await visitor.conversation();
    const agent = await rawAgent(server.url, SHOP, token);
    cleanups.push(() => void agent.disconnect());
    let n = 0;
    let writing = true;
    const writer = (async () => {
      while (writing) {
        await rawSend(log, agent, conv.id, `agent-${++n}`, `agent ${n}`);
        await sleep(AGENT_EVERY_MS);
      }
    })();
    await sleep(1000);
    proxy.blackhole(true);
    const holeAt = Date.now();
    const own: { clientId: string; done: Promise<unknown> }[] = [];
    for (let i = 0; i < 3; i++) {
      await sleep(BLACKHOLE_MS / 4);
      own.push(visitor.send(conv, `sent into the blackhole ${i + 1}`));
    }
    await sleep(holeAt + BLACKHOLE_MS - Date.now());
    proxy.blackhole(false);
    const backAt = Date.now();
    const settled = await Promise.allSettled(own.map((o) => o.done));
    await sleep(2000);
    writing = false;
    await writer;
    const total = n + own.length;
    await until('visitor has everything', () => conv.$messages.get().filter((m) => m.seq !== null).length === total, 60_000);
    const convergeMs = Date.now() - backAt;
    expect(settled.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled']);
    const history = await finalHistory(server.url, SHOP, token, [conv.id]);
    log.expectComplete('visitor', conv.id, 1);
    verdict(log, history, {
      scenario: `d. blackhole ${BLACKHOLE_MS / 1000}s, agent writing`,
      messages: total,
      retries: log.retries(),
      convergeMs,
      note: `${own.length} own sent into the hole; ${proxy.stats.connections} connections`,
    });
  });
});
