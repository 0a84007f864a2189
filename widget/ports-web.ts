/**
 * Web implementations of the core's platform ports: localStorage (with an in-memory fallback when
 * storage is disabled or full; other tabs' writes through the `storage` event), `navigator.locks`
 * shared by the tabs of one shop, `visibilitychange` as "app show", `online` as "network is back".
 * Nothing here runs until `webPorts()` is called: the widget calls it when the visitor opens the chat.
 */
import { basePorts, memoryLock, memoryStorage, type LockPort, type Ports, type StoragePort } from '../src/index.js';

/** localStorage under the prefix `vitrine:<shop>:`; falls back to memory if storage throws. */
export function webStorage(shop: string): StoragePort {
  const prefix = `vitrine:${shop}:`;
  const memory = memoryStorage();
  let local: Storage | null = null;
  try {
    local = globalThis.localStorage ?? null;
  } catch {
    local = null; // sandboxed iframe, disabled cookies, ...
  }
  return {
    get(key) {
      const fromMemory = memory.get(key);
      if (fromMemory !== null) return fromMemory;
      try {
        return local?.getItem(prefix + key) ?? null;
      } catch {
        return null;
      }
    },
    set(key, value) {
      try {
        if (!local) throw new Error('no storage');
        local.setItem(prefix + key, value);
        memory.remove(key);
      } catch {
        memory.set(key, value); // quota exceeded or storage disabled: keep it for this page at least
      }
    },
    remove(key) {
      memory.remove(key);
      try {
        local?.removeItem(prefix + key);
      } catch {
        /* ignore */
      }
    },
    watch(key, listener) {
      // The `storage` event fires for writes of OTHER tabs of this origin only.
      const handler = (event: StorageEvent): void => {
        if (event.storageArea !== local || (event.key !== null && event.key !== prefix + key)) return;
        listener(event.key === null ? null : event.newValue);
      };
      addEventListener('storage', handler);
      return () => removeEventListener('storage', handler);
    },
  };
}

/**
 * Locks shared by every tab of this origin for `shop` (`navigator.locks`, names `vitrine:<shop>:*`).
 * Where the Web Locks API is missing (very old browsers, plain-http pages), an in-process lock:
 * each tab then acts alone (still correct, the server dedupes retried sends).
 */
export function webLocks(shop: string): LockPort {
  const locks = typeof navigator === 'undefined' ? undefined : (navigator.locks as LockManager | undefined);
  if (!locks) return memoryLock();
  const prefix = `vitrine:${shop}:`;
  return {
    shared: true,
    withLock: (name, fn, options) =>
      locks.request(prefix + name, { ifAvailable: options?.ifAvailable ?? false }, async (lock) => fn(lock !== null)) as Promise<Awaited<ReturnType<typeof fn>>>,
  };
}

/** All ports for a web page. */
export function webPorts(shop: string): Ports {
  return {
    ...basePorts(),
    storage: webStorage(shop),
    lock: webLocks(shop),
    visibility: {
      onShow(listener) {
        const handler = () => {
          if (document.visibilityState === 'visible') listener();
        };
        document.addEventListener('visibilitychange', handler);
        return () => document.removeEventListener('visibilitychange', handler);
      },
    },
    network: {
      onOnline(listener) {
        window.addEventListener('online', listener);
        return () => window.removeEventListener('online', listener);
      },
    },
  };
}
