/**
 * The signed-in agent. The token lives in localStorage so a reload keeps the agent signed in;
 * it is checked against `GET /api/me` in the background and dropped when the server refuses it.
 */
import { atom } from 'nanostores';
import type { AgentProfile, ErrorCode } from '../../../src/index.js';
import * as api from '../api.js';
import { localStoragePort } from '../lib/web-ports.js';

export interface Session {
  token: string;
  agent: AgentProfile;
  shop: api.ShopInfo;
}

const storage = localStoragePort('vitrine.console.');
const KEY = 'session';

function load(): Session | null {
  try {
    const raw = storage.get(KEY);
    const s = raw ? (JSON.parse(raw) as Session) : null;
    if (s && typeof s.token === 'string' && s.agent && typeof s.agent.id === 'string' && s.shop && typeof s.shop.id === 'string') return s;
  } catch {
    // corrupt: sign in again
  }
  return null;
}

export const $session = atom<Session | null>(load());

/** Why the agent was sent back to the login form (e.g. `unauthorized` when the token expired). */
export const $signedOutReason = atom<ErrorCode | null>(null);

function save(session: Session | null): void {
  if (session) storage.set(KEY, JSON.stringify(session));
  else storage.remove(KEY);
  $session.set(session);
}

export async function signIn(email: string, password: string): Promise<void> {
  const result = await api.login(email, password);
  $signedOutReason.set(null);
  save(result);
}

/** Signs out locally at once, and tells the server (best effort). */
export function signOut(reason: ErrorCode | null = null): void {
  const session = $session.get();
  $signedOutReason.set(reason);
  save(null);
  if (session && reason !== 'unauthorized') api.logout(session.token).catch(() => {});
}

/** Checks a restored token; refreshes the agent and shop, or signs out when the server refuses it. */
export async function verifySession(): Promise<void> {
  const session = $session.get();
  if (!session) return;
  try {
    const { agent, shop } = await api.me(session.token);
    if ($session.get()?.token === session.token) save({ ...session, agent, shop });
  } catch (e) {
    if (e instanceof api.ApiError && (e.code === 'unauthorized' || e.code === 'forbidden') && $session.get()?.token === session.token) {
      signOut('unauthorized');
    }
    // Network trouble: keep the session; the socket will reconnect when the server is back.
  }
}

/**
 * Calls `reset` now and whenever another agent session begins (sign-in, sign-out, another tab),
 * but not when {@link verifySession} refreshes the same session after a reload: a store resetting
 * then would throw away a load already in flight and stay "loading".
 */
export function onNewSession(reset: (session: Session | null) => void): void {
  let token: string | null | undefined;
  $session.subscribe((session) => {
    const t = session?.token ?? null;
    if (t === token) return;
    token = t;
    reset(session);
  });
}

// Another tab signed in or out: follow it.
window.addEventListener('storage', (event) => {
  if (event.key === `vitrine.console.${KEY}`) {
    const next = load();
    if (next?.token !== $session.get()?.token) $session.set(next);
  }
});
