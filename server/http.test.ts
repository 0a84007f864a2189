/** HTTP: static files, /healthz, REST login/logout/me. Real server on port 0, real files. */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAgent, createShop, startServer, type RunningServer } from './app.js';
import { CSP } from './http.js';

let server: RunningServer;
let dist: string;

beforeAll(async () => {
  dist = mkdtempSync(path.join(tmpdir(), 'vitrine-dist-'));
  writeFileSync(path.join(dist, 'vitrine.js'), 'console.log("loader")');
  mkdirSync(path.join(dist, 'widget'), { recursive: true });
  writeFileSync(path.join(dist, 'widget', 'chat-Ab12Cd34.js'), 'export const x = 1;');
  writeFileSync(path.join(dist, 'widget', 'vitrine-widget.js'), 'export const mount = 1;');
  mkdirSync(path.join(dist, 'console', 'assets'), { recursive: true });
  writeFileSync(path.join(dist, 'console', 'index.html'), '<!doctype html><title>console</title>');
  writeFileSync(path.join(dist, 'console', 'assets', 'app-abc123.css'), 'body{}');
  writeFileSync(path.join(dist, 'secret.txt'), 'must not be served');
  server = await startServer({ port: 0, dataDir: 'memory://', distDir: dist, quiet: true });
  await createShop(server.store, { id: 'web', name: 'Web shop' });
  await createAgent(server.store, { shop: 'web', email: 'owner@web.test', name: 'Owner', password: 'open-sesame' });
});

afterAll(async () => {
  await server?.close();
  rmSync(dist, { recursive: true, force: true });
});

/** A raw request, so paths are sent exactly as written (fetch would normalise `..`). */
function raw(pathname: string, init: { method?: string; headers?: Record<string, string>; body?: string | Buffer } = {}): Promise<{
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${server.url}${pathname}`, { method: init.method ?? 'GET', headers: init.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    if (init.body !== undefined) req.write(init.body);
    req.end();
  });
}

describe('static files', () => {
  it('serves the loader with CORS, no-cache and nosniff', async () => {
    const res = await raw('/vitrine.js');
    expect(res.status).toBe(200);
    expect(res.body).toBe('console.log("loader")');
    expect(res.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(res.headers['access-control-allow-origin']).toBe('*');
    expect(res.headers['cache-control']).toBe('no-cache');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
  });

  it('serves hashed widget files with a long cache and CORS', async () => {
    const res = await raw('/widget/chat-Ab12Cd34.js');
    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toContain('immutable');
    expect(res.headers['access-control-allow-origin']).toBe('*');
  });

  it('revalidates the widget entry, whose name does not change between releases', async () => {
    const res = await raw('/widget/vitrine-widget.js');
    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toBe('no-cache');
    expect(res.headers['content-type']).toMatch(/javascript/);
  });

  it('serves the console with SPA fallback, CSP on html and long cache for assets', async () => {
    const index = await raw('/console/');
    expect(index.status).toBe(200);
    expect(index.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(index.headers['content-security-policy']).toBe(CSP);
    expect(index.headers['cache-control']).toBe('no-cache');
    const deep = await raw('/console/conversations/c_123');
    expect(deep.status).toBe(200);
    expect(deep.body).toContain('<title>console</title>');
    const css = await raw('/console/assets/app-abc123.css');
    expect(css.headers['content-type']).toBe('text/css; charset=utf-8');
    expect(css.headers['cache-control']).toContain('max-age=31536000');
    expect((await raw('/console/assets/missing.js')).status).toBe(404);
    const redirect = await raw('/console');
    expect(redirect.status).toBe(301);
    expect(redirect.headers.location).toBe('/console/');
  });

  it('refuses path traversal in every spelling', async () => {
    const attempts = [
      '/widget/../secret.txt',
      '/widget/%2e%2e/secret.txt',
      '/widget/%2E%2E%2Fsecret.txt',
      '/widget/..%2fsecret.txt',
      '/widget/..%5csecret.txt',
      '/console/../secret.txt',
      '/console/%2e%2e/%2e%2e/package.json',
      '/../package.json',
      '/%2e%2e/package.json',
      '/%2e%2e/%2e%2e/etc/passwd',
      '/widget/%00.js',
      '/.git/config',
      '/widget/.%2e/.%2e/package.json',
    ];
    for (const p of attempts) {
      const res = await raw(p);
      expect(res.status, p).toBeGreaterThanOrEqual(400);
      expect(res.body, p).not.toContain('must not be served');
      expect(res.body, p).not.toContain('"name": "vitrine"');
      expect(res.body, p).not.toContain('root:');
    }
  });

  it('answers unknown files with a JSON 404 and refuses other methods', async () => {
    const res = await raw('/widget/nope.js');
    expect(res.status).toBe(404);
    expect(JSON.parse(res.body)).toEqual({ error: { code: 'not_found', message: 'not found' } });
    expect((await raw('/vitrine.js', { method: 'POST' })).status).toBe(405);
  });

  it('supports HEAD and conditional GET', async () => {
    const head = await raw('/vitrine.js', { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.body).toBe('');
    const cond = await raw('/vitrine.js', { headers: { 'if-modified-since': String(head.headers['last-modified']) } });
    expect(cond.status).toBe(304);
  });
});

describe('/healthz', () => {
  it('answers 200 {"ok":true} when ready', async () => {
    const res = await raw('/healthz');
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toEqual({ ok: true });
  });
});

describe('REST API', () => {
  const json = { 'content-type': 'application/json' };

  it('logs in with good credentials, then /api/me and /api/logout', async () => {
    const res = await raw('/api/login', { method: 'POST', headers: json, body: JSON.stringify({ email: 'owner@web.test', password: 'open-sesame' }) });
    expect(res.status).toBe(200);
    const body = JSON.parse(res.body) as { token: string; agent: { id: string; name: string; email: string }; shop: { id: string } };
    expect(body.agent.name).toBe('Owner');
    expect(body.agent.email).toBe('owner@web.test');
    expect(body.shop.id).toBe('web');
    expect(body.token.length).toBeGreaterThan(20);

    const me = await raw('/api/me', { headers: { authorization: `Bearer ${body.token}` } });
    expect(me.status).toBe(200);
    expect(JSON.parse(me.body).agent.id).toBe(body.agent.id);

    expect((await raw('/api/logout', { method: 'POST', headers: { authorization: `Bearer ${body.token}` } })).status).toBe(200);
    const after = await raw('/api/me', { headers: { authorization: `Bearer ${body.token}` } });
    expect(after.status).toBe(401);
    expect(JSON.parse(after.body).error.code).toBe('unauthorized');
  });

  it('refuses bad credentials with 401 unauthorized', async () => {
    for (const creds of [
      { email: 'owner@web.test', password: 'wrong' },
      { email: 'nobody@web.test', password: 'open-sesame' },
      { email: 'owner@web.test', password: 'open-sesame', shop: 'other' },
    ]) {
      const res = await raw('/api/login', { method: 'POST', headers: json, body: JSON.stringify(creds) });
      expect(res.status).toBe(401);
      expect(JSON.parse(res.body)).toEqual({ error: { code: 'unauthorized', message: 'wrong e-mail or password' } });
    }
  });

  it('refuses malformed bodies with 400 invalid_payload', async () => {
    for (const body of ['{not json', '[]', '{"email": 42, "password": "x"}', '']) {
      const res = await raw('/api/login', { method: 'POST', headers: json, body });
      expect(res.status, body).toBe(400);
      expect(JSON.parse(res.body).error.code, body).toBe('invalid_payload');
    }
  });

  it('refuses bodies over 16 KiB with 413 too_large and stays up', async () => {
    const big = JSON.stringify({ email: 'owner@web.test', password: 'x'.repeat(17 * 1024) });
    const res = await raw('/api/login', { method: 'POST', headers: json, body: big });
    expect(res.status).toBe(413);
    expect(JSON.parse(res.body).error.code).toBe('too_large');
    // Without a content-length (chunked), the limit holds too.
    const chunked = await raw('/api/login', { method: 'POST', headers: { ...json, 'transfer-encoding': 'chunked' }, body: big });
    expect(chunked.status).toBe(413);
    expect((await raw('/healthz')).status).toBe(200);
  });

  it('answers CORS preflight by reflecting the origin', async () => {
    const res = await raw('/api/login', {
      method: 'OPTIONS',
      headers: { origin: 'https://shop.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
    });
    expect(res.status).toBe(204);
    expect(res.headers['access-control-allow-origin']).toBe('https://shop.example');
    expect(String(res.headers['access-control-allow-headers'])).toContain('Authorization');
  });

  it('unknown routes and methods are JSON errors', async () => {
    const res = await raw('/api/nope');
    expect(res.status).toBe(404);
    expect(JSON.parse(res.body).error.code).toBe('not_found');
    expect((await raw('/api/login')).status).toBe(405);
    expect((await raw('/api/me')).status).toBe(401);
  });
});
