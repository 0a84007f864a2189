import type { LocalizedText, Money, ProductSnapshot } from './catalogue.js';
import type { CouponClaim, CouponSnapshot, Reservation, ReservationAction } from './commerce.js';
import type { CampaignKind } from './feed.js';
import type { AssistantMessageMeta, AssistantState } from './assistant.js';

/**
 * Wire types of protocol v1. docs/protocol.md is the normative text; these types mirror it.
 * All timestamps are ISO 8601 strings in UTC.
 */

/** Who may connect. */
export type Role = 'visitor' | 'agent';

/** Who wrote a message. `assistant` and `system` are written by the server. */
export type AuthorRole = 'visitor' | 'agent' | 'assistant' | 'system';

/** The author of a message as every client sees it. */
export interface Author {
  role: AuthorRole;
  id: string;
  /** Display name; visitors may be anonymous (`null`). */
  name: string | null;
}

/**
 * Message kinds of protocol v1: `text`, `product` (one product card), `products` (a carousel),
 * `reservation` (a reservation / try-on request as of a state change), `coupon` (a coupon card
 * sent by staff) and `coupon-claim` (a customer claimed a coupon; carries the code).
 * Servers may add kinds; clients must render unknown kinds gracefully (e.g. their `text`).
 */
export type MessageKind = 'text' | 'product' | 'products' | 'reservation' | 'coupon' | 'coupon-claim';

/** What a message is about (e.g. the product a customer asked about from its page). */
export interface MessageContext {
  /** A product the message is about. Absent when the message is about a feed item without products. */
  product?: ProductSnapshot;
  /** A broadcast the customer asked about ("Ask about this" in the feed). */
  feedItem?: FeedItemRef;
}

/** A feed item as a message's context: its title rendered for the customer, per locale. */
export interface FeedItemRef {
  id: string;
  kind: CampaignKind;
  title: LocalizedText;
}

/** A stored message. `seq` is per conversation, gap-free, starting at 1, assigned by the server. */
export interface Message {
  id: string;
  conversationId: string;
  seq: number;
  /** Chosen by the sender; `(conversationId, clientId)` is unique. */
  clientId: string;
  author: Author;
  kind: MessageKind;
  /** The text; for `product` / `products` an optional caption (`''` when none). */
  text: string;
  /** Kind `product`: the card, as the product was when sent. */
  product?: ProductSnapshot;
  /** Kind `products`: the carousel (2 to 10 cards). */
  products?: ProductSnapshot[];
  /** What the message is about, when the sender attached it (kind `text`). */
  context?: MessageContext;
  /** Kind `reservation`: the reservation as of this message, and what was done. */
  reservation?: Reservation;
  action?: ReservationAction;
  /** Kinds `coupon` and `coupon-claim`: the coupon (without its code). */
  coupon?: CouponSnapshot;
  /** Kind `coupon-claim`: the code the customer claimed. */
  claim?: CouponClaim;
  /**
   * Assistant replies only: `true` while the text still grows (`message:update` deltas follow);
   * absent once the reply is committed. A committed reply may change `kind` (e.g. `text` ->
   * `products` when cards are attached).
   */
  streaming?: boolean;
  /** Assistant replies only: the customer stopped the reply; `text` is what was written until then. */
  stopped?: boolean;
  /** Assistant replies only: where the answer came from. */
  ai?: AssistantMessageMeta;
  createdAt: string;
}

/** A conversation as its participants see it. */
export interface Conversation {
  id: string;
  shop: string;
  visitorId: string;
  /** Highest `seq` stored in the conversation (0 when empty). */
  lastSeq: number;
  /** Highest `seq` the visitor has read. */
  visitorReadSeq: number;
  /** Highest `seq` any agent has read. */
  agentReadSeq: number;
  /** Who answers (servers announcing the `assistant` feature send it). */
  assistant?: AssistantState;
  createdAt: string;
}

/** A row of the agents' conversation list. */
export interface ConversationSummary extends Conversation {
  visitorName: string | null;
  /** Messages written by the visitor after `agentReadSeq`. */
  unread: number;
  lastMessage: Message | null;
  updatedAt: string;
}

/** The agent behind an agent connection. */
export interface AgentProfile {
  id: string;
  name: string;
  email: string;
}

/** Optional visitor identity passed in the handshake (unsigned in v1: display data only). */
export interface VisitorIdentity {
  name?: string;
  email?: string;
}

/** Handshake payload: `io(url + '/vitrine', { auth })`. */
export interface HandshakeAuth {
  protocol: 1;
  shop: string;
  role: Role;
  /** Visitors: the resume token from an earlier `session:ready`. Agents: the login token. */
  token?: string;
  identity?: VisitorIdentity;
}

/** Capabilities a server announces in `session:ready`. Unknown ones must be ignored. */
export type ServerFeature = string;

/** First event after a successful handshake. */
export interface SessionReady {
  protocol: 1;
  role: Role;
  shop: string;
  /** The shop's display name (for headers: "Maison Lumière"). */
  shopName: string;
  /** Visitor connections: the visitor id. Agent connections: the agent id. */
  userId: string;
  /** Keep it and send it as `auth.token` next time to resume the same visitor and conversation. */
  token: string;
  /** The visitor's conversation; `null` on agent connections. */
  conversation: Conversation | null;
  /** Present on agent connections. */
  agent: AgentProfile | null;
  features: ServerFeature[];
  serverTime: string;
}

/** `message:send` payload. */
export type MessageSendRequest =
  | TextSendRequest
  | ProductSendRequest
  | ProductsSendRequest
  | ReservationSendRequest
  | CouponSendRequest
  | CouponClaimSendRequest;

interface SendRequestBase {
  conversationId: string;
  clientId: string;
}

/** Product data a page passes with `askAbout` when the product is not (yet) in the catalogue. */
export interface PageProductInput {
  id: string;
  title: string | LocalizedText;
  price?: Money;
  image?: string;
  url?: string;
}

/** The context a sender attaches: a catalogue product by id, or page-supplied product data. */
export type MessageContextInput =
  | { productId: string }
  | { product: PageProductInput }
  /** A broadcast in the customer's feed; with `productId` also one of its products. */
  | { feedItemId: string; productId?: string };

/** `message:send` of a text, optionally about a product. */
export interface TextSendRequest extends SendRequestBase {
  kind: 'text';
  text: string;
  context?: MessageContextInput;
}

/** `message:send` of one product card from the catalogue (the server takes the snapshot). */
export interface ProductSendRequest extends SendRequestBase {
  kind: 'product';
  productId: string;
  text?: string;
}

/** `message:send` of a carousel of 2 to 10 catalogue products. */
export interface ProductsSendRequest extends SendRequestBase {
  kind: 'products';
  productIds: string[];
  text?: string;
}

/**
 * `message:send` of a reservation step. `request` (visitors) names a catalogue product, an optional
 * variant and a slot start from `reservation:slots`; every other action names the reservation.
 * `propose` (agents) carries the new start. `text` is an optional note.
 */
export type ReservationSendRequest = SendRequestBase & { kind: 'reservation'; text?: string } & (
    | { action: 'request'; productId: string; variantId?: string; start: string }
    | { action: 'propose'; reservationId: string; start: string }
    | { action: 'confirm' | 'decline' | 'cancel'; reservationId: string }
  );

/** `message:send` of a coupon card (agents): the server takes the snapshot. */
export interface CouponSendRequest extends SendRequestBase {
  kind: 'coupon';
  couponId: string;
  text?: string;
}

/** `message:send` of a claim (visitors): once per customer and coupon; reveals the code. */
export interface CouponClaimSendRequest extends SendRequestBase {
  kind: 'coupon-claim';
  couponId: string;
}

/** `reservation:slots` payload: the shop's bookable slots from `from` (shop date, default today) for `days` days. */
export interface ReservationSlotsRequest {
  from?: string;
  days?: number;
}

/** `history:get` payload: at most one of `afterSeq` / `beforeSeq`. Neither means "the latest page". */
export interface HistoryGetRequest {
  conversationId: string;
  afterSeq?: number;
  beforeSeq?: number;
  limit?: number;
}

/** `read:set` payload: the reader has seen everything up to and including `seq`. */
export interface ReadSetRequest {
  conversationId: string;
  seq: number;
}

/** `typing:set` payload. */
export interface TypingSetRequest {
  conversationId: string;
  typing: boolean;
}

/** `conversation:list` payload (agents only): newest activity first. */
export interface ConversationListRequest {
  limit?: number;
  /** Cursor: `updatedAt` of the last row of the previous page. */
  before?: string;
  /** Cursor tie-breaker: `id` of that row (rows with equal `updatedAt` are ordered by `id`, descending). */
  beforeId?: string;
}

/** `product:search` payload (agents): matches title (any locale), tags, SKU and id. */
export interface ProductSearchRequest {
  query?: string;
  limit?: number;
  /** Cursor: the `id` of the last product of the previous page (results are ordered by id). */
  after?: string;
}

/** `product:get` payload: current catalogue entries (e.g. live stock for cards). */
export interface ProductGetRequest {
  productIds: string[];
  /** Also send `product:update` when these products change, for as long as the connection lasts. */
  watch?: boolean;
}

/** `conversation:get` payload. */
export interface ConversationGetRequest {
  conversationId: string;
}

/** `read:update`: someone read up to `seq`. */
export interface ReadUpdate {
  conversationId: string;
  role: Role;
  readerId: string;
  seq: number;
}

/** `typing:update`: someone started or stopped typing. Servers expire `typing: true` after a few seconds. */
export interface TypingUpdate {
  conversationId: string;
  author: Author;
  typing: boolean;
}
