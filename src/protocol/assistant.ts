/**
 * The AI assistant of protocol v1 (issue 6): who answers a conversation, hand-offs to people,
 * streamed replies, and the shop's assistant knowledge (FAQ) and settings as staff edit them.
 * docs/protocol.md "Assistant" is the normative text; these types mirror it.
 */
import type { LocalizedText } from './catalogue.js';

/**
 * Who answers the customer's next message:
 * - `assistant`: the shop's AI assistant (only while the shop has it enabled);
 * - `human`: people (the customer asked for a person, staff took over, or the assistant is off).
 */
export type AssistantMode = 'assistant' | 'human';

/** Why a conversation went from the assistant to people. */
export type HandoffReason =
  /** The customer asked for a person in words ("转人工", "talk to someone"). */
  | 'customer_asked'
  /** The customer switched the toggle to "talk to a person". */
  | 'customer_toggled'
  /** The assistant could not answer from the shop's catalogue and FAQ. */
  | 'no_answer'
  /** Every provider failed (endpoint down and the embedded fallback failed too). */
  | 'provider_failed';

export const HANDOFF_REASONS: readonly HandoffReason[] = ['customer_asked', 'customer_toggled', 'no_answer', 'provider_failed'];

/** A hand-off waiting for staff: cleared when an agent takes the conversation over (or hands it back). */
export interface Handoff {
  at: string;
  reason: HandoffReason;
}

/** An agent who took a conversation over: the assistant does not answer there any more. */
export interface AssistantTakeover {
  agentId: string;
  agentName: string;
  at: string;
}

/**
 * The assistant state of one conversation, as both sides see it. Visitors get it in
 * `session:ready` (`conversation.assistant`), in the ack of `assistant:set` and as
 * `assistant:update`; agents get it in conversation summaries and `assistant:update`.
 */
export interface AssistantState {
  /** The shop has the assistant switched on (when false the toggle is hidden and `mode` is `human`). */
  enabled: boolean;
  /** Who answers the next customer message. */
  mode: AssistantMode;
  /** At least one agent of the shop is connected now (as of this state; not pushed on every change). */
  staffOnline: boolean;
  /** Set while a hand-off waits for staff. */
  handoff: Handoff | null;
  /** Set while an agent has taken the conversation over. */
  takeover: AssistantTakeover | null;
}

/** `assistant:set`: visitors switch between the assistant and a person; agents take over (`human`) or hand back (`assistant`). */
export interface AssistantSetRequest {
  conversationId: string;
  mode: AssistantMode;
}

/** `assistant:stop`: stop a streaming assistant reply; the text so far is committed with `stopped: true`. */
export interface AssistantStopRequest {
  conversationId: string;
  messageId: string;
}

/** Server -> client `assistant:update`. */
export interface AssistantUpdate {
  conversationId: string;
  assistant: AssistantState;
}

/** Where an assistant reply came from (kept on the message as `ai`). */
export type AssistantSource =
  /** A FAQ entry of the shop (`faqId`). */
  | 'faq'
  /** Products found in the shop's catalogue (the cards are the message's `product` / `products`). */
  | 'catalogue'
  /** A clarifying question. */
  | 'clarify'
  /** The assistant hands the conversation to people. */
  | 'handoff'
  /** A language model (OpenAI-compatible endpoint). */
  | 'llm'
  /** Small talk (greeting, thanks). */
  | 'chat';

/** Assistant metadata on a message written by the assistant (`author.role === 'assistant'`). */
export interface AssistantMessageMeta {
  source: AssistantSource;
  /** The provider that produced the text (`embedded`, `openai`). */
  provider: string;
  /** Source `faq`: the entry answered. */
  faqId?: string;
  /** The LLM provider failed and the embedded provider answered instead. */
  fallback?: boolean;
}

/**
 * Server -> client `message:update` of a streaming assistant reply: `delta` is appended at UTF-16
 * offset `offset` of the message's text. A client whose text is shorter than `offset` missed a
 * delta and waits for the final `message:update` (the full message, `streaming` absent).
 */
export interface MessageDelta {
  conversationId: string;
  messageId: string;
  seq: number;
  offset: number;
  delta: string;
}

/** A FAQ entry of the shop: what customers ask (question and optional keywords) and the answer, per locale. */
export interface FaqEntry {
  id: string;
  question: LocalizedText;
  answer: LocalizedText;
  /** Extra words and phrases customers use for this question (any language). */
  keywords: string[];
  updatedAt: string;
}

/** A FAQ entry as staff write it (REST `POST /api/faq`, `PUT /api/faq/:id`). */
export interface FaqInput {
  question: LocalizedText;
  answer: LocalizedText;
  keywords?: string[];
}

/** The shop's language-model provider settings (an OpenAI-compatible chat-completions endpoint). */
export interface LlmSettings {
  /** Base URL, e.g. `http://127.0.0.1:8080/v1` (the server posts to `${baseUrl}/chat/completions`). */
  baseUrl: string;
  model: string;
  /** Milliseconds before the endpoint counts as failed (first token, and between tokens). */
  timeoutMs: number;
}

/** The shop's assistant settings as the REST API returns them (the API key is never returned). */
export interface AssistantSettings {
  enabled: boolean;
  /** `embedded`: retrieval over the catalogue and FAQ, offline. `llm`: the endpoint below, falling back to `embedded`. */
  provider: 'embedded' | 'llm';
  llm: LlmSettings | null;
  /** An API key is stored for the endpoint. */
  hasApiKey: boolean;
}

/** `PUT /api/settings/assistant`: `apiKey` absent keeps the stored key, `null` removes it. */
export interface AssistantSettingsInput {
  enabled: boolean;
  provider: 'embedded' | 'llm';
  llm?: LlmSettings | null;
  apiKey?: string | null;
}

/** A row of the console's hand-off queue (`GET /api/assistant/handoffs`). */
export interface HandoffQueueItem {
  conversationId: string;
  visitorId: string;
  visitorName: string | null;
  handoff: Handoff;
  /** The customer's last message before the hand-off (preview), if any. */
  lastCustomerText: string | null;
}
