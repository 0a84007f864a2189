/**
 * Scale-out on real engines: two server processes (`server/main.ts`) on one PostgreSQL database,
 * sharing rooms through Redis (`REDIS_URL`, @socket.io/redis-adapter), behind a TCP balancer of
 * our own. Core clients (createVitrineClient) over websocket-only Socket.IO.
 *
 * Needs PostgreSQL (DATABASE_URL, default postgres://postgres@127.0.0.1:5432/postgres) and Redis
 * (REDIS_URL, default redis://127.0.0.1:6379); fails, never skips, when either is unreachable.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createVitrineClient,
  memoryStorage,
  socketIoTransport,
  type ChatMessage,
  type ServerToClientEvents,
  type TransportFactory,
  type VitrineClient,
} from '../../src/index.js';
import { startBalancer, type Balancer } from './balancer.js';
import { agentToken, freePort, prepareEngines, SHOP, startNode, waitFor, type Engines, type Node } from './infra.js';

type Seen = { event: keyof ServerToClientEvents; payload: unknown; at: number };
const SERVER_EVENTS = ['message:new', 'read:update', 'typing:update', 'conversation:update'] as const;

/** Websocket-only Socket.IO transport that also records the server events it receives. */
function recordingTransport(seen: Seen[] = []): { factory: TransportFactory; seen: Seen[] } {
  const base = socketIoTransport({ socket: { transports: ['websocket'] } });
  const factory: TransportFactory = (url) => {
    const transport = base(url);
    for (const event of SERVER_EVENTS) transport.on(event, ((payload: unknown) => seen.push({ event, payload, at: Date.now() })) as never);
    return transport;
  };
  return { factory, seen };
}

const clients: VitrineClient[] = [];
function client(opts: Parameters<typeof createVitrineClient>[0]): VitrineClient {
  const c = createVitrineClient(opts);
  clients.push(c);
  return c;
}

function visitorToken(): string {
  let body = '';
  while (body.length < 64) body += Math.random().toString(36).slice(2);
  return `vt_${body.slice(0, 64)}`;
}

/** The stored messages of a conversation, straight from PostgreSQL. */
async function dbMessages(databaseUrl: string, conversationId: string): Promise<{ id: string; seq: number; clientId: string; text: string }[]> {
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    const res = await db.query<{ id: string; seq: string | number; client_id: string; text: string }>(
      'SELECT id, seq, client_id, text FROM messages WHERE conversation_id = $1 ORDER BY seq',
      [conversationId],
    );
    return res.rows.map((r) => ({ id: r.id, seq: Number(r.seq), clientId: r.client_id, text: r.text }));
  } finally {
    await db.end();
  }
}

/** Asserts `list` holds stored messages with seq 1..n, each once, in order. */
function expectGapFree(list: readonly ChatMessage[], n: number, who: string): void {
  const seqs = list.map((m) => m.seq);
  expect(seqs, `${who}: seq 1..${n} exactly once, in order`).toEqual(Array.from({ length: n }, (_, i) => i + 1));
  expect(new Set(list.map((m) => m.id)).size, `${who}: ids unique`).toBe(n);
  expect(new Set(list.map((m) => m.clientId)).size, `${who}: clientIds unique`).toBe(n);
}

let engines: Engines | null = null;
const nodes: Node[] = [];
let A: Node;
let B: Node;
let balancer: Balancer | null = null;
const startedAt = Date.now();
/** Why the engines or processes could not start: every test fails with it (never a skip). */
let setupError: unknown = null;
const ready = (): void => {
  if (setupError) throw setupError;
};

beforeAll(async () => {
  try {
    engines = await prepareEngines();
    const [portA, portB] = [await freePort(), await freePort()];
    const started = await Promise.allSettled([startNode('A', engines, portA), startNode('B', engines, portB)]);
    for (const r of started) if (r.status === 'fulfilled') nodes.push(r.value);
    for (const r of started) if (r.status === 'rejected') throw r.reason;
    [A, B] = nodes as [Node, Node];
    console.log(`[scale] processes A :${A.port} and B :${B.port} ready after ${Date.now() - startedAt} ms (redis prefix ${engines.redisPrefix})`);
  } catch (err) {
    setupError = err;
  }
});

afterAll(async () => {
  for (const c of clients.splice(0)) c.destroy();
  await balancer?.close();
  // Graceful shutdown with Redis attached still exits 0.
  const codes = await Promise.all(nodes.map(async (n) => [n.name, n.exited ? 'killed' : await n.kill('SIGTERM')] as const));
  await engines?.drop();
  console.log(`[scale] shutdown exit codes ${codes.map(([n, c]) => `${n}=${c}`).join(' ')}; total ${Date.now() - startedAt} ms`);
  for (const [name, code] of codes) if (code !== 'killed') expect(code, `process ${name} graceful exit`).toBe('0');
});

describe('two server processes on one PostgreSQL database and Redis', () => {
  it('keeps seq gap-free when both processes accept sends for one conversation at once (2 x 100)', async () => {
    ready();
    const token = visitorToken();
    const transport = recordingTransport().factory;
    const onA = client({ url: A.url, shop: SHOP, token, transport, ports: { storage: memoryStorage() } });
    const onB = client({ url: B.url, shop: SHOP, token, transport, ports: { storage: memoryStorage() } });
    const convA = await waitFor('visitor on A ready', () => onA.$conversation.get());
    const convB = await waitFor('visitor on B ready', () => onB.$conversation.get());
    expect(convB.id, 'same token, same conversation on both processes').toBe(convA.id);

    const t0 = Date.now();
    const send = (conv: typeof convA, tag: string) => Promise.all(Array.from({ length: 100 }, (_, i) => conv.send(`${tag}-${i}`)));
    const [fromA, fromB] = await Promise.all([send(convA, 'A'), send(convB, 'B')]);
    const sendMs = Date.now() - t0;

    const acked = [...fromA, ...fromB].map((m) => m.seq ?? 0).sort((x, y) => x - y);
    expect(acked, 'acked seqs are 1..200, each once').toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
    // Each sender's messages got increasing seqs in send order.
    for (const list of [fromA, fromB]) {
      const seqs = list.map((m) => m.seq ?? 0);
      expect(seqs).toEqual([...seqs].sort((x, y) => x - y));
    }
    // Both clients converge on the same 200 messages, live across processes.
    await waitFor('client on A has all 200', () => convA.$messages.get().filter((m) => m.seq !== null).length === 200);
    await waitFor('client on B has all 200', () => convB.$messages.get().filter((m) => m.seq !== null).length === 200);
    expectGapFree(convA.$messages.get(), 200, 'client on A');
    expectGapFree(convB.$messages.get(), 200, 'client on B');
    const stored = await dbMessages(engines!.databaseUrl, convA.id);
    expect(stored.map((m) => m.seq)).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
    expect(convA.$messages.get().map((m) => m.id)).toEqual(stored.map((m) => m.id));
    console.log(`[scale] 200 concurrent sends through A and B: acked in ${sendMs} ms, seq 1..200 gap-free`);
  });

  it('a visitor on A and an agent on B chat both ways; A is killed (SIGKILL) mid-conversation; the visitor resumes on B and misses nothing', async () => {
    ready();
    balancer = await startBalancer([A.port, B.port]);
    const visitorLog = recordingTransport();
    const agentLog = recordingTransport();
    const events = (seen: Seen[], event: Seen['event']) => seen.filter((s) => s.event === event).map((s) => s.payload as Record<string, unknown>);

    // The visitor enters through the balancer (first connection -> A); the agent works on B.
    const v = client({ url: balancer.url, shop: SHOP, transport: visitorLog.factory, ports: { storage: memoryStorage() } });
    const conv = await waitFor('visitor online', () => v.$conversation.get());
    expect(balancer.routes.map((r) => r.backend), 'visitor connected to A').toEqual([0]);
    const a = client({ url: B.url, shop: SHOP, role: 'agent', token: await agentToken(B.url), transport: agentLog.factory });
    await waitFor('agent online', () => a.$connection.get() === 'online');
    const agentConv = a.conversation(conv.id);
    const keep = [conv.$messages.listen(() => {}), agentConv.$messages.listen(() => {}), conv.$typing.listen(() => {}), agentConv.$typing.listen(() => {})];

    // 1. Visitor (A) -> agent (B): message:new and conversation:update with the unread count.
    await conv.send('Bonjour, is the gold necklace in stock?');
    await waitFor('agent got message:new from A', () => events(agentLog.seen, 'message:new').some((m) => m.conversationId === conv.id && m.seq === 1));
    await waitFor('agent list shows 1 unread', () => a.$conversations.get().find((c) => c.id === conv.id && c.unread === 1));

    // 2. Typing both ways (the sender never gets its own typing:update).
    conv.setTyping(true);
    await waitFor('agent sees the visitor typing', () => agentConv.$typing.get().some((t) => t.role === 'visitor'));
    agentConv.setTyping(true);
    await waitFor('visitor sees the agent typing', () => conv.$typing.get().some((t) => t.role === 'agent'));
    expect(events(visitorLog.seen, 'typing:update').every((t) => (t.author as { role: string }).role === 'agent'), 'no echo to the sender').toBe(true);
    expect(events(agentLog.seen, 'typing:update').every((t) => (t.author as { role: string }).role === 'visitor'), 'no echo to the sender').toBe(true);

    // 3. Agent (B) reads: read:update reaches A; the visitor's message shows `read`; unread 0 on the list.
    await waitFor('agent loaded the message', () => agentConv.$messages.get().length === 1);
    agentConv.markRead();
    await waitFor('visitor sees read', () => conv.$messages.get()[0]?.status === 'read');
    await waitFor('agent list unread back to 0', () => a.$conversations.get().find((c) => c.id === conv.id && c.unread === 0));

    // 4. Agent (B) -> visitor (A); the agent's send clears its typing on the visitor side.
    await agentConv.send('Yes, 18k gold, two left.');
    await waitFor('visitor got the reply', () => conv.$messages.get().some((m) => m.seq === 2 && !m.mine));
    await waitFor('agent typing cleared on send', () => conv.$typing.get().length === 0);
    expect(v.$unreadTotal.get()).toBe(1);
    conv.markRead();
    await waitFor('agent sees its reply read', () => agentConv.$messages.get().find((m) => m.seq === 2)?.status === 'read');
    expect(events(agentLog.seen, 'read:update').some((r) => r.role === 'visitor' && r.seq === 2)).toBe(true);
    expect(events(visitorLog.seen, 'read:update').some((r) => r.role === 'agent' && r.seq === 1)).toBe(true);

    // 5. The agent keeps writing; A is killed with SIGKILL after the 10th message.
    let offlineSend: Promise<ChatMessage> | null = null;
    let killedAt = 0;
    const burst = (async () => {
      for (let i = 1; i <= 30; i += 1) {
        await agentConv.send(`update ${i}`);
        if (i === 10) {
          killedAt = Date.now();
          await A.kill('SIGKILL');
          // The visitor writes while it has no connection: the outbox keeps it.
          await waitFor('visitor noticed the loss', () => v.$connection.get() !== 'online', 5000);
          offlineSend = conv.send('Still there? My connection dropped.');
        }
        await new Promise((r) => setTimeout(r, 15));
      }
    })();
    await burst;
    await waitFor('visitor back online', () => v.$connection.get() === 'online');
    const backAt = Date.now();
    const resumedAfter = backAt - killedAt;
    expect(balancer.routes.at(-1)?.backend, 'visitor reconnected through the balancer to B').toBe(1);
    expect(offlineSend).not.toBeNull();
    const flushed = await offlineSend!;
    expect(flushed.status).not.toBe('failed');
    // Now both on B: the agent's next messages reach the visitor live again.
    for (let i = 1; i <= 5; i += 1) await agentConv.send(`after failover ${i}`);
    await waitFor('live message:new on B after the failover', () =>
      visitorLog.seen.some((s) => s.event === 'message:new' && s.at >= backAt && (s.payload as { text?: string }).text === 'after failover 5'),
    );

    // 6. Everything, exactly once, in seq order, on both sides and in the database.
    const total = 2 + 30 + 1 + 5;
    await waitFor(`visitor has all ${total} messages`, () => conv.$messages.get().filter((m) => m.seq !== null).length === total, 15_000);
    await waitFor(`agent has all ${total} messages`, () => agentConv.$messages.get().filter((m) => m.seq !== null).length === total, 15_000);
    const seenByVisitor = conv.$messages.get();
    const seenByAgent = agentConv.$messages.get();
    expect(seenByVisitor).toHaveLength(total); // no outbox leftovers
    expectGapFree(seenByVisitor, total, 'visitor');
    expectGapFree(seenByAgent, total, 'agent');
    const stored = await dbMessages(engines!.databaseUrl, conv.id);
    expect(seenByVisitor.map((m) => [m.seq, m.id, m.text])).toEqual(stored.map((m) => [m.seq, m.id, m.text]));
    expect(seenByAgent.map((m) => [m.seq, m.id, m.text])).toEqual(stored.map((m) => [m.seq, m.id, m.text]));
    expect(stored.filter((m) => m.text === 'Still there? My connection dropped.')).toHaveLength(1);
    expect(seenByVisitor.map((m) => m.text).filter((t) => t?.startsWith('update '))).toEqual(Array.from({ length: 30 }, (_, i) => `update ${i + 1}`));
    expect(seenByVisitor.slice(-5).map((m) => m.text)).toEqual(Array.from({ length: 5 }, (_, i) => `after failover ${i + 1}`));

    // Statuses: the visitor's first message was read; the offline one is sent (not yet read); nothing pending or failed.
    const visitorMine = seenByVisitor.filter((m) => m.mine);
    expect(visitorMine.map((m) => m.status)).toEqual(['read', 'sent']);
    expect(seenByVisitor.filter((m) => !m.mine).every((m) => m.status === 'sent')).toBe(true);
    // The agent's view: all its own messages read up to seq 2 (what the visitor read), the rest sent.
    expect(seenByAgent.filter((m) => m.mine).every((m) => m.status === ((m.seq ?? 0) <= 2 ? 'read' : 'sent'))).toBe(true);

    // 7. Read marks and unread counts still cross processes after the failover (both on B now).
    agentConv.markRead();
    await waitFor('visitor sees its offline message read', () => conv.$messages.get().filter((m) => m.mine).every((m) => m.status === 'read'));
    await waitFor('agent unread 0', () => a.$conversations.get().find((c) => c.id === conv.id && c.unread === 0));
    conv.markRead();
    await waitFor('agent sees everything read', () => agentConv.$messages.get().filter((m) => m.mine).every((m) => m.status === 'read'));
    expect(v.$unreadTotal.get()).toBe(0);

    console.log(
      `[scale] failover: A killed after agent message 10; visitor back online via B in ${resumedAfter} ms; ` +
        `${total} messages, each once, in seq order (what the agent wrote while the visitor was away came by history:get on B, later messages live)`,
    );
    for (const k of keep) k();
  });
});
