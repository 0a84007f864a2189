import { LitElement, html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import type { ChatMessage, ConversationHandle, FeedHandle, FeedItem, FeedValues, Translator, VitrineClient } from '../../src/index.js';
import type { FeedClickDetail } from '../events.js';
import { StockWatcher } from '../product-stock.js';
import { StoreController } from '../store-controller.js';
import { feedTranslatorFor } from './feed-translator.js';
import { VitrineFeedItem } from './vitrine-feed-item.component.js';
import { styles } from './vitrine-feed.styles.js';

const ITEM_PARTS =
  'feed-item-card,feed-item-image,feed-item-meta,feed-item-kind,feed-item-time,feed-item-unread,feed-item-title,feed-item-body,feed-item-products,feed-item-coupon,feed-item-actions,feed-item-cta,feed-item-ask';

/** Share of an item that must be in the feed's viewport before it counts as seen. */
const SEEN_RATIO = 0.5;

/**
 * The customer's broadcast feed (`client.feed`): newest first, live items on top, "Load more" for
 * older ones, an empty state, and each item as `<vitrine-feed-item>`.
 *
 * **Read on view**: an item is marked read (`client.feed.markRead`, batched by the core) only while
 * `active` is set (the chat sets it while its panel is open, the Feed tab shown and the page visible)
 * and at least half of the item is inside the feed's scrolling viewport (an item taller than twice
 * the viewport counts once it fills the viewport).
 *
 * Clicks on an item's call to action, products, coupon and "Ask about this" are recorded
 * (`client.feed.click`); the `vitrine-feed-click` event bubbles on.
 *
 * @tagname vitrine-feed
 * @summary Broadcast feed: items newest first, load more, empty state, read-on-view.
 *
 * @fires vitrine-feed-click - From its items (see `<vitrine-feed-item>`).
 *
 * @csspart feed-list - The scrolling list (`role="feed"`).
 * @csspart feed-item - One `<vitrine-feed-item>` (its parts are re-exported: `feed-item-card`, `feed-item-title`, `feed-item-ask`...).
 * @csspart feed-empty - "Nothing here yet".
 * @csspart feed-loading - "Loading…".
 * @csspart feed-error - Why the feed could not load.
 * @csspart feed-retry - Its "Try again" button.
 * @csspart feed-load-more - The "Load more" button.
 *
 * @cssprop [--vitrine-feed-background=var(--vitrine-color-surface-variant)] - Background behind the items.
 * @cssprop [--vitrine-feed-gap=12px] - Space between items.
 * @cssprop [--vitrine-color-muted=#6b6469] - Empty and loading text.
 * @cssprop [--vitrine-color-focus=#1a73e8] - Focus ring.
 */
export class VitrineFeed extends LitElement {
  static override styles = styles;

  static override properties = {
    feed: { attribute: false },
    client: { attribute: false },
    conversation: { attribute: false },
    messages: { attribute: false },
    locale: { type: String },
    active: { type: Boolean },
    actions: { type: String },
  };

  /** Registers the element under `name` unless something already did (safe to call twice). */
  static define(name = 'vitrine-feed'): void {
    if (!customElements.get(name)) customElements.define(name, this);
  }

  /** The feed (`client.feed`). */
  declare feed: FeedHandle | null;
  /** The client (optional): keeps the stock of the items' catalogue products live (`watchProducts`). */
  declare client: VitrineClient | null;
  /** The visitor's conversation (coupon claims). */
  declare conversation: ConversationHandle | null;
  /** Its messages (claimed coupons). */
  declare messages: readonly ChatMessage[];
  /** BCP 47 locale (`zh-CN`, `en`); default: the browser's languages. */
  declare locale: string;
  /** The customer can see the feed now: only then are items in view marked read. */
  declare active: boolean;
  /** Actions of the product cards (see `<vitrine-product-card actions>`). */
  declare actions: string;

  private readonly items = new StoreController<readonly FeedItem[]>(this, []);
  private readonly values = new StoreController<FeedValues>(this, {});
  private readonly loading = new StoreController<boolean>(this, false);
  private readonly loaded = new StoreController<boolean>(this, false);
  private readonly hasMore = new StoreController<boolean>(this, false);
  private tr: Translator = feedTranslatorFor('en');
  private observer: IntersectionObserver | null = null;
  private observed = new WeakSet<Element>();
  /** Ids of items at least half in view now. */
  private readonly visible = new Set<string>();
  private requested: FeedHandle | null = null;
  /** The last page request failed (a plain field, not an attribute: set through `setFailed`). */
  private failed = false;
  /** Live stock of the items' catalogue products. */
  private readonly stock = new StockWatcher(() => this.requestUpdate());

  constructor() {
    super();
    this.feed = null;
    this.client = null;
    this.conversation = null;
    this.messages = [];
    this.locale = '';
    this.active = false;
    this.actions = 'view buy';
  }

  private setFailed(failed: boolean): void {
    if (failed === this.failed) return;
    this.failed = failed;
    this.requestUpdate();
  }

  private get list(): HTMLElement | null {
    return this.renderRoot.querySelector<HTMLElement>('.list');
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.observer?.disconnect();
    this.observer = null;
    this.observed = new WeakSet();
    this.visible.clear();
    this.stock.stop();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('locale') || !this.hasUpdated) this.tr = feedTranslatorFor(this.locale);
    if (changed.has('feed')) {
      const feed = this.feed;
      this.items.store = feed?.$items ?? null;
      this.values.store = feed?.$values ?? null;
      this.loading.store = feed?.$loading ?? null;
      this.loaded.store = feed?.$loaded ?? null;
      this.hasMore.store = feed?.$hasMore ?? null;
    }
  }

  protected override updated(): void {
    const feed = this.feed;
    // The first page, once per feed (a reconnect resyncs it in the core).
    if (feed && this.requested !== feed && !this.loaded.value) {
      this.requested = feed;
      this.load();
    }
    this.observeItems();
    // Live stock of the loaded items' catalogue products (`product:update`); snapshots show until it answers.
    this.stock.use(this.client);
    this.stock.watch(this.items.value.flatMap((i) => i.products));
    // Also after `active` or the items changed while in view (e.g. a page replaced them).
    this.markVisible();
  }

  /** Fetches the newest page (again after a failure). */
  private load(): void {
    this.setFailed(false);
    this.feed?.load().catch(() => this.setFailed(true));
  }

  private loadMore(): void {
    this.setFailed(false);
    this.feed?.loadMore().catch(() => this.setFailed(true));
  }

  private observeItems(): void {
    const list = this.list;
    if (!list || typeof IntersectionObserver === 'undefined') return;
    this.observer ??= new IntersectionObserver(this.onIntersect, { root: list, threshold: [0, 0.1, 0.2, 0.3, 0.4, SEEN_RATIO, 1] });
    for (const el of list.querySelectorAll<VitrineFeedItem>('vitrine-feed-item')) {
      if (this.observed.has(el)) continue;
      this.observed.add(el);
      this.observer.observe(el);
    }
  }

  private readonly onIntersect = (entries: IntersectionObserverEntry[]): void => {
    for (const entry of entries) {
      const id = (entry.target as VitrineFeedItem).item?.id;
      if (!id) continue;
      const viewport = entry.rootBounds?.height ?? 0;
      // At least half of the item in view; an item taller than twice the viewport once it fills it.
      const seen = entry.isIntersecting && (entry.intersectionRatio >= SEEN_RATIO || (viewport > 0 && entry.intersectionRect.height >= viewport - 1));
      if (seen) this.visible.add(id);
      else this.visible.delete(id);
    }
    this.markVisible();
  };

  /** Marks the unread items in view read, while the feed is shown. */
  private markVisible(): void {
    const feed = this.feed;
    if (!feed || !this.active || this.visible.size === 0) return;
    const ids = this.items.value.filter((item) => !item.read && this.visible.has(item.id)).map((item) => item.id);
    if (ids.length) feed.markRead(ids);
  }

  private readonly onFeedClick = (event: CustomEvent<FeedClickDetail>): void => {
    const { item, target, productId } = event.detail;
    this.feed?.click(item.id, target, productId).catch(() => {
      /* not recorded (e.g. the item left the feed): nothing to tell the customer */
    });
  };

  protected override render(): TemplateResult {
    const t = this.tr.t;
    const items = this.items.value;
    const loading = this.loading.value;
    const values = this.values.value;
    return html`<div
      part="feed-list"
      class="list"
      role="feed"
      tabindex="0"
      aria-busy=${loading ? 'true' : 'false'}
      aria-label=${t('feed.label')}
      @vitrine-feed-click=${this.onFeedClick}
    >
      ${repeat(
        items,
        (item) => item.id,
        (item, index) => html`<vitrine-feed-item
          part="feed-item"
          exportparts=${ITEM_PARTS}
          aria-posinset=${index + 1}
          aria-setsize=${this.hasMore.value ? -1 : items.length}
          .item=${item}
          .values=${values}
          .stocks=${this.stock.stocks}
          .conversation=${this.conversation}
          .messages=${this.messages}
          .locale=${this.tr.locale}
          .actions=${this.actions}
        ></vitrine-feed-item>`,
      )}
      ${items.length === 0 && this.loaded.value && !loading ? html`<p part="feed-empty" class="note">${t('feed.empty')}</p>` : nothing}
      ${loading ? html`<p part="feed-loading" class="note" role="status">${t('feed.loading')}</p>` : nothing}
      ${this.failed && !loading
        ? html`<p part="feed-error" class="note error" role="alert">
            ${t('feed.loadFailed')}
            <button part="feed-retry" class="button" type="button" @click=${() => (this.loaded.value ? this.loadMore() : this.load())}>${t('feed.retry')}</button>
          </p>`
        : nothing}
      ${this.hasMore.value && !loading && !this.failed && items.length
        ? html`<button part="feed-load-more" class="button more" type="button" @click=${this.loadMore}>${t('feed.loadMore')}</button>`
        : nothing}
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'vitrine-feed': VitrineFeed;
  }
}
