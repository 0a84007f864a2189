/**
 * Validation of assistant payloads (issue 6): socket requests (`assistant:set`, `assistant:stop`) and
 * the staff's REST inputs (FAQ entries, assistant settings). Shared by the server (which refuses bad
 * input with `invalid_payload`) and the console (which shows the same messages next to its fields).
 */
import * as v from 'valibot';
import { LIMITS } from './limits.js';
import { nonEmptyLocalizedText } from './schemas.js';
import type { AssistantSetRequest, AssistantSettingsInput, AssistantStopRequest, FaqInput } from './assistant.js';

const id = v.pipe(v.string(), v.minLength(1), v.maxLength(LIMITS.idMaxLength), v.regex(/^[A-Za-z0-9_-]+$/, 'must be letters, digits, _ or -'));

/** `assistant:set`. */
export const assistantSetSchema = v.object({
  conversationId: id,
  mode: v.picklist(['assistant', 'human']),
});

/** `assistant:stop`. */
export const assistantStopSchema = v.object({
  conversationId: id,
  messageId: id,
});

/** A FAQ entry as staff write it. */
export const faqInputSchema = v.object({
  question: nonEmptyLocalizedText(LIMITS.faqQuestionMaxLength),
  answer: nonEmptyLocalizedText(LIMITS.faqAnswerMaxLength),
  keywords: v.optional(
    v.pipe(
      v.array(v.pipe(v.string(), v.trim(), v.minLength(1, 'must not be empty'), v.maxLength(LIMITS.faqKeywordMaxLength))),
      v.maxLength(LIMITS.faqKeywordsMax),
    ),
  ),
});

/** An OpenAI-compatible endpoint: an http(s) base URL, a model and a timeout. */
export const llmSettingsSchema = v.object({
  baseUrl: v.pipe(
    v.string(),
    v.maxLength(LIMITS.urlMaxLength),
    v.check((s) => {
      try {
        const u = new URL(s);
        return (u.protocol === 'http:' || u.protocol === 'https:') && u.username === '' && u.password === '';
      } catch {
        return false;
      }
    }, 'must be an http(s) URL without credentials, e.g. http://127.0.0.1:8080/v1'),
  ),
  model: v.pipe(v.string(), v.trim(), v.minLength(1, 'must not be empty'), v.maxLength(LIMITS.llmModelMaxLength)),
  timeoutMs: v.pipe(v.number(), v.integer(), v.minValue(LIMITS.llmTimeoutMinMs), v.maxValue(LIMITS.llmTimeoutMaxMs)),
});

/** `PUT /api/settings/assistant`. `provider: 'llm'` needs `llm` settings. */
export const assistantSettingsInputSchema = v.pipe(
  v.object({
    enabled: v.boolean(),
    provider: v.picklist(['embedded', 'llm']),
    llm: v.optional(v.nullable(llmSettingsSchema)),
    apiKey: v.optional(v.nullable(v.pipe(v.string(), v.maxLength(LIMITS.llmApiKeyMaxLength)))),
  }),
  v.forward(
    v.check((s) => s.provider !== 'llm' || (s.llm !== undefined && s.llm !== null), 'the llm provider needs an endpoint'),
    ['llm'],
  ),
);

// Compile-time checks: schema outputs must be assignable to the documented wire types.
type Assignable<T extends U, U> = T;
export type AssistantSchemaChecks = [
  Assignable<v.InferOutput<typeof assistantSetSchema>, AssistantSetRequest>,
  Assignable<v.InferOutput<typeof assistantStopSchema>, AssistantStopRequest>,
  Assignable<v.InferOutput<typeof faqInputSchema>, FaqInput>,
  Assignable<v.InferOutput<typeof assistantSettingsInputSchema>, AssistantSettingsInput>,
];
