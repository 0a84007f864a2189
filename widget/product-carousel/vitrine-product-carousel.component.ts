import { LitElement, html, nothing, svg, type PropertyValues, type TemplateResult } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import { createTranslator, type Product, type ProductSnapshot, type ProductStock, type Translator } from '../../src/index.js';
import '../product-card/vitrine-product-card.js';
import { styles } from './vitrine-product-carousel.styles.js';

const prevIcon = svg`<path d="M15.4 5.4a1 1 0 0 1 0 1.4L10.2 12l5.2 5.2a1 1 0 1 1-1.4 1.4l-5.9-5.9a1 1 0 0 1 0-1.4l5.9-5.9a1 1 0 0 1 1.4 0z"/>`;
const nextIcon = svg`<path d="M8.6 5.4a1 1 0 0 0 0 1.4l5.2 5.2-5.2 5.2a1 1 0 1 0 1.4 1.4l5.9-5.9a1 1 0 0 0 0-1.4L10 5.4a1 1 0 0 0-1.4 0z"/>`;

/**
 * A horizontal, scroll-snapping list of `<vitrine-product-card>`s with previous / next buttons.
 * Swipe works natively (it is a scroll container); with the keyboard, Left / Right move focus
 * between cards and Home / End jump to the first / last card.
 *
 * @tagname vitrine-product-carousel
 * @summary Carousel of product cards: scroll-snap, previous/next buttons, arrow-key navigation.
 *
 * @fires vitrine-product-click - From its cards (see `<vitrine-product-card>`).
 *
 * @csspart carousel - The whole carousel (a `region` labelled "Products").
 * @csspart track - The scrolling list of cards.
 * @csspart item - The list item around one card (focusable; arrow keys move between items).
 * @csspart carousel-previous - The "previous products" button (disabled at the start).
 * @csspart carousel-next - The "next products" button (disabled at the end).
 * @csspart product-card - The parts of its cards are exported: `product-card`, `product-image`, `product-title`, `product-price`, `product-compare-at`, `product-stock`, `variant`, `product-action`... (see `<vitrine-product-card>`).
 *
 * @cssprop [--vitrine-carousel-card-width=200px] - Width of each card.
 * @cssprop [--vitrine-carousel-gap=10px] - Gap between cards.
 * @cssprop [--vitrine-carousel-button-size=32px] - Diameter of the previous / next buttons.
 * @cssprop [--vitrine-color-surface=#ffffff] - Background of the previous / next buttons.
 * @cssprop [--vitrine-color-text=#1d1b1c] - Icon colour of the previous / next buttons.
 * @cssprop [--vitrine-color-border=rgba(0,0,0,.12)] - Border of the previous / next buttons.
 * @cssprop [--vitrine-color-focus=#1a73e8] - Focus ring.
 */
export class VitrineProductCarousel extends LitElement {
  static override styles = styles;

  static override properties = {
    products: { attribute: false },
    stocks: { attribute: false },
    locale: { type: String },
    actions: { type: String },
    atStart: { state: true },
    atEnd: { state: true },
  };

  /** Registers the element under `name` unless something already did (safe to call twice). */
  static define(name = 'vitrine-product-carousel'): void {
    if (!customElements.get(name)) customElements.define(name, this);
  }

  /** The products (message snapshots or catalogue products). */
  declare products: (ProductSnapshot | Product)[];
  /** Live stock by product id (overrides what the products carry). */
  declare stocks: Record<string, ProductStock | undefined>;
  /** BCP 47 locale (`zh-CN`, `en`); default: the browser's languages. */
  declare locale: string;
  /** Actions of every card (see `<vitrine-product-card actions>`). */
  declare actions: string;
  private declare atStart: boolean;
  private declare atEnd: boolean;

  private tr: Translator = createTranslator('en');
  private focusIndex = 0;
  private resizeObserver: ResizeObserver | null = null;

  constructor() {
    super();
    this.products = [];
    this.stocks = {};
    this.locale = '';
    this.actions = 'view buy';
    this.atStart = true;
    this.atEnd = true;
  }

  private get track(): HTMLElement | null {
    return this.renderRoot.querySelector<HTMLElement>('.track');
  }

  private get items(): HTMLElement[] {
    return [...this.renderRoot.querySelectorAll<HTMLElement>('.item')];
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.resizeObserver?.disconnect();
    this.resizeObserver = null;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('locale') || !this.hasUpdated) {
      this.tr = createTranslator(this.locale || (typeof navigator !== 'undefined' ? navigator.languages : 'en'));
    }
    if (this.focusIndex >= this.products.length) this.focusIndex = Math.max(0, this.products.length - 1);
  }

  protected override firstUpdated(): void {
    const track = this.track;
    if (track && typeof ResizeObserver !== 'undefined') {
      this.resizeObserver = new ResizeObserver(() => this.updateEnds());
      this.resizeObserver.observe(track);
    }
  }

  protected override updated(): void {
    this.updateEnds();
  }

  private updateEnds(): void {
    const track = this.track;
    if (!track) return;
    const max = track.scrollWidth - track.clientWidth;
    const start = Math.abs(track.scrollLeft) <= 1;
    const end = Math.abs(track.scrollLeft) >= max - 1;
    if (start !== this.atStart) this.atStart = start;
    if (end !== this.atEnd) this.atEnd = end;
  }

  private scrollByPage(direction: 1 | -1): void {
    const track = this.track;
    const first = this.items[0];
    if (!track || !first) return;
    const gap = parseFloat(getComputedStyle(track).columnGap) || 0;
    const step = first.getBoundingClientRect().width + gap;
    const perPage = Math.max(1, Math.floor((track.clientWidth + gap) / step));
    const rtl = getComputedStyle(this).direction === 'rtl' ? -1 : 1;
    const reduce = typeof matchMedia === 'function' && matchMedia('(prefers-reduced-motion: reduce)').matches;
    track.scrollBy({ left: direction * rtl * perPage * step, behavior: reduce ? 'auto' : 'smooth' });
  }

  /** Moves focus to card `index` (clamped) and scrolls it into view. */
  focusCard(index: number): void {
    const items = this.items;
    if (items.length === 0) return;
    this.focusIndex = Math.min(items.length - 1, Math.max(0, index));
    items.forEach((item, i) => (item.tabIndex = i === this.focusIndex ? 0 : -1));
    const item = items[this.focusIndex];
    item.focus({ preventScroll: true });
    item.scrollIntoView({ block: 'nearest', inline: 'nearest' });
  }

  private onKeydown(event: KeyboardEvent): void {
    if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey) return;
    const items = this.items;
    // The item holding focus (focus on the item itself, or inside its card).
    const current = items.findIndex((item) => item === event.target || item.contains(event.target as Node));
    if (current < 0) return;
    const rtl = getComputedStyle(this).direction === 'rtl';
    let next: number;
    if (event.key === 'ArrowRight') next = current + (rtl ? -1 : 1);
    else if (event.key === 'ArrowLeft') next = current + (rtl ? 1 : -1);
    else if (event.key === 'Home') next = 0;
    else if (event.key === 'End') next = items.length - 1;
    else return;
    event.preventDefault();
    this.focusCard(next);
  }

  private onFocusIn(event: FocusEvent): void {
    const items = this.items;
    const index = items.findIndex((item) => item === event.target || item.contains(event.target as Node));
    if (index < 0 || index === this.focusIndex) return;
    this.focusIndex = index;
    items.forEach((item, i) => (item.tabIndex = i === index ? 0 : -1));
  }

  protected override render(): TemplateResult | typeof nothing {
    const products = this.products ?? [];
    if (products.length === 0) return nothing;
    const t = this.tr.t;
    const count = products.length;
    return html`<div part="carousel" class="carousel" role="region" aria-roledescription="carousel" aria-label=${t('carousel.label')}>
      <button
        part="carousel-previous"
        class="nav previous"
        type="button"
        aria-label=${t('carousel.previous')}
        ?disabled=${this.atStart}
        @click=${() => this.scrollByPage(-1)}
      >
        <svg viewBox="0 0 24 24" aria-hidden="true">${prevIcon}</svg>
      </button>
      <div part="track" class="track" role="list" @scroll=${this.updateEnds} @keydown=${this.onKeydown} @focusin=${this.onFocusIn}>
        ${repeat(
          products,
          (p, i) => `${p.id}:${i}`,
          (p, i) => html`<div
            part="item"
            class="item"
            role="listitem"
            tabindex=${i === this.focusIndex ? '0' : '-1'}
            aria-label=${`${this.tr.localized(p.title)} — ${t('carousel.position', { index: i + 1, count })}`}
          >
            <vitrine-product-card
              exportparts="product-card,product-image,product-image-placeholder,product-body,product-title,product-prices,product-price,product-compare-at,product-stock,variants,variant,variant-selected,product-actions,product-action,product-action-view,product-action-buy,product-action-reserve"
              .product=${p}
              .stock=${this.stocks?.[p.id] ?? null}
              .locale=${this.tr.locale}
              .actions=${this.actions}
            ></vitrine-product-card>
          </div>`,
        )}
      </div>
      <button
        part="carousel-next"
        class="nav next"
        type="button"
        aria-label=${t('carousel.next')}
        ?disabled=${this.atEnd}
        @click=${() => this.scrollByPage(1)}
      >
        <svg viewBox="0 0 24 24" aria-hidden="true">${nextIcon}</svg>
      </button>
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'vitrine-product-carousel': VitrineProductCarousel;
  }
}
