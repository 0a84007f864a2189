/** Socket.IO namespace `/vitrine`: handshake, session:ready and every protocol v1 request. */
import type { Namespace, Server, Socket } from 'socket.io';
import type * as v from 'valibot';
import { fail, VitrineError, type Ack, type ProtocolError } from '../src/protocol/errors.js';
import type { ClientToServerEvents, ServerToClientEvents } from '../src/protocol/events.js';
import {
  conversationGetSchema,
  conversationListSchema,
  handshakeAuthSchema,
  historyGetSchema,
  messageSendSchema,
  readSetSchema,
  typingSetSchema,
  validate,
} from '../src/protocol/schemas.js';
import type { AgentProfile, Author, Conversation, Role, SessionReady } from '../src/protocol/types.js';
import { NAMESPACE, PROTOCOL_VERSION } from '../src/protocol/version.js';
import { agentForToken } from './auth.js';
import type { Logger } from './log.js';
import { hashToken, newToken } from './security.js';
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
  session: SessionReady;
}

type InterServerEvents = Record<string, never>;

export type VitrineServer = Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;
type VitrineNamespace = Namespace<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;
type VitrineSocket = Socket<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;

/** Features announced in `session:ready`. */
export const FEATURES = ['typing', 'read-receipts'];

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
}

function convRoom(id: string): string {
  return `conv:${id}`;
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
    const shop = await store.getShop(auth.shop);
    if (!shop) throw new HandshakeError({ code: 'not_found', message: `shop ${auth.shop} not found` });
    const serverTime = new Date().toISOString();

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
          features: FEATURES,
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
        conversation: found.conversation,
        agent: null,
        features: FEATURES,
        serverTime,
      },
    };
  }

  nsp.on('connection', (socket) => {
    const data = socket.data;
    if (data.role === 'agent') void socket.join(agentsRoom(data.shop));
    else if (data.conversationId) void socket.join(convRoom(data.conversationId));
    log.info(`connect ${data.role} ${data.userId} shop=${data.shop}${data.conversationId ? ` conv=${data.conversationId}` : ''}`);
    socket.emit('session:ready', data.session);

    const typingTimers = new Map<string, NodeJS.Timeout>();
    const author = (): Author =>
      data.role === 'agent'
        ? { role: 'agent', id: data.userId, name: data.agent?.name ?? null }
        : { role: 'visitor', id: data.userId, name: data.visitorName };

    /** The conversation `id` if this socket may touch it, else throws `not_found`. */
    /** The conversation `id` if this socket may use it; `not_found` otherwise (same for unknown ids). */
    async function authorize(id: string): Promise<Pick<Conversation, 'id' | 'shop'>> {
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

    function agentOnly(): void {
      if (data.role !== 'agent') throw new VitrineError('forbidden', 'only agents may do this');
    }

    function emitTyping(conversationId: string, typing: boolean): void {
      socket.to([convRoom(conversationId), agentsRoom(data.shop)]).emit('typing:update', { conversationId, author: author(), typing });
    }

    function clearTyping(conversationId: string): void {
      const t = typingTimers.get(conversationId);
      if (t) clearTimeout(t);
      typingTimers.delete(conversationId);
    }

    /**
     * Registers a request handler: ignores emits without an ack, validates the payload, maps every
     * thrown error to a failed ack and never lets an exception escape.
     */
    function on<S extends v.GenericSchema, R extends object>(
      event: keyof ClientToServerEvents,
      schema: S,
      handler: (req: v.InferOutput<S>) => Promise<R>,
    ): void {
      const listener = (...args: unknown[]): void => {
        const ack = args[args.length - 1];
        if (typeof ack !== 'function') {
          log.debug(`${event} without ack from ${data.userId}: ignored`);
          return;
        }
        const reply = (res: Ack<R>): void => {
          try {
            (ack as (res: Ack<R>) => void)(res);
          } catch (err) {
            log.error(`${event} ack failed`, err);
          }
        };
        if (ctx.stopping()) {
          reply(fail('unavailable', 'server is shutting down'));
          return;
        }
        const parsed = validate(schema, args.length >= 2 ? args[0] : undefined);
        if (!parsed.ok) {
          reply({ ok: false, error: parsed.error });
          return;
        }
        const p = handler(parsed.value).then(
          (res) => reply({ ok: true, ...res }),
          (err: unknown) => {
            if (err instanceof VitrineError) {
              reply({ ok: false, error: err.toJSON() });
              return;
            }
            log.error(`${event} from ${data.userId} failed`, err);
            reply(fail('internal', 'internal error'));
          },
        );
        ctx.track(p);
      };
      // The typed `on` cannot express "any arguments"; the listener checks them at run time.
      (socket as unknown as { on(event: string, listener: (...args: unknown[]) => void): void }).on(event, listener);
    }

    on('message:send', messageSendSchema, async (req) => {
      const conv = await authorize(req.conversationId);
      const { message, created } = await store.sendMessage(conv.id, req.clientId, author(), req.text);
      if (created) {
        log.info(`message ${message.id} conv=${conv.id} seq=${message.seq} by ${data.role} ${data.userId}`);
        // One emit to both rooms: a socket in both receives the message once.
        nsp.to([convRoom(conv.id), agentsRoom(conv.shop)]).emit('message:new', message);
        publishSummary(conv);
        if (typingTimers.has(conv.id)) {
          clearTyping(conv.id);
          emitTyping(conv.id, false);
        }
      } else {
        log.debug(`message:send repeat clientId=${req.clientId} conv=${conv.id} -> seq ${message.seq}`);
      }
      return { message };
    });

    on('history:get', historyGetSchema, async (req) => {
      const conv = await authorize(req.conversationId);
      return store.history(conv.id, { afterSeq: req.afterSeq, beforeSeq: req.beforeSeq, limit: req.limit });
    });

    on('read:set', readSetSchema, async (req) => {
      const conv = await authorize(req.conversationId);
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
    });

    on('typing:set', typingSetSchema, async (req) => {
      const conv = await authorize(req.conversationId);
      clearTyping(conv.id);
      if (req.typing) {
        typingTimers.set(
          conv.id,
          setTimeout(() => {
            typingTimers.delete(conv.id);
            emitTyping(conv.id, false);
          }, TYPING_TTL_MS),
        );
      }
      emitTyping(conv.id, req.typing);
      return {};
    });

    on('conversation:list', conversationListSchema, async (req) => {
      agentOnly();
      return store.listConversations(data.shop, { limit: req.limit, before: req.before, beforeId: req.beforeId });
    });

    on('conversation:get', conversationGetSchema, async (req) => {
      const conv = await authorize(req.conversationId);
      const conversation = await store.getSummary(conv.id);
      if (!conversation) throw new VitrineError('not_found', NOT_FOUND);
      return { conversation };
    });

    // Unknown events: answer a request that carries an ack instead of leaving it hanging.
    socket.onAny((event: string, ...args: unknown[]) => {
      if (Object.prototype.hasOwnProperty.call(KNOWN_EVENTS, event)) return;
      log.debug(`unknown event ${JSON.stringify(String(event).slice(0, 64))} from ${data.userId}`);
      const ack = args[args.length - 1];
      if (typeof ack === 'function') {
        try {
          (ack as (res: Ack) => void)(fail('invalid_payload', 'unknown event'));
        } catch {
          /* ignore */
        }
      }
    });

    socket.on('disconnect', (reason) => {
      for (const id of [...typingTimers.keys()]) {
        clearTyping(id);
        emitTyping(id, false);
      }
      log.info(`disconnect ${data.role} ${data.userId} (${reason})`);
    });
  });

  return nsp;
}

const KNOWN_EVENTS: Record<keyof ClientToServerEvents, true> = {
  'message:send': true,
  'history:get': true,
  'read:set': true,
  'typing:set': true,
  'conversation:list': true,
  'conversation:get': true,
};
