/**
 * The coupon form's model: what staff type <-> `CouponInput` (minor units, ISO expiry), validated
 * with the protocol's `couponInputSchema`. The expiry date is the end of that day in the browser's
 * time zone.
 */
import { couponInputSchema, type Coupon, type CouponInput } from '../../../src/index.js';
import { check, type FieldErrors } from './form-errors.js';
import { fromMinor, toMinor } from './money.js';
import { FORM_LOCALES, type LocalizedDraft } from './product-form.js';

export interface CouponDraft {
  id: string;
  code: string;
  title: LocalizedDraft;
  conditions: LocalizedDraft;
  valueType: 'amount' | 'percent';
  amount: string;
  percent: string;
  currency: string;
  minSpend: string;
  /** `YYYY-MM-DD`, or empty for no expiry. */
  expiresOn: string;
  maxClaims: string;
  active: boolean;
}

export function emptyCouponDraft(): CouponDraft {
  return {
    id: '',
    code: '',
    title: { 'zh-CN': '', en: '' },
    conditions: { 'zh-CN': '', en: '' },
    valueType: 'amount',
    amount: '',
    percent: '',
    currency: 'CNY',
    minSpend: '',
    expiresOn: '',
    maxClaims: '',
    active: true,
  };
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

export function couponDraft(c: Coupon): CouponDraft {
  const currency = c.value.type === 'amount' ? c.value.amount.currency : c.minSpend?.currency ?? 'CNY';
  const expires = c.expiresAt ? new Date(c.expiresAt) : null;
  return {
    id: c.id,
    code: c.code,
    title: { 'zh-CN': c.title['zh-CN'] ?? '', en: c.title.en ?? '' },
    conditions: { 'zh-CN': c.conditions['zh-CN'] ?? '', en: c.conditions.en ?? '' },
    valueType: c.value.type,
    amount: c.value.type === 'amount' ? fromMinor(c.value.amount.amount, currency) : '',
    percent: c.value.type === 'percent' ? String(c.value.percent) : '',
    currency,
    minSpend: c.minSpend ? fromMinor(c.minSpend.amount, c.minSpend.currency) : '',
    expiresOn: expires && !Number.isNaN(expires.getTime()) ? `${expires.getFullYear()}-${pad(expires.getMonth() + 1)}-${pad(expires.getDate())}` : '',
    maxClaims: c.maxClaims === null ? '' : String(c.maxClaims),
    active: c.active,
  };
}

export type CouponProblem = 'console.form.required' | 'console.form.amountFormat' | 'console.form.wholeNumber' | 'console.form.dateFormat';

export type CouponCheck = { ok: true; value: CouponInput } | { ok: false; errors: FieldErrors; problems: Record<string, CouponProblem> };

export function checkCouponDraft(draft: CouponDraft): CouponCheck {
  const problems: Record<string, CouponProblem> = {};
  const currency = draft.currency.trim().toUpperCase();
  const localizedOf = (d: LocalizedDraft) => {
    const out: Record<string, string> = {};
    for (const l of FORM_LOCALES) if (d[l].trim()) out[l] = d[l].trim();
    return out;
  };
  let value: unknown;
  if (draft.valueType === 'amount') {
    const amount = toMinor(draft.amount, currency);
    if (amount === null) problems['value.amount'] = 'console.form.required';
    else if (Number.isNaN(amount)) problems['value.amount'] = 'console.form.amountFormat';
    value = { type: 'amount', amount: { amount: amount ?? Number.NaN, currency } };
  } else {
    const text = draft.percent.trim();
    if (!text) problems['value.percent'] = 'console.form.required';
    else if (!/^\d+$/.test(text)) problems['value.percent'] = 'console.form.wholeNumber';
    value = { type: 'percent', percent: Number(text) };
  }
  const minSpend = toMinor(draft.minSpend, currency);
  if (minSpend !== null && Number.isNaN(minSpend)) problems.minSpend = 'console.form.amountFormat';
  let expiresAt: string | null = null;
  if (draft.expiresOn.trim()) {
    const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(draft.expiresOn.trim());
    const end = m ? new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]), 23, 59, 59) : null;
    if (!end || Number.isNaN(end.getTime())) problems.expiresAt = 'console.form.dateFormat';
    else expiresAt = end.toISOString();
  }
  const maxText = draft.maxClaims.trim();
  if (maxText && !/^\d+$/.test(maxText)) problems.maxClaims = 'console.form.wholeNumber';
  const input = {
    id: draft.id.trim(),
    code: draft.code.trim(),
    title: localizedOf(draft.title),
    conditions: localizedOf(draft.conditions),
    value,
    minSpend: minSpend === null ? null : { amount: minSpend, currency },
    expiresAt,
    maxClaims: maxText ? Number(maxText) : null,
    active: draft.active,
  };
  const result = check(couponInputSchema, input);
  if (result.ok && Object.keys(problems).length === 0) return { ok: true, value: result.value };
  return { ok: false, errors: result.ok ? {} : result.errors, problems };
}
