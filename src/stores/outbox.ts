/**
 * The persistent outbox: messages accepted locally but not yet acknowledged by the server.
 * Kept in the platform storage so sends made offline survive a reload, and flushed in order.
 */
import { atom, type ReadableAtom } from 'nanostores';
import type { ProtocolError } from '../protocol/index.js';
import type { StoragePort } from '../ports.js';

/** One pending send. */
export interface OutboxEntry {
  conversationId: string;
  clientId: string;
  kind: 'text';
  text: string;
  /** When the sender pressed send (ISO); shown until the server assigns its own time. */
  createdAt: string;
  /** Attempts that reached a connected server and failed or timed out. */
  attempts: number;
  status: 'sending' | 'failed';
  error: ProtocolError | null;
}

/** The outbox store of one client. */
export interface Outbox {
  readonly $entries: ReadableAtom<readonly OutboxEntry[]>;
  add(entry: OutboxEntry): void;
  update(clientId: string, patch: Partial<OutboxEntry>): void;
  remove(clientId: string): void;
  /** Entries of one conversation, in send order. */
  of(conversationId: string): OutboxEntry[];
}

const KEY = 'outbox';

function load(storage: StoragePort): OutboxEntry[] {
  try {
    const raw = storage.get(KEY);
    if (!raw) return [];
    const parsed: unknown = JSON.parse(raw);
    if (!Array.isArray(parsed)) return [];
    return parsed.filter(
      (e): e is OutboxEntry =>
        typeof e === 'object' && e !== null && typeof e.clientId === 'string' && typeof e.conversationId === 'string' && typeof e.text === 'string',
    );
  } catch {
    return [];
  }
}

/** Creates the outbox, restoring what an earlier page or app run left in `storage`. */
export function createOutbox(storage: StoragePort): Outbox {
  const $entries = atom<readonly OutboxEntry[]>(load(storage));
  const save = (entries: readonly OutboxEntry[]): void => {
    $entries.set(entries);
    try {
      if (entries.length === 0) storage.remove(KEY);
      else storage.set(KEY, JSON.stringify(entries));
    } catch {
      // Storage full or unavailable: the outbox still works in memory for this page.
    }
  };
  return {
    $entries,
    add: (entry) => save([...$entries.get(), entry]),
    update: (clientId, patch) => save($entries.get().map((e) => (e.clientId === clientId ? { ...e, ...patch } : e))),
    remove: (clientId) => {
      if ($entries.get().some((e) => e.clientId === clientId)) save($entries.get().filter((e) => e.clientId !== clientId));
    },
    of: (conversationId) => $entries.get().filter((e) => e.conversationId === conversationId),
  };
}
