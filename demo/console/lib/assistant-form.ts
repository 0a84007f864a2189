/**
 * The assistant settings form and the FAQ entry form: drafts as typed <-> the REST inputs,
 * validated with the protocol's own schemas (`assistant-schemas.ts`, the server runs the same).
 * Errors are plain messages by field path: the schema's, or the console's own (localized).
 */
import { assistantSettingsInputSchema, faqInputSchema, llmSettingsSchema } from '../../../src/protocol/assistant-schemas.js';
import { LIMITS, type AssistantSettings, type AssistantSettingsInput, type FaqEntry, type FaqInput, type Translator } from '../../../src/index.js';
import * as v from 'valibot';
import { at } from './assistant-strings.js';
import { check, type FieldErrors } from './form-errors.js';

export type Checked<T> = { ok: true; value: T } | { ok: false; errors: FieldErrors };

// ---- settings ---------------------------------------------------------------------------------

/** What to do with the stored API key on save. */
export type ApiKeyAction = 'keep' | 'replace' | 'remove';

export interface AssistantDraft {
  enabled: boolean;
  provider: 'embedded' | 'llm';
  baseUrl: string;
  model: string;
  timeoutMs: string;
  apiKeyAction: ApiKeyAction;
  /** Only with `replace`; never filled from the server (the key is never returned). */
  apiKey: string;
}

export const DEFAULT_TIMEOUT_MS = 15000;

export function assistantDraft(s: AssistantSettings): AssistantDraft {
  return {
    enabled: s.enabled,
    provider: s.provider,
    baseUrl: s.llm?.baseUrl ?? '',
    model: s.llm?.model ?? '',
    timeoutMs: String(s.llm?.timeoutMs ?? DEFAULT_TIMEOUT_MS),
    apiKeyAction: 'keep',
    apiKey: '',
  };
}

/**
 * The `PUT /api/settings/assistant` body. The endpoint fields are checked only when the provider is
 * `llm`; with `embedded` they are kept when valid (so switching back is one click) and dropped otherwise.
 */
export function checkAssistantDraft(draft: AssistantDraft, tr: Pick<Translator, 'locale'>): Checked<AssistantSettingsInput> {
  const own: FieldErrors = {};
  const timeout = draft.timeoutMs.trim();
  if (!/^\d+$/.test(timeout)) own['llm.timeoutMs'] = at(tr, 'settings.wholeNumber');
  const llm = { baseUrl: draft.baseUrl.trim(), model: draft.model.trim(), timeoutMs: Number(timeout) };
  const input: AssistantSettingsInput = { enabled: draft.enabled, provider: draft.provider };
  if (draft.provider === 'llm') input.llm = llm;
  else if (v.safeParse(llmSettingsSchema, llm).success) input.llm = llm;
  if (draft.apiKeyAction === 'remove') input.apiKey = null;
  else if (draft.apiKeyAction === 'replace') {
    const key = draft.apiKey.trim();
    if (!key) own.apiKey = at(tr, 'settings.apiKeyEmpty');
    input.apiKey = key;
  }
  if (draft.provider !== 'llm') delete own['llm.timeoutMs'];
  const result = check(assistantSettingsInputSchema, input);
  if (result.ok && Object.keys(own).length === 0) return { ok: true, value: result.value };
  return { ok: false, errors: { ...(result.ok ? {} : result.errors), ...own } };
}

// ---- FAQ ----------------------------------------------------------------------------------------

/** The two locales staff write side by side. */
export const FAQ_LOCALES = ['zh-CN', 'en'] as const;
export type FaqLocale = (typeof FAQ_LOCALES)[number];

export interface FaqDraft {
  question: Record<FaqLocale, string>;
  answer: Record<FaqLocale, string>;
  keywords: string[];
  /** The keyword being typed (added on Enter). */
  keyword: string;
  /** Texts of other locales the entry has (kept as they are). */
  otherQuestion: Record<string, string>;
  otherAnswer: Record<string, string>;
}

export function emptyFaqDraft(): FaqDraft {
  return { question: { 'zh-CN': '', en: '' }, answer: { 'zh-CN': '', en: '' }, keywords: [], keyword: '', otherQuestion: {}, otherAnswer: {} };
}

export function faqDraft(e: FaqEntry): FaqDraft {
  const pick = (t: Record<string, string>) => ({ 'zh-CN': t['zh-CN'] ?? '', en: t.en ?? '' });
  const rest = (t: Record<string, string>) => Object.fromEntries(Object.entries(t).filter(([k]) => k !== 'zh-CN' && k !== 'en'));
  return { question: pick(e.question), answer: pick(e.answer), keywords: [...e.keywords], keyword: '', otherQuestion: rest(e.question), otherAnswer: rest(e.answer) };
}

/** Adds the typed keyword: `null` when added (or empty), otherwise why not. */
export function addKeyword(draft: FaqDraft, tr: Pick<Translator, 'locale'>): { draft: FaqDraft; error: string | null } {
  const k = draft.keyword.trim();
  if (!k) return { draft, error: null };
  if (draft.keywords.some((x) => x.toLowerCase() === k.toLowerCase())) return { draft, error: at(tr, 'faq.keywordDuplicate') };
  if (draft.keywords.length >= LIMITS.faqKeywordsMax) return { draft, error: at(tr, 'faq.keywordsFull', { max: LIMITS.faqKeywordsMax }) };
  if (k.length > LIMITS.faqKeywordMaxLength) return { draft, error: at(tr, 'faq.keywordTooLong', { max: LIMITS.faqKeywordMaxLength }) };
  return { draft: { ...draft, keywords: [...draft.keywords, k], keyword: '' }, error: null };
}

/** The `POST/PUT /api/faq` body: empty locales are left out; a keyword still in the box counts. */
export function checkFaqDraft(draft: FaqDraft, tr: Pick<Translator, 'locale'>): Checked<FaqInput> {
  const texts = (t: Record<FaqLocale, string>, other: Record<string, string>) => {
    const out: Record<string, string> = { ...other };
    for (const l of FAQ_LOCALES) if (t[l].trim()) out[l] = t[l].trim();
    return out;
  };
  const pending = draft.keyword.trim();
  const keywords = pending && !draft.keywords.includes(pending) ? [...draft.keywords, pending] : draft.keywords;
  const input: FaqInput = { question: texts(draft.question, draft.otherQuestion), answer: texts(draft.answer, draft.otherAnswer), keywords };
  const result = check(faqInputSchema, input);
  if (result.ok) return { ok: true, value: result.value };
  const errors = { ...result.errors };
  // "must have 1 to 10 locales" for an empty record: say which fields to fill.
  for (const field of ['question', 'answer'] as const) {
    if (Object.keys(input[field]).length === 0) {
      delete errors[field];
      errors[`${field}.zh-CN`] = at(tr, 'faq.needOneLanguage');
    }
  }
  return { ok: false, errors };
}
