import { LitElement, html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import {
  createTranslator,
  type Money,
  type Product,
  type ProductSnapshot,
  type ProductStock,
  type ProductVariant,
  type Translator,
} from '../../src/index.js';
import { emit, type ProductClickAction } from '../events.js';
import { variantDescription, variantLabel as optionsVariantLabel } from '../option-labels.js';
import { safeHttpUrl } from '../safe-url.js';

export { stockOf } from '../product-stock.js';
import { styles } from './vitrine-product-card.styles.js';

/** Stock state a card shows: `in` (in stock), `low` (only N left), `out` (out of stock); `null` when not tracked. */
export type StockState = 'in' | 'low' | 'out';

/**
 * Card actions: `view` (open the product page), `buy` ("Buy"), `cart` ("Add to cart"; fires action
 * `buy`) or `reserve` ("Reserve / try in store"; `<vitrine-chat>` adds it when the shop takes
 * reservations).
 */
export type ProductCardAction = 'view' | 'buy' | 'cart' | 'reserve';

/** The image of a snapshot (`image`) or a catalogue product (`images[0]`). */
export function productImage(product: ProductSnapshot | Product): string | null {
  if ('image' in product) return product.image ?? null;
  return Array.isArray(product.images) ? product.images[0] ?? null : null;
}

/**
 * The text of a variant chip: its option values ("gold / 42"; localized with the product's option
 * labels when given: "金色 / 42"), else its SKU or id.
 */
export const variantLabel = optionsVariantLabel;

/**
 * A product card: image, title, price (formatted for the visitor's locale in the product's
 * currency), compare-at price struck through, stock state, variant chips and the actions "View" and
 * "Buy" / "Add to cart" (and "Reserve / try in store" when `actions` includes `reserve`). Variant
 * chips show the product's localized option labels (`options`) for `locale`, else the raw keys.
 * Works on its own on any page and inside `<vitrine-chat>`.
 *
 * Product data is untrusted: every text goes through lit text bindings, and only `https:`/`http:`
 * URLs or paths are used for the image and the product link.
 *
 * @tagname vitrine-product-card
 * @summary Product card: image, title, price, compare-at, stock, variant chips, View and Buy actions.
 *
 * @fires vitrine-product-click - An action was pressed. Cancellable; bubbles out of shadow roots. `detail`: `{ product, variant, action: 'view' | 'buy' | 'reserve' }`. Not cancelled, `view` opens the product URL in a new tab; `reserve` inside `<vitrine-chat>` opens its reservation picker.
 *
 * @csspart product-card - The card (`<article>`; `data-stock`: in, low, out).
 * @csspart product-image - The product image (`<img loading="lazy">`).
 * @csspart product-image-placeholder - Shown instead of the image when the product has none (or no safe one).
 * @csspart product-body - The text column: title, prices, stock, variants, actions.
 * @csspart product-title - The product title.
 * @csspart product-prices - The line holding the price and the compare-at price.
 * @csspart product-price - The current price.
 * @csspart product-compare-at - The "was" price, struck through (`<s>`), shown when higher than the price.
 * @csspart product-stock - The stock state (`data-state`: in, low, out); absent when stock is not tracked.
 * @csspart variants - The group of variant chips.
 * @csspart variant - One variant chip (a button with `aria-pressed`; disabled when out of stock).
 * @csspart variant-selected - The selected variant chip.
 * @csspart product-actions - The row of action buttons.
 * @csspart product-action - An action ("View" is a link when the product has a URL; "Buy" / "Add to cart" a button).
 * @csspart product-action-view - The "View" action.
 * @csspart product-action-buy - The "Buy" / "Add to cart" action.
 * @csspart product-action-reserve - The "Reserve / try in store" action (with `actions` including `reserve`).
 *
 * @cssprop [--vitrine-card-width=100%] - Width of the card (the carousel sets its own card width).
 * @cssprop [--vitrine-card-radius=12px] - Corner radius of the card.
 * @cssprop [--vitrine-card-image-aspect-ratio=1] - Aspect ratio of the image box (`4 / 3`, `1`...).
 * @cssprop [--vitrine-card-image-fit=cover] - `object-fit` of the image.
 * @cssprop [--vitrine-card-background=var(--vitrine-color-surface)] - Card background.
 * @cssprop [--vitrine-color-surface=#ffffff] - Card background when `--vitrine-card-background` is unset.
 * @cssprop [--vitrine-color-surface-variant=#f4f2f3] - Image placeholder and unselected chip background.
 * @cssprop [--vitrine-color-text=#1d1b1c] - Title and price.
 * @cssprop [--vitrine-color-muted=#6b6469] - Compare-at price and secondary text.
 * @cssprop [--vitrine-color-border=rgba(0,0,0,.12)] - Card and chip borders.
 * @cssprop [--vitrine-color-primary=#b4235a] - Buy button and selected chip.
 * @cssprop [--vitrine-color-on-primary=#ffffff] - Text on the Buy button and the selected chip.
 * @cssprop [--vitrine-color-price=var(--vitrine-color-text)] - The current price.
 * @cssprop [--vitrine-color-sale=#b3261e] - The current price when a higher compare-at price is shown.
 * @cssprop [--vitrine-color-stock-in=#1e7e4a] - "In stock".
 * @cssprop [--vitrine-color-stock-low=#a15c00] - "Only N left".
 * @cssprop [--vitrine-color-stock-out=#b3261e] - "Out of stock".
 * @cssprop [--vitrine-color-focus=#1a73e8] - Focus ring.
 * @cssprop [--vitrine-font-family=system-ui] - Font stack.
 */
export class VitrineProductCard extends LitElement {
  static override styles = styles;

  static override properties = {
    product: { attribute: false },
    locale: { type: String },
    stock: { attribute: false },
    actions: { type: String },
    compact: { type: Boolean, reflect: true },
    lowStock: { type: Number, attribute: 'low-stock' },
    variant: { type: String },
  };

  /** Registers the element under `name` unless something already did (safe to call twice). */
  static define(name = 'vitrine-product-card'): void {
    if (!customElements.get(name)) customElements.define(name, this);
  }

  /** The product: a message's snapshot or a catalogue product. */
  declare product: ProductSnapshot | Product | null;
  /** BCP 47 locale (`zh-CN`, `en`); default: the browser's languages. Prices follow it, titles too. */
  declare locale: string;
  /** Live stock (e.g. from `client.getProducts`): overrides the stock the product carries. */
  declare stock: ProductStock | null;
  /** Space-separated actions to show: `view`, `buy` ("Buy"), `cart` ("Add to cart") and `reserve` ("Reserve / try in store"). Default `view buy`; `''` for none. */
  declare actions: string;
  /** A smaller layout (image beside the text, no variant chips). */
  declare compact: boolean;
  /** At or below this many units the stock reads "Only N left" (default 5). */
  declare lowStock: number;
  /** Id of the selected variant (set by the chips; a product with one variant selects it). */
  declare variant: string;

  private tr: Translator = createTranslator('en');

  constructor() {
    super();
    this.product = null;
    this.locale = '';
    this.stock = null;
    this.actions = 'view buy';
    this.compact = false;
    this.lowStock = 5;
    this.variant = '';
  }

  /** The selected variant, `null` when none is. */
  get selectedVariant(): ProductVariant | null {
    const variants = this.product?.variants ?? [];
    if (variants.length === 1) return variants[0];
    return variants.find((v) => v.id === this.variant) ?? null;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('locale') || !this.hasUpdated) {
      this.tr = createTranslator(this.locale || (typeof navigator !== 'undefined' ? navigator.languages : 'en'));
    }
  }

  /** Units of `variant` right now: live stock first, then what the product carries. */
  private variantStock(variant: ProductVariant): number | null {
    const live = this.stock?.variants;
    if (live && Object.prototype.hasOwnProperty.call(live, variant.id)) return live[variant.id] ?? null;
    return variant.stock ?? null;
  }

  /** Units the card shows: the selected variant's, else the total over tracked variants; `null` when untracked. */
  get units(): number | null {
    const selected = this.selectedVariant;
    if (selected) return this.variantStock(selected);
    if (this.stock && this.stock.productId === this.product?.id) return this.stock.total;
    let total: number | null = null;
    for (const v of this.product?.variants ?? []) {
      const units = this.variantStock(v);
      if (typeof units === 'number') total = (total ?? 0) + Math.max(0, units);
    }
    return total;
  }

  /** The stock state shown, `null` when stock is not tracked. */
  get stockState(): StockState | null {
    const units = this.units;
    if (units === null) return null;
    if (units <= 0) return 'out';
    return units <= this.lowStock ? 'low' : 'in';
  }

  private select(variant: ProductVariant): void {
    this.variant = this.variant === variant.id ? '' : variant.id;
  }

  private onChipKeydown(event: KeyboardEvent): void {
    const keys = ['ArrowLeft', 'ArrowRight', 'ArrowUp', 'ArrowDown', 'Home', 'End'];
    if (!keys.includes(event.key)) return;
    const chips = [...this.renderRoot.querySelectorAll<HTMLButtonElement>('.chip')].filter((c) => !c.disabled);
    const index = chips.indexOf(event.currentTarget as HTMLButtonElement);
    if (chips.length === 0) return;
    event.preventDefault();
    event.stopPropagation(); // inside a carousel, arrows on a chip move between chips, not cards
    let next = index;
    if (event.key === 'Home') next = 0;
    else if (event.key === 'End') next = chips.length - 1;
    else if (event.key === 'ArrowLeft' || event.key === 'ArrowUp') next = (index - 1 + chips.length) % chips.length;
    else next = (index + 1) % chips.length;
    chips[next].focus();
  }

  /** Fires `vitrine-product-click`; returns whether the default may happen (not cancelled). */
  private fire(action: ProductClickAction): boolean {
    if (!this.product) return false;
    const event = emit(this, 'vitrine-product-click', { product: this.product, variant: this.selectedVariant, action });
    return !event.defaultPrevented;
  }

  private onViewClick(event: MouseEvent): void {
    // The link opens the product page (new tab) unless the page cancels the event.
    if (!this.fire('view')) event.preventDefault();
  }

  private onBuyClick(): void {
    this.fire('buy');
  }

  private money(money: Money): string {
    return this.tr.money(money);
  }

  private renderPrices(): TemplateResult {
    const product = this.product!;
    const price = this.selectedVariant?.price ?? product.price;
    const compareAt = product.compareAt;
    const showWas = compareAt && price && compareAt.currency === price.currency && compareAt.amount > price.amount;
    const now = price ? this.money(price) : '';
    return html`<p part="product-prices" class="prices">
      ${showWas ? html`<span class="sr-only">${this.tr.t('product.now', { price: now })}</span>` : nothing}
      <span part="product-price" class="price ${showWas ? 'sale' : ''}" aria-hidden=${showWas ? 'true' : nothing}>${now}</span>
      ${showWas
        ? html`<span class="sr-only">${this.tr.t('product.was', { price: this.money(compareAt) })}</span
            ><s part="product-compare-at" class="compare-at" aria-hidden="true">${this.money(compareAt)}</s>`
        : nothing}
    </p>`;
  }

  private renderStock(): TemplateResult | typeof nothing {
    const state = this.stockState;
    if (!state) return nothing;
    const text =
      state === 'out'
        ? this.tr.t('product.outOfStock')
        : state === 'low'
          ? this.tr.t('product.lowStock', { count: this.units ?? 0 })
          : this.tr.t('product.inStock');
    return html`<p part="product-stock" class="stock" data-state=${state}>${text}</p>`;
  }

  private renderVariants(): TemplateResult | typeof nothing {
    const variants = this.product?.variants ?? [];
    if (this.compact || variants.length < 2) return nothing;
    const selected = this.selectedVariant;
    return html`<div part="variants" class="variants" role="group" aria-label=${this.tr.t('product.variants')}>
      ${variants.map((v) => {
        const out = this.variantStock(v) === 0;
        const on = selected?.id === v.id;
        const label = variantLabel(v, this.product?.options, this.tr.localized);
        return html`<button
          part="variant${on ? ' variant-selected' : ''}"
          class="chip"
          type="button"
          data-variant=${v.id}
          aria-pressed=${on ? 'true' : 'false'}
          title=${variantDescription(v, this.product?.options, this.tr.localized)}
          aria-label=${out ? this.tr.t('product.variantOutOfStock', { name: label }) : nothing}
          ?disabled=${out}
          @click=${() => this.select(v)}
          @keydown=${this.onChipKeydown}
        >${label}</button>`;
      })}
    </div>`;
  }

  private renderActions(title: string): TemplateResult | typeof nothing {
    const wanted = new Set(this.actions.split(/\s+/).filter(Boolean));
    if (wanted.size === 0) return nothing;
    const url = safeHttpUrl(this.product?.url);
    const buyLabel = wanted.has('cart') ? this.tr.t('product.addToCart') : this.tr.t('product.buy');
    const canBuy = this.stockState !== 'out';
    return html`<div part="product-actions" class="actions">
      ${wanted.has('view')
        ? url
          ? html`<a
              part="product-action product-action-view"
              class="action view"
              href=${url}
              target="_blank"
              rel="noopener noreferrer"
              title=${this.tr.t('product.opensInNewTab', { title })}
              @click=${this.onViewClick}
              >${this.tr.t('product.view')}</a
            >`
          : html`<button part="product-action product-action-view" class="action view" type="button" @click=${() => this.fire('view')}>
              ${this.tr.t('product.view')}
            </button>`
        : nothing}
      ${wanted.has('buy') || wanted.has('cart')
        ? html`<button
            part="product-action product-action-buy"
            class="action buy"
            type="button"
            ?disabled=${!canBuy}
            @click=${this.onBuyClick}
          >
            ${buyLabel}
          </button>`
        : nothing}
      ${wanted.has('reserve')
        ? html`<button
            part="product-action product-action-reserve"
            class="action reserve"
            type="button"
            @click=${() => this.fire('reserve')}
          >
            ${this.tr.t('product.reserve')}
          </button>`
        : nothing}
    </div>`;
  }

  protected override render(): TemplateResult | typeof nothing {
    const product = this.product;
    if (!product) return nothing;
    const title = this.tr.localized(product.title);
    const image = safeHttpUrl(productImage(product));
    return html`<article part="product-card" class="card" aria-labelledby="title" data-stock=${this.stockState ?? nothing}>
      ${image
        ? html`<img part="product-image" class="image" src=${image} alt=${title} loading="lazy" decoding="async" />`
        : html`<div part="product-image-placeholder" class="image placeholder" aria-hidden="true"></div>`}
      <div part="product-body" class="body">
        <p part="product-title" class="title" id="title">${title}</p>
        ${this.renderPrices()} ${this.renderStock()} ${this.renderVariants()} ${this.renderActions(title)}
      </div>
    </article>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'vitrine-product-card': VitrineProductCard;
  }
}
