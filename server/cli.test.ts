/** The `vitrine products import` CLI against a real in-process server. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAgent, createShop, startServer, type RunningServer } from './app.js';
import { run, type CliIo } from './cli.js';

let server: RunningServer;
let dir: string;
const DEMO_CSV = fileURLToPath(new URL('../demo/catalogue.csv', import.meta.url));

beforeAll(async () => {
  server = await startServer({ port: 0, dataDir: 'memory://', quiet: true });
  await createShop(server.store, { id: 'cli', name: 'CLI shop' });
  await createAgent(server.store, { shop: 'cli', email: 'owner@cli.test', name: 'Owner', password: 'open-sesame' });
  dir = mkdtempSync(path.join(tmpdir(), 'vitrine-cli-'));
});
afterAll(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function cli(argv: string[], env: Record<string, string> = {}): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { out: (l) => out.push(l), err: (l) => err.push(l), env };
  return { code: await run(argv, io), out, err };
}

describe('vitrine products import', () => {
  it('imports a CSV with --email/--password and prints the report (exit 0)', async () => {
    const res = await cli(['products', 'import', DEMO_CSV, '--server', server.url, '--email', 'owner@cli.test', '--password', 'open-sesame']);
    expect(res.err).toEqual([]);
    expect(res.code).toBe(0);
    expect(res.out[0]).toMatch(/6 created, 0 updated, 0 row error/);
    expect((await server.store.getProducts('cli', ['jade-bangle']))[0].variants[0].stock).toBe(1);
  });

  it('JSON with a token from the environment; failed rows are listed and exit 1', async () => {
    const login = (await (
      await fetch(`${server.url}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'owner@cli.test', password: 'open-sesame' }) })
    ).json()) as { token: string };
    const file = path.join(dir, 'products.json');
    writeFileSync(file, JSON.stringify([{ id: 'ok-1', title: { en: 'OK' }, price: { amount: 1, currency: 'USD' } }, { id: 'bad-1', title: { en: 'Bad' }, price: { amount: 1, currency: 'ZZZ' } }]));
    const res = await cli(['products', 'import', file], { VITRINE_URL: server.url, VITRINE_TOKEN: login.token });
    expect(res.code).toBe(1);
    expect(res.out[0]).toMatch(/1 created, 0 updated, 1 row error/);
    expect(res.out[1]).toMatch(/row 2, id bad-1, field price.currency: .*currency/);
  });

  it('usage, credentials and connection problems exit 2', async () => {
    expect((await cli([])).code).toBe(2);
    expect((await cli(['products', 'import', path.join(dir, 'x.txt'), '--token', 't'])).code).toBe(2);
    expect((await cli(['products', 'import', DEMO_CSV, '--server', server.url])).err[0]).toMatch(/no credentials/);
    const bad = await cli(['products', 'import', DEMO_CSV, '--server', server.url, '--token', 'wrong']);
    expect(bad.code).toBe(2);
    expect(bad.err[0]).toMatch(/HTTP 401/);
    const wrongPw = await cli(['products', 'import', DEMO_CSV, '--server', server.url, '--email', 'owner@cli.test', '--password', 'nope']);
    expect(wrongPw.err[0]).toMatch(/login failed/);
    const down = await cli(['products', 'import', DEMO_CSV, '--server', 'http://127.0.0.1:9', '--token', 't']);
    expect(down.code).toBe(2);
    expect(down.err[0]).toMatch(/cannot reach/);
    expect((await cli(['--help'])).code).toBe(0);
  });
});
