/**
 * Runtime validation of every inbound payload, shared by the client and the server.
 * Built on valibot: each schema's output type matches the wire type in `types.ts`.
 */
import * as v from 'valibot';
import { LIMITS } from './limits.js';
import type { ProtocolError } from './errors.js';
import type {
  ConversationGetRequest,
  ConversationListRequest,
  HandshakeAuth,
  HistoryGetRequest,
  MessageSendRequest,
  ReadSetRequest,
  TypingSetRequest,
} from './types.js';

const id = v.pipe(v.string(), v.minLength(1), v.maxLength(LIMITS.idMaxLength), v.regex(/^[A-Za-z0-9_-]+$/, 'must be letters, digits, _ or -'));
const seq = v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(Number.MAX_SAFE_INTEGER));
const limit = v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(LIMITS.pageMax));

/** Handshake `auth` object. */
export const handshakeAuthSchema = v.object({
  protocol: v.literal(1),
  shop: v.pipe(v.string(), v.minLength(1), v.maxLength(LIMITS.shopMaxLength), v.regex(/^[a-z0-9][a-z0-9_-]*$/, 'must be lower-case letters, digits, _ or -')),
  role: v.picklist(['visitor', 'agent']),
  token: v.optional(v.pipe(v.string(), v.minLength(1), v.maxLength(LIMITS.tokenMaxLength))),
  identity: v.optional(
    v.object({
      name: v.optional(v.pipe(v.string(), v.trim(), v.maxLength(LIMITS.nameMaxLength))),
      email: v.optional(v.pipe(v.string(), v.maxLength(254), v.email())),
    }),
  ),
});

/** `message:send`. Text longer than the limit is reported as `too_large` by {@link validate}. */
export const messageSendSchema = v.object({
  conversationId: id,
  clientId: v.pipe(v.string(), v.minLength(1), v.maxLength(LIMITS.clientIdMaxLength), v.regex(/^[A-Za-z0-9_.:-]+$/, 'must be letters, digits, _ . : or -')),
  kind: v.literal('text'),
  text: v.pipe(
    v.string(),
    v.check((s) => s.trim().length > 0, 'must not be empty'),
    v.maxLength(LIMITS.textMaxLength, `must be at most ${LIMITS.textMaxLength} characters`),
  ),
});

/** `history:get`. */
export const historyGetSchema = v.pipe(
  v.object({
    conversationId: id,
    afterSeq: v.optional(seq),
    beforeSeq: v.optional(seq),
    limit: v.optional(limit),
  }),
  v.check((r) => r.afterSeq === undefined || r.beforeSeq === undefined, 'afterSeq and beforeSeq are exclusive'),
);

/** `read:set`. */
export const readSetSchema = v.object({ conversationId: id, seq });

/** `typing:set`. */
export const typingSetSchema = v.object({ conversationId: id, typing: v.boolean() });

/** `conversation:list` (agents). */
export const conversationListSchema = v.object({
  limit: v.optional(limit),
  before: v.optional(v.pipe(v.string(), v.isoTimestamp())),
  beforeId: v.optional(id),
});

/** `conversation:get`. */
export const conversationGetSchema = v.object({ conversationId: id });

/** Result of {@link validate}. */
export type Validated<T> = { ok: true; value: T } | { ok: false; error: ProtocolError };

/**
 * Validates `input` against `schema`. Failures become `invalid_payload` (or `too_large` when a
 * length limit was exceeded) with a message naming the offending field.
 */
export function validate<S extends v.GenericSchema>(schema: S, input: unknown): Validated<v.InferOutput<S>> {
  const result = v.safeParse(schema, input);
  if (result.success) return { ok: true, value: result.output };
  const issue = result.issues[0];
  const path = issue.path?.map((p) => String(p.key)).join('.') ?? '';
  const tooLarge = issue.type === 'max_length' || issue.type === 'max_value';
  const where = path ? `${path}: ` : '';
  return {
    ok: false,
    error: {
      code: tooLarge && path === 'text' ? 'too_large' : 'invalid_payload',
      message: `${where}${issue.message}`,
    },
  };
}

// Compile-time checks: schema outputs must be assignable to the documented wire types.
type Assert<T extends true> = T;
type Extends<A, B> = A extends B ? true : false;
export type _SchemaChecks = [
  Assert<Extends<v.InferOutput<typeof handshakeAuthSchema>, HandshakeAuth>>,
  Assert<Extends<v.InferOutput<typeof messageSendSchema>, MessageSendRequest>>,
  Assert<Extends<v.InferOutput<typeof historyGetSchema>, HistoryGetRequest>>,
  Assert<Extends<v.InferOutput<typeof readSetSchema>, ReadSetRequest>>,
  Assert<Extends<v.InferOutput<typeof typingSetSchema>, TypingSetRequest>>,
  Assert<Extends<v.InferOutput<typeof conversationListSchema>, ConversationListRequest>>,
  Assert<Extends<v.InferOutput<typeof conversationGetSchema>, ConversationGetRequest>>,
];
