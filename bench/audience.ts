/**
 * Audience resolution of a broadcast on PostgreSQL: 100,000 customers with realistic attributes and
 * tags, a two-condition segment (tier = gold AND tag bought:earrings), compiled to SQL by the
 * server's own compiler (server/storage/segment-sql.ts) through the server's storage methods: times
 * `BroadcastStore.audienceSize` (the count) and `BroadcastStore.claimDue` (one transaction: claim the
 * due campaign, count, `INSERT ... SELECT` of the recipients minus the frequency cap, `RETURNING`
 * their ids), reports what they keep in this process's memory and the query plans (EXPLAIN ANALYZE of
 * the statements claimDue actually ran, re-run with the same parameters and rolled back). Two
 * alternatives are timed beside them as evidence: the cap as one anti-join, and `eq` as jsonb
 * containment (which the GIN index on attributes can serve). Prints figures only.
 *
 *   node --import tsx bench/audience.ts [--customers 100000] [--rounds 5] [--history 3]
 *
 * A throw-away database (`vitrine_bench_*` on DATABASE_URL or postgres://postgres@127.0.0.1:5432/postgres)
 * is migrated by `Store.open()` and dropped at the end. Customers are generated inside PostgreSQL
 * (`generate_series`, deterministic hashes), so loading them costs Node nothing either.
 * `--history` earlier campaigns, each sent to a random 40% within the last 6 days, feed the frequency
 * cap (3 per 7 days: customers with 3 recent broadcasts are left out).
 * After each timed claim its recipient rows are deleted again (not timed), so every round sees the same data.
 */
import { cpus, loadavg } from 'node:os';
import { runInNewContext } from 'node:vm';
import { setFlagsFromString } from 'node:v8';
import { createShop, Store } from '../server/app.js';
import type { Db, Queryable } from '../server/storage/db.js';
import type { SegmentRule } from '../src/protocol/audience.js';
import { campaignInputSchema } from '../src/protocol/feed-schemas.js';
import { validate } from '../src/protocol/schemas.js';
import { createTempDb, intArgs, ms, percentile, row } from './lib/harness.js';

const args = intArgs({ customers: 100_000, rounds: 5, history: 3 });
const SHOP = 'bench';
const CAP = { max: 3, days: 7 };

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const SEGMENTS: { name: string; rule: SegmentRule }[] = [
  {
    name: 'tier = gold AND tag bought:earrings',
    rule: { match: 'all', conditions: [{ attribute: 'tier', op: 'eq', value: 'gold' }, { tag: 'bought:earrings', op: 'has' }] },
  },
  {
    name: 'points >= 5000 AND tag lacks unsubscribed (broad)',
    rule: { match: 'all', conditions: [{ attribute: 'points', op: 'gte', value: 5000 }, { tag: 'unsubscribed', op: 'lacks' }] },
  },
];

/** 100k customers generated in the database: ~20% gold, ~25% bought:earrings, points 0..19,999, cities, languages, names. */
async function seed(db: Queryable, n: number): Promise<void> {
  await db.query(
    `INSERT INTO visitors (id, shop, token_hash, name, email, created_at, attributes, tags)
     SELECT 'v_' || translate(left(encode(sha256(('c' || i)::bytea), 'base64'), 22), '+/', '-_'), $1, md5('token' || i), 'Customer ' || i,
            CASE WHEN h % 3 = 0 THEN 'c' || i || '@mail.example' END,
            now() - (h % 720) * interval '1 day',
            jsonb_strip_nulls(jsonb_build_object(
              'tier', (ARRAY['gold', 'silver', 'silver', 'bronze', 'bronze', 'bronze', 'gold', 'bronze', 'silver', NULL])[1 + h % 10],
              'points', ((h / 10) % 20000)::text,
              'city', (ARRAY['Shanghai', 'Hangzhou', 'Beijing', 'Shenzhen', 'Chengdu', 'Suzhou', 'Nanjing', 'Guangzhou'])[1 + (h / 7) % 8],
              'lang', (ARRAY['zh-CN', 'zh-CN', 'zh-CN', 'en'])[1 + (h / 3) % 4],
              'name', CASE WHEN h % 4 <> 0 THEN '客户' || i END,
              'last_order', CASE WHEN h % 5 <> 0 THEN to_char(now() - (h % 400) * interval '1 day', 'YYYY-MM-DD') END
            )),
            ARRAY(SELECT t FROM unnest(ARRAY[
              CASE WHEN (h / 11) % 4 = 0 THEN 'bought:earrings' END,
              CASE WHEN (h / 13) % 3 = 0 THEN 'bought:necklaces' END,
              CASE WHEN (h / 17) % 5 = 0 THEN 'bought:rings' END,
              CASE WHEN (h / 19) % 6 = 0 THEN 'bought:bracelets' END,
              CASE WHEN (h / 23) % 2 = 0 THEN 'newsletter' END,
              CASE WHEN (h / 29) % 3 = 0 THEN 'wechat' END,
              CASE WHEN (h / 31) % 8 = 0 THEN 'vip-2026' END,
              CASE WHEN (h / 37) % 20 = 0 THEN 'unsubscribed' END
            ]) AS t WHERE t IS NOT NULL)
     FROM (SELECT i, abs(hashtext('c' || i)) AS h FROM generate_series(1, $2::int) AS i) AS g`,
    [SHOP, n],
  );
}

/** Earlier campaigns, each sent to a random 40% of the customers within the last 6 days (for the cap). */
async function seedHistory(db: Queryable, campaigns: number): Promise<void> {
  for (let k = 1; k <= campaigns; k += 1) {
    const id = `past_${k}`;
    await db.query(
      `INSERT INTO campaigns (shop, id, kind, state, name, title, sent_at, targeted)
       VALUES ($1, $2, 'promotion', 'sent', $2, '{"en":"Past"}', now() - $3::int * interval '1 day', 0)`,
      [SHOP, id, k],
    );
    await db.query(
      `INSERT INTO campaign_recipients (shop, campaign_id, visitor_id, sent_at)
       SELECT $1, $2, v.id, now() - $3::int * interval '1 day' FROM visitors v
       WHERE v.shop = $1 AND abs(hashtext(v.id || $2)) % 10 < 4`,
      [SHOP, id, k],
    );
  }
}

/** A statement the store ran (captured to EXPLAIN it afterwards with the same parameters). */
interface Statement {
  sql: string;
  params: unknown[];
}

/** Records the statements run through `db` and its transactions while `capture` is set (bench-only wrapper). */
function recordStatements(db: Db): { capture: Statement[] | null } {
  const rec: { capture: Statement[] | null } = { capture: null };
  const wrap = (q: Queryable): Queryable => ({
    query: (sql, params) => {
      rec.capture?.push({ sql, params: [...(params ?? [])] });
      return q.query(sql, params);
    },
    exec: (sql) => q.exec(sql),
  });
  const query = db.query.bind(db);
  const transaction = db.transaction.bind(db);
  db.query = wrap({ query, exec: db.exec.bind(db) }).query;
  db.transaction = (fn) => transaction((tx) => fn(wrap(tx)));
  return rec;
}

class Rollback extends Error {}

/** Runs `fn` in a transaction that is rolled back; returns what `fn` produced. */
async function rolledBack<T>(db: Db, fn: (tx: Queryable) => Promise<T>): Promise<T> {
  let out: T | undefined;
  await db
    .transaction(async (tx) => {
      out = await fn(tx);
      throw new Rollback();
    })
    .catch((err: unknown) => {
      if (!(err instanceof Rollback)) throw err;
    });
  return out as T;
}

/** The plan (EXPLAIN ANALYZE, no costs), long filter lines shortened. */
async function plan(db: Db, q: Statement): Promise<string[]> {
  const rows = await rolledBack(db, (tx) => tx.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, COSTS OFF) ${q.sql}`, q.params));
  return rows
    .map((r) => {
      const l = r['QUERY PLAN'];
      const indent = /^ */.exec(l)?.[0] ?? '';
      const text = indent + l.slice(indent.length).replace(/\s+/g, ' ');
      return text.length > 150 ? `${text.slice(0, 147)}...` : text;
    })
    // Rows that only continue a long filter (the numeric pattern holds newlines) are left out.
    .filter((l) => /^\s*(->|[A-Za-z])/.test(l) && !/^\s*Planning/.test(l));
}

interface Timing {
  ms: number[];
  /** heapUsed after a forced GC with the result held, minus after a forced GC once it was dropped: what the result keeps in Node. */
  heapHeld: number[];
  /** RSS with the result held minus RSS before the call. */
  rssDelta: number[];
  result: number;
}

/** Times `fn` over `rounds` rounds after a warm-up; `before` / `after` run outside the timing. */
async function timed<T>(
  rounds: number,
  fn: () => Promise<T>,
  size: (r: T) => number,
  hooks: { before?: () => Promise<void>; after?: (r: T) => Promise<void> } = {},
): Promise<Timing> {
  const t: Timing = { ms: [], heapHeld: [], rssDelta: [], result: 0 };
  for (let i = 0; i <= rounds; i += 1) {
    await hooks.before?.();
    gc();
    const m0 = process.memoryUsage();
    const t0 = performance.now();
    let r: T | undefined = await fn();
    const elapsed = performance.now() - t0;
    gc();
    const m1 = process.memoryUsage();
    const n = size(r);
    await hooks.after?.(r);
    r = undefined;
    gc();
    const m2 = process.memoryUsage();
    if (i > 0) {
      t.ms.push(elapsed);
      t.heapHeld.push(m1.heapUsed - m2.heapUsed);
      t.rssDelta.push(m1.rss - m0.rss);
      t.result = n;
    }
  }
  return t;
}

const med = (xs: number[]): number => percentile([...xs].sort((a, b) => a - b), 50);
const mib = (b: number): string => `${(b / 2 ** 20).toFixed(2)}`;

console.log(`# audience resolution for ${args.customers.toLocaleString('en')} customers (PostgreSQL)`);
console.log(`date: ${new Date().toISOString()}`);
console.log(`machine: ${cpus().length} cores (${cpus()[0]?.model.trim() ?? 'unknown'}); node ${process.version}; storage calls from this process (pg pool, as the server)`);
console.log(`load average at start: ${loadavg().map((l) => l.toFixed(2)).join(' ')} (other work on the machine skews the figures)`);
console.log(`segments compiled by server/storage/segment-sql.ts; frequency cap ${CAP.max} per ${CAP.days} days; ${args.history} earlier campaigns to 40% each`);
console.log(`rounds: ${args.rounds} after one warm-up`);
console.log('');

const temp = await createTempDb();
if (temp) {
  const store = await Store.open({ databaseUrl: temp.url });
  try {
    const db = store.db;
    const b = store.broadcasts;
    const recorder = recordStatements(db);
    await createShop(store, { id: SHOP, name: 'Bench' });
    await b.putSettings(SHOP, { frequencyCap: CAP, timeZone: 'UTC' });
    const ts = performance.now();
    await seed(db, args.customers);
    await seedHistory(db, args.history);
    await db.exec('VACUUM ANALYZE');
    const [{ n: recips }] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM campaign_recipients');
    const [{ size }] = await db.query<{ size: string }>(`SELECT pg_size_pretty(pg_total_relation_size('visitors')) AS size`);
    console.log(`seeded ${args.customers} customers (visitors with indexes: ${size}) and ${recips} earlier recipient rows in ${((performance.now() - ts) / 1000).toFixed(1)} s (then VACUUM ANALYZE)`);
    const [{ capped }] = await db.query<{ capped: number }>(
      `SELECT count(*)::int AS capped FROM (SELECT visitor_id FROM campaign_recipients WHERE sent_at > now() - $1::int * interval '1 day' GROUP BY visitor_id HAVING count(*) >= $2) s`,
      [CAP.days, CAP.max],
    );
    console.log(`customers at the cap (${CAP.max} in ${CAP.days} days): ${capped}`);
    console.log('');

    const w = [58, 8, 9, 9, 9, 11, 10];
    const lines: string[] = [];
    const plans: { name: string; lines: string[] }[] = [];
    for (const seg of SEGMENTS) {
      const segment = await b.createSegment(SHOP, { name: seg.name, rule: seg.rule });
      // 1. The audience count (BroadcastStore.audienceSize).
      const count = await timed(args.rounds, () => b.audienceSize(SHOP, seg.rule), (n) => n);
      // 2. The claim (BroadcastStore.claimDue): lock the due campaign, count, INSERT ... SELECT minus the cap,
      //    snapshots; returns the recipients' ids to this process (for the room emit).
      let captured: Statement[] = [];
      const claim = await timed(
        args.rounds,
        async () => {
          recorder.capture = [];
          const c = await b.claimDue('bench');
          captured = recorder.capture;
          recorder.capture = null;
          if (!c) throw new Error('no due campaign was claimed');
          return c;
        },
        (c) => c.visitorIds.length,
        {
          before: async () => {
            const input = validate(campaignInputSchema, { kind: 'new-arrival', name: 'bench', title: { en: 'New in: {{name|Friend}}' }, body: { en: 'Hello {{name|there}}, new earrings are in.' }, segmentId: segment.id });
            if (!input.ok) throw new Error(input.error.message);
            const campaign = await b.createCampaign(SHOP, input.value);
            await b.scheduleCampaign(SHOP, campaign.id, Date.now(), null);
          },
          // Same data for every round: the new recipients are removed again (not timed).
          after: async (c) => {
            await b.markSent(SHOP, c.campaignId);
            await db.query('DELETE FROM campaign_recipients WHERE campaign_id = $1', [c.campaignId]);
          },
        },
      );
      lines.push(row([`audienceSize: ${seg.name}`, count.result, ms(med(count.ms)), ms(Math.min(...count.ms)), ms(Math.max(...count.ms)), mib(med(count.heapHeld)), mib(med(count.rssDelta))], w));
      lines.push(row([`claimDue (count + insert with cap): ${seg.name}`, claim.result, ms(med(claim.ms)), ms(Math.min(...claim.ms)), ms(Math.max(...claim.ms)), mib(med(claim.heapHeld)), mib(med(claim.rssDelta))], w));

      // 3. Alternatives (evidence, rolled back): the cap as one anti-join with the capped customers (aggregated once) instead of a count per candidate.
      const insert = captured.find((st) => /INSERT INTO campaign_recipients/.test(st.sql));
      const countSt = captured.find((st) => /SELECT count\(\*\)::int AS n FROM visitors/.test(st.sql));
      if (insert) {
        const anti = {
          sql: insert.sql.replace(
            /AND \(SELECT count\(\*\) FROM campaign_recipients r\s+WHERE r\.visitor_id = v\.id AND r\.sent_at > now\(\) - make_interval\(days => \$3::int\)\) < \$4::int/,
            `AND NOT EXISTS (SELECT 1 FROM (SELECT r.visitor_id FROM campaign_recipients r
                               WHERE r.sent_at > now() - make_interval(days => $3::int)
                               GROUP BY r.visitor_id HAVING count(*) >= $4::int) capped
                             WHERE capped.visitor_id = v.id)`,
          ),
          params: insert.params,
        };
        if (anti.sql !== insert.sql) {
          const alt = await timed(args.rounds, () => rolledBack(db, async (tx) => (await tx.query(anti.sql, anti.params)).length), (n) => n);
          const same = await timed(args.rounds, () => rolledBack(db, async (tx) => (await tx.query(insert.sql, insert.params)).length), (n) => n);
          lines.push(row([`  its INSERT alone (rolled back)`, same.result, ms(med(same.ms)), ms(Math.min(...same.ms)), ms(Math.max(...same.ms)), mib(med(same.heapHeld)), mib(med(same.rssDelta))], w));
          lines.push(row([`  alt: cap as anti-join (rolled back)`, alt.result, ms(med(alt.ms)), ms(Math.min(...alt.ms)), ms(Math.max(...alt.ms)), mib(med(alt.heapHeld)), mib(med(alt.rssDelta))], w));
          plans.push({ name: `alt INSERT, cap as anti-join: ${seg.name}`, lines: await plan(db, anti) });
        }
        plans.push({ name: `claimDue INSERT: ${seg.name}`, lines: await plan(db, insert) });
      }
      if (countSt) plans.push({ name: `audience count: ${seg.name}`, lines: await plan(db, countSt) });
    }
    // 4. Alternative (evidence): `eq` as jsonb containment, which the GIN index on attributes serves.
    const containment = {
      sql: `SELECT count(*)::int AS n FROM visitors v WHERE v.shop = $1 AND v.attributes @> jsonb_build_object($2::text, $3::text) AND v.tags @> ARRAY[$4::text]`,
      params: [SHOP, 'tier', 'gold', 'bought:earrings'],
    };
    const alt = await timed(args.rounds, async () => (await db.query<{ n: number }>(containment.sql, containment.params))[0].n, (n) => n);
    lines.push(row([`alt count, tier as attributes @> {"tier":"gold"}: ${SEGMENTS[0].name}`.slice(0, 58), alt.result, ms(med(alt.ms)), ms(Math.min(...alt.ms)), ms(Math.max(...alt.ms)), mib(med(alt.heapHeld)), mib(med(alt.rssDelta))], w));
    plans.push({ name: `alt count, attributes @> containment: ${SEGMENTS[0].name}`, lines: await plan(db, containment) });

    console.log(row(['operation', 'rows', 'med ms', 'min ms', 'max ms', 'heap held', 'rss MiB'], w));
    for (const l of lines) console.log(l);
    console.log(`(rows: audience size, or recipients stored; ${args.rounds} rounds after a warm-up, median; heap: this process, heapUsed after a`);
    console.log(' forced GC with the result held minus after it was dropped, i.e. what the result keeps in Node; rss: with the result held minus before)');
    const mem = process.memoryUsage();
    console.log(`this process at the end: rss ${mib(mem.rss)} MiB, heapUsed ${mib(mem.heapUsed)} MiB`);
    for (const p of plans) {
      console.log('');
      console.log(`plan, ${p.name}:`);
      for (const l of p.lines) console.log(`  ${l}`);
    }
  } finally {
    await store.close();
    await temp.drop();
  }
}
