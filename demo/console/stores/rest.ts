/**
 * Runs REST calls with the signed-in agent's token; a refused token signs the agent out.
 * `RemoteState` is the shape the pages render for anything loaded over REST.
 */
import type { WritableAtom } from 'nanostores';
import { ApiError, type ApiErrorCode } from '../api.js';
import { $session, signOut } from './session.js';

export interface RemoteState<T> {
  data: T;
  loading: boolean;
  /** Why the last load failed (`null` after a success). */
  error: ApiErrorCode | null;
  /** A load answered at least once. */
  loaded: boolean;
}

export function remote<T>(data: T): RemoteState<T> {
  return { data, loading: false, error: null, loaded: false };
}

/** The error code of anything thrown by a call. */
export function codeOf(e: unknown): ApiErrorCode {
  return e instanceof ApiError ? e.code : 'internal';
}

/** Calls `fn` with the agent's token. Rejects with `unauthorized` when signed out (and signs out on a refused token). */
export async function withToken<T>(fn: (token: string) => Promise<T>): Promise<T> {
  const token = $session.get()?.token;
  if (!token) throw new ApiError('unauthorized', 'Not signed in', 401);
  try {
    return await fn(token);
  } catch (e) {
    if (e instanceof ApiError && e.code === 'unauthorized' && $session.get()?.token === token) signOut('unauthorized');
    throw e;
  }
}

/**
 * Loads `store` from `fetch`: `loading` meanwhile, then the data or the error code. The answer is
 * dropped when `current()` says a newer load or a sign-out has come since.
 */
export async function loadInto<T>(store: WritableAtom<RemoteState<T>>, fetch: () => Promise<T>, current: () => boolean): Promise<void> {
  store.set({ ...store.get(), loading: true });
  try {
    const data = await fetch();
    if (current()) store.set({ data, loading: false, error: null, loaded: true });
  } catch (e) {
    if (current()) store.set({ ...store.get(), loading: false, error: codeOf(e) });
  }
}
