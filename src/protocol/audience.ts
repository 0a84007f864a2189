/**
 * Audiences of broadcasts (issue 5): customer attributes and tags, and segment rules over them.
 * A customer carries attributes (`tier=gold`, `city=Hangzhou`, `points=12850`) and tags
 * (`bought:earrings`), set by the shop's server or by staff; a segment is a saved rule. The
 * in-memory matcher here is the reference semantics: a server that evaluates rules elsewhere (SQL)
 * must agree with it (the tests run both on the same cases).
 */
import * as v from 'valibot';

/** What a customer carries for targeting. */
export interface CustomerProfile {
  /** Attribute name -> value (text; numeric comparisons parse it as a decimal number). */
  attributes: Record<string, string>;
  tags: string[];
}

/** One condition of a segment rule. */
export type SegmentCondition =
  | { attribute: string; op: 'eq' | 'neq'; value: string }
  | { attribute: string; op: 'in'; values: string[] }
  | { attribute: string; op: 'gte' | 'lte'; value: number }
  | { attribute: string; op: 'exists' | 'missing' }
  | { tag: string; op: 'has' | 'lacks' };

/** A segment rule: all conditions (AND) or any of them (OR). */
export interface SegmentRule {
  match: 'all' | 'any';
  conditions: SegmentCondition[];
}

/** Limits of audience data. */
export const AUDIENCE_LIMITS = {
  attributes: 50,
  attributeNameMaxLength: 40,
  attributeValueMaxLength: 200,
  tags: 100,
  tagMaxLength: 64,
  conditions: 10,
  inValues: 50,
} as const;

/** Attribute names: lower-case letters, digits and `_`, starting with a letter (`tier`, `last_order`). */
export const attributeNameSchema = v.pipe(
  v.string(),
  v.regex(/^[a-z][a-z0-9_]*$/, 'must be lower-case letters, digits or _, starting with a letter'),
  v.maxLength(AUDIENCE_LIMITS.attributeNameMaxLength),
);
/** Tags: letters, digits and `_ : . -` (`bought:earrings`, `vip-2026`), compared case-insensitively. */
export const tagSchema = v.pipe(
  v.string(),
  v.regex(/^[A-Za-z0-9][A-Za-z0-9_:.-]*$/, 'must be letters, digits, _ : . or -'),
  v.maxLength(AUDIENCE_LIMITS.tagMaxLength),
  v.toLowerCase(),
);
const attributeValue = v.pipe(v.string(), v.maxLength(AUDIENCE_LIMITS.attributeValueMaxLength));

/** A customer profile as the shop sets it (REST / signed identity). */
export const customerProfileSchema = v.object({
  attributes: v.optional(
    v.pipe(
      v.record(attributeNameSchema, attributeValue),
      v.check((r) => Object.keys(r).length <= AUDIENCE_LIMITS.attributes, `must have at most ${AUDIENCE_LIMITS.attributes} attributes`),
    ),
    {},
  ),
  tags: v.optional(
    v.pipe(
      v.array(tagSchema),
      v.maxLength(AUDIENCE_LIMITS.tags, `must have at most ${AUDIENCE_LIMITS.tags} tags`),
      v.transform((tags) => [...new Set(tags)]),
    ),
    [],
  ),
});

/** A segment rule. */
export const segmentRuleSchema = v.object({
  match: v.picklist(['all', 'any']),
  conditions: v.pipe(
    v.array(
      v.union([
        v.object({ attribute: attributeNameSchema, op: v.picklist(['eq', 'neq']), value: attributeValue }),
        v.object({
          attribute: attributeNameSchema,
          op: v.literal('in'),
          values: v.pipe(v.array(attributeValue), v.minLength(1), v.maxLength(AUDIENCE_LIMITS.inValues)),
        }),
        v.object({ attribute: attributeNameSchema, op: v.picklist(['gte', 'lte']), value: v.pipe(v.number(), v.finite()) }),
        v.object({ attribute: attributeNameSchema, op: v.picklist(['exists', 'missing']) }),
        v.object({ tag: tagSchema, op: v.picklist(['has', 'lacks']) }),
      ]),
    ),
    v.minLength(1, 'must have at least one condition'),
    v.maxLength(AUDIENCE_LIMITS.conditions, `must have at most ${AUDIENCE_LIMITS.conditions} conditions`),
  ),
});

/** A decimal number attribute value (`12850`, `-3.5`); `null` when the value is not one. */
export function numericValue(value: string | undefined): number | null {
  if (value === undefined || !/^-?\d+(\.\d+)?$/.test(value.trim())) return null;
  return Number(value.trim());
}

function matchesCondition(profile: CustomerProfile, c: SegmentCondition): boolean {
  if ('tag' in c) {
    const has = profile.tags.some((t) => t.toLowerCase() === c.tag.toLowerCase());
    return c.op === 'has' ? has : !has;
  }
  const value = Object.prototype.hasOwnProperty.call(profile.attributes, c.attribute) ? profile.attributes[c.attribute] : undefined;
  switch (c.op) {
    case 'eq':
      return value === c.value;
    case 'neq':
      // A customer without the attribute is not "tier != gold": only known values compare.
      return value !== undefined && value !== c.value;
    case 'in':
      return value !== undefined && c.values.includes(value);
    case 'gte':
    case 'lte': {
      const n = numericValue(value);
      return n !== null && (c.op === 'gte' ? n >= c.value : n <= c.value);
    }
    case 'exists':
      return value !== undefined;
    case 'missing':
      return value === undefined;
  }
}

/** True when `profile` belongs to the segment `rule` (reference semantics). */
export function matchesSegment(profile: CustomerProfile, rule: SegmentRule): boolean {
  return rule.match === 'all' ? rule.conditions.every((c) => matchesCondition(profile, c)) : rule.conditions.some((c) => matchesCondition(profile, c));
}

// Compile-time checks: schema outputs are the documented types.
type Assert<T extends true> = T;
export type _AudienceSchemaChecks = [
  Assert<v.InferOutput<typeof segmentRuleSchema> extends SegmentRule ? true : false>,
  Assert<v.InferOutput<typeof customerProfileSchema> extends CustomerProfile ? true : false>,
];
