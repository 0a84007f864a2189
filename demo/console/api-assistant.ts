/**
 * REST calls of the assistant pages (agent bearer token, errors are {@link ApiError}s):
 * settings (`/api/settings/assistant`), the FAQ (`/api/faq`), the hand-off queue
 * (`/api/assistant/handoffs`) and the "Try it" box (`POST /api/assistant/try`).
 * Answers are checked for their shape before the views use them.
 */
import type { AssistantMessageMeta, AssistantSettings, AssistantSettingsInput, FaqEntry, FaqInput, Handoff, HandoffQueueItem, HandoffReason, ProductSnapshot } from '../../src/index.js';
import { HANDOFF_REASONS } from '../../src/index.js';
import { API, ApiError, call } from './api.js';

function bad(what: string): ApiError {
  return new ApiError('internal', `Unexpected ${what} in the server response`, 200);
}

function obj(data: unknown, what: string): Record<string, unknown> {
  if (!data || typeof data !== 'object' || Array.isArray(data)) throw bad(what);
  return data as Record<string, unknown>;
}

const seg = (id: string): string => encodeURIComponent(id);

function texts(raw: unknown, what: string): Record<string, string> {
  const o = obj(raw, what);
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(o)) if (typeof v === 'string') out[k] = v;
  return out;
}

function toFaq(raw: unknown): FaqEntry {
  const o = obj(raw, 'FAQ entry');
  if (typeof o.id !== 'string') throw bad('FAQ entry');
  return {
    id: o.id,
    question: texts(o.question, 'FAQ question'),
    answer: texts(o.answer, 'FAQ answer'),
    keywords: Array.isArray(o.keywords) ? o.keywords.filter((k): k is string => typeof k === 'string') : [],
    updatedAt: typeof o.updatedAt === 'string' ? o.updatedAt : '',
  };
}

function toSettings(raw: unknown): AssistantSettings {
  const o = obj(raw, 'assistant settings');
  const llmRaw = o.llm && typeof o.llm === 'object' ? (o.llm as Record<string, unknown>) : null;
  return {
    enabled: o.enabled === true,
    provider: o.provider === 'llm' ? 'llm' : 'embedded',
    llm:
      llmRaw && typeof llmRaw.baseUrl === 'string'
        ? { baseUrl: llmRaw.baseUrl, model: typeof llmRaw.model === 'string' ? llmRaw.model : '', timeoutMs: typeof llmRaw.timeoutMs === 'number' ? llmRaw.timeoutMs : 15000 }
        : null,
    hasApiKey: o.hasApiKey === true,
  };
}

function isReason(r: unknown): r is HandoffReason {
  return typeof r === 'string' && (HANDOFF_REASONS as readonly string[]).includes(r);
}

function toHandoff(raw: unknown): Handoff | null {
  if (!raw || typeof raw !== 'object') return null;
  const o = raw as Record<string, unknown>;
  return typeof o.at === 'string' && isReason(o.reason) ? { at: o.at, reason: o.reason } : null;
}

function toQueueItem(raw: unknown): HandoffQueueItem | null {
  if (!raw || typeof raw !== 'object') return null;
  const o = raw as Record<string, unknown>;
  const handoff = toHandoff(o.handoff);
  if (typeof o.conversationId !== 'string' || !handoff) return null;
  return {
    conversationId: o.conversationId,
    visitorId: typeof o.visitorId === 'string' ? o.visitorId : '',
    visitorName: typeof o.visitorName === 'string' ? o.visitorName : null,
    handoff,
    lastCustomerText: typeof o.lastCustomerText === 'string' ? o.lastCustomerText : null,
  };
}

export async function getAssistantSettings(token: string): Promise<AssistantSettings> {
  return toSettings(await call(`${API}/settings/assistant`, { method: 'GET', token }));
}

/** Saves the settings (`apiKey` absent keeps the stored key, `null` removes it); resolves with what the server stored. */
export async function putAssistantSettings(token: string, input: AssistantSettingsInput): Promise<AssistantSettings> {
  const data = await call(`${API}/settings/assistant`, { method: 'PUT', token, body: input });
  // The server may answer the settings themselves or `{ settings }`.
  const o = obj(data, 'assistant settings');
  return toSettings(o.settings && typeof o.settings === 'object' ? o.settings : o);
}

export async function listFaq(token: string): Promise<FaqEntry[]> {
  const data = obj(await call(`${API}/faq`, { method: 'GET', token }), 'FAQ list');
  if (!Array.isArray(data.items)) throw bad('FAQ list');
  return data.items.map(toFaq);
}

export async function createFaq(token: string, input: FaqInput): Promise<FaqEntry> {
  return toFaq(obj(await call(`${API}/faq`, { method: 'POST', token, body: input }), 'FAQ entry').entry);
}

export async function updateFaq(token: string, id: string, input: FaqInput): Promise<FaqEntry> {
  return toFaq(obj(await call(`${API}/faq/${seg(id)}`, { method: 'PUT', token, body: input }), 'FAQ entry').entry);
}

export async function deleteFaq(token: string, id: string): Promise<void> {
  await call(`${API}/faq/${seg(id)}`, { method: 'DELETE', token });
}

/** Pending hand-offs not taken over, oldest first. */
export async function listHandoffs(token: string): Promise<HandoffQueueItem[]> {
  const data = obj(await call(`${API}/assistant/handoffs`, { method: 'GET', token }), 'hand-off list');
  if (!Array.isArray(data.items)) throw bad('hand-off list');
  return data.items.map(toQueueItem).filter((i): i is HandoffQueueItem => i !== null);
}

/** What the shop's assistant would answer (nothing is stored). */
export interface TryReply {
  text: string;
  products: ProductSnapshot[];
  ai: AssistantMessageMeta | null;
  handoff: HandoffReason | null;
}

export async function tryAssistant(token: string, question: string, locale?: string): Promise<TryReply> {
  const data = obj(await call(`${API}/assistant/try`, { method: 'POST', token, body: locale ? { question, locale } : { question } }), 'assistant reply');
  const r = obj(data.reply, 'assistant reply');
  const ai = r.ai && typeof r.ai === 'object' ? (r.ai as AssistantMessageMeta) : null;
  // `handoff` may be a reason, `{ reason }`, or `true` with the reason elsewhere.
  const h = r.handoff;
  const handoff = isReason(h) ? h : h && typeof h === 'object' && isReason((h as { reason?: unknown }).reason) ? (h as { reason: HandoffReason }).reason : null;
  return {
    text: typeof r.text === 'string' ? r.text : '',
    products: Array.isArray(r.products) ? (r.products as ProductSnapshot[]).filter((p) => p && typeof p === 'object' && typeof p.id === 'string') : [],
    ai,
    handoff,
  };
}
