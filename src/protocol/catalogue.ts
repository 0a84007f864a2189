/**
 * Protocol v1 catalogue types: products as the shop's catalogue holds them, and the snapshot a
 * product card carries in a message (frozen at send time, so history stays right when the
 * catalogue changes). docs/protocol.md section "Products" is the normative text.
 */

/** Text per locale, e.g. `{ 'zh-CN': '18K 金项链', en: '18K gold necklace' }`. At least one entry. */
export type LocalizedText = Record<string, string>;

/** An amount of money: integer minor units (fen, cents; yen has none) and an ISO 4217 currency. */
export interface Money {
  amount: number;
  currency: string;
}

/** One purchasable variant of a product (e.g. colour gold, size 42). */
export interface ProductVariant {
  /** Unique within its product. */
  id: string;
  sku: string | null;
  /** Option values by option name, e.g. `{ colour: 'gold', size: '42' }` (names and values are display text). */
  options: Record<string, string>;
  /** Overrides the product price when set. */
  price: Money | null;
  /** Units in stock; `null` when the shop does not track stock. */
  stock: number | null;
}

/**
 * Display labels of one option (e.g. `colour`) and its values, per locale: variants keep their
 * option names and values as keys (`{ colour: 'gold' }`); clients show `label[locale]` and
 * `values[value][locale]` where given, else the key itself.
 */
export interface ProductOption {
  name: string;
  label: LocalizedText;
  /** Labels by option value, e.g. `{ gold: { en: 'Gold', 'zh-CN': '金色' } }`. */
  values: Record<string, LocalizedText>;
}

/** A product of the shop's catalogue. */
export interface Product {
  /** Shop-scoped id chosen by the shop (e.g. its SKU family or handle). */
  id: string;
  title: LocalizedText;
  description: LocalizedText;
  price: Money;
  /** "Was" price shown struck through when higher than `price`. */
  compareAt: Money | null;
  /** Image URLs (`https:`, `http:` or a path on the shop's server). The first is the card image. */
  images: string[];
  /** The product page (`https:`/`http:` or a path). */
  url: string | null;
  tags: string[];
  variants: ProductVariant[];
  /** Localized labels of the variants' options (may be empty: keys are shown as they are). */
  options: ProductOption[];
  updatedAt: string;
}

/** What a product card message carries: the product as it was when sent. */
export interface ProductSnapshot {
  id: string;
  title: LocalizedText;
  price: Money;
  compareAt: Money | null;
  image: string | null;
  url: string | null;
  variants: ProductVariant[];
  /** Localized option labels (absent in snapshots taken before they existed: treat as `[]`). */
  options?: ProductOption[];
  /** Where the snapshot came from: the shop's catalogue, or data a page passed in (`askAbout`). */
  source: 'catalogue' | 'page';
}

/** Stock of a product right now (for "live stock" on cards), by variant id. */
export interface ProductStock {
  productId: string;
  /** `null` when the shop does not track stock for that variant. */
  variants: Record<string, number | null>;
  /** Sum over tracked variants; `null` when none is tracked. */
  total: number | null;
}
