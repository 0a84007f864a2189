/**
 * Parent side of bench/broadcast-fanout.ts: forks the server child (fanout-server.ts) and the client
 * children (fanout-clients.ts) and talks to them over IPC.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Backing } from './harness.js';
import type { ClientChildMessage, ClientParentMessage, ClientVisitor, EmitVariant, ServerChildMessage, ServerParentMessage } from './fanout-ipc.js';

interface Link<In extends { type: string }, Out> {
  proc: ChildProcess;
  post(m: Out): void;
  next<T extends In['type']>(type: T, match?: (m: Extract<In, { type: T }>) => boolean, timeoutMs?: number): Promise<Extract<In, { type: T }>>;
  exit: Promise<void>;
}

function link<In extends { type: string }, Out>(file: string, args: string[], name: string, execArgv: string[]): Link<In, Out> {
  const proc = fork(fileURLToPath(new URL(file, import.meta.url)), args, { execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const waiters: ((m: In) => boolean)[] = [];
  const exit = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  proc.on('message', (m: In) => {
    if (m.type === 'error') {
      console.error(`${name} failed:\n${(m as unknown as { message: string }).message}`);
      return;
    }
    const i = waiters.findIndex((w) => w(m));
    if (i >= 0) waiters.splice(i, 1);
  });
  return {
    proc,
    exit,
    post: (m) => {
      proc.send(m as object);
    },
    next: (type, match, timeoutMs = 120_000) =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`${name}: no ${type} within ${timeoutMs} ms`)), timeoutMs);
        void exit.then(() => reject(new Error(`${name} exited while waiting for ${type}`)));
        waiters.push((m) => {
          if (m.type !== type) return false;
          const typed = m as Extract<In, { type: typeof type }>;
          if (match && !match(typed)) return false;
          clearTimeout(timer);
          resolve(typed);
          return true;
        });
      }),
  };
}

async function closeLink(l: Link<{ type: string }, { type: 'close' }>): Promise<void> {
  if (l.proc.exitCode !== null || l.proc.signalCode !== null) return;
  const closed = l.next('closed', undefined, 20_000).catch(() => undefined);
  l.post({ type: 'close' });
  await closed;
  const killer = setTimeout(() => l.proc.kill('SIGKILL'), 5000);
  await l.exit;
  clearTimeout(killer);
}

/** The real server in a child process, with bench-only emits to the sockets it holds. */
export interface FanoutServer {
  url: string;
  shop: string;
  agent: { email: string; password: string };
  prepare(userIds: string[]): Promise<{ sockets: number; rooms: number }>;
  /** Sends the emit order; resolves when the server reports the synchronous part done. */
  emit(variant: EmitVariant, key: string, item: Record<string, unknown> | null, chunk: number, pace: number): Promise<{ syncMs: number; recipients: number; bytes: number }>;
  stats(): Promise<Extract<ServerChildMessage, { type: 'stats' }>>;
  /** The server's longest event-loop block since the previous call (ms). */
  lag(): Promise<{ max: number }>;
  close(): Promise<void>;
}

export async function startFanoutServer(backing: Backing): Promise<FanoutServer> {
  const l = link<ServerChildMessage, ServerParentMessage>('./fanout-server.ts', [backing.kind, backing.where], `server child (${backing.kind})`, [
    '--expose-gc',
    '--max-old-space-size=2048',
    '--import',
    'tsx',
  ]);
  const ready = await l.next('ready');
  return {
    url: ready.url,
    shop: ready.shop,
    agent: ready.agent,
    async prepare(userIds) {
      const r = l.next('prepared');
      l.post({ type: 'prepare', userIds });
      return r;
    },
    async emit(variant, key, item, chunk, pace) {
      const r = l.next('emitted', (m) => m.key === key);
      l.post({ type: 'emit', variant, key, item, chunk, pace });
      return r;
    },
    async stats() {
      const r = l.next('stats');
      l.post({ type: 'stats' });
      return r;
    },
    async lag() {
      const r = l.next('lag');
      l.post({ type: 'lag' });
      return r;
    },
    close: () => closeLink(l as unknown as Link<{ type: string }, { type: 'close' }>),
  };
}

/** One client process holding a share of the visitors. */
export interface ClientGroup {
  connect(url: string, shop: string, n: number, concurrency: number): Promise<{ visitors: ClientVisitor[]; ms: number; failed: number }>;
  /** Asks to be told when `count` packets of `key` arrived; returns the promise of that report. */
  expect(key: string, count: number, timeoutMs: number): Promise<Extract<ClientChildMessage, { type: 'received' }>>;
  cpu(): Promise<NodeJS.CpuUsage>;
  close(): Promise<void>;
}

export function startClientGroup(index: number): ClientGroup {
  const l = link<ClientChildMessage, ClientParentMessage>('./fanout-clients.ts', [], `client child ${index}`, ['--max-old-space-size=2048', '--import', 'tsx']);
  return {
    async connect(url, shop, n, concurrency) {
      const r = l.next('connected', undefined, 600_000);
      l.post({ type: 'connect', url, shop, n, concurrency });
      return r;
    },
    expect(key, count, timeoutMs) {
      const r = l.next('received', (m) => m.key === key, timeoutMs + 10_000);
      l.post({ type: 'expect', key, count, timeoutMs });
      return r;
    },
    async cpu() {
      const r = l.next('stats');
      l.post({ type: 'stats' });
      return (await r).cpu;
    },
    close: () => closeLink(l as unknown as Link<{ type: string }, { type: 'close' }>),
  };
}
