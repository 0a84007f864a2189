/**
 * Shared pieces of the benchmarks: the server child process, a throw-away PostgreSQL database,
 * raw Socket.IO visitor clients speaking protocol v1, percentiles and the printed header.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { io, type Socket } from 'socket.io-client';
import { PROTOCOL_VERSION, NAMESPACE } from '../../src/protocol/version.js';
import { BENCH_SHOP, type ChildMessage, type ParentMessage, type ServerKind } from './ipc.js';

export type { ServerKind } from './ipc.js';

const CHILD = fileURLToPath(new URL('./server-child.ts', import.meta.url));

export const KIND_LABEL: Record<ServerKind, string> = {
  bare: 'bare Socket.IO',
  pglite: 'Vitrine PGlite',
  pg: 'Vitrine PostgreSQL',
};

/** Server stats reported by the child over IPC. */
export type Stats = Extract<ChildMessage, { type: 'stats' }>;

/** A server running in a child process. */
export interface ServerChild {
  kind: ServerKind;
  url: string;
  stats(gc?: boolean): Promise<Stats>;
  close(): Promise<void>;
}

/** A PostgreSQL database created for one bench run. */
export interface TempDb {
  url: string;
  drop(): Promise<void>;
}

export const ADMIN_PG_URL = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';

/** Creates a uniquely named database next to `ADMIN_PG_URL`; null (with the reason printed) when unreachable. */
export async function createTempDb(): Promise<TempDb | null> {
  const admin = new pg.Client({ connectionString: ADMIN_PG_URL, connectionTimeoutMillis: 2000 });
  try {
    await admin.connect();
  } catch (err) {
    console.log(`PostgreSQL unreachable at ${ADMIN_PG_URL.replace(/:[^:@/]*@/, ':***@')}: ${err instanceof Error ? err.message : String(err)} (skipped)`);
    return null;
  }
  const name = `vitrine_bench_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(ADMIN_PG_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: ADMIN_PG_URL });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}

/** Where a server child keeps its data, and how to clean up after it. */
export interface Backing {
  kind: ServerKind;
  /** PGlite directory or PostgreSQL URL; empty for `bare`. */
  where: string;
  cleanup(): Promise<void>;
}

/** Prepares storage for one server kind: a temp PGlite directory, a temp database, or nothing. Null when PostgreSQL is unreachable. */
export async function prepareBacking(kind: ServerKind): Promise<Backing | null> {
  if (kind === 'bare') return { kind, where: '', cleanup: async () => {} };
  if (kind === 'pglite') {
    const dir = mkdtempSync(join(tmpdir(), 'vitrine-bench-'));
    return { kind, where: dir, cleanup: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  const db = await createTempDb();
  return db ? { kind, where: db.url, cleanup: () => db.drop() } : null;
}

/** Starts the server of `backing` in a child process (`--expose-gc`), resolved once it listens. */
export async function startChild(backing: Backing): Promise<ServerChild> {
  const child: ChildProcess = fork(CHILD, [backing.kind, backing.where], {
    execArgv: ['--expose-gc', '--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const waiters: ((m: ChildMessage) => boolean)[] = [];
  let exited = false;
  child.on('message', (m: ChildMessage) => {
    if (m.type === 'error') {
      console.error(`server child (${backing.kind}) failed:\n${m.message}`);
      return;
    }
    const i = waiters.findIndex((w) => w(m));
    if (i >= 0) waiters.splice(i, 1);
  });
  const exit = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  void exit.then(() => {
    exited = true;
  });
  const next = <T extends ChildMessage['type']>(type: T, timeoutMs = 60_000): Promise<Extract<ChildMessage, { type: T }>> =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`server child (${backing.kind}): no ${type} within ${timeoutMs} ms`)), timeoutMs);
      void exit.then(() => reject(new Error(`server child (${backing.kind}) exited while waiting for ${type}`)));
      waiters.push((m) => {
        if (m.type !== type) return false;
        clearTimeout(timer);
        resolve(m as Extract<ChildMessage, { type: T }>);
        return true;
      });
    });
  const post = (m: ParentMessage): void => {
    child.send(m);
  };
  const ready = await next('ready');
  return {
    kind: backing.kind,
    url: ready.url,
    async stats(gc = false) {
      const reply = next('stats');
      post({ type: 'stats', gc });
      return reply;
    },
    async close() {
      if (exited) return;
      const closed = next('closed', 20_000).catch(() => undefined);
      post({ type: 'close' });
      await closed;
      const killer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exit;
      clearTimeout(killer);
    },
  };
}

/** A connected visitor (raw socket.io-client, websocket transport). */
export interface Visitor {
  socket: Socket;
  conversationId: string;
  token: string;
}

/** Options of {@link connectVisitors}. */
export interface ConnectOptions {
  /** Handshakes in flight at once. */
  concurrency?: number;
  /** Resume these tokens instead of choosing new ones. */
  tokens?: string[];
}

/** A client-chosen resume token (protocol v1: 32..512 chars of [A-Za-z0-9_-]). */
export const newVisitorToken = (): string => randomBytes(32).toString('base64url');

/** Connects one visitor and resolves on `session:ready`. */
export function connectVisitor(url: string, token = newVisitorToken(), timeoutMs = 30_000): Promise<Visitor> {
  const socket = io(`${url}${NAMESPACE}`, {
    transports: ['websocket'],
    forceNew: true,
    reconnection: false,
    timeout: timeoutMs,
    auth: { protocol: PROTOCOL_VERSION, shop: BENCH_SHOP, role: 'visitor', token },
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.close();
      reject(new Error(`no session:ready within ${timeoutMs} ms`));
    }, timeoutMs);
    socket.once('connect_error', (err: Error & { data?: unknown }) => {
      clearTimeout(timer);
      socket.close();
      reject(new Error(`connect_error: ${err.message} ${JSON.stringify(err.data ?? null)}`));
    });
    socket.once('session:ready', (s: { conversation: { id: string } | null; token?: string }) => {
      clearTimeout(timer);
      resolve({ socket, conversationId: s.conversation?.id ?? '', token: s.token ?? token });
    });
  });
}

/** Connects `n` visitors with at most `concurrency` handshakes in flight; returns them in order. */
export async function connectVisitors(url: string, n: number, opts: ConnectOptions = {}): Promise<Visitor[]> {
  const out: Visitor[] = new Array<Visitor>(n);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < n) {
      const i = next;
      next += 1;
      out[i] = await connectVisitor(url, opts.tokens?.[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(opts.concurrency ?? 50, n) }, worker));
  return out;
}

/** Closes every socket and waits a moment for the server to notice. */
export async function disconnectAll(visitors: Visitor[], settleMs = 500): Promise<void> {
  for (const v of visitors) v.socket.close();
  await sleep(settleMs);
}

let clientSeq = 0;
const runId = randomBytes(3).toString('hex');

/** One `message:send`; resolves with the send-to-ack time in ms, rejects on `ok: false` or timeout. */
export function sendMessage(v: Visitor, text: string, timeoutMs = 30_000): Promise<number> {
  clientSeq += 1;
  const payload = { conversationId: v.conversationId, clientId: `b-${runId}-${clientSeq}`, kind: 'text', text };
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    v.socket.timeout(timeoutMs).emit('message:send', payload, (err: Error | null, res: { ok: boolean; error?: unknown }) => {
      const ms = performance.now() - t0;
      if (err) reject(new Error(`message:send: no ack within ${timeoutMs} ms`));
      else if (!res.ok) reject(new Error(`message:send failed: ${JSON.stringify(res.error)}`));
      else resolve(ms);
    });
  });
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Nearest-rank percentile of an ascending array. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

/** Summary of a set of latencies (ms). */
export function summarize(latencies: readonly number[]): { n: number; mean: number; p50: number; p90: number; p99: number; max: number } {
  const s = [...latencies].sort((a, b) => a - b);
  const mean = s.reduce((a, b) => a + b, 0) / (s.length || 1);
  return { n: s.length, mean, p50: percentile(s, 50), p90: percentile(s, 90), p99: percentile(s, 99), max: s[s.length - 1] ?? NaN };
}

/** The printed header: machine, Node, stores. */
export function header(title: string, kinds: readonly ServerKind[], extra: string[] = []): void {
  const c = cpus();
  console.log(`# ${title}`);
  console.log(`date: ${new Date().toISOString()}`);
  console.log(`machine: ${c.length} cores (${c[0]?.model.trim() ?? 'unknown'}), ${(totalmem() / 2 ** 30).toFixed(1)} GiB, ${process.platform}-${process.arch}`);
  console.log(`node: ${process.version}; server in a child process (--expose-gc), clients: socket.io-client websocket transport`);
  console.log(`load average at start: ${loadavg().map((l) => l.toFixed(2)).join(' ')} (other work on the machine skews the figures)`);
  console.log(`stores: ${kinds.map((k) => KIND_LABEL[k]).join(', ')}`);
  for (const line of extra) console.log(line);
  console.log('');
}

/** Parses `--name value` integer options with defaults (and an optional `--only bare,pglite,pg`). */
export function intArgs<T extends Record<string, number>>(defaults: T): T & { only: ServerKind[] } {
  const out: Record<string, number> = { ...defaults };
  let only: ServerKind[] = ['bare', 'pglite', 'pg'];
  const argv = process.argv.slice(2);
  for (let i = 0; i < argv.length; i += 1) {
    const key = argv[i].replace(/^--/, '');
    const value = argv[i + 1];
    if (key === 'only' && value) {
      only = value.split(',').filter((k): k is ServerKind => k === 'bare' || k === 'pglite' || k === 'pg');
      i += 1;
    } else if (key in out && value !== undefined && Number.isFinite(Number(value))) {
      out[key] = Number(value);
      i += 1;
    } else {
      throw new Error(`unknown option ${argv[i]} (known: ${Object.keys(defaults).map((k) => `--${k}`).join(' ')} --only bare,pglite,pg)`);
    }
  }
  return { ...(out as T), only };
}

/** Pads a table row. */
export function row(cells: (string | number)[], widths: number[]): string {
  return cells.map((c, i) => (i === 0 ? String(c).padEnd(widths[i]) : String(c).padStart(widths[i]))).join('  ');
}

export const ms = (v: number): string => (Number.isFinite(v) ? v.toFixed(2) : '-');
