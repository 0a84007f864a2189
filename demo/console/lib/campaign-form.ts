/**
 * The campaign form's model: what staff type <-> `CampaignInput`, validated with the protocol's
 * `campaignInputSchema` (templates checked with `checkTemplate`, errors keyed by field path).
 */
import type { Campaign, CampaignKind } from '../../../src/index.js';
import { campaignInputSchema, checkTemplate, type CampaignInput, type TemplateIssue } from './broadcast-core.js';
import { check, type FieldErrors } from './form-errors.js';
import { FORM_LOCALES, type LocalizedDraft } from './product-form.js';

export interface CampaignDraft {
  kind: CampaignKind;
  name: string;
  title: LocalizedDraft;
  body: LocalizedDraft;
  image: string;
  productIds: string[];
  /** `''`: none. */
  couponId: string;
  ctaLabel: LocalizedDraft;
  ctaUrl: string;
  /** `''`: every customer. */
  segmentId: string;
}

const emptyLocalized = (): LocalizedDraft => ({ 'zh-CN': '', en: '' });
const draftOf = (text: Record<string, string> | undefined): LocalizedDraft => ({ 'zh-CN': text?.['zh-CN'] ?? '', en: text?.en ?? '' });

export function emptyCampaignDraft(): CampaignDraft {
  return {
    kind: 'new-arrival',
    name: '',
    title: { 'zh-CN': '{{name|朋友}}，新品到店', en: 'Hi {{name|there}}, new arrivals are in' },
    body: emptyLocalized(),
    image: '',
    productIds: [],
    couponId: '',
    ctaLabel: emptyLocalized(),
    ctaUrl: '',
    segmentId: '',
  };
}

export function campaignDraft(c: Campaign): CampaignDraft {
  return {
    kind: c.kind,
    name: c.name,
    title: draftOf(c.title),
    body: draftOf(c.body),
    image: c.image ?? '',
    productIds: [...c.productIds],
    couponId: c.couponId ?? '',
    ctaLabel: draftOf(c.cta?.label),
    ctaUrl: c.cta?.url ?? '',
    segmentId: c.segmentId ?? '',
  };
}

function localizedOf(d: LocalizedDraft): Record<string, string> {
  const out: Record<string, string> = {};
  for (const l of FORM_LOCALES) if (d[l].trim()) out[l] = d[l].trim();
  return out;
}

/** Template problems of one field, first one only (shown live under it). */
export function templateIssue(text: string): TemplateIssue | null {
  return checkTemplate(text)[0] ?? null;
}

export type CampaignProblem = 'console.form.required' | 'console.broadcasts.ctaLabelRequired';

export type CampaignCheck = { ok: true; value: CampaignInput } | { ok: false; errors: FieldErrors; problems: Record<string, CampaignProblem> };

export function checkCampaignDraft(draft: CampaignDraft): CampaignCheck {
  const problems: Record<string, CampaignProblem> = {};
  const label = localizedOf(draft.ctaLabel);
  const url = draft.ctaUrl.trim();
  if (url && Object.keys(label).length === 0) problems['cta.label'] = 'console.broadcasts.ctaLabelRequired';
  const body = localizedOf(draft.body);
  const input = {
    kind: draft.kind,
    name: draft.name,
    title: localizedOf(draft.title),
    // No body in any locale: empty texts (the schema refuses a record without locales, and also
    // validates its own `{}` default when the field is left out).
    body: Object.keys(body).length > 0 ? body : { 'zh-CN': '', en: '' },
    image: draft.image.trim() || null,
    productIds: draft.productIds,
    couponId: draft.couponId || null,
    cta: Object.keys(label).length > 0 ? { label, url: url || null } : null,
    segmentId: draft.segmentId || null,
  };
  const errors: FieldErrors = {};
  // Template problems by locale, so each shows under its own field.
  for (const field of ['title', 'body'] as const) {
    for (const l of FORM_LOCALES) {
      const issue = templateIssue(draft[field][l]);
      if (issue) errors[`${field}.${l}`] = issue.message;
    }
  }
  const result = check(campaignInputSchema, input);
  if (result.ok && Object.keys(problems).length === 0 && Object.keys(errors).length === 0) return { ok: true, value: result.value };
  return { ok: false, errors: { ...(result.ok ? {} : result.errors), ...errors }, problems };
}
