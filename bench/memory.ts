/**
 * Server memory per idle connected visitor: Vitrine (PGlite, PostgreSQL) beside a bare Socket.IO
 * server holding the same number of idle clients. The server runs in a child process started with
 * --expose-gc and reports process.memoryUsage() over IPC after forced GCs. Prints figures only.
 *
 *   node --import tsx bench/memory.ts [--visitors 1000] [--only bare,pglite,pg]
 *
 * Phases per server: warm up (50 visitors in and out), baseline M0; connect N new visitors, M1;
 * disconnect them all, M2; reconnect the same N visitors (resume tokens: their rows already exist), M3.
 * "per connected visitor" = (M3 - M2) / N: what an idle connection costs, without database growth.
 * "first visit" = (M1 - M0) / N also contains what the store keeps for new rows (PGlite lives in
 * the server process: its WASM heap shows up under external/RSS).
 */
import {
  KIND_LABEL,
  connectVisitors,
  disconnectAll,
  header,
  intArgs,
  newVisitorToken,
  prepareBacking,
  row,
  sleep,
  startChild,
  type ServerKind,
  type Stats,
} from './lib/harness.js';

const args = intArgs({ visitors: 1000, settle: 1000 });
const N = args.visitors;

interface Per {
  heap: number;
  external: number;
  rss: number;
}
interface Result {
  kind: ServerKind;
  connected: Per;
  firstVisit: Per;
  /** (M1 - M2) / N: the same connection cost measured on the way down, as a consistency check. */
  down: Per;
  base: Stats['mem'];
}

const per = (a: Stats, b: Stats): Per => ({
  heap: (b.mem.heapUsed - a.mem.heapUsed) / N,
  external: (b.mem.external - a.mem.external) / N,
  rss: (b.mem.rss - a.mem.rss) / N,
});

async function run(kind: ServerKind): Promise<Result | null> {
  const backing = await prepareBacking(kind);
  if (!backing) return null;
  const server = await startChild(backing);
  try {
    const warm = await connectVisitors(server.url, 50);
    await disconnectAll(warm, args.settle);
    const m0 = await server.stats(true);

    const tokens = Array.from({ length: N }, newVisitorToken);
    let visitors = await connectVisitors(server.url, N, { tokens });
    await sleep(args.settle);
    const m1 = await server.stats(true);

    await disconnectAll(visitors, args.settle);
    const m2 = await server.stats(true);

    visitors = await connectVisitors(server.url, N, { tokens });
    await sleep(args.settle);
    const m3 = await server.stats(true);
    await disconnectAll(visitors, 200);

    const r: Result = { kind, connected: per(m2, m3), firstVisit: per(m0, m1), down: per(m2, m1), base: m0.mem };
    console.log(
      `${KIND_LABEL[kind]}: baseline heapUsed ${(m0.mem.heapUsed / 2 ** 20).toFixed(1)} MiB, rss ${(m0.mem.rss / 2 ** 20).toFixed(1)} MiB; ` +
        `with ${N} visitors heapUsed ${(m3.mem.heapUsed / 2 ** 20).toFixed(1)} MiB, rss ${(m3.mem.rss / 2 ** 20).toFixed(1)} MiB`,
    );
    return r;
  } finally {
    await server.close();
    await backing.cleanup();
  }
}

header('server memory per idle connected visitor', args.only, [
  `visitors: ${N} (websocket, idle); figures after forced GC (4 passes) in the server process; KiB per visitor`,
]);

const results: Result[] = [];
for (const kind of args.only) {
  const r = await run(kind);
  if (r) results.push(r);
}

const kib = (v: number): string => (v / 1024).toFixed(1);
const bare = results.find((r) => r.kind === 'bare');
const ratio = (a: number, b: number | undefined): string => (b && b > 0 && a > 0 ? `${(a / b).toFixed(2)}x` : '-');
const w = [20, 10, 10, 10, 11, 10, 12, 12, 13];
console.log('');
console.log('per connected visitor (reconnect of known visitors: M3 - M2), KiB:');
console.log(row(['server', 'heapUsed', 'external', 'rss', 'heap (down)', 'rss (down)', 'heap / bare', 'rss / bare', 'target <=1.3x'], w));
for (const r of results) {
  const hr = bare ? r.connected.heap / bare.connected.heap : NaN;
  console.log(
    row(
      [
        KIND_LABEL[r.kind],
        kib(r.connected.heap),
        kib(r.connected.external),
        kib(r.connected.rss),
        kib(r.down.heap),
        kib(r.down.rss),
        ratio(r.connected.heap, bare?.connected.heap),
        ratio(r.connected.rss, bare?.connected.rss),
        r.kind === 'bare' ? '' : Number.isFinite(hr) ? (hr <= 1.3 ? 'met (heap)' : 'MISSED (heap)') : '-',
      ],
      w,
    ),
  );
}
console.log('');
console.log('(heapUsed is the reliable figure; RSS deltas after GC move with page retention of the heap and allocator, and can be negative)');
console.log('');
console.log('first visit (new visitors: M1 - M0; includes what the store keeps for new rows), KiB:');
console.log(row(['server', 'heapUsed', 'external', 'rss', 'heap / bare', 'rss / bare'], w));
for (const r of results) {
  console.log(
    row(
      [
        KIND_LABEL[r.kind],
        kib(r.firstVisit.heap),
        kib(r.firstVisit.external),
        kib(r.firstVisit.rss),
        ratio(r.firstVisit.heap, bare?.firstVisit.heap),
        ratio(r.firstVisit.rss, bare?.firstVisit.rss),
      ],
      w,
    ),
  );
}
