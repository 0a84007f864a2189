/** Event names and typed event maps of protocol v1 (usable as Socket.IO generics). */
import type { Ack } from './errors.js';
import type { Product } from './catalogue.js';
import type { ReservationDay } from './commerce.js';
import type { AssistantSetRequest, AssistantState, AssistantStopRequest, AssistantUpdate, MessageDelta } from './assistant.js';
import type { FeedClickRequest, FeedGetRequest, FeedMarkRequest, FeedNew, FeedPage } from './feed.js';
import type {
  Conversation,
  ConversationGetRequest,
  ConversationListRequest,
  ConversationSummary,
  HistoryGetRequest,
  Message,
  MessageSendRequest,
  ProductGetRequest,
  ProductSearchRequest,
  ReadSetRequest,
  ReservationSlotsRequest,
  ReadUpdate,
  SessionReady,
  TypingSetRequest,
  TypingUpdate,
} from './types.js';

/** Client -> server requests. Every one takes an acknowledgement callback. */
export const CLIENT_EVENTS = {
  messageSend: 'message:send',
  historyGet: 'history:get',
  readSet: 'read:set',
  typingSet: 'typing:set',
  conversationList: 'conversation:list',
  conversationGet: 'conversation:get',
  productSearch: 'product:search',
  productGet: 'product:get',
  reservationSlots: 'reservation:slots',
  feedGet: 'feed:get',
  feedDelivered: 'feed:delivered',
  feedRead: 'feed:read',
  feedClick: 'feed:click',
  assistantSet: 'assistant:set',
  assistantStop: 'assistant:stop',
} as const;

/** Server -> client events. */
export const SERVER_EVENTS = {
  sessionReady: 'session:ready',
  messageNew: 'message:new',
  messageUpdate: 'message:update',
  readUpdate: 'read:update',
  typingUpdate: 'typing:update',
  conversationUpdate: 'conversation:update',
  productUpdate: 'product:update',
  feedNew: 'feed:new',
  assistantUpdate: 'assistant:update',
} as const;

/** Ack payload of `history:get`. */
export interface HistoryPage {
  messages: Message[];
  /** More messages exist beyond this page in the requested direction. */
  hasMore: boolean;
}

/** Ack payload of list requests. */
export interface ListPage<T> {
  items: T[];
  hasMore: boolean;
}

/** Typed client -> server events (Socket.IO `ClientToServerEvents`). */
export interface ClientToServerEvents {
  'message:send': (req: MessageSendRequest, ack: (res: Ack<{ message: Message }>) => void) => void;
  'history:get': (req: HistoryGetRequest, ack: (res: Ack<HistoryPage>) => void) => void;
  'read:set': (req: ReadSetRequest, ack: (res: Ack<{ seq: number }>) => void) => void;
  'typing:set': (req: TypingSetRequest, ack: (res: Ack) => void) => void;
  'conversation:list': (req: ConversationListRequest, ack: (res: Ack<ListPage<ConversationSummary>>) => void) => void;
  'conversation:get': (req: ConversationGetRequest, ack: (res: Ack<{ conversation: ConversationSummary }>) => void) => void;
  /** Agents: search the shop's catalogue (ordered by id; `after` pages). */
  'product:search': (req: ProductSearchRequest, ack: (res: Ack<ListPage<Product>>) => void) => void;
  /** Anyone: current catalogue entries; unknown ids are left out of `items`. */
  'product:get': (req: ProductGetRequest, ack: (res: Ack<{ items: Product[] }>) => void) => void;
  /** Anyone: bookable slots from the shop's opening hours (`not_found` when reservations are off). */
  'reservation:slots': (req: ReservationSlotsRequest, ack: (res: Ack<ReservationSlotsPage>) => void) => void;
  /** Visitors: their broadcast feed, newest first (returned items are recorded as delivered). */
  'feed:get': (req: FeedGetRequest, ack: (res: Ack<FeedPage>) => void) => void;
  /** Visitors: items received live (`feed:new`). Ack: the feed's unread count. */
  'feed:delivered': (req: FeedMarkRequest, ack: (res: Ack<{ unread: number }>) => void) => void;
  /** Visitors: items seen in the viewport. Ack: the feed's unread count. */
  'feed:read': (req: FeedMarkRequest, ack: (res: Ack<{ unread: number }>) => void) => void;
  /** Visitors: a call to action, product, "Ask about this" or coupon of an item was used. */
  'feed:click': (req: FeedClickRequest, ack: (res: Ack) => void) => void;
  /**
   * Visitors: `assistant` (AI answers) or `human` ("talk to a person": a hand-off when the assistant
   * was answering). Agents: `human` takes the conversation over, `assistant` hands it back.
   * `conflict` when the shop has the assistant off and `assistant` is asked for.
   */
  'assistant:set': (req: AssistantSetRequest, ack: (res: Ack<{ assistant: AssistantState }>) => void) => void;
  /** Both roles: stop a streaming assistant reply (acks also when it already finished). */
  'assistant:stop': (req: AssistantStopRequest, ack: (res: Ack) => void) => void;
}

/** Ack payload of `reservation:slots`. */
export interface ReservationSlotsPage {
  timeZone: string;
  slotMinutes: number;
  days: ReservationDay[];
}

/** Typed server -> client events (Socket.IO `ServerToClientEvents`). */
export interface ServerToClientEvents {
  'session:ready': (session: SessionReady) => void;
  'message:new': (message: Message) => void;
  /** A stored message changed (the full message), or a streaming assistant reply grew (a {@link MessageDelta}). */
  'message:update': (update: Message | MessageDelta) => void;
  'read:update': (update: ReadUpdate) => void;
  'typing:update': (update: TypingUpdate) => void;
  /** Agents only: a conversation of their shop changed (new message, read, new conversation). */
  'conversation:update': (conversation: ConversationSummary) => void;
  /** A product this connection watches (`product:get` with `watch`) changed; `deleted` when removed. */
  'product:update': (update: ProductUpdate) => void;
  /** Visitors: a broadcast to this customer was just sent (one packet for all its recipients). */
  'feed:new': (update: FeedNew) => void;
  /** The assistant state of a conversation changed (to its visitor and to the shop's agents). */
  'assistant:update': (update: AssistantUpdate) => void;
}

/** True when a `message:update` payload is a streaming delta rather than a full message. */
export function isMessageDelta(update: Message | MessageDelta): update is MessageDelta {
  return typeof (update as MessageDelta).delta === 'string' && typeof (update as MessageDelta).offset === 'number';
}

/** Payload of `product:update`: the current entry, or the id of a removed product. */
export type ProductUpdate = { product: Product } | { productId: string; deleted: true };

/** Payload type of a request event. */
export type RequestOf<E extends keyof ClientToServerEvents> = Parameters<ClientToServerEvents[E]>[0];
/** Ack type of a request event. */
export type AckOf<E extends keyof ClientToServerEvents> = Parameters<Parameters<ClientToServerEvents[E]>[1]>[0];

export type { Conversation };
