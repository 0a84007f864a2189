/**
 * Segment rules (src/protocol/audience.ts) compiled to SQL over the `visitors` table, so an
 * audience is counted and stored in the database instead of loading every customer. The semantics
 * are those of `matchesSegment` (the reference): segment-sql.test.ts runs one table of cases
 * through both, on PGlite and PostgreSQL.
 *
 * - `eq` / `in`: exact text comparison; a missing attribute never matches. Compiled to containment
 *   (`attributes @> {"name": "value"}`, an OR of those for `in`) so the GIN index on
 *   `visitors.attributes` serves them; attributes are strings (customerProfileSchema), so this is
 *   the same as comparing `attributes ->> name`.
 * - `neq`: only customers that have the attribute and a different value.
 * - `gte` / `lte`: only values that are decimal numbers (`/^-?\d+(\.\d+)?$/` after trimming the
 *   whitespace JavaScript's `trim()` removes), compared as doubles like `Number()`; a CASE guards
 *   the cast, so a non-numeric value never raises a cast error.
 * - `exists` / `missing`: the attribute is / is not set.
 * - `has` / `lacks`: tags are stored lower-case; the rule's tag is lower-cased.
 */
import type { SegmentCondition, SegmentRule } from '../../src/protocol/audience.js';

/** The characters `String.prototype.trim()` removes (WhiteSpace and LineTerminator of ECMAScript). */
const JS_TRIM = '\t\n\u000b\f\r \u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000\ufeff';

/** A decimal number with optional JS whitespace around it; group 1 is the number. */
export const NUMERIC_PATTERN = `^[${JS_TRIM}]*(-?[0-9]+(\\.[0-9]+)?)[${JS_TRIM}]*$`;

/**
 * Compiles `rule` to a boolean SQL expression over the visitor alias `alias` (default `v`).
 * Values are appended to `params` and referenced as `$n`, so the fragment can be placed in a
 * statement whose own parameters come first.
 */
export function segmentSql(rule: SegmentRule, params: unknown[], alias = 'v'): string {
  const add = (value: unknown): string => {
    params.push(value);
    return `$${params.length}`;
  };
  const parts = rule.conditions.map((c) => `(${conditionSql(c, add, alias)})`);
  if (parts.length === 0) return rule.match === 'all' ? 'true' : 'false';
  return `(${parts.join(rule.match === 'all' ? ' AND ' : ' OR ')})`;
}

function conditionSql(c: SegmentCondition, add: (value: unknown) => string, v: string): string {
  if ('tag' in c) {
    const has = `${v}.tags @> ARRAY[${add(c.tag.toLowerCase())}::text]`;
    return c.op === 'has' ? has : `NOT (${has})`;
  }
  // eq / in: the attribute's name is part of the JSON object they compare with.
  if (c.op === 'eq') return contains(v, add, c.attribute, c.value);
  if (c.op === 'in') {
    // One containment per value: each is a GIN index condition (a BitmapOr of index scans).
    if (c.values.length === 0) return 'false';
    return [...new Set(c.values)].map((value) => contains(v, add, c.attribute, value)).join(' OR ');
  }
  const key = add(c.attribute);
  const attr = `(${v}.attributes ->> ${key}::text)`;
  switch (c.op) {
    case 'neq':
      return `coalesce(${attr} <> ${add(c.value)}::text, false)`;
    case 'gte':
    case 'lte': {
      const pattern = add(NUMERIC_PATTERN);
      // Values are at most 200 characters (AUDIENCE_LIMITS): the length guard keeps an oversized
      // value written outside the API from overflowing double precision.
      return `CASE WHEN ${attr} ~ ${pattern}::text AND length(${attr}) <= 300
        THEN substring(${attr} FROM ${pattern}::text)::float8 ${c.op === 'gte' ? '>=' : '<='} ${add(c.value)}::float8
        ELSE false END`;
    }
    case 'exists':
      return `${v}.attributes ? ${key}::text`;
    case 'missing':
      return `NOT (${v}.attributes ? ${key}::text)`;
  }
}

/** Lone UTF-16 surrogates: the text parameters sent them as U+FFFD (UTF-8), jsonb input refuses them. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/**
 * `attributes` holds `name` with exactly the text `value` (a string, not a number or other JSON):
 * `attributes @> $n::jsonb`. A constant (not an expression built in SQL) lets the planner estimate
 * the match from the column's statistics, so it picks the GIN index when the audience is small.
 */
function contains(v: string, add: (value: unknown) => string, name: string, value: string): string {
  const json = JSON.stringify({ [name.replace(LONE_SURROGATE, '\ufffd')]: value.replace(LONE_SURROGATE, '\ufffd') });
  return `${v}.attributes @> ${add(json)}::jsonb`;
}
