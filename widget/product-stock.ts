import type { Product, ProductSnapshot, ProductStock, VitrineClient } from '../src/index.js';

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

/**
 * Live stock of the catalogue product cards one element shows, for one client: each product is
 * watched once (`client.watchProducts`), the latest stock kept by product id in `stocks`, and
 * `changed` called on every update. Used by the chat and the feed.
 */
export class StockWatcher {
  /** Product id -> live stock (absent until the server answers: the card shows its snapshot). */
  stocks: Record<string, ProductStock | undefined> = {};
  private client: VitrineClient | null = null;
  private watched = new Set<string>();
  private stops: (() => void)[] = [];

  constructor(private readonly changed: () => void) {}

  /** Binds to `client`; another client starts afresh (stock is watched per session). */
  use(client: VitrineClient | null): void {
    if (client === this.client) return;
    this.stop();
    this.stocks = {};
    this.client = client;
  }

  /** Watches the catalogue products of `products` not watched yet. */
  watch(products: Iterable<ProductSnapshot>): void {
    const client = this.client;
    if (!client) return;
    const ids: string[] = [];
    for (const p of products) {
      if (p.source === 'catalogue' && !this.watched.has(p.id)) {
        this.watched.add(p.id);
        ids.push(p.id);
      }
    }
    if (ids.length === 0) return;
    this.stops.push(
      client.watchProducts(ids, (update) => {
        if (client !== this.client) return;
        const next = { ...this.stocks };
        if ('product' in update) next[update.product.id] = stockOf(update.product);
        else delete next[update.productId];
        this.stocks = next;
        this.changed();
      }),
    );
  }

  /** Stops watching; the next `watch` starts again. */
  stop(): void {
    for (const stop of this.stops.splice(0)) stop();
    this.watched = new Set();
  }
}
