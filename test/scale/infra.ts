/**
 * Real engines for the scale-out suite: a throw-away PostgreSQL database, a Redis key prefix of
 * its own, and server processes (`server/main.ts`) started as children on free ports.
 * PostgreSQL or Redis being unreachable is a failure with a clear message, never a skip.
 */
import { randomBytes } from 'node:crypto';
import { createClient } from 'redis';
import { createAgent, createShop, Store } from '../../server/app.js';
import { startServerProcess, type ServerProcess } from '../support/server-process.js';
import { createTempPg, DEFAULT_PG_URL, type TempPg } from '../../server/test-support.js';


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

export { freePort } from '../support/server-process.js';

/** A server process of the scale-out deployment. */
export type Node = ServerProcess;

/** Starts `server/main.ts` (no demo seeding) on the run's engines; resolves when /healthz is 200. */
export function startNode(name: string, engines: Engines, port: number): Promise<Node> {
  return startServerProcess({
    name,
    port,
    demo: false,
    quiet: false,
    databaseUrl: engines.databaseUrl,
    redisUrl: engines.redisUrl,
    redisPrefix: engines.redisPrefix,
    readyTimeoutMs: 30_000,
  });
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
