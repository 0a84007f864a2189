/** Shared helpers for suites that run the core client against the real reference server. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import { createAgent, createShop, startServer, type RunningServer } from '../../server/app.js';
import { createVitrineClient, memoryStorage, type StoragePort, type VitrineClient, type VitrineClientOptions } from '../../src/index.js';

export const SHOP = 'itest';
export const AGENT = { email: 'agent@itest.shop', password: 'correct horse battery', name: 'Mei' };

/** Starts a server on 127.0.0.1 with a fresh PGlite data dir (or the given one) and a seeded shop. */
export async function startTestServer(opts: { dataDir?: string; port?: number } = {}): Promise<RunningServer & { dataDir: string }> {
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'vitrine-itest-'));
  const server = await startServer({ port: opts.port ?? 0, dataDir, quiet: true });
  await createShop(server.store, { id: SHOP, name: 'Integration Shop' }).catch(() => {});
  await createAgent(server.store, { shop: SHOP, ...AGENT }).catch(() => {});
  return Object.assign(server, { dataDir });
}

/** Logs the test agent in over the REST API and returns its token. */
export async function agentToken(url: string): Promise<string> {
  const res = await fetch(`${url}/api/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: AGENT.email, password: AGENT.password }),
  });
  if (!res.ok) throw new Error(`login failed: ${res.status}`);
  const body = (await res.json()) as { token: string };
  return body.token;
}

/**
 * What a suite's tests start, torn down after each test: `track(client)` destroys the client,
 * servers pushed to `servers` are closed.
 */
export function cleanUpAfterEach(): { track: <T extends VitrineClient>(c: T) => T; servers: { close(): Promise<void> }[] } {
  const clients: VitrineClient[] = [];
  const servers: { close(): Promise<void> }[] = [];
  afterEach(async () => {
    for (const c of clients.splice(0)) c.destroy();
    for (const s of servers.splice(0)) await s.close().catch(() => {});
  });
  return { track: (c) => (clients.push(c), c), servers };
}

/** A visitor client with its own (or a shared) storage. */
export function visitor(url: string, storage: StoragePort = memoryStorage(), extra: Partial<VitrineClientOptions> = {}): VitrineClient {
  return createVitrineClient({ url, shop: SHOP, ports: { storage }, ...extra });
}

export function agent(url: string, token: string): VitrineClient {
  return createVitrineClient({ url, shop: SHOP, role: 'agent', token });
}

/** Polls `check` until it returns a truthy value; fails with `what` after `ms`. */
export async function waitFor<T>(what: string, check: () => T | undefined | null | false, ms = 8000): Promise<T> {
  const start = Date.now();
  for (;;) {
    const value = check();
    if (value) return value;
    if (Date.now() - start > ms) throw new Error(`timed out waiting for: ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
