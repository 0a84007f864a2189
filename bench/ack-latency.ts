/**
 * Send-to-ack latency of `message:send` while 1,000 idle visitors stay connected: Vitrine on the
 * embedded store (PGlite) and on PostgreSQL, beside a bare Socket.IO server whose ack echoes the
 * payload. Same machine, same client library (socket.io-client, websocket), server in a child process.
 * Prints figures only.
 *
 *   node --import tsx bench/ack-latency.ts [--idle 1000] [--senders 4] [--sends 1000] [--warmup 200] [--only bare,pglite,pg]
 */
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
} from './lib/harness.js';

const args = intArgs({ idle: 1000, senders: 4, sends: 1000, warmup: 200 });
const TEXT = 'S925 silver? How long is the pin on these earrings?';

interface Result {
  kind: ServerKind;
  connectS: number;
  lat: ReturnType<typeof summarize>;
  rate: number;
  queriesPerSend: number;
  cpuMsPerSend: number;
  /** Per send: awaited time by statement kind, over the measured sends. */
  breakdown: { name: string; perSend: number; ms: number }[];
}

/** `total` sends split over `senders`, each sender sequential (send, await ack, next). */
async function burst(senders: Awaited<ReturnType<typeof connectVisitors>>, total: number, into: number[] | null): Promise<void> {
  const per = Math.ceil(total / senders.length);
  await Promise.all(
    senders.map(async (v, s) => {
      for (let i = 0; i < per && s * per + i < total; i += 1) {
        const t = await sendMessage(v, `${TEXT} #${i}`);
        into?.push(t);
      }
    }),
  );
}

async function run(kind: ServerKind): Promise<Result | null> {
  const backing = await prepareBacking(kind);
  if (!backing) return null;
  const server = await startChild(backing);
  try {
    const t0 = performance.now();
    const idle = await connectVisitors(server.url, args.idle, { concurrency: 50 });
    const connectS = (performance.now() - t0) / 1000;
    const senders = await connectVisitors(server.url, args.senders);
    await burst(senders, args.warmup, null);
    const before = await server.stats();
    const latencies: number[] = [];
    const t1 = performance.now();
    await burst(senders, args.sends, latencies);
    const elapsed = (performance.now() - t1) / 1000;
    const after = await server.stats();
    const cpuUs = after.cpu.user + after.cpu.system - before.cpu.user - before.cpu.system;
    const result: Result = {
      kind,
      connectS,
      lat: summarize(latencies),
      rate: latencies.length / elapsed,
      queriesPerSend: (after.queries - before.queries) / latencies.length,
      cpuMsPerSend: cpuUs / 1000 / latencies.length,
      breakdown: Object.entries(after.statements ?? {})
        .map(([name, a]) => {
          const b = before.statements?.[name] ?? { count: 0, ms: 0 };
          return { name, perSend: (a.count - b.count) / latencies.length, ms: (a.ms - b.ms) / Math.max(1, a.count - b.count) };
        })
        .filter((x) => x.perSend > 0),
    };
    console.log(
      `${KIND_LABEL[kind]}: ${args.idle} idle visitors connected in ${connectS.toFixed(1)} s; ` +
        `${latencies.length} sends p50 ${ms(result.lat.p50)} ms, p99 ${ms(result.lat.p99)} ms`,
    );
    await disconnectAll([...idle, ...senders], 200);
    return result;
  } finally {
    await server.close();
    await backing.cleanup();
  }
}

header('message:send send-to-ack latency with idle visitors connected', args.only, [
  `idle visitors: ${args.idle}; active senders: ${args.senders}, each sequential (await ack, then next); ` +
    `${args.warmup} warm-up sends, then ${args.sends} measured sends`,
]);

const results: Result[] = [];
for (const kind of args.only) {
  const r = await run(kind);
  if (r) results.push(r);
}

const bare = results.find((r) => r.kind === 'bare');
const w = [20, 7, 7, 7, 7, 7, 9, 10, 12, 11];
console.log('');
console.log(row(['server', 'p50 ms', 'p90 ms', 'p99 ms', 'max ms', 'mean', 'sends/s', 'p50/bare', 'p99/bare', 'srv CPU/send'], w));
for (const r of results) {
  console.log(
    row(
      [
        KIND_LABEL[r.kind],
        ms(r.lat.p50),
        ms(r.lat.p90),
        ms(r.lat.p99),
        ms(r.lat.max),
        ms(r.lat.mean),
        r.rate.toFixed(0),
        bare ? `${(r.lat.p50 / bare.lat.p50).toFixed(1)}x` : '-',
        bare ? `${(r.lat.p99 / bare.lat.p99).toFixed(1)}x` : '-',
        `${r.cpuMsPerSend.toFixed(2)} ms`,
      ],
      w,
    ),
  );
}
for (const r of results) {
  if (r.kind === 'bare') continue;
  console.log('');
  console.log(`${KIND_LABEL[r.kind]}: ${r.queriesPerSend.toFixed(1)} database statements per send (BEGIN/COMMIT not counted); mean awaited time per statement:`);
  for (const b of r.breakdown) console.log(`  ${b.name.padEnd(44)} ${b.perSend.toFixed(2)} per send  ${ms(b.ms)} ms`);
}
