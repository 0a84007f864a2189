import type { Product, ProductStock } from '../src/index.js';

/** Live stock of a catalogue product, in the shape cards take (`stock` property). Tiny on purpose: the chat imports it eagerly. */
export function stockOf(product: Pick<Product, 'id' | 'variants'>): ProductStock {
  const variants: Record<string, number | null> = {};
  let total: number | null = null;
  for (const v of product.variants ?? []) {
    variants[v.id] = v.stock;
    if (typeof v.stock === 'number') total = (total ?? 0) + Math.max(0, v.stock);
  }
  return { productId: product.id, variants, total };
}
