/**
 * Shared pieces of the fault scenarios: the server as a child process (kill -9 / SIGTERM /
 * restart), Vitrine clients whose transport is tapped into the {@link DeliveryLog}, a raw agent
 * socket, the final history, and figures for the summary table.
 */
import { appendFileSync, mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { io, type Socket } from 'socket.io-client';
import {
  createVitrineClient,
  memoryStorage,
  PROTOCOL_VERSION,
  socketIoTransport,
  memoryLock,
  type ConversationHandle,
  type LockPort,
  type Message,
  type StoragePort,
  type Transport,
  type VitrineClient,
} from '../../src/index.js';
import { startServerProcess, type ServerProcess } from '../support/server-process.js';
import { DeliveryLog, formatViolations, type LoggedMessage } from './checker.js';

export const ROOT = resolve(import.meta.dirname, '../..');
export const FIGURES_FILE = resolve(ROOT, '.test-output/faults-figures.jsonl');

/** The demo shop and agent seeded by `server/main.ts --demo`. */
export const DEMO_SHOP = 'demo';
export const DEMO_AGENT = { email: 'owner@demo.shop', password: 'vitrine-demo' };

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Polls `check` every `every` ms until truthy; throws after `ms`. */
export async function until<T>(what: string, check: () => T | undefined | null | false, ms = 20_000, every = 25): Promise<T> {
  const start = Date.now();
  for (;;) {
    const value = check();
    if (value) return value;
    if (Date.now() - start > ms) throw new Error(`timed out after ${ms} ms waiting for: ${what}`);
    await sleep(every);
  }
}

// ---------------------------------------------------------------- server process

export type { ServerProcess } from '../support/server-process.js';

/** Starts `server/main.ts --demo` on a fixed port (quiet); resolves when /healthz is 200. */
export function spawnServer(opts: { port: number; dataDir: string; databaseUrl?: string }): Promise<ServerProcess> {
  return startServerProcess({ ...opts, name: `faults server :${opts.port}` });
}

/** Logs an agent in over REST and returns its token. */
export async function login(url: string, agent: { email: string; password: string } = DEMO_AGENT): Promise<string> {
  const res = await fetch(`${url}/api/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(agent),
  });
  if (!res.ok) throw new Error(`login failed: ${res.status}`);
  return ((await res.json()) as { token: string }).token;
}

// ---------------------------------------------------------------- raw sockets

/** A raw agent socket (websocket only, no reconnection), resolved once `session:ready` arrived. */
export async function rawAgent(url: string, shop: string, token: string): Promise<Socket> {
  const socket = io(`${url}/vitrine`, {
    auth: { protocol: PROTOCOL_VERSION, shop, role: 'agent', token },
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
  });
  await new Promise<void>((resolveReady, reject) => {
    socket.once('session:ready', () => resolveReady());
    socket.once('connect_error', (err) => reject(err));
  });
  return socket;
}

/** Sends `message:send` on a raw socket, logging send/ack; retries (same clientId) on timeout. */
export async function rawSend(log: DeliveryLog, socket: Socket, conversationId: string, clientId: string, text: string): Promise<Message> {
  log.send(clientId, conversationId, text);
  for (let attempt = 0; ; attempt++) {
    log.attempt(clientId);
    try {
      const res = (await socket.timeout(5000).emitWithAck('message:send', { conversationId, clientId, kind: 'text', text })) as
        | { ok: true; message: Message }
        | { ok: false; error: { code: string; message: string } };
      if (!res.ok) throw new Error(`${res.error.code}: ${res.error.message}`);
      log.ack(clientId, res.message.seq, res.message.id);
      return res.message;
    } catch (err) {
      if (attempt >= 5) throw err;
      await sleep(200);
    }
  }
}

/** The full stored history of each conversation, paged by `afterSeq` through an agent socket. */
export async function finalHistory(url: string, shop: string, token: string, conversationIds: Iterable<string>): Promise<Map<string, LoggedMessage[]>> {
  const socket = await rawAgent(url, shop, token);
  const result = new Map<string, LoggedMessage[]>();
  try {
    for (const id of new Set(conversationIds)) {
      const all: LoggedMessage[] = [];
      let after = 0;
      for (;;) {
        const res = (await socket.timeout(10_000).emitWithAck('history:get', { conversationId: id, afterSeq: after, limit: 100 })) as
          | { ok: true; messages: Message[]; hasMore: boolean }
          | { ok: false; error: { code: string; message: string } };
        if (!res.ok) throw new Error(`history:get ${id}: ${res.error.code}`);
        all.push(...res.messages);
        if (!res.hasMore || res.messages.length === 0) break;
        after = res.messages.at(-1)!.seq;
      }
      result.set(id, all);
    }
  } finally {
    socket.disconnect();
  }
  return result;
}

// ---------------------------------------------------------------- tapped Vitrine clients

export interface TappedClient {
  id: string;
  client: VitrineClient;
  /** Resolves with the visitor's own conversation once the session is ready (and observes it). */
  conversation(ms?: number): Promise<ConversationHandle>;
  /** Opens (agents) and observes a conversation by id. */
  observe(id: string): ConversationHandle;
  /** Sends through the handle (outbox) and logs the send; resolves/rejects like `send`. */
  send(handle: ConversationHandle, text: string): { clientId: string; done: Promise<unknown> };
  /** history:get requests and messages fetched by this client. */
  history: { requests: number; messages: number };
  /** Every `message:new` event as the transport delivered it (duplicates included). */
  rawNew: Message[];
  destroy(): void;
}

export interface TappedOptions {
  url: string;
  shop: string;
  role?: 'visitor' | 'agent';
  token?: string;
  storage?: StoragePort;
  /** Locks shared with other clients (see {@link browserTabs}). */
  lock?: LockPort;
  requestTimeoutMs?: number;
  maxSendAttempts?: number;
  /** Extra socket.io-client options (merged after `transports: ['websocket']`). */
  socket?: Record<string, unknown>;
}

/**
 * A real `createVitrineClient` forced to WebSocket, whose transport is wrapped to log every
 * `message:send` attempt and ack and count history fetches; what it shows is observed through
 * each conversation's `$messages` (first appearance of each seq, in order).
 */
export function tappedClient(log: DeliveryLog, id: string, opts: TappedOptions): TappedClient {
  const history = { requests: 0, messages: 0 };
  const rawNew: Message[] = [];
  const inner = socketIoTransport({
    requestTimeoutMs: opts.requestTimeoutMs ?? 10_000,
    socket: { transports: ['websocket'], ...opts.socket },
  });
  const factory = (url: string): Transport => {
    const t = inner(url);
    t.on('message:new', (m) => void rawNew.push(m));
    return {
      open: (auth) => t.open(auth),
      close: () => t.close(),
      on: (event, listener) => t.on(event, listener),
      onStatus: (listener) => t.onStatus(listener),
      onRefused: (listener) => t.onRefused(listener),
      request: ((event: string, payload: Record<string, unknown>, timeoutMs?: number) => {
        if (event === 'message:send') log.attempt(String(payload.clientId));
        if (event === 'history:get') history.requests += 1;
        const p = (t.request as (e: string, p: unknown, ms?: number) => Promise<Record<string, unknown>>)(event, payload, timeoutMs);
        void p.then(
          (res) => {
            if (!res.ok) return;
            if (event === 'message:send') {
              const m = res.message as Message;
              log.ack(m.clientId, m.seq, m.id);
            } else if (event === 'history:get') {
              history.messages += (res.messages as Message[]).length;
            }
          },
          () => {},
        );
        return p;
      }) as Transport['request'],
    };
  };
  const client = createVitrineClient({
    url: opts.url,
    shop: opts.shop,
    role: opts.role ?? 'visitor',
    ...(opts.token ? { token: opts.token } : {}),
    ports: { storage: opts.storage ?? memoryStorage(), ...(opts.lock ? { lock: opts.lock } : {}) },
    transport: factory,
    maxSendAttempts: opts.maxSendAttempts ?? 50,
  });
  const observed = new Map<string, () => void>();
  const watch = (handle: ConversationHandle): ConversationHandle => {
    if (!observed.has(handle.id)) {
      observed.set(
        handle.id,
        handle.$messages.subscribe((messages) => {
          for (const m of messages) {
            if (m.seq !== null && m.id !== null) log.receive(id, { id: m.id, conversationId: m.conversationId, seq: m.seq, clientId: m.clientId, text: m.text });
          }
        }),
      );
    }
    return handle;
  };
  return {
    id,
    client,
    history,
    rawNew,
    async conversation(ms = 30_000) {
      const handle = await until(`${id}: conversation`, () => client.$conversation.get(), ms);
      return watch(handle);
    },
    observe(conversationId) {
      return watch(client.conversation(conversationId));
    },
    send(handle, text) {
      const done = handle.send(text);
      done.catch(() => {});
      const entry = [...handle.$messages.get()].reverse().find((m) => m.seq === null && m.text === text);
      if (!entry) throw new Error(`${id}: sent message not in the outbox`);
      log.send(entry.clientId, handle.id, text);
      return { clientId: entry.clientId, done };
    },
    destroy() {
      for (const off of observed.values()) off();
      observed.clear();
      client.destroy();
    },
  };
}

/**
 * Tabs of one browser in one process: one storage with per-tab views whose `watch` hears the other
 * tabs' writes (like the `storage` event), and one lock shared by all (like `navigator.locks`).
 */
export function browserTabs(): { storage(): StoragePort; lock: LockPort } {
  const map = new Map<string, string>();
  const watchers = new Set<{ key: string; tab: object; listener: (v: string | null) => void }>();
  const notify = (tab: object, key: string): void => {
    const value = map.get(key) ?? null;
    for (const w of [...watchers]) if (w.key === key && w.tab !== tab) queueMicrotask(() => w.listener(value));
  };
  const inner = memoryLock();
  return {
    storage() {
      const tab = {};
      return {
        get: (key) => map.get(key) ?? null,
        set: (key, value) => {
          map.set(key, value);
          notify(tab, key);
        },
        remove: (key) => {
          map.delete(key);
          notify(tab, key);
        },
        watch: (key, listener) => {
          const w = { key, tab, listener };
          watchers.add(w);
          return () => void watchers.delete(w);
        },
      };
    },
    lock: { shared: true, withLock: (name, fn, options) => inner.withLock(name, fn, options) },
  };
}

// ---------------------------------------------------------------- figures

export interface Figures {
  scenario: string;
  messages: number;
  retries: number;
  convergeMs: number;
  violations: number;
  note?: string;
}

/** Prints the figures and appends them for the summary table (see summary.ts). */
export function report(f: Figures): void {
  console.log(
    `[faults] ${f.scenario}: messages=${f.messages} retries=${f.retries} converge=${(f.convergeMs / 1000).toFixed(2)}s violations=${f.violations}${f.note ? ` (${f.note})` : ''}`,
  );
  try {
    mkdirSync(resolve(ROOT, '.test-output'), { recursive: true });
    appendFileSync(FIGURES_FILE, `${JSON.stringify(f)}\n`);
  } catch {
    // The table is a convenience; the console line above is the record.
  }
}

/** Runs the checker, reports the figures, and throws with every violation when there is any. */
export function verdict(log: DeliveryLog, history: ReadonlyMap<string, readonly LoggedMessage[]>, figures: Omit<Figures, 'violations'>): void {
  const violations = log.check(history);
  report({ ...figures, violations: violations.length });
  if (violations.length) {
    throw new Error(`${figures.scenario}: ${violations.length} delivery violation(s):\n${formatViolations(violations)}`);
  }
}

export { DeliveryLog };
