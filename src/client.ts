/**
 * `createVitrineClient()`: wires a transport, the stores and the platform ports into one client.
 * Visitors get their own conversation; agents get their shop's conversation list and any
 * conversation by id. Every (re)connect and every app-show resyncs by `afterSeq` and then
 * flushes the outbox in order.
 */
import { atom, computed } from 'nanostores';
import {
  PROTOCOL_VERSION,
  VitrineError,
  type AssistantState,
  type Author,
  type ConversationSummary,
  type HandshakeAuth,
  LIMITS,
  type ProductUpdate,
  type ProtocolError,
  type SessionReady,
} from './protocol/index.js';
import { basePorts, type Ports } from './ports.js';
import { createConversationList } from './stores/conversation-list.js';
import { createConversationStore, type ConversationStore } from './stores/conversation.js';
import { createFeedStore } from './stores/feed.js';
import { createOutbox } from './stores/outbox.js';
import { socketIoTransport } from './transport/socket-io.js';
import type { ConnectionState, ConversationHandle, VitrineClient, VitrineClientOptions } from './types.js';

const SESSION_KEY = 'session';

/** Inbound check of an assistant state (the server's word, but still a payload from the wire). */
function isAssistantState(s: unknown): s is AssistantState {
  const a = s as AssistantState | null;
  return !!a && typeof a === 'object' && typeof a.enabled === 'boolean' && (a.mode === 'assistant' || a.mode === 'human') && typeof a.staffOnline === 'boolean';
}
/** Lock guarding the read-or-create of the visitor token (tabs opened in the same instant agree). */
const SESSION_LOCK = 'session';
/**
 * How long the token's creator keeps the lock after writing it. Tabs share storage without
 * transactions: another tab's copy of the storage can lag a few milliseconds behind a write.
 */
const SESSION_SETTLE_MS = 60;

interface SavedSession {
  token: string;
  userId: string;
  conversationId: string | null;
}

/** A fresh visitor token: `vt_` and 64 random characters from the platform's random ids. */
function proposeToken(ports: Ports): string {
  let body = '';
  while (body.length < 64) body += ports.random.id().replace(/[^A-Za-z0-9]/g, '');
  return `vt_${body.slice(0, 64)}`;
}

function loadSession(ports: Ports): SavedSession | null {
  try {
    const raw = ports.storage.get(SESSION_KEY);
    const parsed: unknown = raw ? JSON.parse(raw) : null;
    if (parsed && typeof parsed === 'object' && typeof (parsed as SavedSession).token === 'string') return parsed as SavedSession;
  } catch {
    // Corrupt or unavailable storage: start a new visitor.
  }
  return null;
}

/** Creates a Vitrine client. It connects at once unless `connect()` is deferred by the caller. */
export function createVitrineClient(options: VitrineClientOptions): VitrineClient {
  const role = options.role ?? 'visitor';
  const ports: Ports = { ...basePorts(), ...options.ports };
  const transport = (options.transport ?? socketIoTransport())(options.url);
  const outbox = createOutbox(ports.storage);
  const list = createConversationList();
  const handles = new Map<string, ConversationStore>();
  const unsubscribers: (() => void)[] = [];

  const $connection = atom<ConnectionState>('idle');
  const $session = atom<SessionReady | null>(null);
  const $error = atom<ProtocolError | null>(null);
  const $conversation = atom<ConversationHandle | null>(null);
  const $visitorUnread = atom(0);
  /** Product watchers: listener -> the ids it watches. */
  const watchers = new Map<(update: ProductUpdate) => void, ReadonlySet<string>>();
  const productIdOf = (u: ProductUpdate): string => ('product' in u ? u.product.id : u.productId);
  const deliver = (update: ProductUpdate): void => {
    const pid = productIdOf(update);
    for (const [listener, ids] of watchers) if (ids.has(pid)) listener(update);
  };
  /** Fetches `ids` with `watch` (the server remembers watches per connection) and delivers them. */
  const fetchWatched = (ids: readonly string[]): void => {
    for (let i = 0; i < ids.length; i += LIMITS.productGetMax) {
      const chunk = ids.slice(i, i + LIMITS.productGetMax);
      transport
        .request('product:get', { productIds: chunk, watch: true })
        .then((res) => {
          if (!res.ok) return;
          const found = new Set(res.items.map((p) => p.id));
          for (const product of res.items) deliver({ product });
          for (const productId of chunk) if (!found.has(productId)) deliver({ productId, deleted: true });
        })
        .catch(() => {});
    }
  };
  const watchedIds = (): string[] => [...new Set([...watchers.values()].flatMap((ids) => [...ids]))].slice(0, LIMITS.productWatchMax);
  let saved = role === 'visitor' ? loadSession(ports) : null;
  let online = false;
  let started = false;
  let everReady = false;
  let destroyed = false;
  let offUnread: (() => void) | null = null;

  const me = (): Author => {
    const session = $session.get();
    if (role === 'agent') return { role, id: session?.agent?.id ?? session?.userId ?? '', name: session?.agent?.name ?? null };
    return { role, id: session?.userId ?? saved?.userId ?? '', name: options.identity?.name ?? null };
  };

  const feed = createFeedStore({ transport, isOnline: () => online, conversation: () => $conversation.get() });

  const ctx = {
    role,
    transport,
    outbox,
    ports,
    isOnline: () => online,
    me,
    maxSendAttempts: options.maxSendAttempts ?? 5,
  };

  /** Agents: fetches a conversation's summary (read marks, unread) and puts it in the list. */
  const refreshConversation = (handle: ConversationStore): void => {
    transport
      .request('conversation:get', { conversationId: handle.id })
      .then((res) => {
        if (res.ok) {
          handle.applyConversation(res.conversation);
          list.upsert([res.conversation]);
        }
      })
      .catch(() => {});
  };

  const conversation = (id: string): ConversationStore => {
    let handle = handles.get(id);
    if (!handle) {
      handle = createConversationStore(id, ctx);
      handles.set(id, handle);
      const summary = list.$items.get().find((c) => c.id === id);
      if (summary) handle.applyConversation(summary);
      if (role === 'agent' && online) refreshConversation(handle);
      if (online) void handle.resync();
    }
    return handle;
  };

  /** Visitors: makes `handle` their conversation. */
  const adopt = (handle: ConversationStore): void => {
    if ($conversation.get() === handle) return;
    $conversation.set(handle);
    offUnread?.();
    offUnread = handle.$unread.subscribe((n) => $visitorUnread.set(n));
  };

  /** Visitors: show the known conversation (and the sends still in the outbox) before the session is ready. */
  const adoptSaved = (): void => {
    if (role === 'visitor' && saved?.conversationId && !$conversation.get()) adopt(conversation(saved.conversationId));
  };

  const open = (): void => {
    if (destroyed) return;
    adoptSaved();
    transport.open(auth);
  };

  const refreshList = async (): Promise<void> => {
    const res = await transport.request('conversation:list', {});
    if (res.ok) {
      list.upsert(res.items);
      if (list.$items.get().length <= res.items.length) list.setHasMore(res.hasMore);
    }
  };

  const resyncAll = (): void => {
    if (!online) return;
    for (const handle of handles.values()) {
      void handle.resync();
      if (role === 'agent') refreshConversation(handle);
    }
    if (role === 'agent') refreshList().catch(() => {});
    // The feed too (another tab of this visitor may have read items): its count, or its newest page.
    else feed.ready($session.get()?.features ?? []);
  };

  unsubscribers.push(
    transport.onStatus((status) => {
      if (status === 'connected') return; // `online` only once session:ready arrives
      online = false;
      if ($connection.get() === 'refused') return;
      $connection.set(everReady || status === 'disconnected' ? 'reconnecting' : 'connecting');
    }),
    transport.onRefused((error) => {
      online = false;
      $error.set(error);
      $connection.set('refused');
    }),
    transport.on('session:ready', (session) => {
      $session.set(session);
      $error.set(null);
      if (role === 'visitor') {
        saved = { token: session.token, userId: session.userId, conversationId: session.conversation?.id ?? null };
        try {
          ports.storage.set(SESSION_KEY, JSON.stringify(saved));
        } catch {
          // Storage unavailable: the visitor stays the same for this page only.
        }
      }
      online = true;
      everReady = true;
      $connection.set('online');
      if (role === 'visitor' && session.conversation) {
        const previous = $conversation.get();
        if (previous && previous.id !== session.conversation.id) {
          // The server gave this visitor another conversation (e.g. its data was reset):
          // unsent messages go there instead of being lost.
          outbox.retarget(previous.id, session.conversation.id);
        }
        const handle = conversation(session.conversation.id);
        handle.applyConversation(session.conversation);
        // Servers without the assistant (or a shop that switched it off) send no state.
        handle.applyAssistant(isAssistantState(session.conversation.assistant) ? session.conversation.assistant : null);
        adopt(handle);
      }
      resyncAll();
      // Watches belong to the connection: renew them on every session.
      if (watchers.size) fetchWatched(watchedIds());
    }),
    transport.on('product:update', deliver),
    transport.on('feed:new', (update) => {
      if (role === 'visitor' && update?.item) feed.ingest(update.item);
    }),
    transport.on('message:new', (message) => handles.get(message.conversationId)?.ingest(message)),
    transport.on('message:update', (update) => handles.get(update?.conversationId)?.update(update)),
    transport.on('assistant:update', (update) => {
      if (!update || !isAssistantState(update.assistant)) return;
      handles.get(update.conversationId)?.applyAssistant(update.assistant);
      const row = list.$items.get().find((c) => c.id === update.conversationId);
      if (row) list.upsert([{ ...row, assistant: update.assistant }]);
    }),
    transport.on('read:update', (update) => handles.get(update.conversationId)?.applyRead(update)),
    transport.on('typing:update', (update) => handles.get(update.conversationId)?.applyTyping(update)),
    transport.on('conversation:update', (summary) => {
      list.upsert([summary]);
      handles.get(summary.id)?.applyConversation(summary);
    }),
    ports.visibility.onShow(resyncAll),
    ports.network.onOnline(resyncAll),
  );

  const $conversations = computed(list.$items, (items): ConversationSummary[] => [...items]);
  const $unreadTotal =
    role === 'agent' ? computed(list.$items, (items) => items.reduce((n, c) => n + c.unread, 0)) : computed($visitorUnread, (n) => n);
  const $unreadAll = role === 'agent' ? $unreadTotal : computed([$visitorUnread, feed.$unread], (chat, items) => chat + items);

  const auth = (): HandshakeAuth => ({
    protocol: PROTOCOL_VERSION,
    shop: options.shop,
    role,
    ...(role === 'agent' ? (options.token ? { token: options.token } : {}) : saved?.token ? { token: saved.token } : options.token ? { token: options.token } : {}),
    ...(options.identity ? { identity: options.identity } : {}),
  });

  const client: VitrineClient = {
    role,
    $connection,
    $session,
    $error,
    $conversation,
    $conversations,
    $unreadTotal,
    $unreadAll,
    feed,
    $hasMoreConversations: list.$hasMore,
    connect() {
      if (started) return;
      started = true;
      $connection.set('connecting');
      if (role === 'visitor' && !saved?.token && !options.token) {
        // Choose the resume token before the first connection, so every attempt (and every tab
        // that reads the same storage) opens the same visitor: the server binds it on first sight.
        // Tabs opened in the same instant read-or-create it under one lock.
        const readOrCreate = async (): Promise<void> => {
          saved = loadSession(ports);
          if (saved?.token) return;
          saved = { token: proposeToken(ports), userId: '', conversationId: null };
          try {
            ports.storage.set(SESSION_KEY, JSON.stringify(saved));
          } catch {
            return; // Storage unavailable: the token still holds for this page.
          }
          if (ports.lock?.shared) await new Promise((r) => setTimeout(r, SESSION_SETTLE_MS));
        };
        if (ports.lock?.shared) {
          ports.lock.withLock(SESSION_LOCK, readOrCreate).then(open, open);
          return;
        }
        void readOrCreate();
      }
      open();
    },
    conversation(id) {
      const session = $session.get();
      if (role === 'visitor' && session?.conversation && session.conversation.id !== id) {
        throw new VitrineError('not_found', 'Visitors can only open their own conversation');
      }
      return conversation(id);
    },
    async searchProducts(query, opts = {}) {
      if (!online) throw new VitrineError('unavailable', 'Not connected');
      const res = await transport.request('product:search', {
        ...(query.trim() ? { query: query.trim() } : {}),
        ...(opts.after ? { after: opts.after } : {}),
        ...(opts.limit ? { limit: opts.limit } : {}),
      });
      if (!res.ok) throw new VitrineError(res.error.code, res.error.message);
      return { items: res.items, hasMore: res.hasMore };
    },
    async getProducts(productIds) {
      if (productIds.length === 0) return [];
      if (!online) throw new VitrineError('unavailable', 'Not connected');
      const res = await transport.request('product:get', { productIds });
      if (!res.ok) throw new VitrineError(res.error.code, res.error.message);
      return res.items;
    },
    watchProducts(productIds, listener) {
      const ids = new Set(productIds);
      watchers.set(listener, ids);
      if (online && ids.size) fetchWatched([...ids]);
      return () => {
        watchers.delete(listener);
      };
    },
    async getReservationSlots(opts = {}) {
      if (!online) throw new VitrineError('unavailable', 'Not connected');
      const res = await transport.request('reservation:slots', {
        ...(opts.from ? { from: opts.from } : {}),
        ...(opts.days ? { days: opts.days } : {}),
      });
      if (!res.ok) throw new VitrineError(res.error.code, res.error.message);
      return { timeZone: res.timeZone, slotMinutes: res.slotMinutes, days: res.days };
    },
    async loadMoreConversations() {
      if (role !== 'agent') return;
      if (!online) throw new VitrineError('unavailable', 'Not connected');
      const res = await transport.request('conversation:list', list.cursor());
      if (!res.ok) throw new VitrineError(res.error.code, res.error.message);
      list.upsert(res.items);
      list.setHasMore(res.hasMore);
    },
    destroy() {
      destroyed = true;
      online = false;
      offUnread?.();
      offUnread = null;
      watchers.clear();
      feed.dispose();
      outbox.dispose();
      for (const off of unsubscribers.splice(0)) off();
      for (const handle of handles.values()) handle.dispose();
      handles.clear();
      transport.close();
      $connection.set('idle');
    },
  };

  if (options.autoConnect !== false) client.connect();
  return client;
}
