/** Browser implementations of the core's platform ports (the core itself never touches the DOM). */
import type { NetworkPort, Ports, StoragePort, VisibilityPort } from '../../../src/index.js';

export const visibilityPort: VisibilityPort = {
  onShow(listener) {
    const handler = () => {
      if (document.visibilityState === 'visible') listener();
    };
    document.addEventListener('visibilitychange', handler);
    return () => document.removeEventListener('visibilitychange', handler);
  },
};

export const networkPort: NetworkPort = {
  onOnline(listener) {
    window.addEventListener('online', listener);
    return () => window.removeEventListener('online', listener);
  },
};

/**
 * Web Storage under a prefix (`local` by default); falls back to "no persistence" when
 * storage is blocked.
 */
export function localStoragePort(prefix: string, area: 'local' | 'session' = 'local'): StoragePort {
  const key = (k: string) => `${prefix}${k}`;
  const store = (): Storage => (area === 'local' ? window.localStorage : window.sessionStorage);
  return {
    get(k) {
      try {
        return store().getItem(key(k));
      } catch {
        return null;
      }
    },
    set(k, v) {
      try {
        store().setItem(key(k), v);
      } catch {
        // Quota or privacy mode: keep going without persistence.
      }
    },
    remove(k) {
      try {
        store().removeItem(key(k));
      } catch {
        // ignore
      }
    },
  };
}

/**
 * The ports the console passes to `createVitrineClient`. The agent's outbox lives in
 * sessionStorage: a reload keeps unsent replies, and two console tabs never overwrite
 * each other's outbox.
 */
export function webPorts(storagePrefix: string): Partial<Ports> {
  return { visibility: visibilityPort, network: networkPort, storage: localStoragePort(storagePrefix, 'session') };
}
