/**
 * Segment SQL agrees with the reference matcher: one table of customer profiles and rules (edge
 * cases: missing attributes, non-numeric and padded numbers, tag case, any/all) evaluated by
 * `matchesSegment` in memory and by `segmentSql` on PGlite and on PostgreSQL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { matchesSegment, type CustomerProfile, type SegmentRule } from '../../src/protocol/audience.js';
import { createTempPg, type TempPg } from '../test-support.js';
import { openDb, type Db } from './db.js';
import { segmentSql } from './segment-sql.js';

const pgTarget = await createTempPg();
const pgAvailable = !('skip' in pgTarget);
if ('skip' in pgTarget) console.warn(`[server] skipping PostgreSQL segment tests: ${pgTarget.skip}`);
afterAll(async () => {
  if (pgAvailable) await (pgTarget as TempPg).drop();
});

const backends = [
  { name: 'PGlite', available: true, opts: () => ({ dataDir: 'memory://' }) },
  { name: 'PostgreSQL', available: pgAvailable, opts: () => ({ databaseUrl: (pgTarget as TempPg).url }) },
];

/** Profiles by visitor id (tags as the store keeps them: lower-case). */
const PROFILES: Record<string, CustomerProfile> = {
  gold_hz: { attributes: { tier: 'gold', city: 'Hangzhou', points: '12850' }, tags: ['bought:earrings', 'vip'] },
  silver_sh: { attributes: { tier: 'silver', city: 'Shanghai', points: '900' }, tags: ['bought:rings'] },
  padded: { attributes: { tier: 'Gold', points: ' 12 ' }, tags: ['bought:earrings'] },
  fullwidth_space: { attributes: { points: '\u300050\u3000' }, tags: [] },
  text_points: { attributes: { tier: 'gold', points: 'lots' }, tags: ['vip'] },
  decimal: { attributes: { points: '-3.5', tier: '' }, tags: [] },
  bad_numbers: { attributes: { points: '1e3' }, tags: ['x'] },
  plus_number: { attributes: { points: '+7' }, tags: [] },
  dot_number: { attributes: { points: '5.' }, tags: [] },
  empty: { attributes: {}, tags: [] },
  big: { attributes: { points: '9'.repeat(200) }, tags: ['bought:necklaces'] },
  quote: { attributes: { city: "O'Neil \\ %_" }, tags: ['a.b-c_d:e'] },
  // eq / in compile to JSON containment: values JSON would escape, and unicode (NFC vs NFD differ).
  json_chars: { attributes: { city: '杭州', name: 'Zo\u00eb "😀" \\ \n\t/ \u2028', tier: 'gold ' }, tags: [] },
  nfd: { attributes: { city: 'Hangzhou', name: 'Zoe\u0308 "😀" \\ \n\t/ \u2028', tier: 'GOLD' }, tags: [] },
};

const RULES: [string, SegmentRule][] = [
  ['eq gold', { match: 'all', conditions: [{ attribute: 'tier', op: 'eq', value: 'gold' }] }],
  ['eq empty string', { match: 'all', conditions: [{ attribute: 'tier', op: 'eq', value: '' }] }],
  ['neq gold (missing never matches)', { match: 'all', conditions: [{ attribute: 'tier', op: 'neq', value: 'gold' }] }],
  ['in cities', { match: 'all', conditions: [{ attribute: 'city', op: 'in', values: ['Hangzhou', "O'Neil \\ %_"] }] }],
  ['eq with a quote, backslash, percent and underscore', { match: 'all', conditions: [{ attribute: 'city', op: 'eq', value: "O'Neil \\ %_" }] }],
  ['eq with double quotes, emoji, escapes (NFC only)', { match: 'all', conditions: [{ attribute: 'name', op: 'eq', value: 'Zo\u00eb "😀" \\ \n\t/ \u2028' }] }],
  ['eq NFD spelling', { match: 'all', conditions: [{ attribute: 'name', op: 'eq', value: 'Zoe\u0308 "😀" \\ \n\t/ \u2028' }] }],
  ['eq a value another attribute has', { match: 'all', conditions: [{ attribute: 'city', op: 'eq', value: 'gold' }] }],
  ['eq a number-like value', { match: 'all', conditions: [{ attribute: 'points', op: 'eq', value: '900' }] }],
  ['in unicode and duplicates', { match: 'any', conditions: [{ attribute: 'city', op: 'in', values: ['杭州', '杭州', 'Shanghai', '{"city":"x"}'] }] }],
  ['gte 12', { match: 'all', conditions: [{ attribute: 'points', op: 'gte', value: 12 }] }],
  ['lte 12', { match: 'all', conditions: [{ attribute: 'points', op: 'lte', value: 12 }] }],
  ['gte -3.5', { match: 'all', conditions: [{ attribute: 'points', op: 'gte', value: -3.5 }] }],
  ['lte -4', { match: 'all', conditions: [{ attribute: 'points', op: 'lte', value: -4 }] }],
  ['gte 1e199', { match: 'all', conditions: [{ attribute: 'points', op: 'gte', value: 1e199 }] }],
  ['gte on a text attribute', { match: 'all', conditions: [{ attribute: 'tier', op: 'gte', value: 0 }] }],
  ['exists points', { match: 'all', conditions: [{ attribute: 'points', op: 'exists' }] }],
  ['missing tier', { match: 'all', conditions: [{ attribute: 'tier', op: 'missing' }] }],
  ['has tag (upper-case rule)', { match: 'all', conditions: [{ tag: 'Bought:Earrings', op: 'has' }] }],
  ['lacks vip', { match: 'all', conditions: [{ tag: 'VIP', op: 'lacks' }] }],
  ['has odd tag', { match: 'all', conditions: [{ tag: 'a.b-c_d:e', op: 'has' }] }],
  [
    'all: gold and earrings',
    {
      match: 'all',
      conditions: [
        { attribute: 'tier', op: 'eq', value: 'gold' },
        { tag: 'bought:earrings', op: 'has' },
      ],
    },
  ],
  [
    'any: silver or points >= 10000 or missing city',
    {
      match: 'any',
      conditions: [
        { attribute: 'tier', op: 'eq', value: 'silver' },
        { attribute: 'points', op: 'gte', value: 10000 },
        { attribute: 'city', op: 'missing' },
      ],
    },
  ],
  [
    'any: neq and lte over missing values',
    {
      match: 'any',
      conditions: [
        { attribute: 'nothing', op: 'neq', value: 'x' },
        { attribute: 'nothing', op: 'lte', value: 100 },
      ],
    },
  ],
  [
    'all: exists and lacks',
    {
      match: 'all',
      conditions: [
        { attribute: 'points', op: 'exists' },
        { tag: 'vip', op: 'lacks' },
        { attribute: 'points', op: 'lte', value: 1000 },
      ],
    },
  ],
];

/** The ids `rule` selects by the reference matcher. */
function reference(rule: SegmentRule): string[] {
  return Object.entries(PROFILES)
    .filter(([, p]) => matchesSegment(p, rule))
    .map(([id]) => id)
    .sort();
}

for (const backend of backends) {
  describe.skipIf(!backend.available)(`segment SQL on ${backend.name}`, () => {
    let db: Db;
    beforeAll(async () => {
      db = await openDb(backend.opts());
      await db.query(`INSERT INTO shops (id, name) VALUES ('seg', 'Segment shop')`);
      for (const [id, p] of Object.entries(PROFILES)) {
        await db.query(`INSERT INTO visitors (id, shop, token_hash, attributes, tags) VALUES ($1, 'seg', $2, $3::jsonb, $4::text[])`, [
          id,
          `hash-${id}`,
          JSON.stringify(p.attributes),
          p.tags.map((t) => t.toLowerCase()),
        ]);
      }
    });
    afterAll(async () => {
      await db?.close();
    });

    it.each(RULES)('%s: the SQL selects exactly the reference audience', async (_name, rule) => {
      const params: unknown[] = ['seg'];
      const where = segmentSql(rule, params);
      const rows = await db.query<{ id: string }>(`SELECT v.id FROM visitors v WHERE v.shop = $1 AND ${where} ORDER BY v.id`, params);
      expect(rows.map((r) => r.id).sort()).toEqual(reference(rule));
    });

    it('the table is not trivial: rules select different, non-empty, non-total audiences', () => {
      const sizes = RULES.map(([, rule]) => reference(rule).length);
      expect(new Set(RULES.map(([, r]) => reference(r).join(','))).size).toBeGreaterThan(10);
      expect(sizes.some((n) => n === 0 || n === Object.keys(PROFILES).length)).toBe(true);
      expect(sizes.filter((n) => n > 0 && n < Object.keys(PROFILES).length).length).toBeGreaterThan(12);
    });
  });
}
