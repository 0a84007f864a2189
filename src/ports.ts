/**
 * Platform seams. The core never touches `window`, `localStorage`, `wx` or timers directly:
 * a front end passes these in (the web defaults live in `ports-web.ts`).
 */

/** Key-value persistence (web: localStorage; mini-program: wx storage). Values are JSON strings. */
export interface StoragePort {
  get(key: string): string | null;
  set(key: string, value: string): void;
  remove(key: string): void;
  /**
   * Optional: subscribes to changes of `key` made by someone else sharing this storage (web: other
   * tabs of the same shop, through the `storage` event), not to this instance's own writes.
   * `value` is the new value (`null` when removed). Returns an unsubscribe function.
   */
  watch?(key: string, listener: (value: string | null) => void): () => void;
}

/** Options of {@link LockPort.withLock}. */
export interface LockOptions {
  /** Do not wait: when the lock is held (or requested) elsewhere, run `fn(false)` at once. */
  ifAvailable?: boolean;
}

/**
 * Named exclusive locks (web: `navigator.locks`, shared by the tabs of one shop; elsewhere: in-process).
 * A lock is released when the promise returned by `fn` settles, or by the platform when the holder
 * goes away (a closed tab), so a holder can never block the others forever.
 */
export interface LockPort {
  /** `true` when other instances (other tabs) share these locks; `false` for an in-process lock. */
  readonly shared: boolean;
  /** Runs `fn(true)` holding lock `name` (waiting for it), or `fn(false)` if `ifAvailable` and it is taken. */
  withLock<T>(name: string, fn: (acquired: boolean) => T | Promise<T>, options?: LockOptions): Promise<T>;
}

/** Where "now" comes from; tests and the mini-program may pass their own. */
export interface ClockPort {
  now(): number;
}

/** Fires when the app comes back to the foreground (web: visibilitychange; wx: onAppShow). */
export interface VisibilityPort {
  /** Subscribes; returns an unsubscribe function. */
  onShow(listener: () => void): () => void;
}

/** Network reachability hints (web: online/offline events). */
export interface NetworkPort {
  /** Subscribes to "network is back"; returns an unsubscribe function. */
  onOnline(listener: () => void): () => void;
}

/** Random ids for `clientId`s. */
export interface RandomPort {
  id(): string;
}

/** All ports together. Every one is optional in `createVitrineClient`. */
export interface Ports {
  storage: StoragePort;
  clock: ClockPort;
  visibility: VisibilityPort;
  network: NetworkPort;
  random: RandomPort;
  /** Cross-instance locks (optional: without them every instance behaves as if it were alone). */
  lock?: LockPort;
}

/** A storage that forgets everything (agents, tests, storage-less hosts). */
export function memoryStorage(): StoragePort {
  const map = new Map<string, string>();
  return {
    get: (key) => map.get(key) ?? null,
    set: (key, value) => void map.set(key, value),
    remove: (key) => void map.delete(key),
  };
}

/** An in-process lock (FIFO per name): correct for one instance, shares nothing with others. */
export function memoryLock(): LockPort {
  const tails = new Map<string, Promise<unknown>>();
  const busy = new Map<string, number>();
  return {
    shared: false,
    withLock(name, fn, options) {
      if (options?.ifAvailable && busy.get(name)) return Promise.resolve().then(() => fn(false));
      busy.set(name, (busy.get(name) ?? 0) + 1);
      const run = (tails.get(name) ?? Promise.resolve())
        .then(() => fn(true))
        .finally(() => {
          const left = (busy.get(name) ?? 1) - 1;
          if (left > 0) busy.set(name, left);
          else {
            busy.delete(name);
            tails.delete(name);
          }
        });
      tails.set(
        name,
        run.catch(() => {}),
      );
      return run;
    },
  };
}

/** Default ports that exist on every JS platform. */
export function basePorts(): Ports {
  return {
    storage: memoryStorage(),
    clock: { now: () => Date.now() },
    visibility: { onShow: () => () => {} },
    network: { onOnline: () => () => {} },
    lock: memoryLock(),
    random: {
      id: () => {
        const c = (globalThis as { crypto?: { randomUUID?: () => string } }).crypto;
        if (c?.randomUUID) return c.randomUUID();
        return `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 12)}`;
      },
    },
  };
}
