import type { ProductSnapshot, Translator } from '../../../src/index.js';
import { price, productTitle, safeImageSrc, totalStock, wasPrice } from '../lib/product.js';

/**
 * A compact product card for the console (messages and the customer's context panel): image,
 * title in the agent's language, price, compare-at struck through, and a stock line.
 * Product data is untrusted: text nodes only, image only from `safeImageSrc`.
 */
export function ProductCard({
  product,
  tr,
  stock,
  testId = 'message-product-card',
}: {
  product: Pick<ProductSnapshot, 'id' | 'title' | 'price' | 'compareAt' | 'image'>;
  tr: Translator;
  /** The stock line under the price (e.g. "3 in stock when sent"); omitted when `null`. */
  stock: string | null;
  testId?: string;
}) {
  const title = productTitle(product.title, tr);
  const src = safeImageSrc(product.image);
  const was = wasPrice(product.price, product.compareAt);
  return (
    <div class="pcard" data-testid={testId} data-product-id={product.id}>
      <div class="pcard__media">{src ? <img class="pcard__img" src={src} alt="" loading="lazy" decoding="async" referrerpolicy="no-referrer" /> : null}</div>
      <div class="pcard__body">
        <span class="pcard__title" data-testid="product-card-title">
          {title}
        </span>
        <span class="pcard__price">
          <span data-testid="product-card-price">{price(product.price, tr)}</span>
          {was && (
            <>
              {' '}
              <s class="pcard__was" data-testid="product-card-was" aria-hidden="true">
                {price(was, tr)}
              </s>
              <span class="visually-hidden">{tr.t('console.product.was', { price: price(was, tr) })}</span>
            </>
          )}
        </span>
        {stock !== null && (
          <span class="pcard__stock" data-testid="product-card-stock">
            {stock}
          </span>
        )}
      </div>
    </div>
  );
}

/** "3 in stock when sent" for a snapshot (stock as it was at send time). */
export function stockAtSend(product: Pick<ProductSnapshot, 'variants'>, tr: Translator): string | null {
  const stock = totalStock(product.variants);
  if (stock === null) return null;
  return stock > 0 ? tr.t('console.product.stockAtSend', { count: stock }) : tr.t('console.product.outOfStockAtSend');
}
