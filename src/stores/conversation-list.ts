/** The agents' conversation list: newest activity first, kept live by `conversation:update`. */
import { atom, type ReadableAtom } from 'nanostores';
import type { ConversationSummary } from '../protocol/index.js';

export interface ConversationList {
  readonly $items: ReadableAtom<readonly ConversationSummary[]>;
  readonly $hasMore: ReadableAtom<boolean>;
  /** Inserts or replaces rows (by id) and keeps the order. */
  upsert(rows: readonly ConversationSummary[]): void;
  setHasMore(hasMore: boolean): void;
  /** The oldest row's `updatedAt` and `id`: the cursor of the next page. */
  cursor(): { before?: string; beforeId?: string };
}

const byActivity = (a: ConversationSummary, b: ConversationSummary): number =>
  a.updatedAt < b.updatedAt ? 1 : a.updatedAt > b.updatedAt ? -1 : a.id < b.id ? 1 : -1;

export function createConversationList(): ConversationList {
  const $items = atom<readonly ConversationSummary[]>([]);
  const $hasMore = atom(false);
  return {
    $items,
    $hasMore,
    upsert(rows) {
      if (rows.length === 0) return;
      const map = new Map($items.get().map((c) => [c.id, c]));
      for (const row of rows) {
        const existing = map.get(row.id);
        // Never let an older snapshot overwrite a newer one.
        if (!existing || existing.updatedAt <= row.updatedAt || existing.lastSeq <= row.lastSeq) map.set(row.id, row);
      }
      $items.set([...map.values()].sort(byActivity));
    },
    setHasMore: (hasMore) => $hasMore.set(hasMore),
    cursor: () => {
      const last = $items.get().at(-1);
      return last ? { before: last.updatedAt, beforeId: last.id } : {};
    },
  };
}
