/**
 * Scenario b — ack lost, then retry. The proxy drops the ack of `message:send` (and, in the second
 * case, the sender's own `message:new` too, so only a retry can settle the send). The client times
 * out (requestTimeoutMs 1500), retries with the same clientId and gets the ORIGINAL message; exactly
 * one is stored and the agent sees exactly one `message:new`.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { agentToken, SHOP, startTestServer } from '../integration/helpers.js';
import { DeliveryLog, finalHistory, tappedClient, until, verdict, type TappedClient } from './harness.js';
import { isSocketIoAck, startFaultProxy, type FaultProxy } from './proxy.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});
let shared: { server: Awaited<ReturnType<typeof startTestServer>>; proxy: FaultProxy; token: string };
beforeAll(async () => {
  const server = await startTestServer();
  const proxy = await startFaultProxy({ port: server.port });
  shared = { server, proxy, token: await agentToken(server.url) };
});
afterAll(async () => {
  await shared?.proxy.close();
  await shared?.server.close();
});

const isSendAck = (text: string): boolean => isSocketIoAck(text) && text.includes('[{"ok":true,"message":{');
const isOwnNew = (text: string): boolean => text.startsWith('42/vitrine,["message:new"');

async function setup() {
  const { server, proxy, token } = shared;
  proxy.heal();
  proxy.stats.droppedFrames = 0;
  proxy.stats.dropped.length = 0;
  const log = new DeliveryLog();
  const track = (c: TappedClient): TappedClient => {
    cleanups.push(() => c.destroy());
    return c;
  };
  const visitor = track(tappedClient(log, 'visitor', { url: proxy.url, shop: SHOP, requestTimeoutMs: 1500 }));
  const conv = await visitor.conversation();
  const agent = track(tappedClient(log, 'agent', { url: server.url, shop: SHOP, role: 'agent', token }));
  await until('agent online', () => agent.client.$connection.get() === 'online');
  agent.observe(conv.id);
  return { server, proxy, token, log, visitor, conv, agent };
}

describe('faults: ack lost then retry', () => {
  it('the ack of a send is dropped; the send still settles once, from the echo; one stored', async () => {
    const { server, proxy, token, log, visitor, conv, agent } = await setup();
    const t0 = Date.now();
    proxy.dropFrames(isSendAck, 1);
    const { clientId, done } = visitor.send(conv, 'ack dropped, echo arrives');
    const message = (await done) as { seq: number; id: string };
    expect(proxy.stats.droppedFrames).toBe(1);
    await until('agent got it', () => agent.rawNew.length >= 1);
    await new Promise((r) => setTimeout(r, 1800)); // past the request timeout: nothing more happens
    const history = await finalHistory(server.url, SHOP, token, [conv.id]);
    expect(history.get(conv.id)?.map((m) => m.clientId)).toEqual([clientId]);
    expect(message.seq).toBe(1);
    expect(agent.rawNew.filter((m) => m.clientId === clientId)).toHaveLength(1);
    log.expectComplete('visitor', conv.id);
    log.expectComplete('agent', conv.id);
    verdict(log, history, { scenario: 'b. ack lost (echo settles)', messages: 1, retries: log.retries(), convergeMs: Date.now() - t0 });
  });

  it('ack and echo of three sends are dropped; the client retries with the same clientIds and gets the originals', async () => {
    const { server, proxy, token, log, visitor, conv, agent } = await setup();
    const t0 = Date.now();
    // Drop the first ack and the first echo of each message (three messages in all).
    const idOf = (text: string): string | undefined => /"id":"([^"]+)"/.exec(text)?.[1];
    const ackSeen = new Set<string>();
    const newSeen = new Set<string>();
    const firstTime = (seen: Set<string>, text: string): boolean => {
      const id = idOf(text);
      if (!id || seen.has(id)) return false;
      seen.add(id);
      return true;
    };
    proxy.dropFrames((t) => isSendAck(t) && firstTime(ackSeen, t), 3);
    proxy.dropFrames((t) => isOwnNew(t) && firstTime(newSeen, t), 3);
    const sends = Array.from({ length: 5 }, (_, i) => visitor.send(conv, `retry me ${i + 1}`));
    const results = (await Promise.all(sends.map((s) => s.done))) as { id: string; seq: number; clientId: string }[];
    const convergeMs = Date.now() - t0;
    expect(proxy.stats.droppedFrames).toBe(6);
    // The dropped acks carried the same messages the retries returned.
    const droppedIds = proxy.stats.dropped.filter(isSendAck).map(idOf);
    expect(droppedIds).toEqual(results.slice(0, 3).map((r) => r.id));
    expect(results.map((r) => r.seq)).toEqual([1, 2, 3, 4, 5]);
    for (const s of sends.slice(0, 3)) expect(log.attempts.get(s.clientId)).toBe(2);
    for (const s of sends.slice(3)) expect(log.attempts.get(s.clientId)).toBe(1);
    await until('agent saw 5', () => agent.rawNew.length >= 5);
    await new Promise((r) => setTimeout(r, 300));
    // No second broadcast for the retried sends.
    expect(agent.rawNew.map((m) => m.seq)).toEqual([1, 2, 3, 4, 5]);
    const history = await finalHistory(server.url, SHOP, token, [conv.id]);
    expect(history.get(conv.id)).toHaveLength(5);
    log.expectComplete('visitor', conv.id);
    log.expectComplete('agent', conv.id);
    verdict(log, history, { scenario: 'b. ack+echo lost, retried', messages: 5, retries: log.retries(), convergeMs });
  });
});
