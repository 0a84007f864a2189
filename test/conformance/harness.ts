/**
 * Conformance harness: a server URL (VITRINE_URL) or an in-process reference server, plus small
 * socket.io-client helpers. Deliberately does not use src/client.ts: any backend can be checked.
 */
import { afterAll, afterEach, beforeAll } from 'vitest';
import { randomBytes } from 'node:crypto';
import { io, type Socket } from 'socket.io-client';

/** A server under test. */
export interface Target {
  url: string;
  shop: string;
  agentEmail: string;
  agentPassword: string;
  /**
   * Products seeded in the shop's catalogue ({@link SEEDED_PRODUCTS}) and a way to change them, or
   * `null` when the target is external (the protocol has no catalogue writes: those tests skip).
   */
  catalogue: TargetCatalogue | null;
  /**
   * A shop of the target with the assistant switched on (same agent credentials), or `null`:
   * in process a second shop is created for it; against VITRINE_URL it is VITRINE_ASSISTANT_SHOP
   * (the assistant tests skip when unset).
   */
  assistantShop: string | null;
  close(): Promise<void>;
}

/** Why assistant tests skip against an external target. */
export const NO_ASSISTANT_SHOP = 'needs a shop with the assistant switched on: set VITRINE_ASSISTANT_SHOP (the in-process reference server creates one)';

/** Catalogue access of an in-process target. */
export interface TargetCatalogue {
  /** Creates or replaces a product (the reference server's product input shape). */
  upsert(product: unknown): Promise<void>;
  remove(id: string): Promise<void>;
}

/** Why catalogue-dependent tests skip against an external target. */
export const NO_CATALOGUE =
  'needs seeded products: the protocol has no catalogue writes, so these tests run only against the in-process reference server (VITRINE_URL unset)';

/** Products the in-process target seeds. `conf-hostile` has markup and a script-looking title: it is data. */
export const SEEDED_PRODUCTS = [
  {
    id: 'conf-ring',
    title: { 'zh-CN': '测试戒指', en: 'Test ring' },
    description: { en: 'A ring for the conformance suite.' },
    price: { amount: 129900, currency: 'CNY' },
    compareAt: { amount: 159900, currency: 'CNY' },
    images: ['/img/rose-ring.svg', 'https://cdn.example/ring-2.jpg'],
    url: '/#p-conf-ring',
    tags: ['ring', 'conformance'],
    variants: [
      { id: 'size-6', sku: 'CONF-R-6', options: { size: '6' }, price: null, stock: 3 },
      { id: 'size-7', sku: 'CONF-R-7', options: { size: '7' }, price: null, stock: 0 },
    ],
  },
  {
    id: 'conf-studs',
    title: { en: 'Test studs' },
    description: {},
    price: { amount: 1999, currency: 'USD' },
    compareAt: null,
    images: [],
    url: null,
    tags: ['earrings'],
    variants: [],
  },
  {
    id: 'conf-hostile',
    title: { en: '<img src=x onerror=alert(1)>', 'zh-CN': '"><script>alert(1)</script>' },
    description: { en: '{{constructor.constructor("alert(1)")()}} &lt;b&gt;' },
    price: { amount: 500, currency: 'JPY' },
    compareAt: null,
    images: ['https://cdn.example/a.svg?x="><script>'],
    url: 'https://shop.example/p?q=<script>',
    tags: ['<b>tag</b>'],
    variants: [{ id: 'v1', sku: "'; DROP TABLE products; --", options: { '<i>colour</i>': '<u>red</u>' }, price: null, stock: null }],
  },
] as const;

/** Loosely typed on purpose: the suite sends malformed payloads too. */
export type AnySocket = Socket;

export interface WireError {
  code: string;
  message: string;
}

export type WireAck = { ok: true; [key: string]: unknown } | { ok: false; error: WireError };

export interface WireMessage {
  id: string;
  conversationId: string;
  seq: number;
  clientId: string;
  author: { role: string; id: string; name: string | null };
  kind: string;
  text: string;
  product?: WireSnapshot;
  products?: WireSnapshot[];
  context?: { product: WireSnapshot };
  createdAt: string;
}

export interface WireMoney {
  amount: number;
  currency: string;
}

export interface WireVariant {
  id: string;
  sku: string | null;
  options: Record<string, string>;
  price: WireMoney | null;
  stock: number | null;
}

export interface WireSnapshot {
  id: string;
  title: Record<string, string>;
  price: WireMoney;
  compareAt: WireMoney | null;
  image: string | null;
  url: string | null;
  variants: WireVariant[];
  source: 'catalogue' | 'page';
}

export interface WireProduct {
  id: string;
  title: Record<string, string>;
  description: Record<string, string>;
  price: WireMoney;
  compareAt: WireMoney | null;
  images: string[];
  url: string | null;
  tags: string[];
  variants: WireVariant[];
  updatedAt: string;
}

export interface WireConversation {
  id: string;
  shop: string;
  visitorId: string;
  lastSeq: number;
  visitorReadSeq: number;
  agentReadSeq: number;
  createdAt: string;
}

export interface WireSummary extends WireConversation {
  visitorName: string | null;
  unread: number;
  lastMessage: WireMessage | null;
  updatedAt: string;
}

export interface WireSession {
  protocol: number;
  role: 'visitor' | 'agent';
  shop: string;
  shopName: string;
  userId: string;
  token: string;
  conversation: WireConversation | null;
  agent: { id: string; name: string; email: string } | null;
  features: string[];
  serverTime: string;
}

/** Starts (or points at) the server under test. */
export async function getTarget(): Promise<Target> {
  const external = process.env.VITRINE_URL;
  if (external) {
    return {
      url: external.replace(/\/+$/, ''),
      shop: process.env.VITRINE_SHOP ?? 'demo',
      agentEmail: process.env.VITRINE_AGENT_EMAIL ?? 'owner@demo.shop',
      agentPassword: process.env.VITRINE_AGENT_PASSWORD ?? 'vitrine-demo',
      catalogue: null,
      assistantShop: process.env.VITRINE_ASSISTANT_SHOP || null,
      close: async () => undefined,
    };
  }
  // The reference server, in process, on a random port with an in-memory database.
  const { startServer, createShop, createAgent } = await import('../../server/app.js');
  // The embedded assistant streams in short chunks a few ms apart (deltas are seen, tests stay quick).
  const server = await startServer({ port: 0, dataDir: 'memory://', quiet: true, assistantPaceMs: 5 });
  const shop = `conf-${randomBytes(3).toString('hex')}`;
  await createShop(server.store, { id: shop, name: 'Conformance Shop 测试店' });
  const agentEmail = 'agent@conformance.test';
  const agentPassword = 'correct horse battery staple';
  await createAgent(server.store, { shop, email: agentEmail, name: 'Ada', password: agentPassword });
  const catalogue: TargetCatalogue = {
    upsert: async (product) => {
      await server.store.upsertProduct(shop, product);
    },
    remove: async (id) => {
      await server.store.deleteProduct(shop, id);
    },
  };
  for (const product of SEEDED_PRODUCTS) await catalogue.upsert(product);
  // A second shop with the assistant on (the first keeps it off: other suites see no AI replies).
  const assistantShop = `${shop}-ai`;
  await createShop(server.store, { id: assistantShop, name: 'Conformance Assistant Shop 助手测试店', locale: 'en' });
  await createAgent(server.store, { shop: assistantShop, email: agentEmail, name: 'Ada', password: agentPassword });
  for (const product of SEEDED_PRODUCTS) await server.store.upsertProduct(assistantShop, product);
  await server.store.assistant.seedFaq(assistantShop, [...ASSISTANT_FAQ]);
  await server.store.assistant.putSettings(assistantShop, { enabled: true, provider: 'embedded' });
  return { url: server.url, shop, agentEmail, agentPassword, catalogue, assistantShop, close: () => server.close() };
}

/** FAQ entries of the in-process assistant shop. */
export const ASSISTANT_FAQ = [
  {
    id: 'conf-faq-returns',
    question: { en: 'What is your return policy?', 'zh-CN': '可以退货吗？' },
    answer: {
      en: 'You can return any unworn piece within 7 days of delivery, in its original packaging. We refund within 3 working days after the parcel arrives.',
      'zh-CN': '收货后 7 天内，未佩戴且包装完好的商品都可以退货。包裹到达后 3 个工作日内退款。',
    },
    keywords: ['return', 'refund', '退货', '退款'],
  },
];

/** Logs the agent in through `POST /api/login` (or uses VITRINE_AGENT_TOKEN) to `shop` (default: the target's shop). */
export async function agentToken(t: Target, shop: string = t.shop): Promise<string> {
  if (process.env.VITRINE_AGENT_TOKEN && shop === t.shop) return process.env.VITRINE_AGENT_TOKEN;
  const res = await fetch(`${t.url}/api/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: t.agentEmail, password: t.agentPassword, shop }),
  });
  if (res.status !== 200) throw new Error(`agent login failed: HTTP ${res.status} ${await res.text()}`);
  const body = (await res.json()) as { token: string };
  return body.token;
}

export interface Connected {
  socket: AnySocket;
  session: WireSession;
}

const open = new Set<AnySocket>();

/** Opens a socket on `/vitrine` without waiting for anything. */
export function rawSocket(t: Target, auth: unknown, transports: ('websocket' | 'polling')[] = ['websocket']): AnySocket {
  const socket = io(`${t.url}/vitrine`, {
    auth: auth as Record<string, unknown>,
    transports,
    reconnection: false,
    forceNew: true,
    timeout: 5000,
  });
  open.add(socket);
  return socket;
}

/** Connects and resolves with `session:ready`; rejects with the `connect_error`. */
export function connect(t: Target, auth: unknown, transports?: ('websocket' | 'polling')[]): Promise<Connected> {
  const socket = rawSocket(t, auth, transports);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no session:ready within 5 s')), 5000);
    socket.once('session:ready', (session: WireSession) => {
      clearTimeout(timer);
      resolve({ socket, session });
    });
    socket.once('connect_error', (err: Error & { data?: unknown }) => {
      clearTimeout(timer);
      socket.close();
      reject(err);
    });
  });
}

/** Resolves with the `connect_error` of a handshake that must be refused. */
export function refused(t: Target, auth: unknown): Promise<Error & { data?: WireError }> {
  const socket = rawSocket(t, auth);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('handshake neither accepted nor refused within 5 s')), 5000);
    socket.once('session:ready', () => {
      clearTimeout(timer);
      socket.close();
      reject(new Error('handshake was accepted but must be refused'));
    });
    socket.once('connect_error', (err: Error & { data?: WireError }) => {
      clearTimeout(timer);
      socket.close();
      resolve(err);
    });
  });
}

/** A new visitor (optionally resuming `token`). */
export function visitor(t: Target, extra: Record<string, unknown> = {}): Promise<Connected> {
  return connect(t, { protocol: 1, shop: t.shop, role: 'visitor', ...extra });
}

/** An agent connection. */
export function agent(t: Target, token: string): Promise<Connected> {
  return connect(t, { protocol: 1, shop: t.shop, role: 'agent', token });
}

/** Emits with an ack and a timeout. */
export async function request<T extends WireAck = WireAck>(socket: AnySocket, event: string, ...args: unknown[]): Promise<T> {
  return (await socket.timeout(5000).emitWithAck(event, ...args)) as T;
}

/** Asserts a successful ack and returns it. */
export async function ok<T = Record<string, unknown>>(socket: AnySocket, event: string, payload: unknown): Promise<T & { ok: true }> {
  const res = await request(socket, event, payload);
  if (!res.ok) throw new Error(`${event} failed: ${res.error.code} ${res.error.message}`);
  return res as unknown as T & { ok: true };
}

/** Records every `event` a socket receives. */
export function record<T>(socket: AnySocket, event: string): T[] {
  const seen: T[] = [];
  socket.on(event, (x: T) => seen.push(x));
  return seen;
}

/** Resolves with the first `event` matching `pred`. */
export function next<T>(socket: AnySocket, event: string, pred: (x: T) => boolean = () => true, ms = 5000): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.off(event, on);
      reject(new Error(`no ${event} within ${ms} ms`));
    }, ms);
    const on = (x: T): void => {
      if (!pred(x)) return;
      clearTimeout(timer);
      socket.off(event, on);
      resolve(x);
    };
    socket.on(event, on);
  });
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** A unique client id. */
export function cid(): string {
  return `c-${randomBytes(8).toString('hex')}`;
}

/** Sends a text and returns the stored message. */
export async function send(socket: AnySocket, conversationId: string, text: string, clientId = cid()): Promise<WireMessage> {
  const res = await ok<{ message: WireMessage }>(socket, 'message:send', { conversationId, clientId, kind: 'text', text });
  return res.message;
}

/** The whole history of a conversation (ascending), paging with afterSeq. */
export async function allMessages(socket: AnySocket, conversationId: string): Promise<WireMessage[]> {
  const out: WireMessage[] = [];
  let afterSeq = 0;
  for (;;) {
    const page = await ok<{ messages: WireMessage[]; hasMore: boolean }>(socket, 'history:get', { conversationId, afterSeq, limit: 100 });
    out.push(...page.messages);
    if (!page.hasMore || page.messages.length === 0) return out;
    afterSeq = page.messages[page.messages.length - 1].seq;
  }
}

/** Exempts a socket (opened in a `beforeAll`) from {@link closeAll}; close it yourself. */
export function keep(socket: AnySocket): AnySocket {
  open.delete(socket);
  return socket;
}

/** Closes every socket the harness opened (except kept ones). */
/**
 * Registers the suite hooks every conformance file needs: start (or point at) the target and log
 * the agent in before all tests, close sockets after each, release the target after all.
 */
export function useTarget(ready: (target: Target, agentToken: string) => void): void {
  let target: Target | undefined;
  beforeAll(async () => {
    target = await getTarget();
    ready(target, await agentToken(target));
  });
  afterEach(() => closeAll());
  afterAll(async () => {
    await target?.close();
  });
}

export function closeAll(): void {
  for (const s of open) s.close();
  open.clear();
}
