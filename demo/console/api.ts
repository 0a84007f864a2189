/**
 * The reference server's REST admin API (same origin as the console):
 * `POST /api/login`, `POST /api/logout`, `GET /api/me`. Failures are typed `ApiError`s.
 */
import { isErrorCode, type AgentProfile, type ErrorCode } from '../../src/index.js';

/** What a failed call can be: a protocol error code, or the network itself. */
export type ApiErrorCode = ErrorCode | 'network';

export class ApiError extends Error {
  readonly code: ApiErrorCode;
  readonly status: number;
  constructor(code: ApiErrorCode, message: string, status: number) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
    this.status = status;
  }
}

/** The shop an agent works for. The server may send an id or an object. */
export interface ShopInfo {
  id: string;
  name: string | null;
}

export interface LoginResult {
  token: string;
  agent: AgentProfile;
  shop: ShopInfo;
}

export interface MeResult {
  agent: AgentProfile;
  shop: ShopInfo;
}

function toShop(raw: unknown): ShopInfo {
  if (typeof raw === 'string') return { id: raw, name: null };
  if (raw && typeof raw === 'object') {
    const o = raw as { id?: unknown; name?: unknown };
    if (typeof o.id === 'string') return { id: o.id, name: typeof o.name === 'string' ? o.name : null };
  }
  throw new ApiError('internal', 'Unexpected shop in the server response', 200);
}

function toAgent(raw: unknown): AgentProfile {
  const o = (raw ?? {}) as Partial<AgentProfile>;
  if (typeof o.id !== 'string') throw new ApiError('internal', 'Unexpected agent in the server response', 200);
  return { id: o.id, name: typeof o.name === 'string' ? o.name : o.id, email: typeof o.email === 'string' ? o.email : '' };
}

function codeForStatus(status: number): ErrorCode {
  if (status === 401) return 'unauthorized';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'not_found';
  if (status === 409) return 'conflict';
  if (status === 413) return 'too_large';
  if (status === 429) return 'rate_limited';
  if (status === 400 || status === 422) return 'invalid_payload';
  if (status === 502 || status === 503 || status === 504) return 'unavailable';
  return 'internal';
}

/** One REST call. `body` is sent as JSON, or as is with `raw` (e.g. `text/csv`). */
export interface CallInit {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  token?: string;
  body?: unknown;
  raw?: { type: string; text: string };
}

/** Calls the API; resolves with the parsed JSON body (`null` when empty), rejects with an {@link ApiError}. */
export async function call(path: string, init: CallInit): Promise<unknown> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (init.raw) headers['content-type'] = init.raw.type;
  else if (init.body !== undefined) headers['content-type'] = 'application/json';
  if (init.token) headers.authorization = `Bearer ${init.token}`;
  let res: Response;
  try {
    res = await fetch(path, {
      method: init.method,
      headers,
      body: init.raw ? init.raw.text : init.body === undefined ? undefined : JSON.stringify(init.body),
      credentials: 'same-origin',
      cache: 'no-store',
    });
  } catch (e) {
    throw new ApiError('network', e instanceof Error ? e.message : String(e), 0);
  }
  const text = await res.text();
  let data: unknown = null;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = null;
    }
  }
  if (!res.ok) {
    const error = (data as { error?: { code?: unknown; message?: unknown } } | null)?.error;
    const code = isErrorCode(error?.code) ? error.code : codeForStatus(res.status);
    const message = typeof error?.message === 'string' ? error.message : res.statusText || `HTTP ${res.status}`;
    throw new ApiError(code, message, res.status);
  }
  return data;
}

/** Base path of the API: the console is served under `/console/`, the API under `/api/`. */
export const API = '/api';

export async function login(email: string, password: string): Promise<LoginResult> {
  const data = (await call(`${API}/login`, { method: 'POST', body: { email, password } })) as Record<string, unknown> | null;
  if (!data || typeof data.token !== 'string') throw new ApiError('internal', 'Unexpected login response', 200);
  return { token: data.token, agent: toAgent(data.agent), shop: toShop(data.shop) };
}

export async function logout(token: string): Promise<void> {
  await call(`${API}/logout`, { method: 'POST', token });
}

export async function me(token: string): Promise<MeResult> {
  const data = (await call(`${API}/me`, { method: 'GET', token })) as Record<string, unknown> | null;
  return { agent: toAgent(data?.agent), shop: toShop(data?.shop) };
}
