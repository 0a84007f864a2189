/**
 * The persistent outbox: messages accepted locally but not yet acknowledged by the server.
 * Kept in the platform storage so sends made offline survive a reload, and flushed in order.
 */
import { atom, type ReadableAtom } from 'nanostores';
import type { CouponClaimSendRequest, CouponSendRequest, MessageContextInput, MessageKind, ProtocolError, ReservationSendRequest } from '../protocol/index.js';

type Distribute<T> = T extends unknown ? Omit<T, 'conversationId' | 'clientId'> : never;
/** The request fields of a reservation step, coupon card or claim (sent as they are). */
export type CommercePayload = Distribute<ReservationSendRequest | CouponSendRequest | CouponClaimSendRequest>;
import type { StoragePort } from '../ports.js';

/** One pending send. */
export interface OutboxEntry {
  conversationId: string;
  clientId: string;
  kind: MessageKind;
  /** The text, or the caption of a product card / carousel (`''` when none). */
  text: string;
  /** Kinds `product` (one id) and `products` (2 to 10 ids): the catalogue products to send. */
  productIds?: string[];
  /** Kind `text`: what the message is about (e.g. the product asked about). */
  context?: MessageContextInput;
  /** Kinds `reservation`, `coupon`, `coupon-claim`: the request fields after `conversationId` / `clientId`. */
  payload?: CommercePayload;
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
  /** Moves the entries of conversation `from` to `to` (the server gave this visitor another conversation). */
  retarget(from: string, to: string): void;
  /** Entries of one conversation, in send order. */
  of(conversationId: string): OutboxEntry[];
  /** Stops watching the storage. */
  dispose(): void;
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

/**
 * Creates the outbox, restoring what an earlier page or app run left in `storage`.
 *
 * Several instances (tabs) may share the storage: every change is a read-modify-write of what the
 * storage holds now, and a change made elsewhere is reloaded (`StoragePort.watch`). Storage shared
 * between tabs is not transactional (a write can miss another tab's write of the same instant), so
 * entries added by this instance and not yet seen stored are put back if another write dropped them.
 */
export function createOutbox(storage: StoragePort): Outbox {
  const $entries = atom<readonly OutboxEntry[]>(load(storage));
  /** clientIds added here and not yet removed here (stored, discarded). */
  const own = new Set<string>();
  /** The last write reached the storage (else the memory copy is the truth for this page). */
  let persisted = true;
  let raw = JSON.stringify($entries.get());

  /** What the storage holds now, plus own entries a concurrent write dropped. */
  const current = (): { entries: OutboxEntry[]; restored: boolean } => {
    if (!persisted) return { entries: [...$entries.get()], restored: false };
    const entries = load(storage);
    const ids = new Set(entries.map((e) => e.clientId));
    const lost = $entries.get().filter((e) => own.has(e.clientId) && !ids.has(e.clientId));
    return { entries: lost.length ? [...entries, ...lost] : entries, restored: lost.length > 0 };
  };

  const publish = (entries: readonly OutboxEntry[]): void => {
    const next = JSON.stringify(entries);
    if (next === raw) return;
    raw = next;
    $entries.set(entries);
  };

  const save = (entries: readonly OutboxEntry[]): void => {
    publish(entries);
    try {
      if (entries.length === 0) storage.remove(KEY);
      else storage.set(KEY, JSON.stringify(entries));
      persisted = true;
    } catch {
      // Storage full or unavailable: the outbox still works in memory for this page.
      persisted = false;
    }
  };

  /** Read-modify-write; `op` returns `null` for "nothing to change". */
  const mutate = (op: (entries: OutboxEntry[]) => OutboxEntry[] | null): void => {
    const { entries, restored } = current();
    const next = op(entries);
    if (next) save(next);
    else if (restored) save(entries);
    else publish(entries);
  };

  const unwatch =
    storage.watch?.(KEY, () => {
      const { entries, restored } = current();
      if (restored) save(entries);
      else publish(entries);
    }) ?? (() => {});

  return {
    $entries,
    add: (entry) => {
      own.add(entry.clientId);
      mutate((entries) => [...entries.filter((e) => e.clientId !== entry.clientId), entry]);
    },
    update: (clientId, patch) =>
      mutate((entries) => (entries.some((e) => e.clientId === clientId) ? entries.map((e) => (e.clientId === clientId ? { ...e, ...patch } : e)) : null)),
    remove: (clientId) => {
      own.delete(clientId);
      mutate((entries) => (entries.some((e) => e.clientId === clientId) ? entries.filter((e) => e.clientId !== clientId) : null));
    },
    retarget: (from, to) =>
      mutate((entries) =>
        entries.some((e) => e.conversationId === from) ? entries.map((e) => (e.conversationId === from ? { ...e, conversationId: to } : e)) : null,
      ),
    of: (conversationId) => $entries.get().filter((e) => e.conversationId === conversationId),
    dispose: unwatch,
  };
}
