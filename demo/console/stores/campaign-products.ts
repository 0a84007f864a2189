/**
 * Products of a campaign being edited: a catalogue search over REST (`GET /api/products`,
 * debounced, stale answers dropped) and the products already picked, fetched by id for their
 * titles (a product deleted since shows its id).
 */
import { atom, type ReadableAtom } from 'nanostores';
import type { Product } from '../../../src/index.js';
import type { ApiErrorCode } from '../api.js';
import * as commerce from '../api-commerce.js';
import { codeOf, withToken } from './rest.js';

export interface ProductSearchState {
  query: string;
  items: Product[];
  loading: boolean;
  error: ApiErrorCode | null;
  done: boolean;
}

export interface CampaignProductSearch {
  readonly $search: ReadableAtom<ProductSearchState>;
  /** Known products by id (search results and fetched picks). */
  readonly $known: ReadableAtom<Record<string, Product>>;
  setQuery(query: string, now?: boolean): void;
  /** Fetches the products of `ids` not known yet. */
  remember(ids: readonly string[]): void;
  dispose(): void;
}

export function createCampaignProductSearch(): CampaignProductSearch {
  const $search = atom<ProductSearchState>({ query: '', items: [], loading: false, error: null, done: false });
  const $known = atom<Record<string, Product>>({});
  let timer: ReturnType<typeof setTimeout> | undefined;
  let asked = 0;
  let disposed = false;
  const learn = (products: Product[]) => {
    if (products.length === 0) return;
    const next = { ...$known.get() };
    for (const p of products) next[p.id] = p;
    $known.set(next);
  };
  const run = async (query: string, mine: number) => {
    try {
      const page = await withToken((t) => commerce.listProducts(t, query.trim(), undefined, 20));
      if (mine !== asked || disposed) return;
      learn(page.items);
      $search.set({ query, items: page.items, loading: false, error: null, done: true });
    } catch (e) {
      if (mine === asked && !disposed) $search.set({ ...$search.get(), loading: false, error: codeOf(e), done: true });
    }
  };
  return {
    $search,
    $known,
    setQuery(query, now = false) {
      clearTimeout(timer);
      const mine = ++asked;
      $search.set({ ...$search.get(), query, loading: true });
      if (now) void run(query, mine);
      else timer = setTimeout(() => void run(query, mine), 250);
    },
    remember(ids) {
      for (const id of ids) {
        if ($known.get()[id]) continue;
        withToken((t) => commerce.getProduct(t, id))
          .then((p) => {
            if (!disposed) learn([p]);
          })
          .catch(() => {});
      }
    },
    dispose() {
      disposed = true;
      clearTimeout(timer);
    },
  };
}
