/**
 * One conversation's state: stored messages (by seq), the outbox part that belongs to it,
 * read marks, typing, and the actions on it. Resync is always `history:get { afterSeq }`
 * from the highest contiguous seq, so a reconnect costs what this conversation missed.
 */
import { atom, computed, type ReadableAtom } from 'nanostores';
import {
  LIMITS,
  VitrineError,
  isMessageDelta,
  type AssistantState,
  type Author,
  type Conversation,
  type ErrorCode,
  type Message,
  type MessageDelta,
  type MessageSendRequest,
  type ReadUpdate,
  type Role,
  type TypingUpdate,
} from '../protocol/index.js';
import type { Ports } from '../ports.js';
import type { Transport } from '../transport/transport.js';
import type { ChatMessage, ConversationHandle } from '../types.js';
import type { Outbox, OutboxEntry } from './outbox.js';

/** The `message:send` request of an outbox entry. */
function toRequest(conversationId: string, e: OutboxEntry): MessageSendRequest {
  const base = { conversationId, clientId: e.clientId };
  if (e.payload) return { ...base, ...e.payload } as MessageSendRequest;
  const ids = e.productIds ?? [];
  if (e.kind === 'product' && ids.length === 1) return { ...base, kind: 'product', productId: ids[0], ...(e.text ? { text: e.text } : {}) };
  if (e.kind === 'products') return { ...base, kind: 'products', productIds: ids, ...(e.text ? { text: e.text } : {}) };
  return { ...base, kind: 'text', text: e.text, ...(e.context ? { context: e.context } : {}) };
}

/** What a conversation store needs from the client that owns it. */
export interface ConversationContext {
  role: Role;
  transport: Transport;
  outbox: Outbox;
  ports: Ports;
  isOnline(): boolean;
  /** The author this side sends as (known once the session is ready). */
  me(): Author;
  maxSendAttempts: number;
}

/** The handle plus the hooks the client feeds server events into. */
export interface ConversationStore extends ConversationHandle {
  ingest(message: Message): void;
  /**
   * `message:update`: a full message replaces the stored one with its seq; a streaming delta is
   * appended when it starts where the stored text ends (overlaps already applied are skipped, a
   * gap is ignored until the final full message).
   */
  update(update: Message | MessageDelta): void;
  /** The assistant state from `session:ready`, a summary, an `assistant:update` or an ack (`null`: unknown / no assistant). */
  applyAssistant(state: AssistantState | null): void;
  applyRead(update: ReadUpdate): void;
  applyTyping(update: TypingUpdate): void;
  applyConversation(conversation: Pick<Conversation, 'visitorReadSeq' | 'agentReadSeq' | 'assistant'>): void;
  /** Catches up with the server, then flushes the outbox. Safe to call any time. */
  resync(): Promise<void>;
  /** Sends pending outbox entries in order while online. */
  flush(): void;
  dispose(): void;
}

/** Errors worth retrying automatically (the server or the network may recover). */
const RETRYABLE: ReadonlySet<ErrorCode> = new Set(['unavailable', 'internal', 'rate_limited']);
const TYPING_RESEND_MS = 3000;
/** Name of the lock a flushing instance holds (the web port scopes lock names per shop). */
const FLUSH_LOCK = 'outbox';
const TYPING_IDLE_MS = 5000;
const TYPING_EXPIRE_MS = 6000;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Creates the store of conversation `id`. */
export function createConversationStore(id: string, ctx: ConversationContext): ConversationStore {
  const stored = new Map<number, Message>();
  /** Stored messages by clientId (visible or held above a gap). */
  const byClient = new Map<string, Message>();
  const $stored = atom<readonly Message[]>([]);
  const $ownRead = atom(0);
  const $peerRead = atom(0);
  const $typingMap = atom<ReadonlyMap<string, Author>>(new Map());
  const $hasEarlier = atom(false);
  const $assistant = atom<AssistantState | null>(null);
  let ackedOwnRead = 0;
  let high = 0; // highest contiguous seq
  let loaded = false;
  let disposed = false;
  let syncing: Promise<void> | null = null;
  let syncAgain = false;
  let flushing = false;
  const typingTimers = new Map<string, ReturnType<typeof setTimeout>>();
  let typingSentAt = 0;
  let typingOn = false;
  let typingIdle: ReturnType<typeof setTimeout> | null = null;
  const waiters = new Map<string, { resolve: (m: ChatMessage) => void; reject: (e: VitrineError) => void }[]>();

  const isMine = (author: Author): boolean => author.role === ctx.role;

  /**
   * Shows stored messages up to the highest contiguous seq only: a message above a gap (a live
   * `message:new` or an ack that overtook the catch-up) is held until the gap is filled, so what the
   * UI shows always grows in seq order.
   */
  const publish = (): void => {
    $stored.set([...stored.values()].filter((m) => m.seq <= high).sort((a, b) => a.seq - b.seq));
  };

  /** Stored on the server but held above a gap (its outbox entry stays until it is shown). */
  const isHeld = (clientId: string): boolean => (byClient.get(clientId)?.seq ?? 0) > high;

  const toChat = (m: Message, peerRead: number): ChatMessage => {
    const mine = isMine(m.author);
    return { ...m, mine, status: mine && m.seq <= peerRead ? 'read' : 'sent', error: null };
  };

  const fromOutbox = (e: OutboxEntry): ChatMessage => ({
    id: null,
    seq: null,
    conversationId: e.conversationId,
    clientId: e.clientId,
    author: ctx.me(),
    kind: e.kind,
    text: e.text,
    createdAt: e.createdAt,
    mine: true,
    status: e.status,
    error: e.error,
    ...(e.payload ? { pending: e.payload } : {}),
  });

  const $messages = computed([$stored, ctx.outbox.$entries, $peerRead], (messages, entries, peerRead): ChatMessage[] => {
    const clientIds = new Set(messages.map((m) => m.clientId));
    const pending = entries.filter((e) => e.conversationId === id && !clientIds.has(e.clientId));
    return [...messages.map((m) => toChat(m, peerRead)), ...pending.map(fromOutbox)];
  });

  const $unread = computed([$stored, $ownRead], (messages, ownRead) =>
    messages.reduce((n, m) => (m.seq > ownRead && !isMine(m.author) ? n + 1 : n), 0),
  );

  const $typing = computed($typingMap, (map) => [...map.values()]);

  const settle = (clientId: string, outcome: { message: ChatMessage } | { error: VitrineError }): void => {
    const list = waiters.get(clientId);
    if (!list) return;
    waiters.delete(clientId);
    for (const w of list) {
      if ('message' in outcome) w.resolve(outcome.message);
      else w.reject(outcome.error);
    }
  };

  const wait = (clientId: string): Promise<ChatMessage> =>
    new Promise((resolve, reject) => {
      const list = waiters.get(clientId) ?? [];
      list.push({ resolve, reject });
      waiters.set(clientId, list);
    });

  const merge = (messages: readonly Message[]): void => {
    let changed = false;
    for (const m of messages) {
      if (m.conversationId !== id) continue;
      const old = stored.get(m.seq);
      // A streaming reply is replaced by any later version of it (a history page, the final message).
      if (!old || (old.streaming && (!m.streaming || (m.text?.length ?? 0) > (old.text?.length ?? 0)))) {
        stored.set(m.seq, m);
        byClient.set(m.clientId, m);
        changed = true;
      }
      if (!isMine(m.author)) removeTyping(m.author);
    }
    while (stored.has(high + 1)) high += 1;
    if (changed) publish();
    // Local sends are done once their message is shown (a held one stays "sending" until then).
    for (const e of ctx.outbox.$entries.get()) {
      const m = e.conversationId === id ? byClient.get(e.clientId) : undefined;
      if (m && m.seq <= high) {
        ctx.outbox.remove(e.clientId);
        settle(e.clientId, { message: toChat(m, $peerRead.get()) });
      }
    }
  };

  const removeTyping = (author: Author): void => {
    const key = `${author.role}:${author.id}`;
    const timer = typingTimers.get(key);
    if (timer) clearTimeout(timer);
    typingTimers.delete(key);
    if ($typingMap.get().has(key)) {
      const next = new Map($typingMap.get());
      next.delete(key);
      $typingMap.set(next);
    }
  };

  const request = async <T extends { ok: boolean }>(p: Promise<T>): Promise<Extract<T, { ok: true }>> => {
    const res = await p;
    if (!res.ok) {
      const { error } = res as unknown as { error: { code: ErrorCode; message: string } };
      throw new VitrineError(error.code, error.message);
    }
    return res as Extract<T, { ok: true }>;
  };

  const catchUp = async (): Promise<void> => {
    if (!loaded) {
      const page = await request(ctx.transport.request('history:get', { conversationId: id, limit: LIMITS.pageDefault }));
      const top = page.messages.at(-1)?.seq ?? 0;
      // The latest page: everything below it is "earlier", not a gap.
      if (top > high) high = Math.max(high, (page.messages[0]?.seq ?? 1) - 1);
      merge(page.messages);
      $hasEarlier.set(page.hasMore);
      loaded = true;
    }
    // An assistant reply shown as streaming may have been committed while this side was away
    // (its final `message:update` missed): fetch it again from just below the oldest one.
    const open = [...stored.values()].filter((m) => m.streaming && m.seq <= high);
    if (open.length > 0) {
      const after = Math.min(...open.map((m) => m.seq)) - 1;
      merge((await request(ctx.transport.request('history:get', { conversationId: id, afterSeq: after, limit: LIMITS.pageMax }))).messages);
    }
    for (;;) {
      const page = await request(ctx.transport.request('history:get', { conversationId: id, afterSeq: high, limit: LIMITS.pageMax }));
      merge(page.messages);
      if (!page.hasMore || page.messages.length === 0) break;
    }
  };

  const resync = async (): Promise<void> => {
    if (syncing) {
      syncAgain = true;
      return syncing;
    }
    syncing = (async () => {
      do {
        syncAgain = false;
        if (!ctx.isOnline() || disposed) break;
        try {
          await catchUp();
        } catch {
          // Offline or server trouble: the next (re)connect resyncs again.
          break;
        }
      } while (syncAgain);
    })();
    try {
      await syncing;
    } finally {
      syncing = null;
    }
    flush();
  };

  const flushLoop = async (): Promise<void> => {
    while (ctx.isOnline() && !disposed) {
      const next = ctx.outbox.of(id).find((e) => e.status === 'sending' && !isHeld(e.clientId));
      if (!next) return;
      const known = byClient.get(next.clientId);
      if (known) {
        // Already stored (another tab sent it, or its ack was lost): never send it twice.
        merge([known]);
        continue;
      }
      try {
        const res = await ctx.transport.request('message:send', toRequest(id, next));
        if (res.ok) {
          merge([res.message]);
          // The ack overtook messages this side has not seen yet: fetch them.
          if (loaded && res.message.seq > high) void resync();
          continue;
        }
        fail(next, res.error.code, res.error.message, RETRYABLE.has(res.error.code), res.error.reason);
      } catch (e) {
        if (!ctx.isOnline()) return; // reconnect will flush again; not an attempt
        const err = e instanceof VitrineError ? e : new VitrineError('unavailable', String(e));
        fail(next, err.code, err.message, true);
      }
      const current = ctx.outbox.of(id).find((e) => e.clientId === next.clientId);
      if (current?.status === 'sending') await sleep(Math.min(8000, 400 * 2 ** current.attempts));
    }
  };

  const fail = (entry: OutboxEntry, code: ErrorCode, message: string, retryable: boolean, reason?: string): void => {
    const attempts = entry.attempts + 1;
    const error = reason && typeof reason === 'string' ? { code, message, reason } : { code, message };
    if (retryable && attempts < ctx.maxSendAttempts) {
      ctx.outbox.update(entry.clientId, { attempts, error });
      return;
    }
    ctx.outbox.update(entry.clientId, { attempts, status: 'failed', error });
    settle(entry.clientId, { error: new VitrineError(code, message, error.reason) });
  };

  const hasPending = (): boolean => ctx.outbox.of(id).some((e) => e.status === 'sending' && !isHeld(e.clientId));

  /**
   * One sender at a time: with a shared lock (tabs of one shop) only its holder flushes, and it first
   * catches up with the server, so entries another holder already got stored are dropped, not resent
   * (a holder that vanished mid-send, e.g. a closed tab, is covered the same way).
   */
  const flush = (): void => {
    if (flushing || disposed || !ctx.isOnline() || !hasPending()) return;
    flushing = true;
    const lock = ctx.ports.lock;
    const task = lock?.shared
      ? lock.withLock(FLUSH_LOCK, async () => {
          if (!ctx.isOnline() || disposed || !hasPending()) return;
          try {
            if (syncing) await syncing;
            await catchUp();
          } catch {
            await sleep(1000); // server trouble: try again soon (offline: the reconnect flushes)
            return;
          }
          await flushLoop();
        })
      : flushLoop();
    void task
      .catch(() => {})
      .finally(() => {
        flushing = false;
        // Something may have been added while the loop was finishing.
        if (ctx.isOnline() && hasPending()) queueMicrotask(flush);
      });
  };

  // Another tab may flush our entries: settle our waiters when one of them ends `failed` there.
  const unlistenOutbox = ctx.outbox.$entries.listen((entries) => {
    for (const e of entries) {
      if (e.status === 'failed' && e.conversationId === id && waiters.has(e.clientId)) {
        settle(e.clientId, { error: new VitrineError(e.error?.code ?? 'unavailable', e.error?.message ?? 'Not sent', e.error?.reason) });
      }
    }
  });

  /** Puts a send in the outbox (persisted first) and starts flushing; resolves once stored. */
  const enqueue = (content: Pick<OutboxEntry, 'kind' | 'text' | 'productIds' | 'context' | 'payload'>): Promise<ChatMessage> => {
    const clientId = ctx.ports.random.id();
    const promise = wait(clientId);
    ctx.outbox.add({
      conversationId: id,
      clientId,
      ...content,
      createdAt: new Date(ctx.ports.clock.now()).toISOString(),
      attempts: 0,
      status: 'sending',
      error: null,
    });
    handle.setTyping(false);
    flush();
    return promise;
  };

  /** Replaces the stored message with the same seq (or stores it) and shows the change. */
  const replace = (m: Message): void => {
    stored.set(m.seq, m);
    byClient.set(m.clientId, m);
    if (m.seq <= high) publish();
    else merge([]);
  };

  const handle: ConversationStore = {
    id,
    $messages,
    $typing,
    $unread,
    $hasEarlier,
    $assistant,

    send(text, options = {}) {
      if (text.trim().length === 0) return Promise.reject(new VitrineError('invalid_payload', 'text: must not be empty'));
      if (text.length > LIMITS.textMaxLength) {
        return Promise.reject(new VitrineError('too_large', `text: must be at most ${LIMITS.textMaxLength} characters`));
      }
      return enqueue({ kind: 'text', text, ...(options.context ? { context: options.context } : {}) });
    },

    sendProducts(productIds, caption = '') {
      const ids = [...new Set(productIds)];
      if (ids.length === 0 || ids.length > LIMITS.carouselMax) {
        return Promise.reject(new VitrineError('invalid_payload', `productIds: must list 1 to ${LIMITS.carouselMax} products`));
      }
      if (caption.length > LIMITS.textMaxLength) {
        return Promise.reject(new VitrineError('too_large', `text: must be at most ${LIMITS.textMaxLength} characters`));
      }
      return enqueue({ kind: ids.length === 1 ? 'product' : 'products', text: caption, productIds: ids });
    },

    reserve(input) {
      const note = input.text ?? '';
      if (note.length > LIMITS.textMaxLength) return Promise.reject(new VitrineError('too_large', `text: must be at most ${LIMITS.textMaxLength} characters`));
      return enqueue({
        kind: 'reservation',
        text: note,
        payload: {
          kind: 'reservation',
          action: 'request',
          productId: input.productId,
          start: input.start,
          ...(input.variantId ? { variantId: input.variantId } : {}),
          ...(note ? { text: note } : {}),
        },
      });
    },

    updateReservation(reservationId, action, options = {}) {
      const note = options.text ?? '';
      if (note.length > LIMITS.textMaxLength) return Promise.reject(new VitrineError('too_large', `text: must be at most ${LIMITS.textMaxLength} characters`));
      const extra = note ? { text: note } : {};
      if (action === 'propose') {
        if (!options.start) return Promise.reject(new VitrineError('invalid_payload', 'start: a proposal needs a start time'));
        return enqueue({ kind: 'reservation', text: note, payload: { kind: 'reservation', action, reservationId, start: options.start, ...extra } });
      }
      return enqueue({ kind: 'reservation', text: note, payload: { kind: 'reservation', action, reservationId, ...extra } });
    },

    sendCoupon(couponId, caption = '') {
      if (caption.length > LIMITS.textMaxLength) return Promise.reject(new VitrineError('too_large', `text: must be at most ${LIMITS.textMaxLength} characters`));
      return enqueue({ kind: 'coupon', text: caption, payload: { kind: 'coupon', couponId, ...(caption ? { text: caption } : {}) } });
    },

    claimCoupon(couponId) {
      return enqueue({ kind: 'coupon-claim', text: '', payload: { kind: 'coupon-claim', couponId } });
    },

    retry(clientId) {
      const entry = ctx.outbox.of(id).find((e) => e.clientId === clientId);
      if (!entry) return Promise.reject(new VitrineError('not_found', 'No such pending message'));
      const promise = wait(clientId);
      ctx.outbox.update(clientId, { status: 'sending', attempts: 0, error: null });
      flush();
      return promise;
    },

    discard(clientId) {
      ctx.outbox.remove(clientId);
      settle(clientId, { error: new VitrineError('conflict', 'Discarded') });
    },

    markRead() {
      const top = stored.has(high) ? high : 0; // the newest message shown
      if (top <= $ownRead.get() || !ctx.isOnline()) return;
      $ownRead.set(top);
      ctx.transport
        .request('read:set', { conversationId: id, seq: top })
        .then((res) => {
          if (res.ok) ackedOwnRead = Math.max(ackedOwnRead, res.seq);
          else $ownRead.set(ackedOwnRead);
        })
        .catch(() => $ownRead.set(ackedOwnRead));
    },

    setTyping(typing) {
      if (typingIdle) clearTimeout(typingIdle);
      typingIdle = null;
      const now = ctx.ports.clock.now();
      if (typing) {
        if (!typingOn || now - typingSentAt > TYPING_RESEND_MS) {
          typingOn = true;
          typingSentAt = now;
          ctx.transport.request('typing:set', { conversationId: id, typing: true }).catch(() => {});
        }
        typingIdle = setTimeout(() => handle.setTyping(false), TYPING_IDLE_MS);
      } else if (typingOn) {
        typingOn = false;
        ctx.transport.request('typing:set', { conversationId: id, typing: false }).catch(() => {});
      }
    },

    async loadEarlier() {
      if (!$hasEarlier.get()) return;
      const lowest = Math.min(...stored.keys());
      if (!Number.isFinite(lowest) || lowest <= 1) {
        $hasEarlier.set(false);
        return;
      }
      const page = await request(ctx.transport.request('history:get', { conversationId: id, beforeSeq: lowest, limit: LIMITS.pageDefault }));
      merge(page.messages);
      $hasEarlier.set(page.hasMore);
    },

    ingest(message) {
      if (message.conversationId !== id) return;
      const gap = loaded && message.seq > high + 1;
      merge([message]);
      if (gap) void resync();
    },

    update(update) {
      if (!update || update.conversationId !== id || typeof update.seq !== 'number') return;
      if (!isMessageDelta(update)) {
        if (!stored.has(update.seq)) return handle.ingest(update);
        return replace(update);
      }
      const m = stored.get(update.seq);
      if (!m || m.id !== update.messageId || !m.streaming || typeof update.delta !== 'string' || typeof update.offset !== 'number') return;
      const text = m.text ?? '';
      const end = update.offset + update.delta.length;
      // A gap (a delta was missed): wait for the final message. Fully overlapping: already applied.
      if (update.offset > text.length || end <= text.length) return;
      replace({ ...m, text: text + update.delta.slice(text.length - update.offset) });
    },

    applyAssistant(state) {
      $assistant.set(state);
    },

    async setAssistantMode(mode) {
      if (!ctx.isOnline()) throw new VitrineError('unavailable', 'Not connected');
      const res = await request(ctx.transport.request('assistant:set', { conversationId: id, mode }));
      $assistant.set(res.assistant);
      return res.assistant;
    },

    async stopReply(messageId) {
      if (!ctx.isOnline()) throw new VitrineError('unavailable', 'Not connected');
      await request(ctx.transport.request('assistant:stop', { conversationId: id, messageId }));
    },

    applyRead(update) {
      if (update.conversationId !== id) return;
      if (update.role === ctx.role) {
        ackedOwnRead = Math.max(ackedOwnRead, update.seq);
        if (update.seq > $ownRead.get()) $ownRead.set(update.seq);
      } else if (update.seq > $peerRead.get()) {
        $peerRead.set(update.seq);
      }
    },

    applyTyping(update) {
      if (update.conversationId !== id || isMine(update.author)) return;
      const key = `${update.author.role}:${update.author.id}`;
      if (!update.typing) return removeTyping(update.author);
      const timer = typingTimers.get(key);
      if (timer) clearTimeout(timer);
      typingTimers.set(key, setTimeout(() => removeTyping(update.author), TYPING_EXPIRE_MS));
      if (!$typingMap.get().has(key)) $typingMap.set(new Map($typingMap.get()).set(key, update.author));
    },

    applyConversation(conversation) {
      const own = ctx.role === 'visitor' ? conversation.visitorReadSeq : conversation.agentReadSeq;
      const peer = ctx.role === 'visitor' ? conversation.agentReadSeq : conversation.visitorReadSeq;
      ackedOwnRead = Math.max(ackedOwnRead, own);
      if (own > $ownRead.get()) $ownRead.set(own);
      if (peer > $peerRead.get()) $peerRead.set(peer);
      if (conversation.assistant) $assistant.set(conversation.assistant);
    },

    resync,
    flush,

    dispose() {
      disposed = true;
      unlistenOutbox();
      for (const timer of typingTimers.values()) clearTimeout(timer);
      typingTimers.clear();
      if (typingIdle) clearTimeout(typingIdle);
    },
  };
  return handle;
}
