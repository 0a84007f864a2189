/**
 * A client process of bench/broadcast-fanout.ts: holds a share of the visitor sockets (raw
 * socket.io-client, websocket transport, protocol v1) and times every `feed:new` they receive.
 *
 *   forked with IPC; { type: 'connect', url, shop, n }  -> { type: 'connected', visitors }
 *                    { type: 'expect', key, count }     -> { type: 'received', count, first, last }
 *
 * `first`/`last` are the monotonic times (fanout-ipc.ts `now()`) of the first and the last packet
 * with `item.id === key`; the parent compares them with the time it triggered the broadcast.
 */
import { randomBytes } from 'node:crypto';
import { io, type Socket } from 'socket.io-client';
import { PROTOCOL_VERSION, NAMESPACE } from '../../src/protocol/version.js';
import { now, type ClientChildMessage, type ClientParentMessage, type ClientVisitor } from './fanout-ipc.js';

const send = (m: ClientChildMessage): void => {
  process.send?.(m);
};

interface Tally {
  count: number;
  first: number;
  last: number;
  sample: string | null;
}
const tallies = new Map<string, Tally>();
const waiting = new Map<string, { count: number; timer: NodeJS.Timeout }>();
const sockets: Socket[] = [];

function report(key: string): void {
  const t = tallies.get(key) ?? { count: 0, first: NaN, last: NaN, sample: null };
  const w = waiting.get(key);
  if (w) clearTimeout(w.timer);
  waiting.delete(key);
  tallies.delete(key);
  send({ type: 'received', key, count: t.count, first: t.first, last: t.last, sample: t.sample });
}

function onFeedNew(payload: { item?: { id?: unknown } }): void {
  const at = now();
  const key = String(payload?.item?.id ?? '');
  let t = tallies.get(key);
  if (!t) {
    // Keep one packet per key, so the parent can reuse the exact payload the server sent.
    t = { count: 0, first: at, last: at, sample: JSON.stringify(payload) };
    tallies.set(key, t);
  }
  t.count += 1;
  t.last = at;
  const w = waiting.get(key);
  if (w && t.count >= w.count) report(key);
}

function connectOne(url: string, shop: string): Promise<ClientVisitor> {
  const token = randomBytes(32).toString('base64url');
  const socket = io(`${url}${NAMESPACE}`, {
    transports: ['websocket'],
    forceNew: true,
    reconnection: false,
    timeout: 60_000,
    auth: { protocol: PROTOCOL_VERSION, shop, role: 'visitor', token },
  });
  return new Promise((resolve, reject) => {
    socket.once('connect_error', (err: Error & { data?: unknown }) => {
      socket.close();
      reject(new Error(`connect_error: ${err.message} ${JSON.stringify(err.data ?? null)}`));
    });
    socket.once('session:ready', (s: { userId: string; conversation: { id: string } | null; token?: string }) => {
      socket.on('feed:new', onFeedNew);
      sockets.push(socket);
      resolve({ userId: s.userId, conversationId: s.conversation?.id ?? '', token: s.token || token });
    });
  });
}

async function connectMany(url: string, shop: string, n: number, concurrency: number): Promise<{ visitors: ClientVisitor[]; failed: number }> {
  const visitors: ClientVisitor[] = [];
  let next = 0;
  let failed = 0;
  const worker = async (): Promise<void> => {
    while (next < n) {
      next += 1;
      // One retry: under load a handshake can time out on a busy 2-core machine.
      const v = await connectOne(url, shop).catch(() => connectOne(url, shop).catch(() => null));
      if (v) visitors.push(v);
      else failed += 1;
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, n) }, worker));
  return { visitors, failed };
}

process.on('message', (m: ClientParentMessage) => {
  void (async () => {
    switch (m.type) {
      case 'connect': {
        const t0 = performance.now();
        const { visitors, failed } = await connectMany(m.url, m.shop, m.n, m.concurrency);
        send({ type: 'connected', visitors, ms: performance.now() - t0, failed });
        break;
      }
      case 'expect': {
        const t = tallies.get(m.key);
        if (t && t.count >= m.count) {
          report(m.key);
          break;
        }
        waiting.set(m.key, { count: m.count, timer: setTimeout(() => report(m.key), m.timeoutMs) });
        break;
      }
      case 'stats':
        send({ type: 'stats', cpu: process.cpuUsage() });
        break;
      case 'close':
        for (const s of sockets) s.close();
        send({ type: 'closed' });
        process.disconnect?.();
        setTimeout(() => process.exit(0), 50).unref();
        break;
    }
  })().catch((err: unknown) => send({ type: 'error', message: err instanceof Error ? (err.stack ?? err.message) : String(err) }));
});
process.on('disconnect', () => process.exit(0));
