/** Socket.IO namespace `/vitrine`: handshake, session:ready and every protocol v1 request. */
import type { Namespace, Server, Socket } from 'socket.io';
import type * as v from 'valibot';
import { assistantSetSchema, assistantStopSchema } from '../src/protocol/assistant-schemas.js';
import type { AssistantState, MessageDelta } from '../src/protocol/assistant.js';
import { fail, VitrineError, type Ack, type ProtocolError } from '../src/protocol/errors.js';
import type { ClientToServerEvents, ServerToClientEvents } from '../src/protocol/events.js';
import { feedClickSchema, feedGetSchema, feedMarkSchema } from '../src/protocol/feed-schemas.js';
import {
  conversationGetSchema,
  conversationListSchema,
  handshakeAuthSchema,
  historyGetSchema,
  messageSendSchema,
  productGetSchema,
  productSearchSchema,
  readSetSchema,
  reservationSlotsSchema,
  typingSetSchema,
  validate,
} from '../src/protocol/schemas.js';
import type { AgentProfile, Author, Conversation, Message, Role, SessionReady } from '../src/protocol/types.js';
import { LIMITS } from '../src/protocol/limits.js';
import { NAMESPACE, PROTOCOL_VERSION } from '../src/protocol/version.js';
import type { AssistantRunner, RunnerEmitter } from './assistant/runner.js';
import { agentForToken } from './auth.js';
import type { Logger } from './log.js';
import { hashToken, newToken } from './security.js';
import { ASSISTANT_AUTHOR } from './storage/assistant.js';
import type { Store } from './storage/store.js';

/** What the server keeps on each socket after the handshake. */
export interface SocketData {
  role: Role;
  shop: string;
  userId: string;
  /** Visitors: their one conversation. */
  conversationId: string | null;
  visitorName: string | null;
  agent: AgentProfile | null;
  /** Built by the handshake, emitted as `session:ready`, then dropped. */
  session?: SessionReady;
  /** Expiry timers of this socket's `typing: true`, by conversation (created on first use). */
  typingTimers?: Map<string, NodeJS.Timeout>;
  /** Product ids this socket watches for `product:update` (created on first watch). */
  watched?: Set<string>;
}

/** Events between server processes (through the Redis adapter's `serverSideEmit`). */
export interface InterServerEvents {
  /** Stop the assistant reply being written in a conversation (`messageId` null: whatever is being written, and queued questions). */
  'assistant:abort': (conversationId: string, messageId: string | null) => void;
}

export type VitrineServer = Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;
type VitrineNamespace = Namespace<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;
type VitrineSocket = Socket<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;

/** Features announced in `session:ready` (plus `reservations` when the shop takes them). */
export const FEATURES = ['typing', 'read-receipts', 'products', 'coupons', 'product-watch', 'feed'];

/** The Socket.IO room of one watched product. */
export function productRoom(shop: string, productId: string): string {
  return `product:${shop}:${productId}`;
}

/** A `typing: true` without a follow-up expires after this long. */
export const TYPING_TTL_MS = 8000;

/** Hooks the app uses for graceful shutdown. */
export interface SocketContext {
  store: Store;
  log: Logger;
  /** True once shutdown began: new requests are refused with `unavailable`. */
  stopping: () => boolean;
  /** Registers an in-flight request so shutdown can wait for it. */
  track: (p: Promise<unknown>) => void;
  /** The assistant runner (created after the namespace, hence a getter). */
  assistant: () => AssistantRunner;
  /** Several processes share rooms (Redis adapter): stops and take-overs are relayed to the others. */
  multiProcess?: boolean;
}

/** How long "an agent of the shop is connected" is cached (ms): `fetchSockets()` asks every process. */
export const STAFF_ONLINE_TTL_MS = 1500;
/** Longest wait for the other processes' answer to "who is in the agents room" (then: offline). */
export const STAFF_ONLINE_TIMEOUT_MS = 1000;

/**
 * The runner's way to the sockets: room emits (relayed to other processes by the Redis adapter)
 * and `staffOnline` (some socket is in the shop's agents room, on any process; cached briefly).
 */
export function assistantEmitter(nsp: VitrineNamespace, store: Store, log: Logger): RunnerEmitter {
  const online = new Map<string, { at: number; value: Promise<boolean> }>();
  return {
    message(shop: string, conversationId: string, event: 'message:new' | 'message:update', payload: Message | MessageDelta) {
      const to = nsp.to([convRoom(conversationId), agentsRoom(shop)]);
      if (event === 'message:new') to.emit('message:new', payload as Message);
      else to.emit('message:update', payload);
    },
    typing(shop, conversationId, typing) {
      nsp.to([convRoom(conversationId), agentsRoom(shop)]).emit('typing:update', { conversationId, author: ASSISTANT_AUTHOR, typing });
    },
    assistant(shop, conversationId, state) {
      nsp.to([convRoom(conversationId), agentsRoom(shop)]).emit('assistant:update', { conversationId, assistant: state });
    },
    summary(shop, conversationId) {
      store
        .getSummary(conversationId)
        .then((summary) => {
          if (summary) nsp.to(agentsRoom(shop)).emit('conversation:update', summary);
        })
        .catch((err: unknown) => log.debug(`conversation:update for ${conversationId} skipped: ${String(err)}`));
    },
    staffOnline(shop) {
      const hit = online.get(shop);
      if (hit && Date.now() - hit.at < STAFF_ONLINE_TTL_MS) return hit.value;
      // Bounded: with the Redis adapter an unresponsive process must not hold handshakes up.
      const value = nsp
        .in(agentsRoom(shop))
        .timeout(STAFF_ONLINE_TIMEOUT_MS)
        .fetchSockets()
        .then((sockets) => sockets.length > 0);
      online.set(shop, { at: Date.now(), value });
      value.catch(() => online.delete(shop));
      return value;
    },
  };
}

function convRoom(id: string): string {
  return `conv:${id}`;
}

/** The Socket.IO room of one customer's connections (every tab): broadcasts (`feed:new`) go there. */
export function visitorRoom(visitorId: string): string {
  return `visitor:${visitorId}`;
}
/** Client-chosen visitor tokens: at least 32 URL-safe characters (>= 192 bits when random). */
const PROPOSED_TOKEN = /^[A-Za-z0-9_-]{32,512}$/;

function agentsRoom(shop: string): string {
  return `agents:${shop}`;
}

class HandshakeError extends Error {
  data: ProtocolError;
  constructor(error: ProtocolError) {
    super(error.message);
    this.data = error;
  }
}

const NOT_FOUND = 'conversation not found';

/** Attaches the protocol to `io`. */
export function attachProtocol(io: VitrineServer, ctx: SocketContext): VitrineNamespace {
  const { store, log } = ctx;
  const nsp = io.of(NAMESPACE);

  nsp.use((socket, next) => {
    handshake(socket)
      .then(() => next())
      .catch((err: unknown) => {
        if (err instanceof HandshakeError) {
          log.info(`refused ${socket.handshake.address} ${err.data.code}: ${err.data.message}`);
          next(err);
          return;
        }
        log.error('handshake failed', err);
        next(new HandshakeError({ code: 'internal', message: 'internal error' }));
      });
  });

  async function handshake(socket: VitrineSocket): Promise<void> {
    if (ctx.stopping()) throw new HandshakeError({ code: 'unavailable', message: 'server is shutting down' });
    const parsed = validate(handshakeAuthSchema, socket.handshake.auth);
    if (!parsed.ok) throw new HandshakeError({ code: 'invalid_payload', message: `auth: ${parsed.error.message}` });
    const auth = parsed.value;
    const shop = await store.getShopForSession(auth.shop);
    if (!shop) throw new HandshakeError({ code: 'not_found', message: `shop ${auth.shop} not found` });
    const serverTime = new Date().toISOString();
    const features = [...FEATURES, ...(shop.reservationsEnabled ? ['reservations'] : []), ...(shop.assistantEnabled ? ['assistant'] : [])];

    if (auth.role === 'agent') {
      const found = auth.token ? await agentForToken(store, auth.token) : null;
      if (!found || found.shop !== shop.id) throw new HandshakeError({ code: 'unauthorized', message: 'agent token is not valid for this shop' });
      socket.data = {
        role: 'agent',
        shop: shop.id,
        userId: found.agent.id,
        conversationId: null,
        visitorName: null,
        agent: found.agent,
        session: {
          protocol: PROTOCOL_VERSION,
          role: 'agent',
          shop: shop.id,
          shopName: shop.name,
          userId: found.agent.id,
          token: auth.token ?? '',
          conversation: null,
          agent: found.agent,
          features,
          serverTime,
        },
      };
      return;
    }

    let token = auth.token;
    let found = token ? await store.findVisitor(shop.id, hashToken(token)) : null;
    if (found && auth.identity) {
      const visitor = await store.updateVisitorIdentity(found.visitor.id, auth.identity);
      found = { visitor, conversation: found.conversation };
    }
    if (!found && token && PROPOSED_TOKEN.test(token)) {
      // A well-formed token we do not know yet: the client chose it before its first connection
      // (so parallel first opens of one visitor agree). Bind it; idempotent under concurrency.
      found = await store.findOrCreateVisitor(shop.id, hashToken(token), auth.identity);
    }
    if (!found) {
      // No token, a malformed one, or one bound in another shop: a fresh visitor with a fresh token.
      token = newToken();
      found = await store.createVisitor(shop.id, hashToken(token), auth.identity);
    }
    let conversation: Conversation = found.conversation;
    if (shop.assistantEnabled) {
      const state = await store.assistant.getState(conversation.id);
      if (state) conversation = { ...conversation, assistant: await ctx.assistant().withStaff(shop.id, state) };
    }
    socket.data = {
      role: 'visitor',
      shop: shop.id,
      userId: found.visitor.id,
      conversationId: found.conversation.id,
      visitorName: found.visitor.name,
      agent: null,
      session: {
        protocol: PROTOCOL_VERSION,
        role: 'visitor',
        shop: shop.id,
        shopName: shop.name,
        userId: found.visitor.id,
        token: token ?? '',
        conversation,
        agent: null,
        features,
        serverTime,
      },
    };
  }

  // Everything below is created once per server, not once per socket: a socket costs its
  // Socket.IO state, its rooms and `socket.data`, plus one shared dispatcher (bench/memory.ts).

  const authorOf = (data: SocketData): Author =>
    data.role === 'agent'
      ? { role: 'agent', id: data.userId, name: data.agent?.name ?? null }
      : { role: 'visitor', id: data.userId, name: data.visitorName };

  /** The conversation `id` if this socket may use it; `not_found` otherwise (same for unknown ids). */
  async function authorize(data: SocketData, id: string): Promise<Pick<Conversation, 'id' | 'shop'>> {
    if (data.role === 'visitor') {
      // Bound at the handshake from the visitor's own token: no database round trip needed.
      if (id !== data.conversationId) throw new VitrineError('not_found', NOT_FOUND);
      return { id, shop: data.shop };
    }
    const conv = await store.getConversation(id);
    if (!conv || conv.shop !== data.shop) throw new VitrineError('not_found', NOT_FOUND);
    return conv;
  }

  /**
   * Tells the shop's agents about a changed conversation (unread, last message). Not awaited:
   * the sender's ack does not wait for a query it does not need; a failure only costs agents a
   * live list update (their next list refresh repairs it).
   */
  function publishSummary(conv: Pick<Conversation, 'id' | 'shop'>): void {
    store
      .getSummary(conv.id)
      .then((summary) => {
        if (summary) nsp.to(agentsRoom(conv.shop)).emit('conversation:update', summary);
      })
      .catch((err: unknown) => log.debug(`conversation:update for ${conv.id} skipped: ${String(err)}`));
  }

  /**
   * Stops the assistant reply of a conversation (`messageId` null: also forgets queued questions),
   * here and, with several processes, on the process writing it.
   */
  function abortReply(conversationId: string, messageId: string | null): boolean {
    const runner = ctx.assistant();
    let stopped: boolean;
    if (messageId === null) {
      runner.abortConversation(conversationId);
      stopped = false;
    } else stopped = runner.stop(conversationId, messageId);
    if (!stopped && ctx.multiProcess) nsp.serverSideEmit('assistant:abort', conversationId, messageId);
    return stopped;
  }

  // Another process asks: stop a reply this process may be writing.
  nsp.on('assistant:abort', (conversationId: string, messageId: string | null) => {
    if (messageId === null) ctx.assistant().abortConversation(conversationId);
    else ctx.assistant().stop(conversationId, messageId);
  });

  /** Tells the conversation's visitor and the shop's agents about a new assistant state. */
  async function publishAssistant(conv: Pick<Conversation, 'id' | 'shop'>, state: AssistantState): Promise<void> {
    nsp.to([convRoom(conv.id), agentsRoom(conv.shop)]).emit('assistant:update', { conversationId: conv.id, assistant: state });
    publishSummary(conv);
  }

  /**
   * After an agent's message: the agent takes the conversation over when the assistant was
   * answering it or a hand-off waited (the reply being written is stopped). Not awaited by the ack.
   */
  function implicitTakeOver(conv: Pick<Conversation, 'id' | 'shop'>, agent: { id: string; name: string }): void {
    const p = store.assistant
      .takeOverIfAnswering(conv.id, agent)
      .then(async (state) => {
        if (!state) return;
        abortReply(conv.id, null);
        log.info(`assistant: agent ${agent.id} took conv=${conv.id} over by writing`);
        await publishAssistant(conv, await ctx.assistant().withStaff(conv.shop, state));
      })
      .catch((err: unknown) => log.error(`implicit take-over of ${conv.id} failed`, err));
    ctx.track(p);
  }

  function agentOnly(data: SocketData): void {
    if (data.role !== 'agent') throw new VitrineError('forbidden', 'only agents may do this');
  }

  function visitorOnly(data: SocketData): void {
    if (data.role !== 'visitor') throw new VitrineError('forbidden', 'only customers have a feed');
  }

  function emitTyping(socket: VitrineSocket, conversationId: string, typing: boolean): void {
    const data = socket.data;
    socket.to([convRoom(conversationId), agentsRoom(data.shop)]).emit('typing:update', { conversationId, author: authorOf(data), typing });
  }

  /** Stops the expiry timer of a `typing: true`; true when one was running. */
  function clearTyping(socket: VitrineSocket, conversationId: string): boolean {
    const timers = socket.data.typingTimers;
    const t = timers?.get(conversationId);
    if (!t) return false;
    clearTimeout(t);
    timers?.delete(conversationId);
    return true;
  }

  type Handler<S extends v.GenericSchema> = {
    schema: S;
    run: (socket: VitrineSocket, req: v.InferOutput<S>) => Promise<object>;
  };
  const handler = <S extends v.GenericSchema>(schema: S, run: Handler<S>['run']): Handler<v.GenericSchema> =>
    ({ schema, run }) as Handler<v.GenericSchema>;

  const handlers: Record<keyof ClientToServerEvents, Handler<v.GenericSchema>> = {
    'message:send': handler(messageSendSchema, async (socket, req) => {
      const data = socket.data;
      const conv = await authorize(data, req.conversationId);
      // Both roles may send catalogue cards (a customer can share a product); snapshots come from
      // the conversation's shop only, so a visitor cannot read another shop's catalogue this way.
      const { message, created } = await store.sendRequest(conv.shop, req, authorOf(data));
      if (created) {
        log.info(`message ${message.id} conv=${conv.id} seq=${message.seq} by ${data.role} ${data.userId}`);
        // One emit to both rooms: a socket in both receives the message once.
        nsp.to([convRoom(conv.id), agentsRoom(conv.shop)]).emit('message:new', message);
        publishSummary(conv);
        if (clearTyping(socket, conv.id)) emitTyping(socket, conv.id, false);
        // The assistant answers in the background: the ack never waits for a provider.
        if (data.role === 'visitor') ctx.assistant().trigger(conv.shop, message);
        else implicitTakeOver(conv, { id: data.userId, name: data.agent?.name ?? '' });
      } else {
        log.debug(`message:send repeat clientId=${req.clientId} conv=${conv.id} -> seq ${message.seq}`);
      }
      return { message };
    }),

    'history:get': handler(historyGetSchema, async (socket, req) => {
      const conv = await authorize(socket.data, req.conversationId);
      return store.history(conv.id, { afterSeq: req.afterSeq, beforeSeq: req.beforeSeq, limit: req.limit });
    }),

    'read:set': handler(readSetSchema, async (socket, req) => {
      const data = socket.data;
      const conv = await authorize(data, req.conversationId);
      const { seq, changed } = await store.setRead(conv.id, data.role, req.seq);
      if (changed) {
        nsp.to([convRoom(conv.id), agentsRoom(conv.shop)]).emit('read:update', {
          conversationId: conv.id,
          role: data.role,
          readerId: data.userId,
          seq,
        });
        publishSummary(conv);
      }
      return { seq };
    }),

    'typing:set': handler(typingSetSchema, async (socket, req) => {
      const conv = await authorize(socket.data, req.conversationId);
      clearTyping(socket, conv.id);
      if (req.typing) {
        const timers = (socket.data.typingTimers ??= new Map());
        timers.set(
          conv.id,
          setTimeout(() => {
            timers.delete(conv.id);
            emitTyping(socket, conv.id, false);
          }, TYPING_TTL_MS),
        );
      }
      emitTyping(socket, conv.id, req.typing);
      return {};
    }),

    'conversation:list': handler(conversationListSchema, async (socket, req) => {
      agentOnly(socket.data);
      return store.listConversations(socket.data.shop, { limit: req.limit, before: req.before, beforeId: req.beforeId });
    }),

    'product:search': handler(productSearchSchema, async (socket, req) => {
      agentOnly(socket.data);
      return store.searchProducts(socket.data.shop, req.query ?? '', req.after ?? null, req.limit ?? LIMITS.pageDefault);
    }),

    // Anyone connected to the shop: the shop's current entries (live stock for cards). Unknown ids are left out.
    // With `watch`, the socket also joins each product's room and gets `product:update` (at most
    // LIMITS.productWatchMax products per connection).
    'product:get': handler(productGetSchema, async (socket, req) => {
      const data = socket.data;
      if (req.watch) {
        const watched = data.watched ?? new Set<string>();
        const fresh = [...new Set(req.productIds)].filter((pid) => !watched.has(pid));
        if (watched.size + fresh.length > LIMITS.productWatchMax) {
          throw new VitrineError('too_large', `a connection may watch at most ${LIMITS.productWatchMax} products`);
        }
        for (const pid of fresh) watched.add(pid);
        data.watched = watched;
        if (fresh.length > 0) await socket.join(fresh.map((pid) => productRoom(data.shop, pid)));
      }
      return { items: await store.getProducts(data.shop, req.productIds) };
    }),

    // Anyone connected to the shop: its bookable slots.
    'reservation:slots': handler(reservationSlotsSchema, async (socket, req) => {
      return store.reservationSlots(socket.data.shop, { from: req.from, days: req.days });
    }),

    // Visitors: their broadcast feed (issue 5). Returned items are recorded as delivered.
    'feed:get': handler(feedGetSchema, async (socket, req) => {
      visitorOnly(socket.data);
      return store.broadcasts.feedPage(socket.data.shop, socket.data.userId, { before: req.before, limit: req.limit });
    }),

    'feed:delivered': handler(feedMarkSchema, async (socket, req) => {
      visitorOnly(socket.data);
      return store.broadcasts.markFeed(socket.data.userId, req.ids, 'delivered');
    }),

    'feed:read': handler(feedMarkSchema, async (socket, req) => {
      visitorOnly(socket.data);
      return store.broadcasts.markFeed(socket.data.userId, req.ids, 'read');
    }),

    'feed:click': handler(feedClickSchema, async (socket, req) => {
      visitorOnly(socket.data);
      await store.broadcasts.clickFeed(socket.data.userId, req.id, req.target);
      return {};
    }),

    'conversation:get': handler(conversationGetSchema, async (socket, req) => {
      const conv = await authorize(socket.data, req.conversationId);
      const conversation = await store.getSummary(conv.id);
      if (!conversation) throw new VitrineError('not_found', NOT_FOUND);
      // Summaries say staff are online (agents read them); a visitor gets the real answer.
      if (conversation.assistant && socket.data.role === 'visitor') {
        conversation.assistant = await ctx.assistant().withStaff(conv.shop, conversation.assistant);
      }
      return { conversation };
    }),

    // Visitors: `human` asks for a person (a hand-off), `assistant` goes back to the assistant.
    // Agents: `human` takes the conversation over, `assistant` hands it back.
    'assistant:set': handler(assistantSetSchema, async (socket, req) => {
      const data = socket.data;
      const conv = await authorize(data, req.conversationId);
      const runner = ctx.assistant();
      const current = await store.assistant.getState(conv.id);
      if (!current) throw new VitrineError('not_found', NOT_FOUND);
      if (req.mode === 'assistant' && !current.enabled) throw new VitrineError('conflict', 'the shop has the assistant switched off');
      let state = current;
      if (req.mode === 'assistant') {
        if (current.mode !== 'assistant' || current.handoff || current.takeover) state = (await store.assistant.toAssistant(conv.id)) ?? current;
      } else if (data.role === 'agent') {
        state = (await store.assistant.takeOver(conv.id, { id: data.userId, name: data.agent?.name ?? '' })) ?? current;
        abortReply(conv.id, null);
      } else if (current.mode === 'assistant') {
        state = (await store.assistant.handoff(conv.id, 'customer_toggled')) ?? current;
        abortReply(conv.id, null);
      }
      const assistant = await runner.withStaff(conv.shop, state);
      if (state !== current) {
        log.info(`assistant: conv=${conv.id} set ${req.mode} by ${data.role} ${data.userId}`);
        await publishAssistant(conv, assistant);
      }
      return { assistant };
    }),

    // Both roles: stop the reply being written (acks also when it already finished).
    'assistant:stop': handler(assistantStopSchema, async (socket, req) => {
      const conv = await authorize(socket.data, req.conversationId);
      const message = await store.assistant.findReply(conv.id, req.messageId);
      if (!message) throw new VitrineError('not_found', `message ${req.messageId} not found`);
      if (message.author.role === 'assistant' && message.streaming === true && abortReply(conv.id, message.id)) {
        log.info(`assistant: reply ${message.id} conv=${conv.id} stopped by ${socket.data.role} ${socket.data.userId}`);
      }
      return {};
    }),
  };

  const reply = (event: string, ack: (res: Ack) => void, res: Ack): void => {
    try {
      ack(res);
    } catch (err) {
      log.error(`${event} ack failed`, err);
    }
  };

  /**
   * The one listener of every socket (`this` is the socket): ignores emits without an ack, answers
   * unknown events, validates the payload, maps every thrown error to a failed ack and never lets
   * an exception escape.
   */
  function dispatch(this: VitrineSocket, event: string, ...args: unknown[]): void {
    const socket = this;
    const ack = args[args.length - 1];
    const known = Object.prototype.hasOwnProperty.call(handlers, event);
    if (typeof ack !== 'function') {
      log.debug(`${known ? event : 'unknown event'} without ack from ${socket.data.userId}: ignored`);
      return;
    }
    const answer = ack as (res: Ack) => void;
    if (!known) {
      log.debug(`unknown event ${JSON.stringify(String(event).slice(0, 64))} from ${socket.data.userId}`);
      reply(event, answer, fail('invalid_payload', 'unknown event'));
      return;
    }
    if (ctx.stopping()) {
      reply(event, answer, fail('unavailable', 'server is shutting down'));
      return;
    }
    const { schema, run } = handlers[event as keyof ClientToServerEvents];
    const parsed = validate(schema, args.length >= 2 ? args[0] : undefined);
    if (!parsed.ok) {
      reply(event, answer, { ok: false, error: parsed.error });
      return;
    }
    const p = run(socket, parsed.value).then(
      (res) => reply(event, answer, { ok: true, ...res }),
      (err: unknown) => {
        if (err instanceof VitrineError) {
          reply(event, answer, { ok: false, error: err.toJSON() });
          return;
        }
        log.error(`${event} from ${socket.data.userId} failed`, err);
        reply(event, answer, fail('internal', 'internal error'));
      },
    );
    ctx.track(p);
  }

  function onDisconnect(this: VitrineSocket, reason: string): void {
    const data = this.data;
    for (const id of [...(data.typingTimers?.keys() ?? [])]) {
      clearTyping(this, id);
      emitTyping(this, id, false);
    }
    log.info(`disconnect ${data.role} ${data.userId} (${reason})`);
  }

  nsp.on('connection', (socket) => {
    const data = socket.data;
    if (data.role === 'agent') void socket.join(agentsRoom(data.shop));
    else if (data.conversationId) void socket.join([convRoom(data.conversationId), visitorRoom(data.userId)]);
    log.info(`connect ${data.role} ${data.userId} shop=${data.shop}${data.conversationId ? ` conv=${data.conversationId}` : ''}`);
    if (data.session) socket.emit('session:ready', data.session);
    // Sent once; keeping it would cost every idle socket a copy of its session.
    data.session = undefined;
    socket.onAny(dispatch);
    socket.on('disconnect', onDisconnect);
  });

  return nsp;
}
