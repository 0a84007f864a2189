/** HTTP on the server's one port: static files, /healthz and the REST API under /api/. */
import { createReadStream, promises as fsp } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import * as v from 'valibot';
import type { ErrorCode } from '../src/protocol/errors.js';
import { VitrineError } from '../src/protocol/errors.js';
import { LIMITS } from '../src/protocol/limits.js';
import {
  couponIdSchema,
  couponInputSchema,
  productIdSchema,
  productSearchSchema,
  quickReplyInputSchema,
  reservationSettingsSchema,
  validate,
} from '../src/protocol/schemas.js';
import { IMPORT_MAX_BYTES, ImportFormatError, importCsv, importJson, type ImportReport } from './catalogue-import.js';
import { agentForToken, login } from './auth.js';
import type { AssistantLocale } from './assistant/provider.js';
import type { TryReply } from './assistant/runner.js';
import { handleAssistant } from './assistant-http.js';
import { handleBroadcasts } from './broadcast-http.js';
import type { Logger } from './log.js';
import { hashToken } from './security.js';
import type { Store } from './storage/store.js';

/** Largest JSON body the API accepts. */
export const MAX_BODY_BYTES = 16 * 1024;

/** CSP sent with every HTML page. */
export const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self' ws: wss:; base-uri 'none'; frame-ancestors 'self'";

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
};

const LONG_CACHE = 'public, max-age=31536000, immutable';
/** File names with a content hash (Vite's `name-HASH.js`). */
const HASHED = /-[A-Za-z0-9_]{8,}\.(?:js|css|map)$/;

/** What the request handler needs from the app. */
export interface HttpContext {
  store: () => Store | null;
  log: Logger;
  distDir: string;
  shopDir: string;
  state: () => 'starting' | 'ready' | 'stopping';
  /** `POST /api/assistant/try`: the shop's configured assistant answers, nothing is stored. */
  assistantTry?: (shop: string, question: string, locale?: AssistantLocale) => Promise<TryReply>;
}

/** An API failure: HTTP status, protocol error code and message (sent as `{ error: { code, message } }`). */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export function sendJson(res: ServerResponse, status: number, body: unknown, extra: Record<string, string> = {}): void {
  const data = Buffer.from(JSON.stringify(body));
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': String(data.length),
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
    ...extra,
  });
  res.end(data);
}

function sendError(res: ServerResponse, status: number, code: ErrorCode, message: string, extra: Record<string, string> = {}): void {
  sendJson(res, status, { error: { code, message } }, extra);
}

/** Largest `PUT /api/products/:id` body (a product with up to 100 variants). */
export const MAX_PRODUCT_BYTES = 256 * 1024;

/** Reads a JSON body of at most `max` bytes. */
export async function readJson(req: IncomingMessage, max = MAX_BODY_BYTES): Promise<unknown> {
  const text = await readText(req, max);
  if (!text.trim()) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    throw new HttpError(400, 'invalid_payload', 'body is not valid JSON');
  }
}

/** A JSON object body of at most `max` bytes validated against `schema` (400 naming the first bad field). */
export async function validBody<S extends v.GenericSchema>(req: IncomingMessage, schema: S, what: string, max?: number): Promise<v.InferOutput<S>> {
  const data = await readJson(req, max);
  if (!data || typeof data !== 'object' || Array.isArray(data)) throw new HttpError(400, 'invalid_payload', `body must be ${what}`);
  const parsed = validate(schema, data);
  if (!parsed.ok) throw new HttpError(400, parsed.error.code, parsed.error.message);
  return parsed.value;
}

/** Reads a UTF-8 body of at most `max` bytes (413 `too_large` beyond). */
function readText(req: IncomingMessage, max: number): Promise<string> {
  const MAX_BODY_BYTES = max;
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > MAX_BODY_BYTES) {
      reject(new HttpError(413, 'too_large', `body larger than ${MAX_BODY_BYTES} bytes`));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    req.on('data', (chunk: Buffer) => {
      if (failed) return;
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        failed = true;
        reject(new HttpError(413, 'too_large', `body larger than ${MAX_BODY_BYTES} bytes`));
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (failed) return;
      resolve(Buffer.concat(chunks).toString('utf8'));
    });
    req.on('error', (err) => {
      if (!failed) reject(err);
    });
  });
}

const loginSchema = v.object({
  email: v.pipe(v.string(), v.minLength(3), v.maxLength(254)),
  password: v.pipe(v.string(), v.minLength(1), v.maxLength(1024)),
  shop: v.optional(v.pipe(v.string(), v.minLength(1), v.maxLength(64))),
});

function bearer(req: IncomingMessage): string | null {
  const h = req.headers.authorization;
  if (!h) return null;
  const m = /^Bearer\s+(\S+)$/i.exec(h);
  return m ? m[1] : null;
}

function corsHeaders(req: IncomingMessage): Record<string, string> {
  const origin = req.headers.origin;
  if (!origin) return {};
  return {
    'Access-Control-Allow-Origin': origin,
    'Access-Control-Allow-Headers': 'Authorization, Content-Type',
    'Access-Control-Allow-Methods': 'GET, POST, PUT, PATCH, DELETE, OPTIONS',
    'Access-Control-Max-Age': '600',
    Vary: 'Origin',
  };
}

/** The agent's shop behind the bearer token (401 otherwise). */
export async function agentShop(store: Store, req: IncomingMessage): Promise<string> {
  const token = bearer(req);
  if (!token) throw new HttpError(401, 'unauthorized', 'missing bearer token (log in with POST /api/login)');
  const found = await agentForToken(store, token);
  if (!found) throw new HttpError(401, 'unauthorized', 'session is not valid');
  return found.shop;
}

const productListSchema = v.object({
  query: v.optional(productSearchSchema.entries.query),
  after: v.optional(productIdSchema),
  limit: v.optional(v.pipe(v.string(), v.regex(/^\d{1,3}$/, 'must be a number'), v.transform(Number), v.minValue(1), v.maxValue(LIMITS.pageMax))),
});

/** `/api/products[/...]`: the catalogue admin API (agent bearer token). */
async function handleProducts(
  ctx: HttpContext,
  store: Store,
  req: IncomingMessage,
  res: ServerResponse,
  pathname: string,
  query: URLSearchParams,
  cors: Record<string, string>,
): Promise<void> {
  const rest = pathname.slice('/api/products'.length);
  const shop = await agentShop(store, req);
  if (rest === '' || rest === '/') {
    if (req.method !== 'GET') throw new HttpError(405, 'invalid_payload', `${req.method} is not allowed on /api/products`);
    const parsed = validate(productListSchema, Object.fromEntries(query));
    if (!parsed.ok) throw new HttpError(400, 'invalid_payload', parsed.error.message);
    const page = await store.searchProducts(shop, parsed.value.query ?? '', parsed.value.after ?? null, parsed.value.limit ?? LIMITS.pageDefault);
    sendJson(res, 200, page, cors);
    return;
  }
  if (rest === '/import' && req.method === 'POST') {
    const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
    if (type !== 'text/csv' && type !== 'application/json') {
      throw new HttpError(415, 'invalid_payload', 'send Content-Type text/csv or application/json');
    }
    const text = await readText(req, IMPORT_MAX_BYTES);
    let report: ImportReport;
    try {
      if (type === 'text/csv') report = await importCsv(store, shop, text);
      else {
        let body: unknown;
        try {
          body = JSON.parse(text);
        } catch {
          throw new HttpError(400, 'invalid_payload', 'body is not valid JSON');
        }
        report = await importJson(store, shop, body);
      }
    } catch (err) {
      if (err instanceof ImportFormatError) throw new HttpError(400, 'invalid_payload', err.message);
      throw err;
    }
    ctx.log.info(`catalogue import shop=${shop}: ${report.imported} created, ${report.updated} updated, ${report.errors.length} error(s)`);
    sendJson(res, 200, report, cors);
    return;
  }
  const id = rest.slice(1);
  const idOk = validate(productIdSchema, id);
  if (!idOk.ok) throw new HttpError(404, 'not_found', `no product ${JSON.stringify(id.slice(0, 80))}`);
  switch (req.method) {
    case 'GET': {
      const [product] = await store.getProducts(shop, [id]);
      if (!product) throw new HttpError(404, 'not_found', `product ${id} not found`);
      sendJson(res, 200, { product }, cors);
      return;
    }
    case 'PUT': {
      const body = await readJson(req, MAX_PRODUCT_BYTES);
      if (!body || typeof body !== 'object' || Array.isArray(body)) throw new HttpError(400, 'invalid_payload', 'body must be a product object');
      const given = (body as { id?: unknown }).id;
      if (given !== undefined && given !== id) throw new HttpError(400, 'invalid_payload', `id: must be ${id} (the id in the path)`);
      try {
        const result = await store.upsertProduct(shop, { ...body, id });
        ctx.log.info(`product ${id} ${result.created ? 'created' : 'updated'} shop=${shop}`);
        sendJson(res, result.created ? 201 : 200, result, cors);
      } catch (err) {
        if (err instanceof VitrineError && err.code === 'invalid_payload') throw new HttpError(400, 'invalid_payload', err.message);
        throw err;
      }
      return;
    }
    case 'DELETE': {
      if (!(await store.deleteProduct(shop, id))) throw new HttpError(404, 'not_found', `product ${id} not found`);
      ctx.log.info(`product ${id} deleted shop=${shop}`);
      sendJson(res, 200, { ok: true }, cors);
      return;
    }
    default:
      throw new HttpError(405, 'invalid_payload', `${req.method} is not allowed on /api/products/${id}`);
  }
}

/** A JSON object body validated against `schema` (400 naming the first bad field). */
async function readBody<S extends v.GenericSchema>(req: IncomingMessage, schema: S, what: string): Promise<v.InferOutput<S>> {
  const body = await readJson(req);
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw new HttpError(400, 'invalid_payload', `body must be ${what}`);
  const parsed = validate(schema, body);
  if (!parsed.ok) throw new HttpError(400, parsed.error.code, parsed.error.message);
  return parsed.value;
}

/** Maps a store refusal to its HTTP status. */
export function storeError(err: unknown): unknown {
  if (!(err instanceof VitrineError)) return err;
  const status: Partial<Record<ErrorCode, number>> = { invalid_payload: 400, not_found: 404, conflict: 409, forbidden: 403, too_large: 413 };
  return new HttpError(status[err.code] ?? 500, err.code, err.message);
}

export function noContent(res: ServerResponse, cors: Record<string, string>): void {
  res.writeHead(204, { ...cors, 'Cache-Control': 'no-store' });
  res.end();
}

export function notAllowed(method: string | undefined, pathname: string): HttpError {
  return new HttpError(405, 'invalid_payload', `${method} is not allowed on ${pathname}`);
}

const quickReplyIdSchema = v.pipe(v.string(), v.minLength(1), v.maxLength(LIMITS.idMaxLength), v.regex(/^[A-Za-z0-9_-]+$/));

/**
 * Commerce admin API (agent bearer token): `/api/coupons[/:id]`, `/api/settings/reservations`,
 * `/api/reservations`, `/api/quick-replies[/:id]`. False when `pathname` is none of them.
 */
async function handleCommerce(
  store: Store,
  req: IncomingMessage,
  res: ServerResponse,
  pathname: string,
  query: URLSearchParams,
  cors: Record<string, string>,
): Promise<boolean> {
  const [, , section, id, ...more] = pathname.split('/');
  const known =
    (section === 'coupons' || section === 'quick-replies' || section === 'reservations' || (section === 'settings' && id === 'reservations')) && more.length === 0;
  if (!known) return false;
  const shop = await agentShop(store, req);
  try {
    if (section === 'settings') {
      if (req.method === 'GET') {
        sendJson(res, 200, { settings: await store.getReservationSettings(shop) }, cors);
      } else if (req.method === 'PUT') {
        const settings = await readBody(req, reservationSettingsSchema, 'reservation settings');
        sendJson(res, 200, { settings: await store.putReservationSettings(shop, settings) }, cors);
      } else throw notAllowed(req.method, pathname);
      return true;
    }
    if (section === 'reservations') {
      if (id !== undefined) return false;
      if (req.method !== 'GET') throw notAllowed(req.method, pathname);
      const state = query.get('state') ?? 'open';
      if (state !== 'open' && state !== 'all') throw new HttpError(400, 'invalid_payload', 'state: must be open or all');
      sendJson(res, 200, { items: await store.listReservations(shop, state) }, cors);
      return true;
    }
    if (section === 'coupons') {
      if (id === undefined || id === '') {
        if (req.method !== 'GET') throw notAllowed(req.method, pathname);
        sendJson(res, 200, { items: await store.listCoupons(shop) }, cors);
        return true;
      }
      if (!validate(couponIdSchema, id).ok) throw new HttpError(404, 'not_found', `no coupon ${JSON.stringify(id.slice(0, 80))}`);
      if (req.method === 'GET') {
        const coupon = await store.getCoupon(shop, id);
        if (!coupon) throw new HttpError(404, 'not_found', `coupon ${id} not found`);
        sendJson(res, 200, { coupon }, cors);
        return true;
      }
      if (req.method !== 'PUT') throw notAllowed(req.method, pathname);
      const body = await readJson(req);
      if (!body || typeof body !== 'object' || Array.isArray(body)) throw new HttpError(400, 'invalid_payload', 'body must be a coupon object');
      const given = (body as { id?: unknown }).id;
      if (given !== undefined && given !== id) throw new HttpError(400, 'invalid_payload', `id: must be ${id} (the id in the path)`);
      const parsed = validate(couponInputSchema, { ...body, id });
      if (!parsed.ok) throw new HttpError(400, 'invalid_payload', parsed.error.message);
      const result = await store.upsertCoupon(shop, parsed.value);
      sendJson(res, result.created ? 201 : 200, result, cors);
      return true;
    }
    // quick replies
    if (id === undefined || id === '') {
      if (req.method === 'GET') {
        sendJson(res, 200, { items: await store.listQuickReplies(shop) }, cors);
      } else if (req.method === 'POST') {
        const { text } = await readBody(req, quickReplyInputSchema, 'an object with text');
        sendJson(res, 201, { item: await store.addQuickReply(shop, text) }, cors);
      } else throw notAllowed(req.method, pathname);
      return true;
    }
    if (!validate(quickReplyIdSchema, id).ok) throw new HttpError(404, 'not_found', `no quick reply ${JSON.stringify(id.slice(0, 80))}`);
    if (req.method === 'PUT') {
      const { text } = await readBody(req, quickReplyInputSchema, 'an object with text');
      const item = await store.updateQuickReply(shop, id, text);
      if (!item) throw new HttpError(404, 'not_found', `quick reply ${id} not found`);
      sendJson(res, 200, { item }, cors);
    } else if (req.method === 'DELETE') {
      if (!(await store.deleteQuickReply(shop, id))) throw new HttpError(404, 'not_found', `quick reply ${id} not found`);
      noContent(res, cors);
    } else throw notAllowed(req.method, pathname);
    return true;
  } catch (err) {
    throw storeError(err);
  }
}

async function handleApi(ctx: HttpContext, req: IncomingMessage, res: ServerResponse, pathname: string, query: URLSearchParams): Promise<void> {
  const cors = corsHeaders(req);
  if (req.method === 'OPTIONS') {
    res.writeHead(204, { ...cors, 'Content-Length': '0' });
    res.end();
    return;
  }
  const store = ctx.store();
  if (!store || ctx.state() !== 'ready') throw new HttpError(503, 'unavailable', 'server is not ready');
  if (pathname === '/api/products' || pathname.startsWith('/api/products/')) {
    await handleProducts(ctx, store, req, res, pathname, query, cors);
    return;
  }
  if (await handleCommerce(store, req, res, pathname, query, cors)) return;
  if (await handleBroadcasts(ctx, store, req, res, pathname, query, cors)) return;
  if (await handleAssistant(ctx, store, req, res, pathname, cors)) return;
  const route = `${req.method} ${pathname}`;
  switch (route) {
    case 'POST /api/login': {
      const body = await readJson(req);
      const parsed = validate(loginSchema, body);
      if (!parsed.ok) throw new HttpError(400, 'invalid_payload', parsed.error.message);
      const result = await login(store, parsed.value);
      if (!result) throw new HttpError(401, 'unauthorized', 'wrong e-mail or password');
      ctx.log.info(`login agent=${result.agent.id} shop=${result.shop.id}`);
      sendJson(res, 200, result, cors);
      return;
    }
    case 'POST /api/logout': {
      const token = bearer(req);
      if (!token) throw new HttpError(401, 'unauthorized', 'missing bearer token');
      const removed = await store.deleteAgentSession(hashToken(token));
      if (!removed) throw new HttpError(401, 'unauthorized', 'session is not valid');
      sendJson(res, 200, { ok: true }, cors);
      return;
    }
    case 'GET /api/me': {
      const token = bearer(req);
      const found = token ? await agentForToken(store, token) : null;
      if (!found) throw new HttpError(401, 'unauthorized', 'session is not valid');
      const shop = await store.getShop(found.shop);
      sendJson(res, 200, { agent: found.agent, shop }, cors);
      return;
    }
    default: {
      const known = ['/api/login', '/api/logout', '/api/me'].includes(pathname);
      if (known) throw new HttpError(405, 'invalid_payload', `${req.method} is not allowed on ${pathname}`);
      throw new HttpError(404, 'not_found', `no API route ${pathname}`);
    }
  }
}

/** Resolves `rel` inside `root`, or null if it escapes or looks suspicious. */
export function safeJoin(root: string, rel: string): string | null {
  if (rel.includes('\0') || rel.includes('\\')) return null;
  const segments = rel.split('/').filter((s) => s.length > 0);
  if (segments.some((s) => s === '..' || s === '.' || s.startsWith('.'))) return null;
  const full = path.resolve(root, ...segments);
  const base = path.resolve(root);
  if (full !== base && !full.startsWith(base + path.sep)) return null;
  return full;
}

async function isFile(file: string): Promise<{ size: number; mtime: Date } | null> {
  try {
    const st = await fsp.stat(file);
    return st.isFile() ? { size: st.size, mtime: st.mtime } : null;
  } catch {
    return null;
  }
}

interface StaticTarget {
  root: string;
  rel: string;
  cache: string;
  cors: boolean;
  /** Serve this file when `rel` is missing and has no extension (SPA fallback). */
  fallback?: string;
}

function staticTarget(ctx: HttpContext, pathname: string): StaticTarget | 'redirect' | null {
  if (pathname === '/vitrine.js') return { root: ctx.distDir, rel: 'vitrine.js', cache: 'no-cache', cors: true };
  if (pathname.startsWith('/widget/')) {
    // The entry keeps its name across releases (the loader imports it): revalidate it. Hashed chunks never change.
    const rel = pathname.slice(8);
    return { root: path.join(ctx.distDir, 'widget'), rel, cache: HASHED.test(rel) ? LONG_CACHE : 'no-cache', cors: true };
  }
  if (pathname === '/console') return 'redirect';
  if (pathname.startsWith('/console/')) {
    const rel = pathname.slice(9);
    const cache = rel.startsWith('assets/') ? LONG_CACHE : 'no-cache';
    return { root: path.join(ctx.distDir, 'console'), rel: rel || 'index.html', cache, cors: false, fallback: 'index.html' };
  }
  const rel = pathname.slice(1);
  return { root: ctx.shopDir, rel: rel === '' || rel.endsWith('/') ? `${rel}index.html` : rel, cache: 'no-cache', cors: false };
}

async function serveStatic(ctx: HttpContext, req: IncomingMessage, res: ServerResponse, pathname: string): Promise<void> {
  const target = staticTarget(ctx, pathname);
  if (target === 'redirect') {
    res.writeHead(301, { Location: '/console/', 'Content-Length': '0' });
    res.end();
    return;
  }
  if (!target) throw new HttpError(404, 'not_found', 'not found');
  if (req.method !== 'GET' && req.method !== 'HEAD') throw new HttpError(405, 'invalid_payload', `${req.method} is not allowed`);
  let file = safeJoin(target.root, target.rel);
  if (!file) throw new HttpError(404, 'not_found', 'not found');
  let stat = await isFile(file);
  if (!stat && !path.extname(target.rel)) {
    // /about -> /about/index.html; console routes fall back to the SPA shell.
    const dirIndex = safeJoin(target.root, `${target.rel}/index.html`);
    const dirStat = dirIndex ? await isFile(dirIndex) : null;
    if (dirIndex && dirStat) {
      file = dirIndex;
      stat = dirStat;
    } else if (target.fallback) {
      file = path.join(target.root, target.fallback);
      stat = await isFile(file);
    }
  }
  if (!stat) throw new HttpError(404, 'not_found', 'not found');
  const ext = path.extname(file).toLowerCase();
  const type = CONTENT_TYPES[ext] ?? 'application/octet-stream';
  const headers: Record<string, string> = {
    'Content-Type': type,
    'Content-Length': String(stat.size),
    'X-Content-Type-Options': 'nosniff',
    'Cache-Control': ext === '.html' ? 'no-cache' : target.cache,
    'Last-Modified': stat.mtime.toUTCString(),
  };
  if (ext === '.html') {
    headers['Content-Security-Policy'] = CSP;
    headers['Referrer-Policy'] = 'strict-origin-when-cross-origin';
  }
  if (target.cors) {
    headers['Access-Control-Allow-Origin'] = '*';
    headers['Cross-Origin-Resource-Policy'] = 'cross-origin';
  }
  const since = req.headers['if-modified-since'];
  if (since && Math.floor(stat.mtime.getTime() / 1000) <= Math.floor(Date.parse(since) / 1000)) {
    delete headers['Content-Length'];
    res.writeHead(304, headers);
    res.end();
    return;
  }
  res.writeHead(200, headers);
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  const stream = createReadStream(file);
  stream.on('error', () => res.destroy());
  stream.pipe(res);
}

/** The node:http request listener. Socket.IO intercepts its own path before this runs. */
export function createRequestHandler(ctx: HttpContext): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    void handle(ctx, req, res);
  };
}

async function handle(ctx: HttpContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  let pathname: string;
  let url: URL;
  try {
    url = new URL(req.url ?? '/', 'http://localhost');
    pathname = decodeURIComponent(url.pathname);
  } catch {
    sendError(res, 400, 'invalid_payload', 'malformed URL');
    return;
  }
  const isApi = pathname === '/api' || pathname.startsWith('/api/');
  try {
    if (pathname === '/healthz') {
      const ready = ctx.state() === 'ready' && ctx.store() !== null;
      if (ready) sendJson(res, 200, { ok: true });
      else sendJson(res, 503, { ok: false, error: { code: 'unavailable', message: `server is ${ctx.state()}` } });
      return;
    }
    if (isApi) {
      await handleApi(ctx, req, res, pathname, url.searchParams);
      return;
    }
    await serveStatic(ctx, req, res, pathname);
  } catch (err) {
    if (res.headersSent) {
      res.destroy();
      return;
    }
    const extra = isApi ? corsHeaders(req) : {};
    if (err instanceof HttpError) {
      if (err.status === 413) {
        extra.Connection = 'close';
        req.resume();
      }
      sendError(res, err.status, err.code, err.message, extra);
      return;
    }
    ctx.log.error(`http ${req.method} ${pathname} failed`, err);
    sendError(res, 500, 'internal', 'internal error', extra);
  }
}
