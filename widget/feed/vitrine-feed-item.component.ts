import { LitElement, html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import {
  feedItemView,
  type ChatMessage,
  type ConversationHandle,
  type FeedClickTarget,
  type FeedItem,
  type FeedItemView,
  type FeedValues,
  type MessageKey,
  type ProductStock,
  type Translator,
} from '../../src/index.js';
import { emit } from '../events.js';
import { safeHttpUrl } from '../safe-url.js';
import { feedTranslatorFor } from './feed-translator.js';
import { itemStyles } from './vitrine-feed.styles.js';

const CARD_PARTS =
  'product-card,product-image,product-image-placeholder,product-body,product-title,product-prices,product-price,product-compare-at,product-stock,variants,variant,variant-selected,product-actions,product-action,product-action-view,product-action-buy,product-action-reserve';
const COUPON_PARTS = 'coupon-card,coupon-value,coupon-title,coupon-min-spend,coupon-conditions,coupon-expiry,coupon-status,coupon-claim,coupon-code,coupon-copy,coupon-copied,coupon-error,coupon-pending';

/** Loads an element chunk (products, commerce) once per page; a failed load is tried again on the next render. */
const chunks = new Map<string, Promise<void>>();
function loadChunk(tag: string, load: () => Promise<void>): void {
  if (chunks.has(tag) || customElements.get(tag)) return;
  chunks.set(
    tag,
    load().catch(() => {
      chunks.delete(tag);
    }),
  );
}

/** The coupon of an item as a coupon message, so `<vitrine-coupon-card>` shows it (claims go through the conversation). */
const couponMessages = new WeakMap<FeedItem, ChatMessage>();
function couponMessage(item: FeedItem, conversationId: string): ChatMessage | null {
  if (!item.coupon) return null;
  let m = couponMessages.get(item);
  if (!m || m.conversationId !== conversationId) {
    m = {
      id: `feed:${item.id}`,
      seq: 0,
      conversationId,
      clientId: `feed:${item.id}`,
      author: { role: 'agent', id: '', name: null },
      kind: 'coupon',
      text: '',
      coupon: item.coupon,
      createdAt: item.sentAt,
      mine: false,
      status: 'sent',
      error: null,
    };
    couponMessages.set(item, m);
  }
  return m;
}

/**
 * One broadcast of the customer's feed: image, kind and time, title and body (rendered from their
 * templates for the customer, as text), its products (`<vitrine-product-card>` or
 * `<vitrine-product-carousel>`), its coupon (`<vitrine-coupon-card>`: claimed in the chat's
 * conversation like coupons staff send there), a call to action link and "Ask about this".
 * Everything from the shop and the customer's profile is untrusted: text bindings only, and only
 * `http:`/`https:` URLs for the image and the link.
 *
 * @tagname vitrine-feed-item
 * @summary One feed item: image, title, body, products, coupon, call to action, "Ask about this".
 *
 * @fires vitrine-feed-click - The call to action, a product action, the coupon's Claim or "Ask about this" was used. `detail`: `{ item, title, target, productId? }`.
 *
 * @csspart feed-item-card - The item's box (`data-read`: `true` or `false`; `data-kind`). The element itself has `role="article"`, labelled with the title.
 * @csspart feed-item-image - Its image.
 * @csspart feed-item-meta - The line with kind, time and the unread dot.
 * @csspart feed-item-kind - "New arrival", "Offer", "Member benefit", "Announcement".
 * @csspart feed-item-time - When it was sent (`<time datetime>`).
 * @csspart feed-item-unread - The unread dot (with "New" for screen readers); absent once read.
 * @csspart feed-item-title - The title.
 * @csspart feed-item-body - The body text.
 * @csspart feed-item-products - Its product card or carousel (card parts re-exported: `product-card`, `product-title`...).
 * @csspart feed-item-coupon - Its coupon card (`coupon-card`, `coupon-claim`, `coupon-code`... re-exported).
 * @csspart feed-item-actions - The row of the call to action and "Ask about this".
 * @csspart feed-item-cta - The call to action link (opens in a new tab).
 * @csspart feed-item-ask - The "Ask about this" button (or the call to action that asks in the chat).
 *
 * @cssprop [--vitrine-feed-item-background=var(--vitrine-color-surface)] - Item background.
 * @cssprop [--vitrine-feed-image-height=160px] - Height of the image.
 * @cssprop [--vitrine-card-radius=12px] - Corner radius.
 * @cssprop [--vitrine-color-primary=#b4235a] - Unread dot, call to action (dark: #f06292).
 * @cssprop [--vitrine-color-text=#1d1b1c] - Text (dark: #f2eff0).
 * @cssprop [--vitrine-color-muted=#6b6469] - Kind and time (dark: #b1a9ae).
 * @cssprop [--vitrine-color-border=rgba(0,0,0,.12)] - Item border.
 * @cssprop [--vitrine-color-focus=#1a73e8] - Focus ring.
 */
export class VitrineFeedItem extends LitElement {
  static override styles = itemStyles;

  static override properties = {
    item: { attribute: false },
    values: { attribute: false },
    stocks: { attribute: false },
    conversation: { attribute: false },
    messages: { attribute: false },
    locale: { type: String },
    actions: { type: String },
  };

  /** Registers the element under `name` unless something already did (safe to call twice). */
  static define(name = 'vitrine-feed-item'): void {
    if (!customElements.get(name)) customElements.define(name, this);
  }

  /** The item (from `client.feed.$items`). */
  declare item: FeedItem | null;
  /** The customer's template values (`client.feed.$values`). */
  declare values: FeedValues;
  /** Live stock by product id (overrides the snapshots' stock). */
  declare stocks: Record<string, ProductStock | undefined>;
  /** The visitor's conversation: claims of the item's coupon go there. Without it the coupon offers no Claim. */
  declare conversation: ConversationHandle | null;
  /** Messages of that conversation (whether the coupon is claimed already). */
  declare messages: readonly ChatMessage[];
  /** BCP 47 locale (`zh-CN`, `en`); default: the browser's languages. */
  declare locale: string;
  /** Actions of its product cards (see `<vitrine-product-card actions>`). */
  declare actions: string;

  private tr: Translator = feedTranslatorFor('en');
  private view: FeedItemView | null = null;

  constructor() {
    super();
    this.item = null;
    this.values = {};
    this.stocks = {};
    this.conversation = null;
    this.messages = [];
    this.locale = '';
    this.actions = 'view buy';
  }

  override connectedCallback(): void {
    super.connectedCallback();
    if (!this.hasAttribute('role')) this.setAttribute('role', 'article');
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('locale') || !this.hasUpdated) this.tr = feedTranslatorFor(this.locale);
    this.view = this.item ? feedItemView(this.item, this.values ?? {}, this.tr) : null;
    if (this.view) this.setAttribute('aria-label', this.view.title);
  }

  private fire(target: FeedClickTarget, productId?: string): void {
    const item = this.item;
    if (!item || !this.view) return;
    emit(this, 'vitrine-feed-click', { item, title: this.view.title, target, ...(productId ? { productId } : {}) });
  }

  private readonly onProductClick = (event: Event): void => {
    const product = (event as CustomEvent<{ product?: { id?: string } }>).detail?.product;
    this.fire('product', typeof product?.id === 'string' ? product.id : undefined);
  };

  private readonly onCouponClick = (event: Event): void => {
    const claim = event.composedPath().some((node) => node instanceof Element && node.matches('[part~="coupon-claim"]'));
    if (claim) this.fire('coupon');
  };

  protected override render(): TemplateResult | typeof nothing {
    const item = this.item;
    const view = this.view;
    if (!item || !view) return nothing;
    const t = this.tr.t;
    const image = safeHttpUrl(view.image);
    const ctaUrl = view.cta ? safeHttpUrl(view.cta.url) : null;
    const products = view.products;
    if (products.length) loadChunk('vitrine-product-card', () => import('../products.js').then((m) => m.defineProductElements()));
    const coupon = couponMessage(item, this.conversation?.id ?? '');
    if (coupon) loadChunk('vitrine-coupon-card', () => import('../commerce.js').then((m) => m.defineCommerceElements()));
    const kindKey = `feed.kind.${view.kind}` as MessageKey;
    const kind = t(kindKey);
    return html`<div part="feed-item-card" class="card" data-read=${view.read ? 'true' : 'false'} data-kind=${view.kind}>
      ${image ? html`<img part="feed-item-image" class="image" src=${image} alt="" loading="lazy" />` : nothing}
      <div class="text">
        <p part="feed-item-meta" class="meta">
          ${kind !== kindKey ? html`<span part="feed-item-kind" class="kind">${kind}</span>` : nothing}
          <time part="feed-item-time" datetime=${view.datetime}>${view.time}</time>
          ${view.read ? nothing : html`<span part="feed-item-unread" class="dot"><span class="sr-only">${t('feed.unread')}</span></span>`}
        </p>
        <h3 part="feed-item-title" class="title">${view.title}</h3>
        ${view.body ? html`<p part="feed-item-body" class="body">${view.body}</p>` : nothing}
      </div>
      ${products.length === 0
        ? nothing
        : html`<div class="products" role="group" aria-label=${t('feed.products')} @vitrine-product-click=${this.onProductClick}>
            ${products.length === 1
              ? html`<vitrine-product-card
                  part="feed-item-products"
                  exportparts=${CARD_PARTS}
                  .product=${products[0]}
                  .stock=${this.stocks?.[products[0].id] ?? null}
                  .locale=${this.tr.locale}
                  .actions=${this.actions}
                ></vitrine-product-card>`
              : html`<vitrine-product-carousel
                  part="feed-item-products"
                  exportparts=${`carousel,track,item,carousel-previous,carousel-next,${CARD_PARTS}`}
                  .products=${products}
                  .stocks=${this.stocks ?? {}}
                  .locale=${this.tr.locale}
                  .actions=${this.actions}
                ></vitrine-product-carousel>`}
          </div>`}
      ${coupon
        ? html`<vitrine-coupon-card
            part="feed-item-coupon"
            exportparts=${COUPON_PARTS}
            .message=${coupon}
            .messages=${this.messages ?? []}
            .conversation=${this.conversation}
            .locale=${this.tr.locale}
            @click=${this.onCouponClick}
          ></vitrine-coupon-card>`
        : nothing}
      <div part="feed-item-actions" class="actions">
        ${view.cta && ctaUrl
          ? html`<a
              part="feed-item-cta"
              class="button primary"
              href=${ctaUrl}
              target="_blank"
              rel="noopener noreferrer"
              aria-label=${t('feed.opensInNewTab', { label: view.cta.label })}
              @click=${() => this.fire('cta')}
              >${view.cta.label}</a
            >`
          : nothing}
        <button part="feed-item-ask" class="button" type="button" @click=${() => this.fire('ask')}>${view.askLabel ?? t('feed.ask')}</button>
      </div>
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'vitrine-feed-item': VitrineFeedItem;
  }
}
