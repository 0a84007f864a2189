/**
 * The Vitrine reference server: static files, REST under /api/, /healthz and Socket.IO
 * (namespace /vitrine) on one port.
 */
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Server } from 'socket.io';
import type { ClientToServerEvents, ServerToClientEvents } from '../src/protocol/events.js';
import type { ReservationSettings } from '../src/protocol/commerce.js';
import { VitrineError } from '../src/protocol/errors.js';
import { LIMITS } from '../src/protocol/limits.js';
import type { CouponInput } from '../src/protocol/schemas.js';
import { NAMESPACE } from '../src/protocol/version.js';
import { createRequestHandler } from './http.js';
import { createLogger } from './log.js';
import { connectRedis, DEFAULT_REDIS_PREFIX, redactUrl, type RedisLink } from './redis.js';
import { startBroadcastScheduler, type BroadcastScheduler } from './broadcasts.js';
import { DEMO_FAQ } from './assistant/demo-faq.js';
import { createProviderResolver, type ProviderResolver } from './assistant/providers.js';
import { createAssistantRunner, type AssistantRunner } from './assistant/runner.js';
import {
  assistantEmitter,
  attachProtocol,
  productRoom,
  visitorRoom,
  type InterServerEvents,
  type SocketData,
  type VitrineServer,
} from './socket.js';
import { Store } from './storage/store.js';

import { createAgent, createShop } from './auth.js';

export { createAgent, createShop } from './auth.js';
export { Store } from './storage/store.js';
export type { AgentRecord, Shop, Visitor } from './storage/store.js';

/** Options of {@link startServer}. */
export interface ServerOptions {
  /** TCP port; 0 picks a free one. Default 8787. */
  port?: number;
  /** Interface to bind. Default 127.0.0.1. */
  host?: string;
  /** PGlite data directory (default `./.vitrine-data`); `memory://` keeps everything in memory. */
  dataDir?: string;
  /** `postgres://...`: use PostgreSQL instead of PGlite. */
  databaseUrl?: string;
  /**
   * `redis://...`: attach the Socket.IO Redis adapter so several server processes share rooms.
   * Needs `databaseUrl` (several processes on one embedded PGlite store make no sense).
   */
  redisUrl?: string;
  /** Prefix of the adapter's Redis channels (default `vitrine`); processes of one deployment share it. */
  redisKeyPrefix?: string;
  /** Seed the demo shop and agent. */
  demo?: boolean;
  /** Built assets (vitrine.js, widget/, console/). Default `<repo>/dist`. */
  distDir?: string;
  /** Silence the log. */
  quiet?: boolean;
  /** Interval of the broadcast scheduler's ticks in ms (default 5000; env `VITRINE_BROADCAST_TICK_MS`). */
  broadcastTickMs?: number;
  /** Visitor rooms per `feed:new` emit of a broadcast's live delivery (default {@link DELIVERY_CHUNK}). */
  broadcastChunk?: number;
  /** Pause between two emits of a live delivery in ms (default {@link DELIVERY_PACE_MS}). */
  broadcastPaceMs?: number;
  /**
   * The demo seed switches the demo shop's assistant on (embedded provider, demo FAQ) unless this is
   * false (env `VITRINE_DEMO_ASSISTANT=off`). It never overwrites settings staff saved.
   */
  demoAssistant?: boolean;
  /** Pause between the embedded provider's streamed chunks in ms (default 30; env `VITRINE_ASSISTANT_PACE_MS`). */
  assistantPaceMs?: number;
  /** Chooses each shop's assistant provider (default: from the shop's settings). Tests plug their own. */
  assistantProviders?: ProviderResolver;
}

/**
 * Live delivery of a broadcast goes out in emits to this many visitor rooms: one emit to 10,000
 * rooms blocked the event loop for 1.4-1.8 s (chat acks waited that long); chunks with a short timer
 * between them let other work run in between (bench/README.md, `bench:fanout`).
 */
export const DELIVERY_CHUNK = 500;
/** Timer between two chunks of a live delivery (ms). */
export const DELIVERY_PACE_MS = 5;

/** A started server. */
export interface RunningServer {
  /** `http://host:port` */
  url: string;
  port: number;
  store: Store;
  /** This process's broadcast scheduler (tests may run a tick). */
  broadcasts: BroadcastScheduler;
  /** This process's assistant runner. */
  assistant: AssistantRunner;
  /** Graceful shutdown: stop accepting, finish in-flight requests, close sockets and the database. */
  close(): Promise<void>;
}

/** After a Redis subscriber outage, local clients are disconnected at random moments within this window. */
const RESYNC_SPREAD_MS = 3000;

const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));

/** The demo shop and agent seeded by `--demo`. */
export const DEMO = {
  shop: { id: 'demo', name: 'Maison Lumière 光之屋珠宝', locale: 'zh-CN' },
  agent: { email: 'owner@demo.shop', password: 'vitrine-demo', name: 'Lin' },
} as const;

/** The demo catalogue: the six products of demo/shop/index.html (server/demo-catalogue.json). */
export function demoCatalogue(): unknown[] {
  return JSON.parse(readFileSync(new URL('./demo-catalogue.json', import.meta.url), 'utf8')) as unknown[];
}

/** The demo shop's reservation settings: every day 10:00-21:00 Beijing time, 30-minute slots. */
export const DEMO_RESERVATIONS: ReservationSettings = {
  enabled: true,
  timeZone: 'Asia/Shanghai',
  hours: {
    mon: [['10:00', '21:00']],
    tue: [['10:00', '21:00']],
    wed: [['10:00', '21:00']],
    thu: [['10:00', '21:00']],
    fri: [['10:00', '21:00']],
    sat: [['10:00', '21:00']],
    sun: [['10:00', '21:00']],
  },
  slotMinutes: 30,
  capacity: 2,
  horizonDays: 14,
  leadMinutes: 60,
};

/** The demo shop's coupons (`expiresAt` is set when seeded: 90 days later). */
export function demoCoupons(now: number): CouponInput[] {
  return [
    {
      id: 'welcome50',
      code: 'WELCOME50',
      title: { 'zh-CN': '新客立减 ¥50', en: '¥50 off your first order' },
      conditions: { 'zh-CN': '不与其他优惠同享', en: 'Not combinable with other offers' },
      value: { type: 'amount', amount: { amount: 5000, currency: 'CNY' } },
      minSpend: { amount: 50000, currency: 'CNY' },
      expiresAt: new Date(now + 90 * 86_400_000).toISOString(),
      maxClaims: null,
      active: true,
    },
    {
      id: 'pearl15',
      code: 'PEARL15',
      title: { 'zh-CN': '珍珠系列 85 折', en: '15% off pearls' },
      conditions: { 'zh-CN': '仅限珍珠系列', en: 'On pearl jewellery only' },
      value: { type: 'percent', percent: 15 },
      minSpend: null,
      expiresAt: null,
      maxClaims: 500,
      active: true,
    },
  ];
}

/** Quick replies seeded when the demo shop has none. */
export const DEMO_QUICK_REPLIES = [
  '您好，欢迎光临光之屋！有什么可以帮您？ / Hello and welcome to Maison Lumière! How can I help?',
  '这款有现货，今天下单明天发货。 / This piece is in stock: order today, it ships tomorrow.',
  '欢迎预约到店试戴，我们为您预留试衣间。 / You are welcome to book a try-on: we will keep a fitting room for you.',
];

/** A demo customer: display name, attributes and tags (issue 5 broadcasts). */
export interface DemoCustomer {
  name: string;
  email: string;
  attributes: Record<string, string>;
  tags: string[];
}

const DEMO_NAMES = [
  '林美 Lin Mei', '张伟 Zhang Wei', '王芳 Wang Fang', '李娜 Li Na', '陈静 Chen Jing', '刘洋 Liu Yang',
  '赵敏 Zhao Min', '黄蕾 Huang Lei', '周婷 Zhou Ting', '吴倩 Wu Qian', '徐丽 Xu Li', '孙悦 Sun Yue',
  '马琳 Ma Lin', '朱雯 Zhu Wen', '胡佳 Hu Jia', '郭晴 Guo Qing', '何欣 He Xin', '高源 Gao Yuan',
  '罗兰 Luo Lan', '郑怡 Zheng Yi', 'Amélie Durand', 'Sophie Martin', 'Emma Wilson', 'Olivia Chen',
  'Chloé Bernard', 'Grace Lee', 'Hannah Kim', 'Isabelle Moreau', 'Julia Wang', 'Léa Petit',
];
const DEMO_BOUGHT = ['earrings', 'necklaces', 'rings', 'bracelets', 'bangles'];

/** The demo shop's customers: 30 profiles (tier, city, points, what they bought), deterministic. */
export function demoCustomers(): DemoCustomer[] {
  return DEMO_NAMES.map((name, i) => {
    const bought = DEMO_BOUGHT.filter((_, k) => (i + k) % 3 === 0 || (i * 7 + k) % 5 === 0);
    const tags = bought.map((b) => `bought:${b}`);
    if (i % 4 === 0) tags.push('vip');
    if (i % 6 === 1) tags.push('newsletter');
    return {
      name,
      email: `customer${String(i + 1).padStart(2, '0')}@demo.shop`,
      attributes: {
        tier: i % 3 === 0 ? 'gold' : 'silver',
        city: i % 2 === 0 ? 'Hangzhou' : 'Shanghai',
        points: String(((i * 7919) % 15000) + 200),
        ...(i % 5 === 2 ? { birthday_month: String((i % 12) + 1) } : {}),
      },
      tags,
    };
  });
}

/** The demo shop's broadcast settings: the default cap, schedules in Beijing time. */
export const DEMO_BROADCAST_SETTINGS = { frequencyCap: { max: 3, days: 7 }, timeZone: 'Asia/Shanghai' } as const;

/** Seeds the broadcast demo: customers with profiles, the "Bought earrings" segment, settings and one draft. */
async function seedBroadcasts(store: Store): Promise<void> {
  const shop = DEMO.shop.id;
  // Token hashes no real token hashes to (not 64 hex digits): nobody can connect as a seeded
  // customer. Customers that exist are left alone (profiles edited in the console survive).
  await store.broadcasts.seedCustomers(
    shop,
    demoCustomers().map((c, i) => ({ tokenHash: `seed:demo-customer:${i + 1}`, ...c })),
  );
  await store.broadcasts.initSettings(shop, { frequencyCap: { ...DEMO_BROADCAST_SETTINGS.frequencyCap }, timeZone: DEMO_BROADCAST_SETTINGS.timeZone });
  const segment = await store.broadcasts.seedSegment(shop, {
    name: 'Bought earrings',
    rule: { match: 'all', conditions: [{ tag: 'bought:earrings', op: 'has' }] },
  });
  const draft = {
    kind: 'new-arrival',
    name: 'New earrings for earring lovers',
    title: { 'zh-CN': '{{name|亲爱的顾客}}，新款耳饰到店啦', en: '{{name|Dear customer}}, new earrings are in' },
    body: {
      'zh-CN': '珍珠耳钉与暖阳素圈耳环上新。{{tier|会员}}专享：{{coupon}}。',
      en: 'Perle pearl studs and Soleil gold hoops are here. For our {{tier|members}}: {{coupon}}.',
    },
    image: null,
    productIds: ['perle-studs', 'soleil-hoops'],
    couponId: 'pearl15',
    cta: { label: { 'zh-CN': '去看看', en: 'Take a look' }, url: null },
    segmentId: segment.id,
  } as const;
  try {
    await store.broadcasts.seedDraftCampaign(shop, { ...draft, productIds: [...draft.productIds] });
  } catch (err) {
    // Its products or coupon were removed in the console: the example draft is not needed.
    if (!(err instanceof VitrineError && err.code === 'not_found')) throw err;
  }
}

/**
 * Seeds the demo shop, agent, catalogue, reservation settings, coupons, quick replies and broadcast
 * demo (customers with profiles, a segment, settings, one draft campaign; nothing sent); safe to
 * run on every start, and from several processes at once. Rows that already exist are left alone
 * (edits made in the console survive a restart).
 */
export async function seedDemo(store: Store, opts: { assistant?: boolean } = {}): Promise<void> {
  await createShop(store, DEMO.shop);
  if (opts.assistant !== false) {
    // Only when the shop has no assistant settings yet: what staff saved survives a restart.
    await store.assistant.initSettings(DEMO.shop.id, { enabled: true, provider: 'embedded' });
    await store.assistant.seedFaq(DEMO.shop.id, DEMO_FAQ);
  }
  const catalogue = demoCatalogue();
  const ids = catalogue.map((p) => (p as { id: string }).id);
  const existing = new Set((await store.getProducts(DEMO.shop.id, ids)).map((p) => p.id));
  for (const product of catalogue) {
    if (!existing.has((product as { id: string }).id)) await store.upsertProduct(DEMO.shop.id, product);
  }
  await store.initReservationSettings(DEMO.shop.id, DEMO_RESERVATIONS);
  for (const coupon of demoCoupons(Date.now())) await store.insertCouponIfMissing(DEMO.shop.id, coupon);
  await store.seedQuickReplies(DEMO.shop.id, DEMO_QUICK_REPLIES);
  await seedBroadcasts(store);
  if (!(await store.findAgent(DEMO.shop.id, DEMO.agent.email))) {
    try {
      await createAgent(store, { shop: DEMO.shop.id, ...DEMO.agent });
    } catch (err) {
      // Several processes seeding one database at once: another one created the agent first.
      if (!(await store.findAgent(DEMO.shop.id, DEMO.agent.email))) throw err;
    }
  }
}

/** Starts the server: listens at once (healthz 503), resolves once the database is migrated and it is ready. */
export async function startServer(opts: ServerOptions = {}): Promise<RunningServer> {
  const log = createLogger(opts.quiet ?? false);
  if (opts.redisUrl && !opts.databaseUrl) {
    throw new Error(
      'REDIS_URL needs DATABASE_URL: several server processes must share one PostgreSQL database (the embedded PGlite store belongs to a single process)',
    );
  }
  const host = opts.host ?? '127.0.0.1';
  let state: 'starting' | 'ready' | 'stopping' = 'starting';
  let store: Store | null = null;
  let broadcasts: BroadcastScheduler | null = null;
  let assistant: AssistantRunner | null = null;
  const inflight = new Set<Promise<unknown>>();

  const handler = createRequestHandler({
    store: () => store,
    log,
    distDir: opts.distDir ?? `${REPO_ROOT}dist`,
    shopDir: `${REPO_ROOT}demo/shop`,
    state: () => state,
    assistantTry: (shop, question, locale) => {
      if (!assistant) throw new VitrineError('unavailable', 'server is not ready');
      return assistant.ask(shop, question, locale);
    },
  });
  const http: HttpServer = createServer(handler);
  http.keepAliveTimeout = 5000;

  const io: VitrineServer = new Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>(http, {
    maxHttpBufferSize: LIMITS.frameMaxBytes,
    cors: { origin: true, credentials: false },
    serveClient: false,
  });
  const refuse = (code: 'not_found' | 'unavailable', message: string): Error => Object.assign(new Error(message), { data: { code, message } });
  // Only /vitrine speaks the protocol: refuse the main namespace.
  io.of('/').use((_socket, next) => next(refuse('not_found', 'use the /vitrine namespace')));
  // Until the database is ready (and once shutdown began) handshakes are refused with `unavailable`.
  io.of(NAMESPACE).use((_socket, next) => next(state === 'ready' ? undefined : refuse('unavailable', `server is ${state}`)));

  // Listen first, so /healthz answers 503 while the database opens and migrates.
  await new Promise<void>((resolve, reject) => {
    const onError = (err: Error): void => reject(err);
    http.once('error', onError);
    http.listen(opts.port ?? 8787, host, () => {
      http.off('error', onError);
      resolve();
    });
  }).catch(async (err: unknown) => {
    io.engine.close();
    throw err;
  });

  // Redis first (fails fast when unreachable), then the database.
  let redis: RedisLink | null = null;
  const redisPrefix = opts.redisKeyPrefix || DEFAULT_REDIS_PREFIX;
  if (opts.redisUrl) {
    try {
      redis = await connectRedis({ url: opts.redisUrl, prefix: redisPrefix, log });
      io.adapter(redis.adapter);
      // Every room emit of another process must reach us before we accept a client.
      await redis.subscribed();
    } catch (err) {
      io.engine.close();
      await new Promise<void>((resolve) => http.close(() => resolve()));
      await redis?.close();
      throw err;
    }
  }

  let openStore: Store;
  try {
    openStore = await Store.open({ dataDir: opts.dataDir, databaseUrl: opts.databaseUrl });
  } catch (err) {
    io.engine.close();
    await new Promise<void>((resolve) => http.close(() => resolve()));
    await redis?.close();
    throw err;
  }
  try {
    if (opts.demo) await seedDemo(openStore, { assistant: opts.demoAssistant });
  } catch (err) {
    io.engine.close();
    await new Promise<void>((resolve) => http.close(() => resolve()));
    await redis?.close();
    await openStore.close();
    throw err;
  }
  store = openStore;

  const track = (p: Promise<unknown>): void => {
    inflight.add(p);
    void p.finally(() => inflight.delete(p));
  };
  const nsp = attachProtocol(io, {
    store: openStore,
    log,
    stopping: () => state === 'stopping',
    track,
    assistant: () => runner,
    multiProcess: redis !== null,
  });
  // The assistant answers customers in the background (never inside a handler's ack); its runs are
  // not in `inflight`: shutdown aborts them first (they commit what was written) and then waits.
  const runner = createAssistantRunner({
    store: openStore,
    log,
    emit: assistantEmitter(nsp, openStore, log),
    providers: opts.assistantProviders ?? createProviderResolver({ paceMs: opts.assistantPaceMs, log: (msg) => log.warn(msg) }),
  });
  assistant = runner;
  // Live stock: every committed catalogue change (REST, import, in-process CLI) reaches the sockets
  // watching that product, on every process (the Redis adapter relays room emits).
  openStore.onProductChange((shop, update) => {
    const id = 'product' in update ? update.product.id : update.productId;
    nsp.to(productRoom(shop, id)).emit('product:update', update);
  });
  if (redis) {
    // While the subscriber connection was down this process missed other processes' room emits:
    // make its clients reconnect (spread over a few seconds) so they resync with history:get.
    redis.onResubscribed(() => {
      if (state !== 'ready') return;
      void io
        .of(NAMESPACE)
        .local.fetchSockets()
        .then((sockets) => {
          log.warn(`redis subscription restored: ${sockets.length} local client(s) will reconnect to resync`);
          for (const socket of sockets) {
            setTimeout(() => socket.disconnect(true), Math.random() * RESYNC_SPREAD_MS).unref();
          }
        })
        .catch((err: unknown) => log.error('resync after redis outage failed', err));
    });
  }
  // Broadcasts: every process runs a scheduler; the claim in the database makes each campaign go
  // out once. One feed:new packet reaches every connected recipient (on any process via Redis), in
  // emits to chunks of rooms paced by a short timer; the campaign is marked sent after the last one.
  broadcasts = startBroadcastScheduler({
    store: openStore,
    log,
    tickMs: opts.broadcastTickMs,
    deliver: async (claim) => {
      // Rooms are per visitor and every visitor is in one chunk only: one feed:new per socket.
      const chunk = Math.max(1, opts.broadcastChunk ?? DELIVERY_CHUNK);
      const pace = Math.max(0, opts.broadcastPaceMs ?? DELIVERY_PACE_MS);
      const rooms = claim.visitorIds.map(visitorRoom);
      for (let i = 0; i < rooms.length; i += chunk) {
        if (i > 0) await new Promise((resolve) => setTimeout(resolve, pace));
        nsp.to(rooms.slice(i, i + chunk)).emit('feed:new', { item: claim.item });
      }
    },
  });
  const scheduler = broadcasts;
  state = 'ready';
  const port = (http.address() as AddressInfo).port;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  const storage = openStore.db.kind === 'pg' ? 'PostgreSQL' : `PGlite ${opts.dataDir ?? './.vitrine-data'}`;
  log.info(`ready (${storage}${opts.redisUrl ? `; Redis adapter ${redactUrl(opts.redisUrl)} prefix ${redisPrefix}` : ''})`);

  let closing: Promise<void> | null = null;
  async function close(): Promise<void> {
    if (closing) return closing;
    state = 'stopping';
    closing = (async () => {
      log.info('shutting down');
      // 1. Stop accepting connections.
      const httpClosed = new Promise<void>((resolve) => http.close(() => resolve()));
      // 2. Let in-flight requests finish and commit (their acks still reach the clients); stop the
      // assistant's replies (each commits the text written so far, marked stopped).
      while (inflight.size > 0) await Promise.allSettled([...inflight]);
      await runner.close();
      while (inflight.size > 0) await Promise.allSettled([...inflight]);
      // A broadcast being claimed finishes (and is delivered) before the sockets close.
      await scheduler.stop();
      // 3. Close every socket and connection (of this process only: never broadcast through Redis).
      io.local.disconnectSockets(true);
      io.engine.close();
      http.closeAllConnections();
      await httpClosed;
      // 4. Close Redis (queued publishes, e.g. typing stops of the closed sockets, go out first), then the database.
      await redis?.close();
      await openStore.close();
      log.info('stopped');
    })();
    return closing;
  }

  return { url, port, store: openStore, broadcasts: scheduler, assistant: runner, close };
}
