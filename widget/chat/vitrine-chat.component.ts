import { LitElement, html, nothing, svg, type PropertyValues, type TemplateResult } from 'lit';
import { live } from 'lit/directives/live.js';
import { repeat } from 'lit/directives/repeat.js';
import {
  LIMITS,
  assistantView,
  buildMessageList,
  handoffOfferFor,
  createTranslator,
  createVitrineClient,
  type AssistantMode,
  type AssistantState,
  type AssistantView,
  type Author,
  type ChatMessage,
  type ConnectionState,
  type ConversationHandle,
  type MessageItem,
  type MessageKey,
  type MessageListItem,
  type SessionReady,
  type Translator,
  type VisitorIdentity,
  type VitrineClient,
  type LockPort,
  type StoragePort,
  type LocalizedText,
  type MessageContextInput,
  type Money,
  type PageProductInput,
  type ProductSnapshot,
} from '../../src/index.js';
import { emit, type FeedClickDetail, type ProductClickDetail } from '../events.js';
import { StockWatcher } from '../product-stock.js';
import { safeHttpUrl } from '../safe-url.js';
import { chime, claimNotification, noteUserGesture } from '../notify.js';
import { webLocks, webPorts, webStorage } from '../ports-web.js';
import { StoreController } from '../store-controller.js';
import { styles } from './vitrine-chat.styles.js';

export type VitrineTheme = 'light' | 'dark' | 'auto';
export type VitrinePosition = 'right' | 'left';

/** Options of {@link VitrineChat.show}. */
export interface ShowOptions {
  /** Move keyboard focus into the composer (default `false`; the launcher and keyboard users get `true`). */
  focus?: boolean;
}

const CONNECTION_KEYS: Record<ConnectionState, MessageKey | null> = {
  idle: null,
  connecting: 'connection.connecting',
  online: 'connection.online',
  reconnecting: 'connection.reconnecting',
  refused: 'connection.refused',
};

/**
 * What `askAbout` takes: a catalogue product id, or product data from the page. (Older pages: any
 * other string, or an object without `id`, pre-fills the composer with its text.)
 */
export type AskAboutSubject =
  | string
  | { id?: string; title?: string | LocalizedText; name?: string; price?: Money; image?: string; url?: string };

/** The product the visitor's next message is about, shown above the composer. */
interface AskContext {
  input: MessageContextInput;
  id: string;
  title: string | LocalizedText;
  image: string | null;
  /** Looked up in the catalogue already (or page data, which needs no lookup). */
  looked: boolean;
}

const PRODUCT_ID = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$/;
const LOCALE_TAG = /^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/;

function pageTitle(title: unknown): string | LocalizedText | null {
  const max = LIMITS.productTitleMaxLength;
  if (typeof title === 'string') return title.trim().slice(0, max) || null;
  if (!title || typeof title !== 'object') return null;
  const out: LocalizedText = {};
  for (const [tag, text] of Object.entries(title).slice(0, 10)) {
    if (LOCALE_TAG.test(tag) && typeof text === 'string' && text.trim()) out[tag] = text.trim().slice(0, max);
  }
  return Object.keys(out).length > 0 ? out : null;
}

/** The context of an `askAbout` subject, `null` when it names no product. */
function askContextOf(subject: AskAboutSubject | null | undefined): AskContext | null {
  if (typeof subject === 'string') {
    const id = subject.trim();
    return PRODUCT_ID.test(id) ? { input: { productId: id }, id, title: id, image: null, looked: false } : null;
  }
  if (!subject || typeof subject !== 'object' || typeof subject.id !== 'string' || !PRODUCT_ID.test(subject.id)) return null;
  const title = pageTitle(subject.title ?? subject.name);
  if (!title) return { input: { productId: subject.id }, id: subject.id, title: subject.id, image: null, looked: false };
  const product: PageProductInput = { id: subject.id, title };
  const price = subject.price;
  if (price && Number.isSafeInteger(price.amount) && price.amount >= 0 && /^[A-Z]{3}$/.test(String(price.currency))) {
    product.price = { amount: price.amount, currency: price.currency };
  }
  const image = safeHttpUrl(subject.image);
  const url = safeHttpUrl(subject.url);
  if (image && image.length <= LIMITS.urlMaxLength) product.image = image;
  if (url && url.length <= LIMITS.urlMaxLength) product.url = url;
  return { input: { product }, id: subject.id, title, image: product.image ?? null, looked: true };
}

/** Parts of `<vitrine-product-card>` the chat re-exports (style them with `vitrine-chat::part(...)`). */
const CARD_PARTS =
  'product-card,product-image,product-image-placeholder,product-body,product-title,product-prices,product-price,product-compare-at,product-stock,variants,variant,variant-selected,product-actions,product-action,product-action-view,product-action-buy,product-action-reserve';
const CAROUSEL_PARTS = `carousel,track,item,carousel-previous,carousel-next,${CARD_PARTS}`;
const RESERVATION_PARTS =
  'reservation-card,reservation-image,reservation-title,reservation-variant,reservation-slot,reservation-state,reservation-note,reservation-actions,reservation-action,reservation-action-confirm,reservation-action-decline,reservation-action-cancel,reservation-superseded,reservation-pending,reservation-error';
const COUPON_PARTS =
  'coupon-card,coupon-value,coupon-title,coupon-min-spend,coupon-conditions,coupon-expiry,coupon-status,coupon-claim,coupon-code,coupon-copy,coupon-copied,coupon-error,coupon-pending';
const PICKER_PARTS =
  'picker,picker-header,picker-title,picker-close,picker-product,picker-variants,picker-variant,picker-variant-selected,picker-status,picker-retry,picker-days,picker-day,picker-day-selected,picker-zone,picker-slots,picker-slot,picker-slot-selected,picker-note,picker-submit,picker-error';

/** Loads the product elements (a separate chunk) once. */
let productElements: Promise<void> | null = null;
function loadProductElements(): void {
  if (productElements || customElements.get('vitrine-product-card')) return;
  productElements = import('../products.js').then(
    (m) => m.defineProductElements(),
    () => {
      productElements = null; // offline: try again on the next render
    },
  );
}

/** Loads the reservation and coupon elements (a separate chunk) once. */
let commerceElements: Promise<void> | null = null;
function loadCommerceElements(): void {
  if (commerceElements || customElements.get('vitrine-coupon-card')) return;
  commerceElements = import('../commerce.js').then(
    (m) => m.defineCommerceElements(),
    () => {
      commerceElements = null;
    },
  );
}

/** Loads the feed elements (a separate chunk) once. */
let feedElements: Promise<void> | null = null;
function loadFeedElements(): void {
  if (feedElements || customElements.get('vitrine-feed')) return;
  feedElements = import('../feed.js').then(
    (m) => m.defineFeedElements(),
    () => {
      feedElements = null;
    },
  );
}

/** Parts of `<vitrine-feed>` the chat re-exports. */
const FEED_PARTS =
  'feed-list,feed-item,feed-empty,feed-loading,feed-error,feed-retry,feed-load-more,feed-item-card,feed-item-image,feed-item-meta,feed-item-kind,feed-item-time,feed-item-unread,feed-item-title,feed-item-body,feed-item-products,feed-item-coupon,feed-item-actions,feed-item-cta,feed-item-ask';

/** The panel's tabs (shown when the server has feeds). */
export type VitrineTab = 'chat' | 'feed';
const TABS: readonly VitrineTab[] = ['chat', 'feed'];

/** Pixels from the bottom within which new messages keep the list scrolled to the end. */
const NEAR_BOTTOM_PX = 64;

const chatIcon = svg`<path d="M12 3C6.5 3 2 6.6 2 11c0 2.4 1.3 4.5 3.4 6L4.6 21l4.3-2.3c1 .3 2 .4 3.1.4 5.5 0 10-3.6 10-8S17.5 3 12 3z"/>`;
const closeIcon = svg`<path d="M18.3 5.7a1 1 0 0 0-1.4 0L12 10.6 7.1 5.7a1 1 0 1 0-1.4 1.4l4.9 4.9-4.9 4.9a1 1 0 1 0 1.4 1.4l4.9-4.9 4.9 4.9a1 1 0 0 0 1.4-1.4L13.4 12l4.9-4.9a1 1 0 0 0 0-1.4z"/>`;
const sendIcon = svg`<path d="M3.4 20.4 21 12 3.4 3.6 3.4 10l12 2-12 2z"/>`;

/**
 * The Vitrine shop chat: a launcher button with an unread badge and a chat panel.
 *
 * It opens no connection and touches no storage until it is opened (the visitor clicks the launcher,
 * or `open` is set). Pass `server` + `shop` and it creates its own client with web ports, or pass a
 * ready `client` (tests, integrators with their own backend wiring).
 *
 * All text is rendered through lit text bindings, there are no `style` attributes (strict CSP works),
 * and every string comes from the i18n catalogue.
 *
 * @tagname vitrine-chat
 * @summary Shop chat widget: launcher, unread badge, messages, typing, delivery status, composer.
 *
 * @fires vitrine-open - The panel opened. `detail`: none.
 * @fires vitrine-close - The panel closed. `detail`: none.
 * @fires vitrine-message - A new message from the other side arrived. `detail`: `ChatMessage`.
 * @fires vitrine-notify - This tab notifies (panel closed or page hidden) about a new shop message: one tab per message. `detail`: `ChatMessage`.
 * @fires vitrine-unread-change - An unread count changed. `detail`: `{ count, feed, total }` (`count`: shop messages, `feed`: feed items, `total`: the launcher badge).
 * @fires vitrine-feed-click - A feed item's call to action, product, coupon or "Ask about this" was used (recorded on the server). `detail`: `{ item, title, target, productId? }`.
 * @fires vitrine-product-click - A product card action (View, Buy, Reserve) was pressed; cancellable (for `reserve`, cancelling keeps the reservation picker closed). `detail`: `{ product, variant, action }`.
 * @fires vitrine-reservation-close - The reservation picker closed. `detail`: `{ sent: boolean }`.
 * @fires vitrine-assistant-change - Who answers changed (the visitor's toggle, a hand-off, a take-over by staff). `detail`: `{ mode, state }`.
 *
 * @csspart launcher - The round button that opens and closes the chat.
 * @csspart unread-badge - The unread counter on the launcher: shop messages plus feed items (hidden when 0).
 * @csspart panel - The chat dialog.
 * @csspart header - The panel header (title, connection state, close button).
 * @csspart title - The shop title in the header.
 * @csspart connection - The connection state line in the header.
 * @csspart close-button - The close button in the header.
 * @csspart tabs - Under the header: the "Chat" / "Feed" tab bar (`role="tablist"`; only when the server has feeds).
 * @csspart tab - A tab (also `tab-chat` or `tab-feed`, and `tab-selected` on the shown one).
 * @csspart tab-badge - The unread count of a tab (hidden when 0).
 * @csspart feed - The Feed tab (`<vitrine-feed>`, loaded on first use; re-exports `feed-list`, `feed-item`, `feed-empty`, `feed-load-more`, `feed-item-card`, `feed-item-image`, `feed-item-title`, `feed-item-body`, `feed-item-time`, `feed-item-unread`, `feed-item-products`, `feed-item-coupon`, `feed-item-cta`, `feed-item-ask`...).
 * @csspart message-list - The scrolling message log.
 * @csspart empty - The text shown when there are no messages yet.
 * @csspart load-earlier - The "load earlier messages" button.
 * @csspart day - A day separator.
 * @csspart message - One message (also `message-mine` or `message-theirs`).
 * @csspart message-mine - A message written by the visitor.
 * @csspart message-theirs - A message written by the shop or its assistant.
 * @csspart author - The author label above a group of messages.
 * @csspart bubble - The text bubble of a message.
 * @csspart time - The time of a message (`<time datetime>`).
 * @csspart status - The delivery status of an own message (`data-status`: sending, sent, read, failed).
 * @csspart retry - The retry button of a message that failed to send.
 * @csspart typing - The typing indicator.
 * @csspart composer - The message form.
 * @csspart input - The message textarea.
 * @csspart too-long - The warning shown when the text exceeds the length limit.
 * @csspart send - The send button.
 * @csspart message-context - On a text message: the "About: <product or feed item>" chip above its text.
 * @csspart product - A product card message (`<vitrine-product-card>`; its parts are re-exported: `product-card`, `product-image`, `product-title`, `product-price`, `product-compare-at`, `product-stock`, `variant`, `product-action`...).
 * @csspart products - A carousel message (`<vitrine-product-carousel>`; also re-exports `carousel`, `track`, `item`, `carousel-previous`, `carousel-next` and the card parts).
 * @csspart product-pending - "Sending product…", shown for a product message not stored yet.
 * @csspart caption - The caption of a product, carousel or coupon message.
 * @csspart reservation - A reservation message (`<vitrine-reservation-card>`; re-exports `reservation-card`, `reservation-state`, `reservation-slot`, `reservation-action`...).
 * @csspart coupon - A coupon or claim message (`<vitrine-coupon-card>`; re-exports `coupon-card`, `coupon-value`, `coupon-claim`, `coupon-code`, `coupon-copy`...).
 * @csspart reservation-picker - The reservation picker over the panel after "Reserve" (`<vitrine-reservation-picker>`; re-exports `picker`, `picker-slot`, `picker-submit`...).
 * @csspart ask-context - Above the composer: the product or feed item the next message is about (after `askAbout` or "Ask about this").
 * @csspart ask-context-image - Its thumbnail.
 * @csspart ask-context-title - Its title.
 * @csspart ask-context-remove - The button that removes it.
 * @csspart assistant-toggle - In the header, when the shop has the AI assistant: the "AI assistant" / "Talk to a person" control (`role="group"` of two pressed-state buttons).
 * @csspart assistant-option - One of its buttons (also `assistant-option-ai` or `assistant-option-human`, and `assistant-option-selected` on the pressed one).
 * @csspart assistant-status - Above the composer: waiting for a person, staff offline ("leave your question"), "<name> joined", or a failed switch (`data-status`: waiting, offline, human, takeover, error).
 * @csspart bubble-streaming - The bubble of an AI reply still being written (`aria-busy="true"`; with `bubble`).
 * @csspart ai-label - The "AI" badge on a message written by the shop's AI assistant.
 * @csspart stop - The "Stop" button of an AI reply being written.
 * @csspart stopped - "Stopped" on an AI reply the visitor stopped.
 * @csspart handoff - "Talk to a person" under the newest AI reply.
 *
 * @cssprop [--vitrine-color-primary=#b4235a] - Launcher, header and send button background (dark: #f06292).
 * @cssprop [--vitrine-color-on-primary=#ffffff] - Text and icons on the primary colour (dark: #1d1b1c).
 * @cssprop [--vitrine-color-surface=#ffffff] - Panel background (dark: #1f1d1e).
 * @cssprop [--vitrine-color-surface-variant=#f4f2f3] - Input background (dark: #2b2829).
 * @cssprop [--vitrine-color-text=#1d1b1c] - Body text (dark: #f2eff0).
 * @cssprop [--vitrine-color-muted=#6b6469] - Secondary text: times, status, day separators (dark: #b1a9ae).
 * @cssprop [--vitrine-color-bubble-mine=#b4235a] - The visitor's bubbles (dark: #8e1e49).
 * @cssprop [--vitrine-color-on-bubble-mine=#ffffff] - Text in the visitor's bubbles.
 * @cssprop [--vitrine-color-bubble-theirs=#f1eef0] - The shop's bubbles (dark: #34302f).
 * @cssprop [--vitrine-color-on-bubble-theirs=#1d1b1c] - Text in the shop's bubbles (dark: #f2eff0).
 * @cssprop [--vitrine-color-border=rgba(0,0,0,.12)] - Hairlines and input borders.
 * @cssprop [--vitrine-color-danger=#b3261e] - Unread badge, failed messages.
 * @cssprop [--vitrine-color-on-danger=#ffffff] - Text on the unread badge.
 * @cssprop [--vitrine-color-success=#1e9e5a] - The "online" dot in the header.
 * @cssprop [--vitrine-color-focus=#1a73e8] - Focus ring.
 * @cssprop [--vitrine-radius=16px] - Corner radius of the panel and bubbles.
 * @cssprop [--vitrine-font-family=system-ui] - Font stack.
 * @cssprop [--vitrine-font-size=15px] - Base font size.
 * @cssprop [--vitrine-shadow=0 12px 40px rgba(0,0,0,.18)] - Shadow of the launcher and the panel.
 * @cssprop [--vitrine-z-index=2147483000] - Stacking order of the whole widget.
 * @cssprop [--vitrine-launcher-size=56px] - Diameter of the launcher.
 * @cssprop [--vitrine-panel-width=380px] - Panel width (full screen below 480px viewport width).
 * @cssprop [--vitrine-panel-height=600px] - Panel height.
 * @cssprop [--vitrine-offset=20px] - Distance from the viewport edges.
 */
export class VitrineChat extends LitElement {
  static override styles = styles;

  static override properties = {
    server: { type: String },
    shop: { type: String },
    shopName: { type: String, attribute: 'shop-name' },
    locale: { type: String },
    theme: { type: String, reflect: true },
    position: { type: String, reflect: true },
    open: { type: Boolean, reflect: true },
    sound: { type: String },
    client: { attribute: false },
    identity: { attribute: false },
    draft: { state: true },
    askContext: { state: true },
    reserving: { state: true },
    tab: { type: String, reflect: true },
    assistantError: { state: true },
  };

  /** Registers the element under `name` unless something already did (safe to call twice). */
  static define(name = 'vitrine-chat'): void {
    if (!customElements.get(name)) customElements.define(name, this);
  }

  /** Server origin, e.g. `https://chat.example.com` (used when no `client` is passed). */
  declare server: string;
  /** Shop id. */
  declare shop: string;
  /** Title shown in the header (default: the shop name from the server, else the catalogue's "Chat with the shop"). */
  declare shopName: string;
  /** BCP 47 locale (`zh-CN`, `en`); default: the browser's languages. */
  declare locale: string;
  /** `light`, `dark` or `auto` (follows `prefers-color-scheme`). */
  declare theme: VitrineTheme;
  /** `right` or `left` corner. */
  declare position: VitrinePosition;
  /** Whether the panel is open. */
  declare open: boolean;
  /**
   * `off` mutes the notification sound. Otherwise, when a shop message arrives while the panel is
   * closed or the page hidden, one open tab of the shop plays a short, quiet tone (only after the
   * visitor interacted with the page, per the browsers' autoplay rules) and fires `vitrine-notify`.
   * Default `on`.
   */
  declare sound: 'on' | 'off';
  /** A ready client (optional). Without it the element creates one from `server` and `shop` when first opened. */
  declare client: VitrineClient | null;
  /** Display identity of the visitor, passed in the handshake. */
  declare identity: VisitorIdentity | undefined;
  /** The composer's text (kept while disconnected, until a send is accepted into the outbox). */
  declare draft: string;
  /** The product the next message is about (set by `askAbout`, cleared once sent or removed). */
  private declare askContext: AskContext | null;
  /** The product (and variant) the reservation picker is open for. */
  private declare reserving: ProductClickDetail | null;
  /** The tab shown: `chat` or `feed` (the Feed tab exists when the server has feeds; else always `chat`). */
  declare tab: VitrineTab;
  /** The last switch of the assistant toggle failed. */
  private declare assistantError: boolean;

  private readonly connection = new StoreController<ConnectionState>(this, 'idle');
  private readonly session = new StoreController<SessionReady | null>(this, null);
  private readonly unreadTotal = new StoreController<number>(this, 0);
  private readonly conversation = new StoreController<ConversationHandle | null>(this, null);
  private readonly messages = new StoreController<ChatMessage[]>(this, []);
  private readonly typing = new StoreController<Author[]>(this, []);
  private readonly hasEarlier = new StoreController<boolean>(this, false);
  private readonly unread = new StoreController<number>(this, 0);
  private readonly unreadAll = new StoreController<number>(this, 0);
  private readonly feedUnread = new StoreController<number>(this, 0);
  private readonly feedAvailable = new StoreController<boolean>(this, false);
  private readonly assistant = new StoreController<AssistantState | null>(this, null);
  /** The render-ready assistant state (`null`: no assistant, no toggle). */
  private assistantShown: AssistantView | null = null;
  /** The AI reply that shows "Talk to a person" under it. */
  private handoffOffer: ChatMessage | null = null;
  /** The mode last seen, for `vitrine-assistant-change`. */
  private lastMode: AssistantMode | null = null;
  /** The Feed tab was shown once: its element stays (scroll position, loaded pages). */
  private feedShown = false;
  /** A keyboard tab change: focus the new tab after the update. */
  private focusOnTab = false;

  private tr: Translator = createTranslator('en');
  private ownClient: VitrineClient | null = null;
  private started = false;
  private focusOnOpen = false;
  private stickToBottom = true;
  /** The list was at its end at the last scroll: cards growing (lazy chunk, upgrade) keep it there. */
  private pinned = true;
  private lastScrollTop = 0;
  private cardObserver: ResizeObserver | null = null;
  private observedCards = new WeakSet<Element>();
  private renderedMessages: ChatMessage[] | null = null;
  private items: MessageListItem[] = [];
  private lastUnread: string | null = null;
  private seenSeq: number | null = null;
  private seenFor: ConversationHandle | null = null;
  private loadingEarlier = false;
  private notifyPorts: { lock: LockPort; storage: StoragePort } | null = null;
  /** The visitor pressed send before the first session was ready: send once it is. */
  private sendWhenReady = false;
  /** Live stock of the product cards (`client.watchProducts`, per client). */
  private readonly stock = new StockWatcher(() => this.requestUpdate());

  constructor() {
    super();
    this.server = '';
    this.shop = '';
    this.shopName = '';
    this.locale = '';
    this.theme = 'auto';
    this.position = 'right';
    this.open = false;
    this.sound = 'on';
    this.client = null;
    this.identity = undefined;
    this.draft = '';
    this.askContext = null;
    this.reserving = null;
    this.tab = 'chat';
    this.assistantError = false;
  }

  /** The client in use: the one passed in, or the one this element created. */
  get activeClient(): VitrineClient | null {
    return this.client ?? this.ownClient;
  }

  /** Opens the panel (and, the first time, the connection). */
  show(options: ShowOptions = {}): void {
    if (options.focus) this.focusOnOpen = true;
    this.open = true;
  }

  /** Closes the panel; the connection stays open so the unread badge keeps counting. */
  hide(): void {
    this.open = false;
  }

  /**
   * Connects without opening the panel (the unread badge counts, unsent messages are sent).
   * The loader calls it when an earlier page left messages unsent.
   */
  resume(): void {
    if (!this.started) this.startClient();
  }

  toggle(options: ShowOptions = {}): void {
    if (this.open) this.hide();
    else this.show(options);
  }

  /**
   * Opens the chat about a product: `subject` is a catalogue product id (`'etoile-necklace'`) or
   * product data from the page (`{ id, title, price?, image?, url? }`). The product shows above the
   * composer (the visitor may remove it) and the next message the visitor sends carries it as its
   * context, so staff see what the question is about. Any other string pre-fills the composer
   * (unless the visitor already typed).
   */
  askAbout(subject: AskAboutSubject | null | undefined, options: ShowOptions = {}): void {
    const context = askContextOf(subject);
    if (context) {
      this.askContext = context;
    } else {
      const text =
        typeof subject === 'string' ? subject : subject ? [subject.title ?? subject.name, subject.url].filter((x) => typeof x === 'string' && x).join(' ') : '';
      if (text && !this.draft.trim()) this.draft = text.slice(0, LIMITS.textMaxLength);
    }
    this.tab = 'chat';
    this.show({ focus: true, ...options });
  }

  /** Removes the product the next message would be about. */
  clearAskContext(): void {
    this.askContext = null;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    document.addEventListener('visibilitychange', this.onVisibility);
    document.addEventListener('click', this.onDocumentClick);
    this.addEventListener('keydown', this.onKeydown);
    if (this.started) this.startClient();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    document.removeEventListener('visibilitychange', this.onVisibility);
    document.removeEventListener('click', this.onDocumentClick);
    this.removeEventListener('keydown', this.onKeydown);
    this.cardObserver?.disconnect();
    this.cardObserver = null;
    this.observedCards = new WeakSet();
    this.stock.stop();
    this.dropOwnClient();
  }

  private readonly onVisibility = (): void => {
    // Visible again: mark what is shown read. Hidden: the feed stops marking items read.
    if (this.open) this.requestUpdate();
  };

  /** `data-vitrine-ask="<product id>"` on any element of the page: ask about that product. */
  private readonly onDocumentClick = (event: MouseEvent): void => {
    const target = event.target instanceof Element ? event.target.closest('[data-vitrine-ask]') : null;
    // The first connected chat answers (a page with two chats would otherwise ask twice).
    if (!target || document.querySelector('vitrine-chat') !== this) return;
    this.askAbout(target.getAttribute('data-vitrine-ask'), { focus: true });
  };

  private readonly onKeydown = (event: KeyboardEvent): void => {
    if (event.key === 'Escape' && this.open) {
      event.stopPropagation();
      this.open = false;
      void this.updateComplete.then(() => this.launcher?.focus());
    }
  };

  private get launcher(): HTMLButtonElement | null {
    return this.renderRoot.querySelector<HTMLButtonElement>('.launcher');
  }

  private get input(): HTMLTextAreaElement | null {
    return this.renderRoot.querySelector<HTMLTextAreaElement>('.input');
  }

  private get list(): HTMLElement | null {
    return this.renderRoot.querySelector<HTMLElement>('.messages');
  }

  private startClient(): void {
    this.started = true;
    if (this.client) {
      this.client.connect();
      return;
    }
    if (this.ownClient || !this.server || !this.shop) return;
    const ports = webPorts(this.shop);
    this.notifyPorts = { lock: ports.lock ?? webLocks(this.shop), storage: ports.storage };
    this.ownClient = createVitrineClient({
      url: this.server,
      shop: this.shop,
      identity: this.identity,
      ports,
    });
    this.ownClient.connect();
    this.bindClient();
  }

  private dropOwnClient(): void {
    if (!this.ownClient) return;
    this.ownClient.destroy();
    this.ownClient = null;
    this.bindClient();
  }

  private bindClient(): void {
    const client = this.activeClient;
    this.stock.use(client);
    this.connection.store = client?.$connection ?? null;
    this.session.store = client?.$session ?? null;
    this.unreadTotal.store = client?.$unreadTotal ?? null;
    this.unreadAll.store = client?.$unreadAll ?? null;
    this.feedUnread.store = client?.feed?.$unread ?? null;
    this.feedAvailable.store = client?.feed?.$available ?? null;
    this.conversation.store = client?.$conversation ?? null;
    this.bindConversation();
  }

  private bindConversation(): void {
    const conv = this.conversation.value;
    this.messages.store = conv?.$messages ?? null;
    this.typing.store = conv?.$typing ?? null;
    this.hasEarlier.store = conv?.$hasEarlier ?? null;
    this.unread.store = conv?.$unread ?? null;
    this.assistant.store = conv?.$assistant ?? null;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('locale') || !this.hasUpdated) {
      this.tr = createTranslator(this.locale || (typeof navigator !== 'undefined' ? navigator.languages : 'en'));
      this.renderedMessages = null;
    }
    if (changed.has('client')) {
      if (this.client) this.dropOwnClient();
      this.bindClient();
    }
    if (changed.has('identity') && this.ownClient) {
      // The handshake identity is fixed per client: reconnect with the new one (same visitor token).
      this.dropOwnClient();
      this.startClient();
    }
    if ((changed.has('server') || changed.has('shop')) && this.hasUpdated && this.ownClient) {
      this.dropOwnClient(); // another server or shop: a new client (re-created below if open)
    }
    if (this.open && !this.started) this.startClient();
    if (this.open && this.started && !this.activeClient) this.startClient();
    if (this.messages.store !== (this.conversation.value?.$messages ?? null)) this.bindConversation();
    if (this.shownTab() === 'feed' && !this.feedShown) {
      this.feedShown = true;
      loadFeedElements();
    }

    const messages = this.messages.value;
    if (messages !== this.renderedMessages) {
      this.items = buildMessageList(messages, this.tr);
    }
    this.assistantShown = assistantView(this.assistant.value, this.tr);
    const list = this.list;
    this.stickToBottom = !list || this.pinned || list.scrollHeight - list.scrollTop - list.clientHeight < NEAR_BOTTOM_PX;
  }

  protected override updated(changed: PropertyValues<this>): void {
    const messages = this.messages.value;
    const messagesChanged = messages !== this.renderedMessages;
    this.renderedMessages = messages;

    if (changed.has('open') && (this.open || changed.get('open') !== undefined)) {
      if (this.open) {
        this.scrollToBottom();
        if (this.focusOnOpen) this.input?.focus();
        emit(this, 'vitrine-open');
      } else {
        this.typingOff();
        emit(this, 'vitrine-close');
      }
      this.focusOnOpen = false;
    }

    if (messagesChanged) {
      this.announceNew(messages);
      const last = messages[messages.length - 1];
      if (this.stickToBottom || (last?.mine && last.status === 'sending')) this.scrollToBottom();
      this.observeCards();
    }

    const count = this.unreadTotal.value;
    const feed = this.feedUnread.value;
    const key = `${count}/${feed}`;
    if (key !== this.lastUnread) {
      if (this.lastUnread !== null || count + feed > 0) emit(this, 'vitrine-unread-change', { count, feed, total: count + feed });
      this.lastUnread = key;
    }
    if (changed.has('tab') && this.hasUpdated && changed.get('tab') !== undefined) {
      if (this.tab === 'chat') this.scrollToBottom();
      if (this.focusOnTab) this.renderRoot.querySelector<HTMLElement>(`#tab-${this.tab}`)?.focus();
    }
    this.focusOnTab = false;

    const state = this.assistant.value;
    const mode = state?.enabled ? state.mode : null;
    if (mode && this.lastMode && mode !== this.lastMode) emit(this, 'vitrine-assistant-change', { mode, state: state! });
    this.lastMode = mode;

    const conv = this.conversation.value;
    if (conv && this.open && this.shownTab() === 'chat' && this.unread.value > 0 && document.visibilityState === 'visible') conv.markRead();
    if (conv && this.sendWhenReady) this.send();
    this.stock.watch(messages.flatMap((m) => (m.kind === 'product' ? (m.product ? [m.product] : []) : m.kind === 'products' ? m.products ?? [] : [])));
    if (this.connection.value === 'online') this.lookUpAskContext();
  }

  /** Looks up the title and image of a product asked about by id (dropped when not in the catalogue). */
  private lookUpAskContext(): void {
    const ctx = this.askContext;
    const client = this.activeClient;
    if (!ctx || ctx.looked || !client) return;
    ctx.looked = true;
    client.getProducts([ctx.id]).then(
      ([product]) => {
        if (this.askContext !== ctx) return;
        this.askContext = product ? { ...ctx, title: product.title, image: safeHttpUrl(product.images?.[0]) } : null;
      },
      () => {
        /* keep showing the id; the server resolves it when the message is sent */
      },
    );
  }

  /** Fires `vitrine-message` for messages from the other side that arrived after the session began. */
  private announceNew(messages: ChatMessage[]): void {
    const conv = this.conversation.value;
    if (!conv) return;
    if (this.seenFor !== conv) {
      const session = this.session.value;
      // The conversation shows before the session is ready (a reload with sends pending):
      // what counts as "new" is known only with the session.
      if (!session) return;
      this.seenFor = conv;
      this.seenSeq = session?.conversation?.id === conv.id ? session.conversation.lastSeq : null;
    }
    let max = this.seenSeq ?? 0;
    for (const m of messages) {
      // An AI reply being written is announced once it is final.
      if (m.mine || m.seq === null || m.streaming) continue;
      if (this.seenSeq !== null && m.seq > this.seenSeq) {
        emit(this, 'vitrine-message', m);
        if (!this.open || document.visibilityState === 'hidden') void this.notify(m);
      }
      if (m.seq > max) max = m.seq;
    }
    this.seenSeq = max;
  }

  /** Notifies about `m` if this tab wins the claim for it (one tab per message). */
  private async notify(m: ChatMessage): Promise<void> {
    const shop = this.shop || this.session.value?.shop;
    if (!m.id || !shop) return;
    this.notifyPorts ??= { lock: webLocks(shop), storage: webStorage(shop) };
    if (!(await claimNotification(this.notifyPorts, m.id))) return;
    emit(this, 'vitrine-notify', m);
    if (this.sound !== 'off') chime();
  }

  /**
   * The list stays pinned to its end until the reader scrolls up. Only an upward scroll unpins it:
   * the event of our own scroll to the end may arrive after cards grew, and must not unpin it.
   */
  private readonly onListScroll = (): void => {
    const list = this.list;
    if (!list) return;
    const top = list.scrollTop;
    if (list.scrollHeight - top - list.clientHeight < NEAR_BOTTOM_PX) this.pinned = true;
    else if (top < this.lastScrollTop) this.pinned = false;
    this.lastScrollTop = top;
  };

  /** Cards get their height when their lazy chunk arrives: keep a pinned list at its end. */
  private observeCards(): void {
    const list = this.list;
    if (!list || typeof ResizeObserver === 'undefined') return;
    this.cardObserver ??= new ResizeObserver(() => {
      if (this.pinned) this.scrollToBottom();
    });
    for (const card of list.querySelectorAll('vitrine-product-card, vitrine-product-carousel, vitrine-reservation-card, vitrine-coupon-card')) {
      if (this.observedCards.has(card)) continue;
      this.observedCards.add(card);
      this.cardObserver.observe(card);
    }
  }

  private scrollToBottom(): void {
    const list = this.list;
    if (list) list.scrollTop = list.scrollHeight;
  }

  private typingOff(): void {
    this.conversation.value?.setTyping(false);
  }

  private onLauncherClick(): void {
    noteUserGesture();
    this.toggle({ focus: true });
  }

  private onCloseClick(): void {
    this.open = false;
    void this.updateComplete.then(() => this.launcher?.focus());
  }

  private onInput(event: Event): void {
    const value = (event.target as HTMLTextAreaElement).value;
    this.draft = value;
    this.conversation.value?.setTyping(value.trim().length > 0);
  }

  private onInputKeydown(event: KeyboardEvent): void {
    if (event.key !== 'Enter' || event.shiftKey) return;
    // An IME is composing (pinyin, kana...): Enter confirms the candidate, it must not send.
    if (event.isComposing || event.keyCode === 229) return;
    event.preventDefault();
    this.send();
  }

  private onSubmit(event: Event): void {
    noteUserGesture();
    event.preventDefault();
    this.send();
  }

  /** Sends the draft. The draft is cleared only once the core accepted the message into its outbox. */
  private send(): void {
    const text = this.draft;
    if (!text.trim() || text.length > LIMITS.textMaxLength) return;
    const conv = this.conversation.value;
    if (!conv) {
      this.sendWhenReady = true; // first visit, no session yet: the draft stays and goes out once connected
      return;
    }
    this.sendWhenReady = false;
    const context = this.askContext?.input;
    let pending: Promise<ChatMessage>;
    try {
      pending = context ? conv.send(text, { context }) : conv.send(text);
    } catch {
      return; // not accepted: keep the draft
    }
    pending.catch(() => {
      /* the message stays in the list as `failed` with a retry button */
    });
    this.draft = '';
    this.askContext = null;
    this.stickToBottom = true;
    conv.setTyping(false);
  }

  /** The toggle or "Talk to a person": asks the server; the state comes back through `$assistant`. */
  private setAssistantMode(mode: AssistantMode): void {
    const conv = this.conversation.value;
    if (!conv?.setAssistantMode || this.assistantShown?.ai === (mode === 'assistant')) return;
    this.assistantError = false;
    conv.setAssistantMode(mode).catch(() => (this.assistantError = true));
  }

  private stopReply(messageId: string | null): void {
    if (messageId) this.conversation.value?.stopReply(messageId).catch(() => {});
  }

  private renderAssistantToggle(view: AssistantView): TemplateResult {
    const t = this.tr.t;
    const option = (mode: AssistantMode, label: string) => {
      const pressed = view.ai === (mode === 'assistant');
      const name = mode === 'assistant' ? 'ai' : 'human';
      return html`<button
        part=${`assistant-option assistant-option-${name}${pressed ? ' assistant-option-selected' : ''}`}
        class="assistant-option"
        type="button"
        aria-pressed=${pressed ? 'true' : 'false'}
        @click=${() => this.setAssistantMode(mode)}
      >
        ${label}
      </button>`;
    };
    return html`<div part="assistant-toggle" class="assistant-toggle" role="group" aria-label=${t('assistant.toggle.label')}>
      ${option('assistant', t('assistant.toggle.ai'))}${option('human', t('assistant.toggle.human'))}
    </div>`;
  }

  private renderAssistantStatus(): TemplateResult | typeof nothing {
    const view = this.assistantShown;
    const error = this.assistantError && view;
    if (!view || (view.status === 'ai' && !error)) return nothing;
    return html`<p part="assistant-status" class="assistant-status" role="status" data-status=${error ? 'error' : view.status}>
      ${error ? this.tr.t('assistant.toggle.error') : view.statusText}
    </p>`;
  }

  private retry(clientId: string): void {
    this.conversation.value?.retry(clientId).catch(() => {
      /* still failed: the retry button stays */
    });
  }

  private async loadEarlier(): Promise<void> {
    const conv = this.conversation.value;
    const list = this.list;
    if (!conv || this.loadingEarlier) return;
    this.loadingEarlier = true;
    const before = list ? list.scrollHeight - list.scrollTop : 0;
    try {
      await conv.loadEarlier();
      await this.updateComplete;
      if (list) list.scrollTop = list.scrollHeight - before;
    } catch {
      /* offline: the button stays */
    } finally {
      this.loadingEarlier = false;
    }
  }

  private renderItem(item: MessageListItem): TemplateResult {
    if (item.type === 'day') {
      return html`<div part="day" class="day">${item.label}</div>`;
    }
    return this.renderMessage(item);
  }

  private renderMessage(item: MessageItem): TemplateResult {
    const m = item.message;
    const t = this.tr.t;
    const side = item.mine ? 'mine' : 'theirs';
    const classes = `message ${side}${item.groupStart ? ' group-start' : ''}${item.groupEnd ? ' group-end' : ''}${m.kind !== 'text' ? ` kind-${m.kind}` : ''}`;
    return html`<div part="message message-${side}" class=${classes} data-status=${item.status ?? nothing}>
      ${item.authorLabel ? html`<span part="author" class="author">${item.authorLabel}</span>` : nothing}
      ${this.renderBody(m, item.streaming)}
      <span class="meta">
        ${item.ai ? html`<span part="ai-label" class="ai-label" title=${t('assistant.badgeLabel')}>${t('assistant.badge')}</span>` : nothing}
        <time part="time" datetime=${item.datetime}>${item.time}</time>
        ${item.streaming
          ? html`<span class="sr-only">${t('assistant.writing')}</span>${this.assistantShown?.status === 'takeover'
                ? nothing
                : html`<button part="stop" class="stop" type="button" aria-label=${t('assistant.stopLabel')} @click=${() => this.stopReply(m.id)}>
                    ${t('assistant.stop')}
                  </button>`}`
          : nothing}
        ${item.stopped ? html`<span part="stopped" class="stopped">${t('assistant.stopped')}</span>` : nothing}
        ${item.status
          ? html`<span part="status" class="status" data-status=${item.status}>${item.statusLabel}</span>`
          : nothing}
        ${item.status === 'failed'
          ? html`<button part="retry" class="retry" type="button" @click=${() => this.retry(m.clientId)}>
              ${t('message.retry')}
            </button>`
          : nothing}
      </span>
      ${this.handoffOffer === m
        ? html`<button part="handoff" class="handoff" type="button" @click=${() => this.setAssistantMode('human')}>${t('assistant.talkToPerson')}</button>`
        : nothing}
    </div>`;
  }

  /** The content of a message: text (with its product context), a card, a carousel, or unknown kinds as text. */
  private renderBody(m: ChatMessage, streaming = false): TemplateResult {
    const t = this.tr.t;
    const locale = this.tr.locale;
    if (m.kind === 'reservation') {
      loadCommerceElements();
      return html`<vitrine-reservation-card
        part="reservation"
        exportparts=${RESERVATION_PARTS}
        .message=${m}
        .messages=${this.messages.value}
        .conversation=${this.conversation.value}
        .locale=${locale}
      ></vitrine-reservation-card>`;
    }
    if (m.kind === 'coupon' || m.kind === 'coupon-claim') {
      loadCommerceElements();
      return html`${m.kind === 'coupon' && m.text ? html`<p part="bubble caption" class="bubble caption">${m.text}</p>` : nothing}<vitrine-coupon-card
          part="coupon"
          exportparts=${COUPON_PARTS}
          .message=${m}
          .messages=${this.messages.value}
          .conversation=${this.conversation.value}
          .locale=${locale}
        ></vitrine-coupon-card>`;
    }
    if (m.kind === 'product' || m.kind === 'products') {
      const cards: ProductSnapshot[] = m.kind === 'product' ? (m.product ? [m.product] : []) : (m.products ?? []);
      const caption = m.text ? html`<p part="bubble caption" class="bubble caption">${m.text}</p>` : nothing;
      if (cards.length === 0) {
        // Not stored yet (the server takes the snapshot), or a message this client cannot show.
        const pending = m.seq === null;
        return html`${caption}<p part="product-pending" class="product-pending">
            ${pending ? t('product.sending') : t('product.unavailable')}
          </p>`;
      }
      loadProductElements();
      const actions = this.session.value?.features?.includes('reservations') ? 'view buy reserve' : 'view buy';
      return html`${caption}${cards.length === 1
          ? html`<vitrine-product-card
              part="product"
              exportparts=${CARD_PARTS}
              .product=${cards[0]}
              .stock=${this.stock.stocks[cards[0].id] ?? null}
              .locale=${locale}
              .actions=${actions}
            ></vitrine-product-card>`
          : html`<vitrine-product-carousel
              part="products"
              exportparts=${CAROUSEL_PARTS}
              .products=${cards}
              .stocks=${this.stock.stocks}
              .locale=${locale}
              .actions=${actions}
            ></vitrine-product-carousel>`}`;
    }
    // A product, or a feed item ("Ask about this" in the feed, possibly without products).
    const about = m.context?.product?.title ?? m.context?.feedItem?.title;
    return html`${about
        ? html`<span part="message-context" class="message-context">${t('context.about', { title: this.tr.localized(about) })}</span>`
        : nothing}<p part=${streaming ? 'bubble bubble-streaming' : 'bubble'} class=${streaming ? 'bubble streaming' : 'bubble'} aria-busy=${streaming ? 'true' : nothing}>${m.text ?? ''}</p>`;
  }

  private renderAskContext(): TemplateResult | typeof nothing {
    const ctx = this.askContext;
    if (!ctx) return nothing;
    const t = this.tr.t;
    const title = this.tr.localized(ctx.title);
    return html`<div part="ask-context" class="ask-context" role="group" aria-label=${t('context.askingAbout')}>
      ${ctx.image ? html`<img part="ask-context-image" class="ask-image" src=${ctx.image} alt="" loading="lazy" />` : nothing}
      <p class="ask-text">
        <span class="ask-label">${t('context.askingAbout')}</span>
        <span part="ask-context-title" class="ask-title">${title}</span>
      </p>
      <button
        part="ask-context-remove"
        class="ask-remove"
        type="button"
        aria-label=${t('context.remove', { title })}
        @click=${this.onRemoveAskContext}
      >
        <svg viewBox="0 0 24 24" aria-hidden="true">${closeIcon}</svg>
      </button>
    </div>`;
  }

  /** "Reserve" on a card: unless the page cancels the event, open the reservation picker. */
  private onProductClick(event: CustomEvent<ProductClickDetail>): void {
    if (event.detail.action !== 'reserve') return;
    loadCommerceElements();
    // The page's listeners (on document) run after this one: decide once the event is done.
    setTimeout(() => {
      if (!event.defaultPrevented) this.reserving = event.detail;
    });
  }

  private onRemoveAskContext(): void {
    this.askContext = null;
    this.input?.focus();
  }

  /** The tab actually shown: the Feed tab only while the server has feeds. */
  private shownTab(): VitrineTab {
    return this.tab === 'feed' && this.feedAvailable.value ? 'feed' : 'chat';
  }

  /** Arrow keys, Home and End move between the tabs and show the one reached (automatic activation). */
  private onTabKeydown(event: KeyboardEvent): void {
    const index = TABS.indexOf(this.shownTab());
    const next =
      event.key === 'ArrowRight' || event.key === 'ArrowDown'
        ? (index + 1) % TABS.length
        : event.key === 'ArrowLeft' || event.key === 'ArrowUp'
          ? (index + TABS.length - 1) % TABS.length
          : event.key === 'Home'
            ? 0
            : event.key === 'End'
              ? TABS.length - 1
              : -1;
    if (next < 0) return;
    event.preventDefault();
    this.focusOnTab = true;
    this.tab = TABS[next];
  }

  /** "Ask about this" in the feed: back to the chat with the item above the composer. */
  private onFeedClick(event: CustomEvent<FeedClickDetail>): void {
    const { item, title, target, productId } = event.detail;
    if (target !== 'ask') return;
    this.askContext = {
      input: productId ? { feedItemId: item.id, productId } : { feedItemId: item.id },
      id: item.id,
      title,
      image: safeHttpUrl(item.image),
      looked: true,
    };
    this.tab = 'chat';
    this.focusOnOpen = false;
    void this.updateComplete.then(() => this.input?.focus());
  }

  private renderTabs(): TemplateResult {
    const t = this.tr.t;
    const shown = this.shownTab();
    const tab = (name: VitrineTab, label: string, count: number, unreadText: string) => {
      const selected = shown === name;
      return html`<button
        part=${`tab tab-${name}${selected ? ' tab-selected' : ''}`}
        class="tab"
        id=${`tab-${name}`}
        type="button"
        role="tab"
        aria-selected=${selected ? 'true' : 'false'}
        aria-controls=${name === 'feed' && !this.feedShown ? nothing : `${name}-pane`}
        tabindex=${selected ? '0' : '-1'}
        @click=${() => (this.tab = name)}
      >
        ${label}<span part="tab-badge" class="tab-badge" aria-hidden="true" ?hidden=${count === 0}>${count > 99 ? '99+' : count}</span
        ><span class="sr-only" ?hidden=${count === 0}>${unreadText}</span>
      </button>`;
    };
    const chat = this.unread.value;
    const feed = this.feedUnread.value;
    return html`<div part="tabs" class="tabs" role="tablist" aria-label=${t('tabs.label')} @keydown=${this.onTabKeydown}>
      ${tab('chat', t('tabs.chat'), chat, t('launcher.unread', { count: chat }))}
      ${tab('feed', t('tabs.feed'), feed, t('tabs.feedUnread', { count: feed }))}
    </div>`;
  }

  private renderTyping(): TemplateResult | typeof nothing {
    const typing = this.typing.value;
    if (typing.length === 0) return nothing;
    const named = typing.length === 1 ? typing[0].name : null;
    const text = named ? this.tr.t('typing.one', { name: named }) : this.tr.t('typing.someone');
    return html`<p part="typing" class="typing">${text}</p>`;
  }

  protected override render(): TemplateResult {
    const t = this.tr.t;
    const unread = this.unreadAll.value;
    const chatUnread = this.unreadTotal.value;
    const feedUnread = this.feedUnread.value;
    const tabs = this.feedAvailable.value;
    const shown = this.shownTab();
    const state = this.connection.value;
    const stateKey = CONNECTION_KEYS[state];
    const tooLong = this.draft.length > LIMITS.textMaxLength;
    const canSend = this.draft.trim().length > 0 && !tooLong;
    const title = this.shopName || this.session.value?.shopName || t('panel.title');
    this.handoffOffer = handoffOfferFor(this.messages.value, this.assistantShown);
    return html`
      <section
        part="panel"
        class="panel"
        id="panel"
        role="dialog"
        aria-label=${title}
        ?hidden=${!this.open}
      >
        <header part="header" class="header">
          <div class="header-text">
            <h2 part="title" class="title">${title}</h2>
            <p part="connection" class="connection" data-state=${state} role="status">
              ${stateKey ? t(stateKey) : t('panel.subtitle')}
            </p>
          </div>
          <button
            part="close-button"
            class="icon-button close"
            type="button"
            aria-label=${t('panel.close')}
            @click=${this.onCloseClick}
          >
            <svg viewBox="0 0 24 24" aria-hidden="true">${closeIcon}</svg>
          </button>
          ${this.assistantShown ? this.renderAssistantToggle(this.assistantShown) : nothing}
        </header>
        ${tabs ? this.renderTabs() : nothing}
        <div
          class="pane"
          id="chat-pane"
          role=${tabs ? 'tabpanel' : nothing}
          aria-labelledby=${tabs ? 'tab-chat' : nothing}
          ?hidden=${shown !== 'chat'}
        >
          <div
            part="message-list"
            class="messages"
            role="log"
            aria-live="polite"
            aria-label=${t('messages.label')}
            tabindex="0"
            @scroll=${this.onListScroll}
            @vitrine-product-click=${this.onProductClick}
          >
            ${this.hasEarlier.value
              ? html`<button part="load-earlier" class="load-earlier" type="button" @click=${this.loadEarlier}>
                  ${t('messages.loadEarlier')}
                </button>`
              : nothing}
            ${this.items.length === 0 ? html`<p part="empty" class="empty">${t('messages.empty')}</p>` : nothing}
            ${repeat(this.items, (item) => item.key, (item) => this.renderItem(item))}
          </div>
          ${this.renderTyping()} ${this.renderAssistantStatus()} ${this.renderAskContext()}
          <form part="composer" class="composer" @submit=${this.onSubmit}>
            <div class="field">
              <label class="sr-only" for="input">${t('composer.label')}</label>
              <textarea
                part="input"
                class="input"
                id="input"
                rows="1"
                enterkeyhint="send"
                placeholder=${t('composer.placeholder')}
                aria-invalid=${tooLong ? 'true' : 'false'}
                aria-describedby="too-long"
                .value=${live(this.draft)}
                @input=${this.onInput}
                @keydown=${this.onInputKeydown}
                @blur=${this.typingOff}
              ></textarea>
              <p part="too-long" class="too-long" id="too-long" ?hidden=${!tooLong}>
                ${tooLong ? t('composer.tooLong', { count: this.draft.length, max: LIMITS.textMaxLength }) : ''}
              </p>
            </div>
            <button part="send" class="send" type="submit" ?disabled=${!canSend} aria-label=${t('composer.send')}>
              <svg viewBox="0 0 24 24" aria-hidden="true">${sendIcon}</svg>
            </button>
          </form>
        </div>
        ${tabs && this.feedShown
          ? html`<vitrine-feed
              part="feed"
              id="feed-pane"
              role="tabpanel"
              aria-labelledby="tab-feed"
              exportparts=${FEED_PARTS}
              ?hidden=${shown !== 'feed'}
              .feed=${this.activeClient?.feed ?? null}
              .client=${this.activeClient}
              .conversation=${this.conversation.value}
              .messages=${this.messages.value}
              .locale=${this.tr.locale}
              .active=${this.open && shown === 'feed' && document.visibilityState === 'visible'}
              .actions=${this.session.value?.features?.includes('reservations') ? 'view buy reserve' : 'view buy'}
              @vitrine-feed-click=${this.onFeedClick}
              @vitrine-product-click=${this.onProductClick}
            ></vitrine-feed>`
          : nothing}
        ${this.reserving
          ? html`<vitrine-reservation-picker
              part="reservation-picker"
              exportparts=${PICKER_PARTS}
              .client=${this.activeClient}
              .conversation=${this.conversation.value}
              .product=${this.reserving.product}
              .variant=${this.reserving.variant?.id ?? ''}
              .locale=${this.tr.locale}
              @vitrine-reservation-close=${() => (this.reserving = null)}
            ></vitrine-reservation-picker>`
          : nothing}
      </section>
      <button
        part="launcher"
        class="launcher"
        type="button"
        aria-expanded=${this.open ? 'true' : 'false'}
        aria-controls="panel"
        @click=${this.onLauncherClick}
      >
        <span class="sr-only">${this.open ? t('launcher.close') : t('launcher.open')}</span>
        <svg viewBox="0 0 24 24" aria-hidden="true">${this.open ? closeIcon : chatIcon}</svg>
        <span part="unread-badge" class="badge" aria-hidden="true" ?hidden=${unread === 0}>${unread > 99 ? '99+' : unread}</span>
        <span class="sr-only" ?hidden=${chatUnread === 0}>${t('launcher.unread', { count: chatUnread })}</span>
        <span class="sr-only" ?hidden=${feedUnread === 0}>${t('tabs.feedUnread', { count: feedUnread })}</span>
      </button>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'vitrine-chat': VitrineChat;
  }
}
