/** Public types of the core client (`createVitrineClient`). */
import type { ReadableAtom } from 'nanostores';
import type {
  AssistantMode,
  AssistantState,
  Author,
  ConversationSummary,
  FeedClickTarget,
  FeedItem,
  FeedValues,
  Message,
  MessageContextInput,
  Product,
  ProductUpdate,
  ProtocolError,
  ReservationAction,
  ReservationSlotsPage,
  Role,
  SessionReady,
  VisitorIdentity,
} from './protocol/index.js';
import type { Ports } from './ports.js';
import type { CommercePayload } from './stores/outbox.js';

export type { CommercePayload };
import type { TransportFactory } from './transport/transport.js';

/**
 * Connection state shown to people:
 * - `idle`: not started (nothing opened yet),
 * - `connecting`: first connection attempt,
 * - `online`: connected and session ready,
 * - `reconnecting`: lost the connection, retrying (sends are queued in the outbox),
 * - `refused`: the server refused us (see `$error`); no automatic retry.
 */
export type ConnectionState = 'idle' | 'connecting' | 'online' | 'reconnecting' | 'refused';

/** Delivery status of a message as its sender sees it. */
export type DeliveryStatus = 'sending' | 'sent' | 'read' | 'failed';

/**
 * A message as the UI holds it: a stored message, or a local one still in the outbox
 * (then `seq` is `null` and `status` is `sending` or `failed`).
 */
export interface ChatMessage extends Omit<Message, 'seq' | 'id'> {
  id: string | null;
  seq: number | null;
  /** Written by this client's side (the visitor in the widget; any agent in the console). */
  mine: boolean;
  /** Meaningful for `mine` messages; others are always `sent`. */
  status: DeliveryStatus;
  /** Why the last attempt failed, when `status` is `failed`. */
  error: ProtocolError | null;
  /** Outbox messages of kinds `reservation`, `coupon`, `coupon-claim`: what is being sent. */
  pending?: CommercePayload;
}

/** State and actions of one conversation. */
export interface ConversationHandle {
  readonly id: string;
  /** Stored messages in `seq` order followed by outbox messages in send order. */
  readonly $messages: ReadableAtom<ChatMessage[]>;
  /** Other participants currently typing. */
  readonly $typing: ReadableAtom<Author[]>;
  /** Messages from the other side after what this side has read. */
  readonly $unread: ReadableAtom<number>;
  /** Earlier history exists on the server that is not loaded yet. */
  readonly $hasEarlier: ReadableAtom<boolean>;
  /**
   * Sends a text message, optionally about a product (`context`). Resolves once stored (or rejects
   * after the retry budget; it stays `failed`).
   */
  send(text: string, options?: { context?: MessageContextInput }): Promise<ChatMessage>;
  /**
   * Sends catalogue products: one id makes a `product` card, 2 to 10 a `products` carousel. The
   * server takes the snapshot from the catalogue. While pending, the message has no snapshot yet.
   */
  sendProducts(productIds: string[], caption?: string): Promise<ChatMessage>;
  /**
   * Visitors: asks to reserve / try a catalogue product at a slot start from
   * `client.getReservationSlots()`. Goes through the outbox like any message; the stored message
   * (kind `reservation`, state `requested`) carries the reservation.
   */
  reserve(input: { productId: string; variantId?: string; start: string; text?: string }): Promise<ChatMessage>;
  /**
   * A reservation step: agents `propose` (with `start`), `confirm` or `decline` a request; visitors
   * `confirm` or `decline` a proposal; either side may `cancel`. A step the state does not allow
   * fails with `conflict`.
   */
  updateReservation(
    reservationId: string,
    action: Exclude<ReservationAction, 'request'>,
    options?: { start?: string; text?: string },
  ): Promise<ChatMessage>;
  /** Agents: sends a coupon card (the server takes the snapshot; the code stays hidden until claimed). */
  sendCoupon(couponId: string, caption?: string): Promise<ChatMessage>;
  /**
   * Visitors: claims a coupon once; the stored `coupon-claim` message carries the code. A second
   * claim, an expired or exhausted coupon fail with `conflict`.
   */
  claimCoupon(couponId: string): Promise<ChatMessage>;
  /** Retries a `failed` message (by its clientId). */
  retry(clientId: string): Promise<ChatMessage>;
  /** Drops a `failed` message from the outbox. */
  discard(clientId: string): void;
  /** Marks everything loaded as read (call when the conversation is visible). */
  markRead(): void;
  /** Tells the other side this side is typing (throttled; stops by itself after a few seconds). */
  setTyping(typing: boolean): void;
  /** Loads the page before the earliest loaded message. */
  loadEarlier(): Promise<void>;
  /**
   * The conversation's assistant state (issue 6): who answers, hand-off, take-over, staff online.
   * `null` until known, and on servers that do not announce the `assistant` feature.
   */
  readonly $assistant: ReadableAtom<AssistantState | null>;
  /**
   * Visitors: `assistant` (AI answers) or `human` ("talk to a person"). Agents: `human` takes the
   * conversation over, `assistant` hands it back. Resolves with the new state (also set on `$assistant`).
   */
  setAssistantMode(mode: AssistantMode): Promise<AssistantState>;
  /** Stops a streaming assistant reply (`message.streaming`); the text so far stays, marked `stopped`. */
  stopReply(messageId: string): Promise<void>;
}

/**
 * Visitors: their broadcast feed (issue 5), newest first. The unread count is known once the session
 * is ready (before the feed is opened); items load on `load()`. Items arriving live (`feed:new`) are
 * put first and reported delivered; every reconnect resyncs. Agents get an inert handle.
 */
export interface FeedHandle {
  /** The server announced feeds (`'feed'` in `session:ready` features). */
  readonly $available: ReadableAtom<boolean>;
  /** Loaded items, newest first (a live `feed:new` is put first, never twice). */
  readonly $items: ReadableAtom<readonly FeedItem[]>;
  /** Unread items in the whole feed (loaded or not). */
  readonly $unread: ReadableAtom<number>;
  /** The customer's template values (`renderTemplate`), from the latest `feed:get`. */
  readonly $values: ReadableAtom<FeedValues>;
  /** A page is being fetched. */
  readonly $loading: ReadableAtom<boolean>;
  /** The first page has been fetched at least once. */
  readonly $loaded: ReadableAtom<boolean>;
  /** Older items exist beyond the loaded ones (`loadMore`). */
  readonly $hasMore: ReadableAtom<boolean>;
  /** Fetches the newest page (merged with what is loaded). Rejects with `unavailable` when offline. */
  load(): Promise<void>;
  /** Fetches the page before the oldest loaded item. */
  loadMore(): Promise<void>;
  /**
   * Marks items read (call only for items actually shown in the viewport). Applied at once locally,
   * sent in batches (`feed:read`); kept and sent after a reconnect when offline.
   */
  markRead(ids: readonly string[]): void;
  /** Records that a call to action, a product, "Ask about this" or the coupon of an item was used (`feed:click`); queued while offline. */
  click(id: string, target: FeedClickTarget, productId?: string): Promise<void>;
  /**
   * Sends `text` in the visitor's conversation about feed item `id` (context `{ feedItemId, productId? }`;
   * the server records the "ask" click). Rejects with `unavailable` before the conversation is known.
   */
  askAbout(id: string, text: string, options?: { productId?: string }): Promise<ChatMessage>;
}

/** Options of {@link createVitrineClient}. */
export interface VitrineClientOptions {
  /** Server origin, e.g. `http://127.0.0.1:8787` (Socket.IO namespace `/vitrine` is appended). */
  url: string;
  shop: string;
  /** Default `visitor`. */
  role?: Role;
  /** Agents: the login token. Visitors: normally omitted (the resume token is kept in storage). */
  token?: string;
  identity?: VisitorIdentity;
  /** Platform seams; defaults work everywhere but persist nothing. */
  ports?: Partial<Ports>;
  /** Default: Socket.IO. */
  transport?: TransportFactory;
  /** Retry budget for a send before it shows `failed` (default 5 attempts). */
  maxSendAttempts?: number;
  /** Connect at once (default `true`); `false` waits for `connect()`. */
  autoConnect?: boolean;
}

/** The core client: one per widget or console. */
export interface VitrineClient {
  readonly role: Role;
  readonly $connection: ReadableAtom<ConnectionState>;
  readonly $session: ReadableAtom<SessionReady | null>;
  /** Last refusal or fatal error (e.g. `unauthorized`), `null` otherwise. */
  readonly $error: ReadableAtom<ProtocolError | null>;
  /** Visitors: their own conversation once the session is ready. Agents: `null`. */
  readonly $conversation: ReadableAtom<ConversationHandle | null>;
  /** Agents: the shop's conversations, newest activity first (kept live). Visitors: empty. */
  readonly $conversations: ReadableAtom<ConversationSummary[]>;
  /** Agents: more conversations exist beyond the loaded list (see `loadMoreConversations`). */
  readonly $hasMoreConversations: ReadableAtom<boolean>;
  /** Total unread for this side (visitor: agent messages unread; agent: sum over conversations). */
  readonly $unreadTotal: ReadableAtom<number>;
  /** What a launcher badge shows. Visitors: `$unreadTotal` plus unread feed items; agents: `$unreadTotal`. */
  readonly $unreadAll: ReadableAtom<number>;
  /** Visitors: the broadcast feed. Agents: an inert handle (always empty). */
  readonly feed: FeedHandle;
  /** Opens the connection (idempotent). */
  connect(): void;
  /** Returns the handle of a conversation (agents: any of their shop's; visitors: their own). */
  conversation(id: string): ConversationHandle;
  /** Agents: searches the shop's catalogue (title in any locale, tag, SKU, id). */
  searchProducts(query: string, options?: { after?: string; limit?: number }): Promise<{ items: Product[]; hasMore: boolean }>;
  /** Current catalogue entries (e.g. live stock for cards); unknown ids are left out. */
  getProducts(productIds: string[]): Promise<Product[]>;
  /**
   * Keeps `productIds` live: calls `listener` with the current entries now (once connected) and
   * whenever one changes on the server (`product:update`), across reconnects. Returns a stop function.
   */
  watchProducts(productIds: string[], listener: (update: ProductUpdate) => void): () => void;
  /** Bookable reservation slots in the shop's time zone (rejects with `not_found` when the shop takes none). */
  getReservationSlots(options?: { from?: string; days?: number }): Promise<ReservationSlotsPage>;
  /** Agents: loads more of the conversation list. Rejects with `unavailable` when offline. */
  loadMoreConversations(): Promise<void>;
  /** Closes the connection and releases everything. */
  destroy(): void;
}
