/**
 * Scale-out: `REDIS_URL` attaches `@socket.io/redis-adapter`, so every room emit
 * (`conv:<id>`, `agents:<shop>`) reaches the sockets of every server process.
 *
 * - Two connections: one to publish, one in subscriber mode.
 * - Fails fast at start: an unreachable (or refusing) Redis rejects `connectRedis` instead of
 *   retrying forever. Once connected, a lost connection is retried with backoff.
 * - A publish never becomes an unhandled rejection (the adapter does not await its publishes).
 * - When the subscriber connection comes back after a loss, this process may have missed room
 *   emits of other processes: `onResubscribed` fires so the app can make its clients resync.
 */
import { randomBytes } from 'node:crypto';
import { createAdapter } from '@socket.io/redis-adapter';
import { createClient } from 'redis';
import type { Logger } from './log.js';

/** The default Redis key prefix of the adapter's channels (`VITRINE_REDIS_PREFIX`). */
export const DEFAULT_REDIS_PREFIX = 'vitrine';

type RedisClient = ReturnType<typeof createClient>;

/** An open pair of Redis connections and the adapter factory that uses them. */
export interface RedisLink {
  /** Pass to `io.adapter(...)`. */
  adapter: ReturnType<typeof createAdapter>;
  /** Resolves once every subscription issued so far is in place on the Redis server. */
  subscribed(): Promise<void>;
  /** Called when the subscriber connection is back after a loss. */
  onResubscribed(listener: () => void): void;
  /** Closes both connections (pending commands finish first). */
  close(): Promise<void>;
}

/** The URL without its password, for messages. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(invalid URL)';
  }
}

/** Connects to Redis at `url` (fails fast) and prepares the Socket.IO adapter with channel prefix `prefix`. */
export async function connectRedis(opts: { url: string; prefix: string; log: Logger; connectTimeoutMs?: number }): Promise<RedisLink> {
  const { url, prefix, log } = opts;
  const where = redactUrl(url);
  let started = false;
  let closing = false;
  const resubscribed = new Set<() => void>();

  const make = (name: 'pub' | 'sub'): RedisClient => {
    let down = false;
    const client = createClient({
      url,
      // Shows in CLIENT LIST: `vitrine:pub` / `vitrine:sub` (the prefix, then the role).
      name: `${prefix.replace(/[^\w:.-]/g, '_')}:${name}`,
      socket: {
        connectTimeout: opts.connectTimeoutMs ?? 5000,
        // Before the first connection: give up at once (fail fast). After: retry with backoff.
        reconnectStrategy: (retries: number, cause: Error) =>
          started && !closing ? Math.min(100 * 2 ** retries, 3000) : new Error(`Redis unreachable at ${where}: ${cause.message}`),
      },
    });
    client.on('error', (err: unknown) => {
      if (!started || closing || down) return;
      down = true;
      log.error(`redis ${name} connection lost (${where}); retrying`, err instanceof Error ? err.message : err);
    });
    client.on('ready', () => {
      if (!down) return;
      down = false;
      log.warn(`redis ${name} connection restored`);
      if (name === 'sub') for (const listener of resubscribed) listener();
    });
    return client;
  };

  const pub = make('pub');
  const sub = make('sub');
  try {
    await Promise.all([pub.connect(), sub.connect()]);
  } catch (err) {
    for (const c of [pub, sub]) {
      try {
        c.destroy();
      } catch {
        /* already closed */
      }
    }
    const reason = err instanceof Error ? err.message : String(err);
    throw new Error(reason.startsWith('Redis unreachable') ? reason : `Redis unreachable at ${where}: ${reason}`);
  }
  started = true;

  // The adapter publishes without awaiting: a failed publish (e.g. after close) must not crash the process.
  const publish = pub.publish.bind(pub);
  (pub as unknown as { publish: (channel: string, message: string | Buffer) => Promise<number> }).publish = (channel, message) =>
    publish(channel, message).catch((err: unknown) => {
      if (!closing) log.error('redis publish failed', err instanceof Error ? err.message : err);
      return 0;
    });

  return {
    adapter: createAdapter(pub, sub, { key: prefix }),
    async subscribed() {
      // Commands of one connection run in order: once this subscription is confirmed, the
      // adapter's earlier (un-awaited) subscriptions are confirmed too.
      const probe = `${prefix}-probe#${randomBytes(6).toString('hex')}`;
      const noop = (): void => undefined;
      await sub.subscribe(probe, noop);
      await sub.unsubscribe(probe, noop);
    },
    onResubscribed(listener) {
      resubscribed.add(listener);
    },
    async close() {
      if (closing) return;
      closing = true;
      await Promise.all(
        [pub, sub].map(async (c) => {
          try {
            if (c.isOpen) await c.close();
          } catch {
            c.destroy();
          }
        }),
      );
    },
  };
}
