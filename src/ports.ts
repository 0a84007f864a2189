/**
 * Platform seams. The core never touches `window`, `localStorage`, `wx` or timers directly:
 * a front end passes these in (the web defaults live in `ports-web.ts`).
 */

/** Key-value persistence (web: localStorage; mini-program: wx storage). Values are JSON strings. */
export interface StoragePort {
  get(key: string): string | null;
  set(key: string, value: string): void;
  remove(key: string): void;
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

/** Default ports that exist on every JS platform. */
export function basePorts(): Ports {
  return {
    storage: memoryStorage(),
    clock: { now: () => Date.now() },
    visibility: { onShow: () => () => {} },
    network: { onOnline: () => () => {} },
    random: {
      id: () => {
        const c = (globalThis as { crypto?: { randomUUID?: () => string } }).crypto;
        if (c?.randomUUID) return c.randomUUID();
        return `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 12)}`;
      },
    },
  };
}
