/**
 * Fan-out of one broadcast to N connected visitors (default 10,000): time until every visitor has
 * received `feed:new`, for the real broadcast path (REST send -> database -> one emit) and for bare
 * Socket.IO emits of the same payload to the same sockets, interleaved in the same run; plus the
 * `message:send` ack latency of chatting visitors while a fan-out is under way. Prints figures only.
 *
 *   node --import tsx bench/broadcast-fanout.ts [--visitors 10000] [--procs 2] [--rounds 5] [--chatters 50]
 *       [--interval 500] [--chunk 500] [--pace 10] [--quiet 5] [--only pg|pglite]        (N also from BENCH_VISITORS)
 *
 * Processes: the real server (`startServer()`, PostgreSQL by default) in a child; the N visitors spread
 * over `--procs` client children (socket.io-client, websocket); the chatters and the REST calls in this
 * process. Times are the system-wide monotonic clock (`process.hrtime`): "all received" is the last
 * visitor's receipt minus the moment this process sent the trigger (IPC order or HTTP request).
 *
 * Variants (bench/lib/fanout-server.ts; the bench ones bypass the database):
 *   room        bare baseline: one `nsp.to(room).emit` to a room the N recipients joined beforehand
 *   rooms       one `nsp.to([N rooms]).emit` to the recipients' own rooms (`visitorRoom`): the real delivery's emit
 *   per-socket  one `socket.emit` per recipient of a payload rendered for that customer (name/tier)
 *   join        `socketsJoin` of the N rooms into a temporary room, one emit to it, `socketsLeave`
 *   chunked     the N rooms in chunks of `--chunk` (500) rooms per emit, `setImmediate` between chunks
 *   paced       the same chunks with a `--pace` (10) ms timer between them
 *   real        POST /api/campaigns/:id/send with an agent token: the server claims the campaign,
 *               stores the recipients (segment tier=gold AND tag bought:earrings) and emits
 * The ratio of the issue's target (<= 1.3x) is real / room, the median of the per-round ratios.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { connectVisitors, header, intArgs, ms, percentile, prepareBacking, row, sendMessage, summarize, type ServerKind, type Visitor } from './lib/harness.js';
import { startClientGroup, startFanoutServer, type ClientGroup, type FanoutServer } from './lib/fanout.js';
import { EMIT_VARIANTS, now, type ClientVisitor, type EmitVariant } from './lib/fanout-ipc.js';

const args = intArgs({ visitors: Number(process.env.BENCH_VISITORS) || 10_000, procs: 2, rounds: 5, chatters: 50, interval: 500, quiet: 5, concurrency: 40, chunk: 500, pace: 10 });
const kinds: ServerKind[] = process.argv.includes('--only') ? args.only.filter((k) => k !== 'bare') : ['pg'];
const N = args.visitors;
const SEGMENT_RULE = {
  match: 'all',
  conditions: [
    { attribute: 'tier', op: 'eq', value: 'gold' },
    { tag: 'bought:earrings', op: 'has' },
  ],
};

type Variant = EmitVariant | 'real';
interface Round {
  variant: Variant;
  round: number;
  chat: boolean;
  t0: number;
  /** Until the HTTP response / the server's report of the synchronous emit. */
  triggerMs: number;
  firstMs: number;
  allMs: number;
  received: number;
  bytes: number;
  /** Longest event-loop block of the server process between the trigger and the last receipt (10 ms interval timer). */
  lagMax: number;
}

/** REST with the agent's bearer token. */
function api(url: string, token: string) {
  return async <T = unknown>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> => {
    const res = await fetch(`${url}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      // not JSON
    }
    return { status: res.status, body: parsed as T };
  };
}
const idOf = (b: unknown): string => {
  const o = b as { id?: string; campaign?: { id?: string }; segment?: { id?: string } };
  return o?.id ?? o?.campaign?.id ?? o?.segment?.id ?? '';
};

async function pool<T>(items: T[], concurrency: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      while (next < items.length) {
        const item = items[next];
        next += 1;
        await fn(item);
      }
    }),
  );
}

async function run(kind: ServerKind): Promise<void> {
  const backing = await prepareBacking(kind);
  if (!backing) return;
  const server: FanoutServer = await startFanoutServer(backing);
  const groups: ClientGroup[] = Array.from({ length: args.procs }, (_, i) => startClientGroup(i));
  let chatters: Visitor[] = [];
  try {
    // 1. N visitors over the client children.
    const share = groups.map((_, i) => Math.floor(N / groups.length) + (i < N % groups.length ? 1 : 0));
    const tc = performance.now();
    const connected = await Promise.all(groups.map((g, i) => g.connect(server.url, server.shop, share[i], args.concurrency)));
    const visitors: ClientVisitor[] = connected.flatMap((c) => c.visitors);
    const perGroup = connected.map((c) => c.visitors.length);
    const failed = connected.reduce((a, c) => a + c.failed, 0);
    console.log(`${N} visitors over ${groups.length} client processes connected in ${((performance.now() - tc) / 1000).toFixed(1)} s (${visitors.length} ok, ${failed} failed)`);
    chatters = await connectVisitors(server.url, args.chatters, { concurrency: 10 });
    const prepared = await server.prepare(visitors.map((v) => v.userId));
    console.log(`recipients: ${prepared.sockets} sockets, ${prepared.rooms} distinct rooms; chatters (not recipients): ${chatters.length}`);

    // 2. The real path, when the server has it: settings, segment, customer profiles.
    const login = await fetch(`${server.url}/api/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(server.agent),
    });
    const token = ((await login.json()) as { token: string }).token;
    const call = api(server.url, token);
    let segmentId = '';
    const probe = await call('GET', '/api/campaigns');
    if (probe.status === 200) {
      const settings = await call('PUT', '/api/settings/broadcasts', { frequencyCap: { max: 100, days: 1 }, timeZone: 'UTC' });
      if (settings.status >= 300) console.log(`PUT /api/settings/broadcasts -> ${settings.status} ${JSON.stringify(settings.body)}`);
      const seg = await call('POST', '/api/segments', { name: 'Gold earring buyers', rule: SEGMENT_RULE });
      segmentId = idOf(seg.body);
      if (!segmentId) throw new Error(`POST /api/segments -> ${seg.status} ${JSON.stringify(seg.body)}`);
      const tp = performance.now();
      let bad = 0;
      await pool(visitors, 16, async (v) => {
        const r = await call('PATCH', `/api/customers/${v.userId}`, { attributes: { tier: 'gold', name: `Bench ${v.userId.slice(-4)}` }, addTags: ['bought:earrings'] });
        if (r.status >= 300 && bad++ === 0) console.log(`PATCH /api/customers -> ${r.status} ${JSON.stringify(r.body)}`);
      });
      console.log(`tagged ${visitors.length - bad} customers (PATCH /api/customers/:id, 16 in flight) in ${((performance.now() - tp) / 1000).toFixed(1)} s`);
    } else {
      console.log(`real broadcast path not available on this server (GET /api/campaigns -> ${probe.status}): bench emits only`);
    }
    const hasReal = segmentId !== '';
    const variants: Variant[] = [...EMIT_VARIANTS, ...(hasReal ? (['real'] as const) : [])];

    let item: Record<string, unknown> | null = null;
    let seq = 0;
    const timeoutMs = 120_000;

    const fanout = async (variant: Variant, round: number, chat: boolean): Promise<Round> => {
      seq += 1;
      let key = `bench-${seq}`;
      if (variant === 'real') {
        const created = await call('POST', '/api/campaigns', {
          kind: 'new-arrival',
          name: `bench fan-out ${seq}`,
          title: { 'zh-CN': '{{name|朋友}}，新品到店：月光珍珠耳坠', en: '{{name|Friend}}, just in: moonlight pearl earrings' },
          body: {
            'zh-CN': '您好 {{name|朋友}}！您关注的珍珠系列上新了，{{tier|会员}}专享提前试戴，欢迎到店或在线咨询。',
            en: 'Hello {{name|there}}! New pieces in the pearl collection you follow: {{tier|member}} early try-on, in store or ask us here.',
          },
          image: '/images/pearl-earrings.jpg',
          productIds: ['etoile-necklace', 'perle-studs'],
          cta: { label: { 'zh-CN': '查看详情', en: 'See the collection' }, url: 'https://shop.example/pearls' },
          segmentId,
        });
        key = idOf(created.body);
        if (!key) throw new Error(`POST /api/campaigns -> ${created.status} ${JSON.stringify(created.body)}`);
      }
      const waits = groups.map((g, i) => g.expect(key, perGroup[i], timeoutMs));
      await server.lag(); // reset
      const t0 = now();
      let triggerMs: number;
      let bytes = 0;
      if (variant === 'real') {
        const res = await call('POST', `/api/campaigns/${key}/send`);
        triggerMs = now() - t0;
        if (res.status >= 300) throw new Error(`POST /api/campaigns/${key}/send -> ${res.status} ${JSON.stringify(res.body)}`);
      } else {
        const r = await server.emit(variant, key, item, args.chunk, args.pace);
        triggerMs = r.syncMs;
        bytes = r.bytes;
      }
      const got = await Promise.all(waits);
      const lag = await server.lag();
      const received = got.reduce((a, g) => a + g.count, 0);
      if (variant === 'real' && !item) {
        // From now on the bench emits send the very item the server sent.
        const sample = got.find((g) => g.sample)?.sample;
        if (sample) item = (JSON.parse(sample) as { item: Record<string, unknown> }).item;
      }
      if (variant === 'real') bytes = Buffer.byteLength(got.find((g) => g.sample)?.sample ?? '');
      const r: Round = {
        variant,
        round,
        chat,
        t0,
        triggerMs,
        firstMs: Math.min(...got.map((g) => g.first)) - t0,
        allMs: Math.max(...got.map((g) => g.last)) - t0,
        received,
        bytes,
        lagMax: lag.max,
      };
      if (received < visitors.length) console.log(`  ${variant} round ${round}: only ${received}/${visitors.length} received within ${timeoutMs / 1000} s`);
      return r;
    };

    // 3. Warm-up: one of each (the real one also provides the exact item for the bench emits).
    const order = (round: number): Variant[] => {
      const rot = round % variants.length;
      return [...variants.slice(rot), ...variants.slice(0, rot)];
    };
    for (const v of hasReal ? (['real', ...EMIT_VARIANTS] as Variant[]) : variants) {
      await fanout(v, 0, false);
      await sleep(500);
    }
    console.log(`warm-up done; payload ${item ? 'taken from the real feed:new' : 'built by the bench (same shape as FeedItem)'}`);

    // 4. Interleaved rounds, no chat.
    const rounds: Round[] = [];
    for (let r = 1; r <= args.rounds; r += 1) {
      for (const v of order(r)) {
        const res = await fanout(v, r, false);
        rounds.push(res);
        console.log(
          `  round ${r} ${v.padEnd(10)} all received ${ms(res.allMs)} ms (first ${ms(res.firstMs)} ms, trigger ${ms(res.triggerMs)} ms, loop max ${ms(res.lagMax)} ms, ${res.received} packets)`,
        );
        await sleep(1000);
      }
    }

    // 5. Chat during fan-out: chatters send in a loop (each: send, await ack, pause `interval`).
    const samples: { start: number; end: number; ms: number }[] = [];
    let chatting = true;
    let chatErrors = 0;
    const loops = chatters.map(async (c, i) => {
      await sleep((i * args.interval) / chatters.length);
      let n = 0;
      while (chatting) {
        const start = now();
        try {
          const t = await sendMessage(c, `bench chat ${i}-${(n += 1)}`);
          samples.push({ start, end: now(), ms: t });
        } catch {
          chatErrors += 1;
        }
        await sleep(args.interval);
      }
    });
    await sleep(3000); // warm-up of the chat load
    const quietFrom = now();
    await sleep(args.quiet * 1000);
    const quietTo = now();
    const chatVariants: Variant[] = [hasReal ? 'real' : 'rooms', 'room', 'chunked', 'paced'];
    const chatRounds: Round[] = [];
    for (let r = 1; r <= args.rounds; r += 1) {
      const rot = r % chatVariants.length;
      for (const v of [...chatVariants.slice(rot), ...chatVariants.slice(0, rot)]) {
        const res = await fanout(v, r, true);
        chatRounds.push(res);
        console.log(`  chat round ${r} ${v.padEnd(10)} all received ${ms(res.allMs)} ms (server loop blocked up to ${ms(res.lagMax)} ms)`);
        await sleep(1500);
      }
    }
    chatting = false;
    await Promise.all(loops);
    const srv = await server.stats();

    // 6. Tables.
    const med = (xs: number[]): number => percentile([...xs].sort((a, b) => a - b), 50);
    console.log('');
    console.log(`## fan-out to ${visitors.length} visitors (${KIND[kind]}), ${args.rounds} interleaved rounds, no chat load`);
    const w = [12, 11, 9, 9, 34, 10, 9, 9, 9, 9, 7];
    console.log(row(['variant', 'all ms med', 'min', 'max', 'all ms per round', 'first med', 'trigger', 'loop max', 'x room', 'med/med', 'bytes'], w));
    const base = rounds.filter((r) => r.variant === 'room');
    for (const v of variants) {
      const rs = rounds.filter((r) => r.variant === v);
      if (rs.length === 0) continue;
      const ratios = rs.map((r) => r.allMs / (base.find((b) => b.round === r.round)?.allMs ?? NaN));
      console.log(
        row(
          [
            v,
            ms(med(rs.map((r) => r.allMs))),
            ms(Math.min(...rs.map((r) => r.allMs))),
            ms(Math.max(...rs.map((r) => r.allMs))),
            rs.map((r) => r.allMs.toFixed(0)).join(' / '),
            ms(med(rs.map((r) => r.firstMs))),
            ms(med(rs.map((r) => r.triggerMs))),
            ms(med(rs.map((r) => r.lagMax))),
            `${med(ratios).toFixed(2)}x`,
            `${(med(rs.map((r) => r.allMs)) / med(base.map((r) => r.allMs))).toFixed(2)}x`,
            rs[0].bytes,
          ],
          w,
        ),
      );
    }
    console.log('(all = last visitor received - trigger sent; first = first visitor; trigger = server-side synchronous emit for the');
    console.log(' bench variants (chunked: summed over chunks), HTTP response time of POST .../send for real; x room = median of the');
    console.log(' per-round ratios to the bare room emit; med/med = ratio of the medians. For real, "first" is the send request, the');
    console.log(' scheduler tick and the claim transaction (count + recipient insert) before the emit starts; loop max = longest');
    console.log(' event-loop block of the server process during the fan-out (gaps of a 10 ms interval timer), median over rounds)');

    // An ack overlaps a fan-out when it was in flight at some moment between the trigger and the last receipt.
    const overlapping = (v: Variant | null): typeof samples =>
      samples.filter((s) => chatRounds.some((r) => (v === null || r.variant === v) && s.end >= r.t0 && s.start <= r.t0 + r.allMs));
    const quiet = samples.filter((s) => s.start >= quietFrom && s.end <= quietTo);
    console.log('');
    console.log(`## message:send ack latency, ${chatters.length} chatters (each: send, await ack, pause ${args.interval} ms); ${chatErrors} errors`);
    const w2 = [34, 7, 8, 8, 8, 8];
    console.log(row(['window', 'acks', 'p50 ms', 'p90 ms', 'p99 ms', 'max ms'], w2));
    const line = (name: string, xs: typeof samples): void => {
      const s = summarize(xs.map((x) => x.ms));
      console.log(row([name, s.n, ms(s.p50), ms(s.p90), ms(s.p99), ms(s.max)], w2));
    };
    line(`no fan-out (${args.quiet} s quiet window)`, quiet);
    for (const v of chatVariants) line(`overlapping a ${v} fan-out`, overlapping(v));
    console.log('');
    console.log(`fan-out under chat load (all received, median of ${args.rounds}):`);
    for (const v of chatVariants) {
      const rs = chatRounds.filter((r) => r.variant === v);
      console.log(
        `  ${v.padEnd(10)} ${ms(med(rs.map((r) => r.allMs)))} ms  (${rs.map((r) => r.allMs.toFixed(0)).join(' / ')}); server loop blocked up to ${ms(med(rs.map((r) => r.lagMax)))} ms (median)`,
      );
    }
    console.log('');
    console.log(`server process at the end: rss ${(srv.mem.rss / 2 ** 20).toFixed(0)} MiB, heapUsed ${(srv.mem.heapUsed / 2 ** 20).toFixed(0)} MiB, ${srv.sockets} sockets`);
  } finally {
    for (const c of chatters) c.socket.close();
    await Promise.all(groups.map((g) => g.close()));
    await server.close();
    await backing.cleanup();
  }
}

const KIND: Record<ServerKind, string> = { bare: 'bare', pglite: 'Vitrine PGlite', pg: 'Vitrine PostgreSQL' };

header(`broadcast fan-out to ${N} connected visitors`, kinds, [
  `visitors: ${N} over ${args.procs} client processes (${args.concurrency} handshakes in flight each); rounds: ${args.rounds} (interleaved, after one warm-up of each)`,
  `chat: ${args.chatters} chatters, pause ${args.interval} ms between sends, quiet window ${args.quiet} s; chunked/paced: ${args.chunk} rooms per emit, paced ${args.pace} ms apart`,
]);
for (const kind of kinds) await run(kind);
