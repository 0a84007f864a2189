/**
 * The server side of bench/broadcast-fanout.ts, run in its own process (forked with IPC):
 *
 *   node --expose-gc --import tsx bench/lib/fanout-server.ts <pg|pglite> <databaseUrl|dataDir>
 *
 * Runs the real reference server (`startServer()` from server/app.ts, unchanged) with a shop `bench`,
 * an agent and the demo catalogue. For the bare Socket.IO baselines it needs the server's `/vitrine`
 * namespace, which `startServer()` does not return: this process wraps `Server.prototype.of` before
 * the server starts and keeps the instance (bench-only; no hook or endpoint is added to the server).
 * Bench emits go straight to the sockets the real server holds, with no database work:
 *
 *   { type: 'prepare', userIds }            the recipients join room `bench:fanout`; their own rooms
 *                                           (`visitorRoom`, as the real delivery) are remembered -> { type: 'prepared' }
 *   { type: 'emit', variant, key, item, chunk, pace }  one `feed:new` to every recipient -> { type: 'emitted', syncMs }
 *   { type: 'lag' }                         -> longest event-loop block since the last 'lag', then starts over
 *   { type: 'stats' }                       -> memory, CPU, connected sockets
 *   { type: 'close' }                       graceful shutdown                     -> { type: 'closed' }
 */
import { Server, type Namespace, type Socket } from 'socket.io';
import { createAgent, createShop, demoCatalogue, startServer } from '../../server/app.js';
import { visitorRoom } from '../../server/socket.js';
import { snapshot } from '../../server/storage/store.js';
import { renderTemplate } from '../../src/protocol/template.js';
import { NAMESPACE } from '../../src/protocol/version.js';
import { FANOUT_AGENT, FANOUT_SHOP, type EmitVariant, type ServerChildMessage, type ServerParentMessage } from './fanout-ipc.js';

const BASELINE_ROOM = 'bench:fanout';

const send = (m: ServerChildMessage): void => {
  process.send?.(m);
};

// Keep the Socket.IO server the app creates (its `/vitrine` namespace is not returned by startServer).
let io: Server | null = null;
const of = Server.prototype.of;
Server.prototype.of = function (this: Server, ...args: Parameters<typeof of>) {
  io ??= this;
  return of.apply(this, args);
} as typeof of;

/** The default bench item: a realistic new-arrival with two product snapshots (replaced by a real one once the parent has it). */
async function defaultItem(store: Awaited<ReturnType<typeof startServer>>['store']): Promise<Record<string, unknown>> {
  const ids = (demoCatalogue() as { id: string }[]).slice(0, 2).map((p) => p.id);
  const products = (await store.getProducts(FANOUT_SHOP, ids)).map(snapshot);
  return {
    id: 'x',
    kind: 'new-arrival',
    title: { 'zh-CN': '{{name|朋友}}，新品到店：月光珍珠耳坠', en: '{{name|Friend}}, just in: moonlight pearl earrings' },
    body: {
      'zh-CN': '您好 {{name|朋友}}！您关注的珍珠系列上新了，{{tier|会员}}专享提前试戴，欢迎到店或在线咨询。',
      en: 'Hello {{name|there}}! New pieces in the pearl collection you follow: {{tier|member}} early try-on, in store or ask us here.',
    },
    image: '/images/pearl-earrings.jpg',
    products,
    coupon: null,
    cta: { label: { 'zh-CN': '查看详情', en: 'See the collection' }, url: 'https://shop.example/pearls' },
    sentAt: new Date().toISOString(),
    read: false,
  };
}

async function main(): Promise<void> {
  const kind = process.argv[2];
  const where = process.argv[3] ?? '';
  if (kind !== 'pg' && kind !== 'pglite') throw new Error(`unknown store ${String(kind)}`);
  const server = await startServer({ port: 0, host: '127.0.0.1', quiet: true, ...(kind === 'pg' ? { databaseUrl: where } : { dataDir: where }) });
  await createShop(server.store, { id: FANOUT_SHOP, name: 'Bench' });
  await createAgent(server.store, { shop: FANOUT_SHOP, ...FANOUT_AGENT }).catch(() => undefined);
  for (const product of demoCatalogue()) await server.store.upsertProduct(FANOUT_SHOP, product);
  if (!io) throw new Error('the Socket.IO server was not captured');
  const nsp: Namespace = (io as Server).of(NAMESPACE);
  let item = await defaultItem(server.store);

  // How long the server's event loop was blocked (what a chat message waiting for its turn sees): the
  // longest gap between the turns of a 10 ms interval timer, minus 10 ms. (perf_hooks'
  // monitorEventLoopDelay did not report single long blocks reliably in a probe on Node 20, so it is measured directly.)
  let lastTurn = performance.now();
  let longestGap = 0;
  setInterval(() => {
    const t = performance.now();
    longestGap = Math.max(longestGap, t - lastTurn);
    lastTurn = t;
  }, 10).unref();

  let recipients: Socket[] = [];
  let rooms: string[] = [];

  const emit = async (variant: EmitVariant, key: string, chunk: number, pace: number): Promise<number> => {
    const payload = { item: { ...item, id: key } };
    const t0 = performance.now();
    switch (variant) {
      case 'chunked':
      case 'paced': {
        let busy = 0;
        for (let i = 0; i < rooms.length; i += chunk) {
          const c0 = performance.now();
          nsp.to(rooms.slice(i, i + chunk)).emit('feed:new', payload);
          busy += performance.now() - c0;
          // Let other work (acks, handshakes) run between chunks.
          if (i + chunk < rooms.length) await new Promise((r) => (variant === 'paced' ? setTimeout(r, pace) : setImmediate(r)));
        }
        return busy;
      }
      case 'room':
        nsp.to(BASELINE_ROOM).emit('feed:new', payload);
        break;
      case 'rooms':
        nsp.to(rooms).emit('feed:new', payload);
        break;
      case 'per-socket': {
        const title = item.title as Record<string, string>;
        const body = item.body as Record<string, string>;
        for (const socket of recipients) {
          const values = { name: (socket.data as { visitorName?: string | null }).visitorName ?? null, tier: 'gold' };
          const render = (t: Record<string, string>): Record<string, string> =>
            Object.fromEntries(Object.entries(t).map(([locale, text]) => [locale, renderTemplate(text, values, locale)]));
          socket.emit('feed:new', { item: { ...item, id: key, title: render(title), body: render(body) } });
        }
        break;
      }
      case 'join': {
        const tmp = `bench:tmp:${key}`;
        nsp.in(rooms).socketsJoin(tmp);
        nsp.to(tmp).emit('feed:new', payload);
        nsp.in(tmp).socketsLeave(tmp);
        break;
      }
    }
    return performance.now() - t0;
  };

  process.on('message', (raw: ServerParentMessage) => {
    void (async () => {
      switch (raw.type) {
        case 'prepare': {
          const wanted = new Set(raw.userIds);
          recipients = [...nsp.sockets.values()].filter((s) => wanted.has((s.data as { userId: string }).userId));
          rooms = recipients.map((s) => visitorRoom((s.data as { userId: string }).userId));
          nsp.in(BASELINE_ROOM).socketsLeave(BASELINE_ROOM);
          for (const s of recipients) await s.join(BASELINE_ROOM);
          send({ type: 'prepared', sockets: recipients.length, rooms: new Set(rooms).size });
          break;
        }
        case 'emit': {
          if (raw.item) item = raw.item;
          const syncMs = await emit(raw.variant, raw.key, raw.chunk || 500, raw.pace || 10);
          send({ type: 'emitted', key: raw.key, syncMs, recipients: recipients.length, bytes: Buffer.byteLength(JSON.stringify({ item: { ...item, id: raw.key } })) });
          break;
        }
        case 'lag':
          send({ type: 'lag', max: Math.max(0, Math.max(longestGap, performance.now() - lastTurn) - 10) });
          longestGap = 0;
          break;
        case 'stats':
          send({ type: 'stats', mem: process.memoryUsage(), cpu: process.cpuUsage(), sockets: nsp.sockets.size });
          break;
        case 'close':
          await server.close();
          send({ type: 'closed' });
          process.disconnect?.();
          setTimeout(() => process.exit(0), 50).unref();
          break;
      }
    })().catch((err: unknown) => send({ type: 'error', message: err instanceof Error ? (err.stack ?? err.message) : String(err) }));
  });
  process.on('disconnect', () => {
    void server.close().finally(() => process.exit(0));
  });
  send({ type: 'ready', url: server.url, shop: FANOUT_SHOP, agent: { email: FANOUT_AGENT.email, password: FANOUT_AGENT.password } });
}

main().catch((err: unknown) => {
  send({ type: 'error', message: err instanceof Error ? (err.stack ?? err.message) : String(err) });
  process.exit(1);
});
