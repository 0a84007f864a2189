/**
 * Display helpers for products and product snapshots. Titles and prices come from the core's
 * `localized` and `formatMoney` (src/i18n); everything here returns plain text or a vetted URL.
 */
import { formatMoney, localized, type Money, type ProductVariant, type Translator } from '../../../src/index.js';

/** An image URL safe to put in `src`: `http:`/`https:` or a path on this server; anything else is dropped. */
export function safeImageSrc(src: string | null | undefined): string | null {
  if (typeof src !== 'string') return null;
  const value = src.trim();
  if (!value || /[\u0000-\u001f]/.test(value)) return null;
  try {
    const url = new URL(value, window.location.href);
    return url.protocol === 'https:' || url.protocol === 'http:' ? value : null;
  } catch {
    return null;
  }
}

/** Sum of tracked stock over variants; `null` when no variant tracks stock. */
export function totalStock(variants: readonly ProductVariant[] | undefined): number | null {
  let total: number | null = null;
  for (const v of variants ?? []) if (typeof v.stock === 'number') total = (total ?? 0) + Math.max(0, v.stock);
  return total;
}

/** A product's title in the agent's language (falls back to any locale it has). */
export function productTitle(title: Parameters<typeof localized>[0], tr: Translator): string {
  return localized(title, tr.locale);
}

/** A price in the agent's language, in the product's currency. */
export function price(money: Money, tr: Translator): string {
  return formatMoney(money, tr.locale);
}

/** The compare-at price when it is really higher than the price (same currency). */
export function wasPrice(priceNow: Money, compareAt: Money | null | undefined): Money | null {
  return compareAt && compareAt.currency === priceNow.currency && compareAt.amount > priceNow.amount ? compareAt : null;
}

/** "3 in stock" / "Out of stock" / "Stock not tracked". */
export function stockLabel(stock: number | null, tr: Translator): string {
  if (stock === null) return tr.t('console.product.stockUntracked');
  return stock > 0 ? tr.t('console.product.stock', { count: stock }) : tr.t('console.product.outOfStock');
}
