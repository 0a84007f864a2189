/**
 * Messages per second one server process sustains with 200 active conversations: 200 visitor
 * clients send concurrently, each awaiting its ack before the next send (acked = committed, durable).
 * Vitrine on PGlite and on PostgreSQL; a bare Socket.IO echo server runs the same load as the
 * ceiling of this harness (client and server share the machine's cores). Prints figures only.
 *
 *   node --import tsx bench/throughput.ts [--conversations 200] [--seconds 10] [--warmup 2] [--only bare,pglite,pg]
 */
import { cpus } from 'node:os';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import {
  KIND_LABEL,
  connectVisitors,
  disconnectAll,
  header,
  intArgs,
  ms,
  prepareBacking,
  row,
  sendMessage,
  startChild,
  summarize,
  type ServerKind,
  type Visitor,
} from './lib/harness.js';

const args = intArgs({ conversations: 200, seconds: 10, warmup: 2 });

interface Result {
  kind: ServerKind;
  acked: number;
  rate: number;
  lat: ReturnType<typeof summarize>;
  serverCpu: number;
  clientCpu: number;
  queriesPerSend: number;
  txPerSend: number;
  totalAcked: number;
  stored: number | null;
  failures: number;
}

/** Every visitor sends in a loop (send, await ack) until `until`; acks arriving before `until` are counted. */
async function load(visitors: Visitor[], until: number, latencies: number[] | null): Promise<{ acked: number; all: number; failures: number }> {
  let acked = 0;
  let all = 0;
  let failures = 0;
  await Promise.all(
    visitors.map(async (v, c) => {
      let i = 0;
      while (performance.now() < until) {
        i += 1;
        try {
          const t = await sendMessage(v, `Red trench coat in L? (conversation ${c}, message ${i})`);
          all += 1;
          if (performance.now() <= until) {
            acked += 1;
            latencies?.push(t);
          }
        } catch {
          failures += 1;
        }
      }
    }),
  );
  return { acked, all, failures };
}

async function countStored(kind: ServerKind, where: string): Promise<number | null> {
  if (kind === 'pg') {
    const c = new pg.Client({ connectionString: where });
    await c.connect();
    try {
      const r = await c.query<{ n: number }>('SELECT count(*)::int AS n FROM messages');
      return r.rows[0].n;
    } finally {
      await c.end();
    }
  }
  if (kind === 'pglite') {
    const db = await PGlite.create(where);
    try {
      const r = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM messages');
      return r.rows[0].n;
    } finally {
      await db.close();
    }
  }
  return null;
}

async function run(kind: ServerKind): Promise<Result | null> {
  const backing = await prepareBacking(kind);
  if (!backing) return null;
  const server = await startChild(backing);
  let closed = false;
  try {
    const visitors = await connectVisitors(server.url, args.conversations, { concurrency: 50 });
    const warm = await load(visitors, performance.now() + args.warmup * 1000, null);
    const before = await server.stats();
    const c0 = process.cpuUsage();
    const latencies: number[] = [];
    const t0 = performance.now();
    const measured = await load(visitors, t0 + args.seconds * 1000, latencies);
    const c1 = process.cpuUsage(c0);
    const after = await server.stats();
    const window = args.seconds;
    const sends = measured.all;
    await disconnectAll(visitors, 200);
    await server.close();
    closed = true;
    const stored = await countStored(kind, backing.where);
    const r: Result = {
      kind,
      acked: measured.acked,
      rate: measured.acked / window,
      lat: summarize(latencies),
      serverCpu: (after.cpu.user + after.cpu.system - before.cpu.user - before.cpu.system) / 1e6 / window,
      clientCpu: (c1.user + c1.system) / 1e6 / window,
      queriesPerSend: (after.queries - before.queries) / Math.max(1, sends),
      txPerSend: (after.transactions - before.transactions) / Math.max(1, sends),
      totalAcked: warm.all + measured.all,
      stored,
      failures: warm.failures + measured.failures,
    };
    console.log(`${KIND_LABEL[kind]}: ${r.acked} acks in ${window} s = ${r.rate.toFixed(0)} msg/s, ack p50 ${ms(r.lat.p50)} ms, p99 ${ms(r.lat.p99)} ms`);
    return r;
  } finally {
    if (!closed) await server.close();
    await backing.cleanup();
  }
}

header('sustained acked messages per second, one server process', args.only, [
  `active conversations: ${args.conversations} (one visitor client each, all sending at once, each awaiting its ack); ` +
    `${args.warmup} s warm-up, ${args.seconds} s measured`,
]);

const results: Result[] = [];
for (const kind of args.only) {
  const r = await run(kind);
  if (r) results.push(r);
}

const w = [20, 8, 8, 8, 8, 9, 12, 12, 22];
console.log('');
console.log(row(['server', 'msg/s', 'p50 ms', 'p99 ms', 'max ms', 'failed', 'server CPU', 'client CPU', 'stored rows / acked'], w));
for (const r of results) {
  console.log(
    row(
      [
        KIND_LABEL[r.kind],
        r.rate.toFixed(0),
        ms(r.lat.p50),
        ms(r.lat.p99),
        ms(r.lat.max),
        r.failures,
        `${(r.serverCpu * 100).toFixed(0)}%`,
        `${(r.clientCpu * 100).toFixed(0)}%`,
        r.stored === null ? '-' : `${r.stored} / ${r.totalAcked}`,
      ],
      w,
    ),
  );
}
console.log(`(CPU: share of one core over the measured window; the machine has ${cpus().length} cores shared by client and server)`);
for (const r of results) {
  if (r.kind !== 'bare') {
    console.log(`${KIND_LABEL[r.kind]}: ${r.queriesPerSend.toFixed(1)} statements and ${r.txPerSend.toFixed(1)} transaction per send`);
  }
}
