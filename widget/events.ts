/**
 * DOM events of the Vitrine elements: one typed event map and one `emit()`.
 * Every event bubbles and is composed (it crosses shadow roots), so a page can listen on `document`.
 */
import type { AssistantMode, AssistantState, ChatMessage, FeedClickTarget, FeedItem, Product, ProductSnapshot, ProductVariant } from '../src/index.js';

/** Detail of `vitrine-unread-change`. */
export interface UnreadChangeDetail {
  /** Unread messages from the shop (agents and assistant) — the same meaning as before feeds existed. */
  count: number;
  /** Unread items of the broadcast feed (0 when the server has no feeds). */
  feed: number;
  /** `count + feed`: what the launcher badge shows. */
  total: number;
}

/** Detail of `vitrine-feed-click`. */
export interface FeedClickDetail {
  /** The feed item. */
  item: FeedItem;
  /** Its title as shown (rendered for the customer, in the widget's locale). */
  title: string;
  /** `cta`: the call to action link; `product`: a product card action; `coupon`: Claim; `ask`: "Ask about this". */
  target: FeedClickTarget;
  /** For `product`: which product. */
  productId?: string;
}

/** What a product card action asks for. */
export type ProductClickAction = 'view' | 'buy' | 'reserve';

/** Detail of `vitrine-product-click`. */
export interface ProductClickDetail {
  /** The product as the card shows it (a message's snapshot, or the product passed in). */
  product: ProductSnapshot | Product;
  /** The selected variant, `null` when none is selected. */
  variant: ProductVariant | null;
  /**
   * `view`: open the product page; `buy`: buy / add to cart (the shop wires its own cart);
   * `reserve`: reserve / try in store (inside `<vitrine-chat>`, not cancelled: the chat opens its
   * reservation picker for the product and the selected variant).
   */
  action: ProductClickAction;
}

/** Detail of `vitrine-reservation-close`. */
export interface ReservationCloseDetail {
  /** The visitor sent a reservation request (it is in the conversation's outbox); `false`: closed without sending. */
  sent: boolean;
}

/** Detail of `vitrine-assistant-change`. */
export interface AssistantChangeDetail {
  /** Who answers now: `assistant` (the shop's AI assistant) or `human` (people). */
  mode: AssistantMode;
  /** The whole state: hand-off waiting for staff, take-over by an agent, staff online. */
  state: AssistantState;
}

/** Every `vitrine-*` DOM event and its `detail`. */
export interface VitrineEventMap {
  /** The chat panel opened. */
  'vitrine-open': CustomEvent<void>;
  /** The chat panel closed. */
  'vitrine-close': CustomEvent<void>;
  /** A new message from the other side (the shop, its assistant) arrived. */
  'vitrine-message': CustomEvent<ChatMessage>;
  /**
   * This tab notifies about a new message from the shop (the panel is closed or the page hidden):
   * fired in exactly one tab per message across the open tabs of the shop, with a short sound
   * unless `sound="off"`.
   */
  'vitrine-notify': CustomEvent<ChatMessage>;
  /** The unread count changed. */
  'vitrine-unread-change': CustomEvent<UnreadChangeDetail>;
  /**
   * A product card action was pressed. Cancellable: `preventDefault()` stops the default (for
   * `view`, opening the product URL in a new tab; for `reserve` inside the chat, its reservation
   * picker; `buy` has none — wire your cart here).
   */
  'vitrine-product-click': CustomEvent<ProductClickDetail>;
  /** The reservation picker closed: after sending a request, or the visitor closed it (Escape, Close). */
  'vitrine-reservation-close': CustomEvent<ReservationCloseDetail>;
  /**
   * Something of a feed item was used (recorded with `feed:click`). For `ask`, `<vitrine-chat>`
   * switches to its Chat tab with the item above the composer.
   */
  'vitrine-feed-click': CustomEvent<FeedClickDetail>;
  /**
   * Who answers the visitor changed: the visitor switched the assistant toggle or asked for a
   * person, the assistant handed off, staff took the conversation over or handed it back.
   */
  'vitrine-assistant-change': CustomEvent<AssistantChangeDetail>;
}

export type VitrineEventName = keyof VitrineEventMap;
export type VitrineEventDetail<K extends VitrineEventName> = VitrineEventMap[K] extends CustomEvent<infer D> ? D : never;

/** Events whose default action the page may cancel with `preventDefault()`. */
const CANCELABLE: ReadonlySet<VitrineEventName> = new Set<VitrineEventName>(['vitrine-product-click']);

/**
 * Dispatches a typed, bubbling, composed `vitrine-*` event from `target` (cancelable for the events
 * that have a default action: check `event.defaultPrevented` on the returned event).
 */
export function emit<K extends VitrineEventName>(
  target: EventTarget,
  name: K,
  ...detail: VitrineEventDetail<K> extends void ? [] : [VitrineEventDetail<K>]
): VitrineEventMap[K] {
  const event = new CustomEvent(name, { bubbles: true, composed: true, cancelable: CANCELABLE.has(name), detail: detail[0] }) as unknown as VitrineEventMap[K];
  target.dispatchEvent(event);
  return event;
}

declare global {
  interface HTMLElementEventMap extends VitrineEventMap {}
}
