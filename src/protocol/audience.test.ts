import { describe, expect, it } from 'vitest';
import { customerProfileSchema, matchesSegment, numericValue, segmentRuleSchema, type CustomerProfile, type SegmentRule } from './audience.js';
import { validate } from './schemas.js';

const lin: CustomerProfile = { attributes: { tier: 'gold', city: 'Hangzhou', points: '12850' }, tags: ['bought:earrings', 'vip-2026'] };
const wang: CustomerProfile = { attributes: { tier: 'silver', points: 'n/a' }, tags: ['bought:rings'] };
const anon: CustomerProfile = { attributes: {}, tags: [] };

describe('segment rules', () => {
  const cases: [string, SegmentRule, boolean[]][] = [
    ['gold AND bought earrings', { match: 'all', conditions: [{ attribute: 'tier', op: 'eq', value: 'gold' }, { tag: 'bought:earrings', op: 'has' }] }, [true, false, false]],
    ['gold OR bought rings', { match: 'any', conditions: [{ attribute: 'tier', op: 'eq', value: 'gold' }, { tag: 'Bought:Rings', op: 'has' }] }, [true, true, false]],
    ['tier != gold (unknown tier is not included)', { match: 'all', conditions: [{ attribute: 'tier', op: 'neq', value: 'gold' }] }, [false, true, false]],
    ['city in list', { match: 'all', conditions: [{ attribute: 'city', op: 'in', values: ['Hangzhou', 'Suzhou'] }] }, [true, false, false]],
    ['points >= 10000 (non-numeric never matches)', { match: 'all', conditions: [{ attribute: 'points', op: 'gte', value: 10000 }] }, [true, false, false]],
    ['points <= 100', { match: 'all', conditions: [{ attribute: 'points', op: 'lte', value: 100 }] }, [false, false, false]],
    ['no city', { match: 'all', conditions: [{ attribute: 'city', op: 'missing' }] }, [false, true, true]],
    ['has a tier', { match: 'all', conditions: [{ attribute: 'tier', op: 'exists' }] }, [true, true, false]],
    ['never bought earrings', { match: 'all', conditions: [{ tag: 'bought:earrings', op: 'lacks' }] }, [false, true, true]],
  ];
  it.each(cases)('%s', (_name, rule, expected) => {
    expect(validate(segmentRuleSchema, rule).ok).toBe(true);
    expect([lin, wang, anon].map((p) => matchesSegment(p, rule))).toEqual(expected);
  });

  it('refuses malformed rules with the field named', () => {
    const empty = validate(segmentRuleSchema, { match: 'all', conditions: [] });
    expect(empty.ok || empty.error.message).toMatch(/^conditions: must have at least one condition/);
    expect(validate(segmentRuleSchema, { match: 'all', conditions: [{ attribute: 'Tier', op: 'eq', value: 'gold' }] }).ok).toBe(false);
    expect(validate(segmentRuleSchema, { match: 'all', conditions: [{ attribute: 'points', op: 'gte', value: '10' }] }).ok).toBe(false);
    expect(validate(segmentRuleSchema, { match: 'most', conditions: [{ tag: 'x', op: 'has' }] }).ok).toBe(false);
  });

  it('normalises profiles: tags lower-cased and unique, defaults filled', () => {
    const r = validate(customerProfileSchema, { tags: ['Bought:Earrings', 'bought:earrings'] });
    expect(r.ok && r.value).toEqual({ attributes: {}, tags: ['bought:earrings'] });
    expect(validate(customerProfileSchema, { attributes: { 'bad name': 'x' } }).ok).toBe(false);
  });

  it('reads decimal numbers only', () => {
    expect([numericValue('12850'), numericValue(' -3.5 '), numericValue('1e3'), numericValue(''), numericValue(undefined)]).toEqual([12850, -3.5, null, null, null]);
  });
});
