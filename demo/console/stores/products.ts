/**
 * Product search and picking while replying: a debounced `client.searchProducts` (stale answers
 * dropped), paging, and the picked set (1 = a card, 2..10 = a carousel) sent with
 * `conversation.sendProducts(ids, caption)`. One instance per open conversation.
 */
import { atom } from 'nanostores';
import { LIMITS, type ConversationHandle, type ErrorCode, type Product, type VitrineClient } from '../../../src/index.js';

export interface SearchState {
  /** The query the results are for. */
  query: string;
  items: Product[];
  hasMore: boolean;
  loading: boolean;
  error: ErrorCode | null;
  /** A search answered at least once. */
  done: boolean;
}

export const SEARCH_DEBOUNCE_MS = 250;
const PAGE = 20;

function codeOf(e: unknown): ErrorCode {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code !== 'network' ? (code as ErrorCode) : 'unavailable';
}

export function createProductPicker(client: VitrineClient, handle: ConversationHandle) {
  const $search = atom<SearchState>({ query: '', items: [], hasMore: false, loading: false, error: null, done: false });
  /** Picked products in pick order (kept while the query changes). */
  const $picked = atom<Product[]>([]);
  let timer: ReturnType<typeof setTimeout> | null = null;
  let generation = 0;
  let wanted = '';

  const run = async (query: string, after?: string): Promise<void> => {
    const mine = ++generation;
    $search.set({ ...$search.get(), query, loading: true, error: null, ...(after ? {} : { items: [], hasMore: false }) });
    try {
      const q = query.trim().slice(0, LIMITS.queryMaxLength);
      const res = await client.searchProducts(q, { limit: PAGE, ...(after ? { after } : {}) });
      if (mine !== generation) return;
      const items = after ? [...$search.get().items, ...res.items.filter((p) => !$search.get().items.some((o) => o.id === p.id))] : res.items;
      $search.set({ query, items, hasMore: res.hasMore, loading: false, error: null, done: true });
    } catch (e) {
      if (mine !== generation) return;
      $search.set({ ...$search.get(), query, loading: false, error: codeOf(e), done: true });
    }
  };

  return {
    $search,
    $picked,
    /** Searches after a pause in typing (`now` for Enter or a first load). */
    setQuery(query: string, now = false): void {
      if (timer) clearTimeout(timer);
      timer = null;
      wanted = query;
      if (now) void run(query);
      else timer = setTimeout(() => void run(wanted), SEARCH_DEBOUNCE_MS);
    },
    /** Re-runs the current query (e.g. after reconnecting). */
    refresh(): void {
      void run(wanted);
    },
    loadMore(): void {
      const s = $search.get();
      const last = s.items[s.items.length - 1];
      if (!s.loading && s.hasMore && last) void run(s.query, last.id);
    },
    isPicked(id: string): boolean {
      return $picked.get().some((p) => p.id === id);
    },
    /** Picks or unpicks; returns `false` when the pick would exceed the carousel maximum. */
    toggle(product: Product): boolean {
      const picked = $picked.get();
      if (picked.some((p) => p.id === product.id)) {
        $picked.set(picked.filter((p) => p.id !== product.id));
        return true;
      }
      if (picked.length >= LIMITS.carouselMax) return false;
      $picked.set([...picked, product]);
      return true;
    },
    clear(): void {
      $picked.set([]);
    },
    /** Sends the picked products (1 = card, 2..10 = carousel) and clears the pick. */
    send(caption: string): Promise<unknown> | null {
      const ids = $picked.get().map((p) => p.id);
      if (ids.length === 0) return null;
      $picked.set([]);
      // Pending sends show as "Sending product…"; a failure stays in the list with a retry button.
      return handle.sendProducts(ids, caption.trim()).catch(() => {});
    },
    dispose(): void {
      if (timer) clearTimeout(timer);
      generation++;
    },
  };
}

export type ProductPicker = ReturnType<typeof createProductPicker>;
