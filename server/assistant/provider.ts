/**
 * The assistant interface of the reference server (issue 6). A provider turns a customer's question,
 * the conversation so far and the shop's knowledge (catalogue + FAQ) into a reply: text, product
 * cards, or a hand-off to people. Providers are pluggable: `embedded` (retrieval, offline) and `llm`
 * (an OpenAI-compatible endpoint, falling back to `embedded`). The runner (server/assistant/runner.ts)
 * stores and streams what a provider produces; providers never touch storage or sockets.
 */
import type { AssistantMessageMeta, FaqEntry, HandoffReason } from '../../src/protocol/assistant.js';
import type { Product } from '../../src/protocol/catalogue.js';
import type { Message } from '../../src/protocol/types.js';

/** Locales the assistant answers in. */
export type AssistantLocale = 'zh-CN' | 'en';

/** The shop's knowledge the assistant answers from: nothing else may be named in a reply. */
export interface AssistantKnowledge {
  shopId: string;
  shopName: string;
  /** The whole catalogue (current entries, with variants and stock). */
  products: readonly Product[];
  faq: readonly FaqEntry[];
}

/** A product search result. */
export interface ProductHit {
  product: Product;
  /** Relevance (higher is better; comparable within one search only). */
  score: number;
}

/** A FAQ search result. */
export interface FaqHit {
  entry: FaqEntry;
  score: number;
}

/** Search over one shop's knowledge (built once per knowledge version and reused). */
export interface KnowledgeSearch {
  readonly knowledge: AssistantKnowledge;
  /**
   * Catalogue products matching `query` (Chinese or English), best first. `maxPrice` is in minor
   * units of the shop currency; `inStockOnly` drops products whose variants are all out of stock.
   */
  products(query: string, opts?: { maxPrice?: number; inStockOnly?: boolean; limit?: number }): ProductHit[];
  /** FAQ entries matching `query`, best first. */
  faq(query: string, opts?: { limit?: number }): FaqHit[];
}

/** One question to answer. */
export interface AssistantRequest {
  /** The customer's latest message text: what to answer. */
  question: string;
  /**
   * Earlier messages of the conversation, oldest first (at most ~12, without the question), for
   * context: a product the customer asked about (`context.product`), cards sent before, earlier turns.
   */
  history: readonly Message[];
  /** Answer in this locale (detected from the question, else the shop's). */
  locale: AssistantLocale;
  search: KnowledgeSearch;
  /** Some agent of the shop is connected: a hand-off reply says "a colleague will be with you" rather than "leave your question". */
  staffOnline: boolean;
  /** Aborted when the customer stops the reply, the conversation is taken over, or the server stops. */
  signal: AbortSignal;
  /** Streams text: appended to what was sent so far. Providers producing the whole text at once need not call it. */
  onDelta(text: string): void;
  /** Discards the text streamed so far (a fallback provider starts over). */
  onReset(): void;
}

/** What a provider answers. `text` is the whole reply (it replaces whatever was streamed). */
export interface AssistantReply {
  text: string;
  /** Catalogue product ids to show as cards, best first (ids of `search.knowledge.products`; at most 10). */
  productIds: string[];
  meta: AssistantMessageMeta;
  /** Set when the conversation should go to people (the text tells the customer so). */
  handoff?: HandoffReason;
}

/** A source of replies. Must honour `signal` (reject with an `AbortError` or resolve early). */
export interface AssistantProvider {
  /** `embedded`, `llm`, ... (stored in `ai.provider`). */
  readonly name: string;
  reply(req: AssistantRequest): Promise<AssistantReply>;
}
