/**
 * The segment editor's model: rows of conditions as staff type them <-> a `SegmentRule`, validated
 * with the protocol's `segmentInputSchema` (errors keyed `rule.conditions.<n>.<field>`).
 */
import type { Segment } from '../../../src/index.js';
import { attributeNameSchema, segmentInputSchema, segmentRuleSchema, tagSchema, type SegmentCondition, type SegmentRule } from './broadcast-core.js';
import { check, type FieldErrors } from './form-errors.js';

export type ConditionOp = 'eq' | 'neq' | 'in' | 'gte' | 'lte' | 'exists' | 'missing' | 'has' | 'lacks';
export const ATTRIBUTE_OPS: readonly ConditionOp[] = ['eq', 'neq', 'in', 'gte', 'lte', 'exists', 'missing'];
export const TAG_OPS: readonly ConditionOp[] = ['has', 'lacks'];

export interface ConditionDraft {
  key: string;
  subject: 'attribute' | 'tag';
  /** Attribute name or tag. */
  name: string;
  op: ConditionOp;
  /** One value; for `in` several separated by commas. */
  value: string;
}

export interface SegmentDraft {
  id: string | null;
  name: string;
  match: 'all' | 'any';
  conditions: ConditionDraft[];
}

let keys = 0;
const newKey = (): string => `c${++keys}`;

export function emptyCondition(subject: 'attribute' | 'tag' = 'tag'): ConditionDraft {
  return { key: newKey(), subject, name: '', op: subject === 'tag' ? 'has' : 'eq', value: '' };
}

export function emptySegmentDraft(): SegmentDraft {
  return { id: null, name: '', match: 'all', conditions: [emptyCondition('tag')] };
}

export function segmentDraft(s: Segment): SegmentDraft {
  return {
    id: s.id,
    name: s.name,
    match: s.rule.match,
    conditions: s.rule.conditions.map((c) => {
      if ('tag' in c) return { key: newKey(), subject: 'tag' as const, name: c.tag, op: c.op, value: '' };
      const value = 'values' in c ? c.values.join(', ') : 'value' in c ? String(c.value) : '';
      return { key: newKey(), subject: 'attribute' as const, name: c.attribute, op: c.op, value };
    }),
  };
}

/** Whether the operator takes a value (`exists`, `missing`, `has`, `lacks` do not). */
export function takesValue(op: ConditionOp): boolean {
  return op === 'eq' || op === 'neq' || op === 'in' || op === 'gte' || op === 'lte';
}

export type SegmentProblem = 'console.form.required' | 'console.broadcasts.numberFormat';

function conditionOf(c: ConditionDraft, i: number, problems: Record<string, SegmentProblem>): SegmentCondition {
  const name = c.name.trim();
  if (c.subject === 'tag') {
    if (!name) problems[`rule.conditions.${i}.tag`] = 'console.form.required';
    return { tag: name, op: c.op === 'lacks' ? 'lacks' : 'has' };
  }
  if (!name) problems[`rule.conditions.${i}.attribute`] = 'console.form.required';
  const value = c.value.trim();
  switch (c.op) {
    case 'in':
      return {
        attribute: name,
        op: 'in',
        values: c.value
          .split(/[,，]/)
          .map((s) => s.trim())
          .filter(Boolean),
      };
    case 'gte':
    case 'lte': {
      const n = /^-?\d+(\.\d+)?$/.test(value) ? Number(value) : Number.NaN;
      if (Number.isNaN(n)) problems[`rule.conditions.${i}.value`] = value ? 'console.broadcasts.numberFormat' : 'console.form.required';
      return { attribute: name, op: c.op, value: n };
    }
    case 'exists':
    case 'missing':
      return { attribute: name, op: c.op };
    default:
      return { attribute: name, op: c.op === 'neq' ? 'neq' : 'eq', value };
  }
}

/** The rule of the rows, or `null` while a row is incomplete (for the live audience size). */
export function ruleOf(draft: Pick<SegmentDraft, 'match' | 'conditions'>): SegmentRule | null {
  const problems: Record<string, SegmentProblem> = {};
  const rule = { match: draft.match, conditions: draft.conditions.map((c, i) => conditionOf(c, i, problems)) };
  if (Object.keys(problems).length > 0) return null;
  const result = check(segmentRuleSchema, rule);
  return result.ok ? result.value : null;
}

export type SegmentCheck = { ok: true; value: { name: string; rule: SegmentRule } } | { ok: false; errors: FieldErrors; problems: Record<string, SegmentProblem> };

export function checkSegmentDraft(draft: SegmentDraft): SegmentCheck {
  const problems: Record<string, SegmentProblem> = {};
  const input = { name: draft.name, rule: { match: draft.match, conditions: draft.conditions.map((c, i) => conditionOf(c, i, problems)) } };
  const result = check(segmentInputSchema, input);
  if (result.ok && Object.keys(problems).length === 0) return { ok: true, value: result.value };
  const errors: FieldErrors = result.ok ? {} : { ...result.errors };
  // A row the union of condition shapes refused says only "invalid": name the field instead.
  draft.conditions.forEach((c, i) => {
    const row = `rule.conditions.${i}`;
    const field = `${row}.${c.subject === 'tag' ? 'tag' : 'attribute'}`;
    const name = check(c.subject === 'tag' ? tagSchema : attributeNameSchema, c.name.trim());
    if (!name.ok && c.name.trim()) {
      errors[field] = Object.values(name.errors)[0];
      delete errors[row];
    }
  });
  return { ok: false, errors, problems };
}
