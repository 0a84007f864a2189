/**
 * A visitor's broadcast feed (issue 5): items newest first, the unread count, the template values,
 * paging (`feed:get`), live items (`feed:new`, reported with `feed:delivered`), read marks
 * (`feed:read`, batched) and clicks (`feed:click`, queued while offline).
 *
 * The unread count is fetched on every session (`feed:get { limit: 0 }`) so a badge is right before
 * the feed is opened; once the feed was loaded, a session refetches the newest page instead (what
 * arrived while the connection was down). Local marks apply at once; the server's count (every ack
 * carries it) is taken only when no mark is pending or in flight, so it never undoes a local mark.
 */
import { atom } from 'nanostores';
import { LIMITS, VitrineError, type FeedClickRequest, type FeedItem, type FeedPage, type FeedValues } from '../protocol/index.js';
import type { Transport } from '../transport/transport.js';
import type { ConversationHandle, FeedHandle } from '../types.js';

/** What the feed store needs from the client that owns it. */
export interface FeedContext {
  transport: Transport;
  isOnline(): boolean;
  /** The visitor's conversation (for `askAbout`), `null` before it is known. */
  conversation(): ConversationHandle | null;
}

/** The handle plus the hooks the client feeds server events into. */
export interface FeedStore extends FeedHandle {
  /** A session is ready: feeds on or off; resyncs the count (or the newest page) and sends what waited. */
  ready(features: readonly string[]): void;
  /** A live `feed:new`. */
  ingest(item: FeedItem): void;
  dispose(): void;
}

/** How long marks gather before one `feed:delivered` / `feed:read` goes out. */
export const FEED_MARK_BATCH_MS = 250;

type Mark = 'feed:read' | 'feed:delivered';

const newestFirst = (a: FeedItem, b: FeedItem): number => (a.sentAt === b.sentAt ? (a.id < b.id ? 1 : -1) : a.sentAt < b.sentAt ? 1 : -1);

export function createFeedStore(ctx: FeedContext): FeedStore {
  const byId = new Map<string, FeedItem>();
  const $available = atom(false);
  const $items = atom<readonly FeedItem[]>([]);
  const $unread = atom(0);
  const $values = atom<FeedValues>({});
  const $loading = atom(false);
  const $loaded = atom(false);
  const $hasMore = atom(false);
  const pending: Record<Mark, Set<string>> = { 'feed:read': new Set(), 'feed:delivered': new Set() };
  const clicks: { req: FeedClickRequest; resolve: () => void; reject: (e: VitrineError) => void }[] = [];
  let inFlight = 0;
  /** Mark requests sent so far: a page asked for before the latest one may count what it marked. */
  let marksSent = 0;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let loading: Promise<void> | null = null;
  let disposed = false;

  const publish = (): void => $items.set([...byId.values()].sort(newestFirst));

  const settled = (): boolean => inFlight === 0 && pending['feed:read'].size === 0 && pending['feed:delivered'].size === 0;
  /**
   * The server's count, unless a local mark is still on its way, or was on its way or sent since the
   * count was asked for (`since`: `marksSent` then, `-1` if one was on its way): it would undo the mark.
   */
  const serverUnread = (unread: number, since = marksSent): void => {
    if (settled() && since === marksSent) $unread.set(unread);
  };

  /** Upserts items; an item read here stays read (its mark may still be on the way). */
  const upsert = (items: readonly FeedItem[], readHere: ReadonlySet<string> = new Set()): void => {
    for (const item of items) byId.set(item.id, !item.read && (byId.get(item.id)?.read || readHere.has(item.id)) ? { ...item, read: true } : item);
  };

  /** One `feed:get`; takes its values and (see `serverUnread`) its count. */
  const get = async (payload: { before?: string; limit: number }): Promise<FeedPage> => {
    if (!ctx.isOnline()) throw new VitrineError('unavailable', 'Not connected');
    // With marks on the way, the server may count before or after them: their acks will tell.
    const since = settled() ? marksSent : -1;
    const res = await ctx.transport.request('feed:get', payload);
    if (!res.ok) throw new VitrineError(res.error.code, res.error.message, res.error.reason);
    $values.set(res.values ?? {});
    serverUnread(res.unread, since);
    return res;
  };

  /** The newest page: merged when it meets the loaded items, else it replaces them (a gap). */
  const fetchNewest = (): Promise<void> =>
    (loading ??= (async () => {
      $loading.set(true);
      try {
        const page = await get({ limit: LIMITS.feedPageDefault });
        const meets = !page.hasMore || page.items.some((i) => byId.has(i.id));
        // Replacing the list (first page, or a gap) keeps what was read here meanwhile.
        const readHere = new Set([...byId.values()].filter((i) => i.read).map((i) => i.id));
        if (!meets || !$loaded.get()) byId.clear();
        upsert(page.items, readHere);
        if (!meets || !$loaded.get()) $hasMore.set(page.hasMore);
        $loaded.set(true);
        publish();
      } finally {
        $loading.set(false);
        loading = null;
      }
    })());

  const sendMarks = (kind: Mark): void => {
    const ids = [...pending[kind]].slice(0, LIMITS.feedMarkMax);
    if (ids.length === 0 || !ctx.isOnline()) return;
    for (const id of ids) pending[kind].delete(id);
    inFlight += 1;
    marksSent += 1;
    ctx.transport.request(kind, { ids }).then(
      (res) => {
        inFlight -= 1;
        if (res.ok) serverUnread(res.unread);
      },
      () => {
        // Lost with the connection: send again after the reconnect.
        inFlight -= 1;
        for (const id of ids) pending[kind].add(id);
      },
    );
    if (pending[kind].size) sendMarks(kind);
  };

  const flush = (): void => {
    if (timer) clearTimeout(timer);
    timer = null;
    sendMarks('feed:delivered');
    sendMarks('feed:read');
    while (ctx.isOnline() && clicks.length) {
      const { req, resolve, reject } = clicks.shift()!;
      ctx.transport.request('feed:click', req).then(
        (res) => (res.ok ? resolve() : reject(new VitrineError(res.error.code, res.error.message, res.error.reason))),
        () => clicks.push({ req, resolve, reject }), // lost with the connection: after the reconnect
      );
    }
  };

  const schedule = (kind: Mark, ids: Iterable<string>): void => {
    for (const id of ids) pending[kind].add(id);
    if (!timer && !disposed) timer = setTimeout(flush, FEED_MARK_BATCH_MS);
  };

  const store: FeedStore = {
    $available,
    $items,
    $unread,
    $values,
    $loading,
    $loaded,
    $hasMore,

    load: () => fetchNewest(),

    async loadMore() {
      const last = $items.get().at(-1);
      if (loading || !last || !$hasMore.get()) return loading ?? undefined;
      $loading.set(true);
      loading = get({ before: last.id, limit: LIMITS.feedPageDefault })
        .then((page) => {
          upsert(page.items);
          $hasMore.set(page.hasMore);
          publish();
        })
        .finally(() => {
          $loading.set(false);
          loading = null;
        });
      return loading;
    },

    markRead(ids) {
      const fresh: string[] = [];
      for (const id of ids) {
        const item = byId.get(id);
        if (!item || item.read) continue;
        byId.set(id, { ...item, read: true });
        fresh.push(id);
      }
      if (fresh.length === 0) return;
      publish();
      $unread.set(Math.max(0, $unread.get() - fresh.length));
      schedule('feed:read', fresh);
    },

    click(id, target, productId) {
      return new Promise((resolve, reject) => {
        clicks.push({ req: { id, target, ...(productId ? { productId } : {}) }, resolve, reject });
        flush();
      });
    },

    askAbout(id, text, options = {}) {
      const conv = ctx.conversation();
      if (!conv) return Promise.reject(new VitrineError('unavailable', 'The conversation is not known yet'));
      return conv.send(text, { context: { feedItemId: id, ...(options.productId ? { productId: options.productId } : {}) } });
    },

    ready(features) {
      const on = features.includes('feed');
      $available.set(on);
      if (!on) return;
      flush();
      if ($loaded.get()) {
        fetchNewest().catch(() => {});
        return;
      }
      get({ limit: 0 }).catch(() => {});
    },

    ingest(item) {
      const known = byId.get(item.id);
      upsert([item]);
      publish();
      if (!known && !item.read) $unread.set($unread.get() + 1);
      schedule('feed:delivered', [item.id]);
    },

    dispose() {
      disposed = true;
      if (timer) clearTimeout(timer);
      timer = null;
    },
  };
  return store;
}
