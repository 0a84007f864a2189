/**
 * The server side of the benchmarks, run in its own process (`fork()` from bench/lib/harness.ts) so the
 * clients and the server do not share one event loop.
 *
 *   node --expose-gc --import tsx bench/lib/server-child.ts <bare|pglite|pg> [dataDir|databaseUrl]
 *
 * - `pglite` / `pg`: the real reference server (`startServer()` from server/app.ts), unchanged, with a
 *   shop `bench`. The database handle is wrapped only to count queries and transactions.
 * - `bare`: a bare Socket.IO server on the same namespace whose `message:send` ack echoes the payload;
 *   it emits a tiny `session:ready` so that the bench clients run the same code against both.
 *
 * The parent talks over the IPC channel only (no HTTP endpoint is added to the server):
 *   { type: 'stats', gc }  -> { type: 'stats', mem, cpu, queries, transactions }
 *   { type: 'close' }      -> { type: 'closed' }, then the process exits.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import { createShop, startServer } from '../../server/app.js';
import type { Queryable } from '../../server/storage/db.js';
import { LIMITS } from '../../src/protocol/limits.js';
import { NAMESPACE } from '../../src/protocol/version.js';
import { BENCH_SHOP, type ChildMessage, type ParentMessage, type ServerKind } from './ipc.js';

const send = (m: ChildMessage): void => {
  process.send?.(m);
};

let queries = 0;
let transactions = 0;
/** Time spent per kind of statement (awaited time: includes waiting for the connection / the PGlite lock). */
const statements: Record<string, { count: number; ms: number }> = {};

/** A short name for a statement: verb and first table, e.g. `SELECT conversations`, `UPDATE conversations`. */
function label(sql: string): string {
  const flat = sql.replace(/\s+/g, ' ').trim();
  if (/ AS unread\b/.test(flat)) return 'SELECT summary (unread count + last message)';
  const verb = flat.split(' ', 1)[0].toUpperCase();
  const table = /\b(?:FROM|INTO|UPDATE)\s+([a-z_]+)/i.exec(flat)?.[1] ?? '';
  return `${verb} ${table}`.trim();
}

async function timed<T>(name: string, run: () => Promise<T>): Promise<T> {
  const t0 = performance.now();
  try {
    return await run();
  } finally {
    const s = (statements[name] ??= { count: 0, ms: 0 });
    s.count += 1;
    s.ms += performance.now() - t0;
  }
}

async function startBare(): Promise<{ url: string; close(): Promise<void> }> {
  const http = createServer((_req, res) => {
    res.writeHead(404).end();
  });
  // Same engine options as server/app.ts.
  const io = new Server(http, { maxHttpBufferSize: LIMITS.frameMaxBytes, cors: { origin: true, credentials: false }, serveClient: false });
  let n = 0;
  io.of(NAMESPACE).on('connection', (socket) => {
    n += 1;
    socket.emit('session:ready', { conversation: { id: `bare-${n}` } });
    socket.on('message:send', (payload: unknown, ack: unknown) => {
      if (typeof ack === 'function') (ack as (res: unknown) => void)({ ok: true, message: payload });
    });
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const { port } = http.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      io.disconnectSockets(true);
      io.engine.close();
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}

async function startVitrine(kind: 'pglite' | 'pg', where: string): Promise<{ url: string; close(): Promise<void> }> {
  const server = await startServer({ port: 0, host: '127.0.0.1', quiet: true, ...(kind === 'pg' ? { databaseUrl: where } : { dataDir: where }) });
  await createShop(server.store, { id: BENCH_SHOP, name: 'Bench' });
  // Count round trips to the database (bench-only instrumentation; the server is not modified).
  const db = server.store.db;
  const count = (q: Queryable): Queryable => ({
    query: (sql, params) => {
      queries += 1;
      return timed(label(sql), () => q.query(sql, params));
    },
    exec: (sql) => {
      queries += 1;
      return timed(label(sql), () => q.exec(sql));
    },
  });
  const counted = count({ query: db.query.bind(db), exec: db.exec.bind(db) });
  const transaction = db.transaction.bind(db);
  db.query = counted.query;
  db.exec = counted.exec;
  db.transaction = (fn) => {
    transactions += 1;
    return timed('TRANSACTION (whole, with BEGIN/COMMIT)', () => transaction((tx) => fn(count(tx))));
  };
  return server;
}

async function main(): Promise<void> {
  const kind = process.argv[2] as ServerKind;
  const where = process.argv[3] ?? '';
  if (!['bare', 'pglite', 'pg'].includes(kind)) throw new Error(`unknown server kind ${String(kind)}`);
  const server = kind === 'bare' ? await startBare() : await startVitrine(kind, where);

  process.on('message', (raw: ParentMessage) => {
    void (async () => {
      if (raw.type === 'stats') {
        if (raw.gc) {
          if (!globalThis.gc) throw new Error('run the child with --expose-gc');
          // Several passes with turns of the event loop in between, so weak refs and finalizers settle.
          for (let i = 0; i < 4; i += 1) {
            globalThis.gc();
            await new Promise((r) => setTimeout(r, 50));
          }
        }
        send({ type: 'stats', mem: process.memoryUsage(), cpu: process.cpuUsage(), queries, transactions, statements: structuredClone(statements) });
      } else if (raw.type === 'close') {
        await server.close();
        send({ type: 'closed' });
        process.disconnect?.();
        setTimeout(() => process.exit(0), 50).unref();
      }
    })().catch((err: unknown) => send({ type: 'error', message: err instanceof Error ? (err.stack ?? err.message) : String(err) }));
  });
  // The parent went away: do not linger.
  process.on('disconnect', () => {
    void server.close().finally(() => process.exit(0));
  });
  send({ type: 'ready', url: server.url, kind });
}

main().catch((err: unknown) => {
  send({ type: 'error', message: err instanceof Error ? (err.stack ?? err.message) : String(err) });
  process.exit(1);
});
