/**
 * The customer's product context for one conversation: the products the customer asked about
 * (a message's `context.product`) or sent as cards, newest first, one entry per product, with
 * live stock from `client.getProducts` when the catalogue has it (failures are ignored).
 */
import { atom, computed } from 'nanostores';
import { LIMITS, type ChatMessage, type ConversationHandle, type Product, type ProductSnapshot, type VitrineClient } from '../../../src/index.js';

export interface ContextEntry {
  product: ProductSnapshot;
  /** When the customer last mentioned it. */
  at: string;
}

/** Products the customer mentioned in `messages` (display order), newest first, deduplicated by id. */
export function customerProducts(messages: readonly ChatMessage[]): ContextEntry[] {
  const seen = new Set<string>();
  const out: ContextEntry[] = [];
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i];
    if (m.author.role !== 'visitor') continue;
    const found: ProductSnapshot[] = [];
    if (m.kind === 'products' && Array.isArray(m.products)) found.push(...m.products);
    if (m.kind === 'product' && m.product) found.push(m.product);
    if (m.context?.product) found.push(m.context.product);
    for (const p of found) {
      if (!p || typeof p.id !== 'string' || seen.has(p.id)) continue;
      seen.add(p.id);
      out.push({ product: p, at: m.createdAt });
    }
  }
  return out;
}

export function createProductContext(client: VitrineClient, handle: ConversationHandle) {
  const $entries = computed(handle.$messages, customerProducts);
  /** Current catalogue entries by id; a missing id after a successful fetch = no longer in the catalogue. */
  const $live = atom<ReadonlyMap<string, Product>>(new Map());
  /** Ids a fetch answered for (so "gone" is only shown when the catalogue said so). */
  const $checked = atom<ReadonlySet<string>>(new Set());
  let lastKey = '';
  let generation = 0;

  const fetchLive = (force = false): void => {
    const ids = $entries
      .get()
      .map((e) => e.product.id)
      .slice(0, LIMITS.productGetMax);
    const key = ids.join('\u0000');
    if (!force && key === lastKey) return;
    lastKey = key;
    if (ids.length === 0) return;
    const mine = ++generation;
    client
      .getProducts(ids)
      .then((items) => {
        if (mine !== generation) return;
        $live.set(new Map(items.map((p) => [p.id, p])));
        $checked.set(new Set(ids));
      })
      .catch(() => {
        // Live stock is a nicety: keep showing the snapshots.
        if (mine === generation) lastKey = '';
      });
  };

  const offEntries = $entries.subscribe(() => fetchLive());
  const offConnection = client.$connection.listen((state) => {
    if (state === 'online') fetchLive(true);
  });

  return {
    $entries,
    $live,
    $checked,
    dispose(): void {
      generation++;
      offEntries();
      offConnection();
    },
  };
}

export type ProductContext = ReturnType<typeof createProductContext>;
