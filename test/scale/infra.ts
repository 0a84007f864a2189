/**
 * Real engines for the scale-out suite: a throw-away PostgreSQL database, a Redis key prefix of
 * its own, and server processes (`server/main.ts`) started as children on free ports.
 * PostgreSQL or Redis being unreachable is a failure with a clear message, never a skip.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { createClient } from 'redis';
import { createAgent, createShop, Store } from '../../server/app.js';
import { createTempPg, DEFAULT_PG_URL, type TempPg } from '../../server/test-support.js';

const root = resolve(import.meta.dirname, '../..');

export const SHOP = 'scale';
export const AGENT = { email: 'agent@scale.shop', password: 'scale-out agent password', name: 'Ada' };
export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';

/** A database and a Redis prefix for one run; `drop()` removes the database. */
export interface Engines {
  databaseUrl: string;
  redisUrl: string;
  redisPrefix: string;
  drop(): Promise<void>;
}

/** Creates the run's database (seeded with the test shop and agent) and checks Redis; throws when either is unreachable. */
export async function prepareEngines(): Promise<Engines> {
  const redisUrl = process.env.REDIS_URL || DEFAULT_REDIS_URL;
  const redis = createClient({ url: redisUrl, socket: { connectTimeout: 2000, reconnectStrategy: false } });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    await redis.ping();
  } catch (err) {
    throw new Error(
      `Redis is unreachable at ${redisUrl} (set REDIS_URL): the scale-out suite needs it. ${err instanceof Error ? err.message : String(err)}`,
    );
  } finally {
    if (redis.isOpen) await redis.close();
  }

  const pg = await createTempPg();
  if ('skip' in pg) {
    throw new Error(`${pg.skip}. The scale-out suite needs PostgreSQL (set DATABASE_URL, default ${DEFAULT_PG_URL}).`);
  }
  const temp: TempPg = pg;
  try {
    const store = await Store.open({ databaseUrl: temp.url });
    try {
      await createShop(store, { id: SHOP, name: 'Scale-out Shop' });
      await createAgent(store, { shop: SHOP, ...AGENT });
    } finally {
      await store.close();
    }
  } catch (err) {
    await temp.drop().catch(() => undefined);
    throw err;
  }
  return {
    databaseUrl: temp.url,
    redisUrl,
    redisPrefix: `vitrine-scale-${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`,
    drop: () => temp.drop(),
  };
}

/** A free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address ? resolvePort(address.port) : reject(new Error('no port'))));
    });
  });
}

/** A server process. */
export interface Node {
  name: string;
  url: string;
  port: number;
  output(): string;
  /** Sends `signal` and waits for the exit. */
  kill(signal: NodeJS.Signals): Promise<number | null>;
  readonly exited: boolean;
}

/** Starts `node --import tsx server/main.ts` with the run's engines; resolves when /healthz is 200. */
export async function startNode(name: string, engines: Engines, port: number): Promise<Node> {
  let out = '';
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    cwd: root,
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_URL: engines.databaseUrl,
      REDIS_URL: engines.redisUrl,
      VITRINE_REDIS_PREFIX: engines.redisPrefix,
      VITRINE_DATA: '',
      VITRINE_QUIET: '',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (b: Buffer) => (out += b.toString()));
  child.stderr?.on('data', (b: Buffer) => (out += b.toString()));
  const exit = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));

  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`server ${name} exited early (${child.exitCode ?? child.signalCode}):\n${out}`);
    if (out.includes(url)) {
      const health = await fetch(`${url}/healthz`).catch(() => null);
      if (health?.status === 200) break;
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`server ${name} did not become ready within 30 s:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    name,
    url,
    port,
    output: () => out,
    get exited() {
      return child.exitCode !== null || child.signalCode !== null;
    },
    async kill(signal) {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      child.kill(signal);
      return exit;
    },
  };
}

/** Logs the test agent in over the REST API of `url` and returns its token. */
export async function agentToken(url: string): Promise<string> {
  const res = await fetch(`${url}/api/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: AGENT.email, password: AGENT.password, shop: SHOP }),
  });
  if (!res.ok) throw new Error(`login failed: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { token: string }).token;
}

/** Polls `check` until it returns a truthy value; fails with `what` after `ms`. */
export async function waitFor<T>(what: string, check: () => T | undefined | null | false, ms = 10_000): Promise<T> {
  const start = Date.now();
  for (;;) {
    const value = check();
    if (value) return value;
    if (Date.now() - start > ms) throw new Error(`timed out after ${ms} ms waiting for: ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
