/**
 * Domain storage of the reference server. Every method is one or a few SQL statements that run
 * unchanged on PGlite and PostgreSQL.
 */
import type { Product, ProductSnapshot } from '../../src/protocol/catalogue.js';
import type { Coupon, QuickReply, ReservationSettings } from '../../src/protocol/commerce.js';
import { VitrineError } from '../../src/protocol/errors.js';
import type { ProductUpdate, ReservationSlotsPage } from '../../src/protocol/events.js';
import { productInputSchema, validate, type CouponInput, type ProductInput } from '../../src/protocol/schemas.js';
import type {
  AgentProfile,
  Author,
  Conversation,
  ConversationSummary,
  Message,
  MessageSendRequest,
  PageProductInput,
  Role,
  VisitorIdentity,
} from '../../src/protocol/types.js';
import { LIMITS } from '../../src/protocol/limits.js';
import { newId } from '../security.js';
import { AssistantStore, stateFromRow } from './assistant.js';
import { BroadcastStore } from './broadcasts.js';
import * as commerce from './commerce.js';
import { isUniqueViolation, openDb, type Db, type DbOptions, type Queryable } from './db.js';

/** A shop row. */
export interface Shop {
  id: string;
  name: string;
  locale: string | null;
}

/** An agent with its password hash (server-side only). */
export interface AgentRecord extends AgentProfile {
  shop: string;
  passwordHash: string;
}

/** A visitor row. */
export interface Visitor {
  id: string;
  shop: string;
  name: string | null;
  email: string | null;
  createdAt: string;
}

/** Result of {@link Store.sendMessage}. */
export interface SendResult {
  message: Message;
  /** False when `(conversationId, clientId)` already existed and the original message is returned. */
  created: boolean;
}

/** What {@link Store.sendMessage} stores: the kind, its text and the kind-specific payload. */
export interface MessageBody {
  kind: Message['kind'];
  text: string;
  payload: MessagePayload | null;
}

/** Kind-specific fields of a stored message (the `payload` column), spread into {@link Message}. */
export type MessagePayload = Pick<
  Message,
  'product' | 'products' | 'context' | 'reservation' | 'action' | 'coupon' | 'claim' | 'streaming' | 'stopped' | 'ai'
>;

/** Called after a product of `shop` was created, replaced or removed (committed). */
export type ProductListener = (shop: string, update: ProductUpdate) => void;

/** Result of {@link Store.upsertProduct}. */
export interface UpsertResult {
  product: Product;
  /** False when a product with that id existed and was replaced. */
  created: boolean;
}

/** A page of products, ordered by id. */
export interface ProductPage {
  items: Product[];
  hasMore: boolean;
}

/** Currency of a page snapshot without a price (ISO 4217 "no currency"); clients show no price. */
export const NO_CURRENCY = 'XXX';

/** The card a message carries: the catalogue product as it is now (stock included). */
export function snapshot(product: Product): ProductSnapshot {
  return {
    id: product.id,
    title: { ...product.title },
    price: { ...product.price },
    compareAt: product.compareAt ? { ...product.compareAt } : null,
    image: product.images[0] ?? null,
    url: product.url,
    variants: product.variants.map((x) => ({ ...x, options: { ...x.options }, price: x.price ? { ...x.price } : null })),
    // Only when there are labels: snapshots without them read as `[]` (the field is optional).
    ...(product.options.length > 0 ? { options: structuredClone(product.options) } : {}),
    source: 'catalogue',
  };
}

/**
 * The card of product data a page passed (`askAbout`). A plain-string title becomes
 * `{ und: title }` (BCP 47 "undetermined": clients fall back to the first entry). Without a page
 * price the catalogue's price of that id is used when there is one, else `{ amount: 0, currency: 'XXX' }`.
 */
export function pageSnapshot(input: PageProductInput, catalogue: Product | null): ProductSnapshot {
  return {
    id: input.id,
    title: typeof input.title === 'string' ? { und: input.title } : { ...input.title },
    price: input.price ? { ...input.price } : catalogue ? { ...catalogue.price } : { amount: 0, currency: NO_CURRENCY },
    compareAt: null,
    image: input.image ?? null,
    url: input.url ?? null,
    variants: [],
    source: 'page',
  };
}

/** Lower-cased text `product:search` matches: id, titles, tags and SKUs. */
function searchText(p: ProductInput): string {
  return [p.id, ...Object.values(p.title), ...p.tags, ...p.variants.map((x) => x.sku ?? '')]
    .filter((s) => s.length > 0)
    .join('\n')
    .toLowerCase();
}

/** A page of history, ascending by `seq`. */
export interface HistoryResult {
  messages: Message[];
  hasMore: boolean;
}

/** Result of {@link Store.setRead}. */
export interface ReadResult {
  seq: number;
  changed: boolean;
}

type Row = Record<string, unknown>;

function iso(v: unknown): string {
  if (v instanceof Date) return v.toISOString();
  return new Date(String(v)).toISOString();
}

function num(v: unknown): number {
  return typeof v === 'number' ? v : Number(v);
}

function str(v: unknown): string {
  return String(v);
}

function strOrNull(v: unknown): string | null {
  return v === null || v === undefined ? null : String(v);
}

const MESSAGE_COLUMNS = 'id, conversation_id, seq, client_id, author_role, author_id, author_name, kind, text, payload, created_at';

function json<T>(v: unknown): T {
  return (typeof v === 'string' ? JSON.parse(v) : v) as T;
}

function toMessage(r: Row, prefix = ''): Message {
  const payload = r[`${prefix}payload`];
  return {
    id: str(r[`${prefix}id`]),
    conversationId: str(r[`${prefix}conversation_id`]),
    seq: num(r[`${prefix}seq`]),
    clientId: str(r[`${prefix}client_id`]),
    author: {
      role: str(r[`${prefix}author_role`]) as Author['role'],
      id: str(r[`${prefix}author_id`]),
      name: strOrNull(r[`${prefix}author_name`]),
    },
    kind: str(r[`${prefix}kind`]) as Message['kind'],
    text: str(r[`${prefix}text`]),
    ...(payload === null || payload === undefined ? {} : json<MessagePayload>(payload)),
    createdAt: iso(r[`${prefix}created_at`]),
  };
}

function toConversation(r: Row): Conversation {
  return {
    id: str(r.id),
    shop: str(r.shop),
    visitorId: str(r.visitor_id),
    lastSeq: num(r.last_seq),
    visitorReadSeq: num(r.visitor_read_seq),
    agentReadSeq: num(r.agent_read_seq),
    createdAt: iso(r.created_at),
  };
}

/**
 * A summary row for the shop's agents. Rows of shops with the assistant on carry its state
 * (`staffOnline` is true: summaries go to connected agents of the shop).
 */
function toSummary(r: Row): ConversationSummary {
  return {
    ...toConversation(r),
    ...(r.assistant_enabled === true ? { assistant: { ...stateFromRow(r), staffOnline: true } } : {}),
    visitorName: strOrNull(r.visitor_name),
    unread: num(r.unread),
    lastMessage: r.lm_id === null || r.lm_id === undefined ? null : toMessage(r, 'lm_'),
    updatedAt: iso(r.updated_at),
  };
}

function toVisitor(r: Row, prefix = ''): Visitor {
  return {
    id: str(r[`${prefix}id`]),
    shop: str(r[`${prefix}shop`]),
    name: strOrNull(r[`${prefix}name`]),
    email: strOrNull(r[`${prefix}email`]),
    createdAt: iso(r[`${prefix}created_at`]),
  };
}

function toAgent(r: Row): AgentRecord {
  return { id: str(r.id), shop: str(r.shop), email: str(r.email), name: str(r.name), passwordHash: str(r.password_hash) };
}

const SUMMARY_SELECT = `
  SELECT c.*, v.name AS visitor_name, coalesce((sh.assistant_settings->>'enabled')::boolean, false) AS assistant_enabled,
    (SELECT count(*)::int FROM messages u
      WHERE u.conversation_id = c.id AND u.seq > c.agent_read_seq AND u.author_role = 'visitor') AS unread,
    lm.id AS lm_id, lm.conversation_id AS lm_conversation_id, lm.seq AS lm_seq, lm.client_id AS lm_client_id,
    lm.author_role AS lm_author_role, lm.author_id AS lm_author_id, lm.author_name AS lm_author_name,
    lm.kind AS lm_kind, lm.text AS lm_text, lm.payload AS lm_payload, lm.created_at AS lm_created_at
  FROM conversations c
  JOIN visitors v ON v.id = c.visitor_id
  JOIN shops sh ON sh.id = c.shop
  LEFT JOIN messages lm ON lm.conversation_id = c.id AND lm.seq = c.last_seq`;

/**
 * A new `updated_at` for a conversation of `shop`: now, but strictly later than every other
 * conversation of the shop, so the list cursor (`before = updatedAt`) never skips ties.
 */
// Millisecond precision, so the ISO cursor clients send back compares exactly. Concurrent writers
// may still tie: list paging breaks ties by id.
const NEXT_UPDATED_AT = `date_trunc('milliseconds', GREATEST(clock_timestamp(),
  (SELECT max(o.updated_at) FROM conversations o WHERE o.shop = $1) + interval '1 millisecond'))`;

class DuplicateClientId extends Error {}

/** The server's storage. */
export class Store {
  /** The clock of time-dependent rules (slots, expiry); tests may replace it. */
  now: () => number = () => Date.now();
  private readonly productListeners = new Set<ProductListener>();
  /** Customers' profiles, segments, campaigns and feeds (issue 5). */
  readonly broadcasts: BroadcastStore;
  /** Assistant settings, FAQ, conversation assistant state and replies (issue 6). */
  readonly assistant: AssistantStore;

  constructor(readonly db: Db) {
    this.broadcasts = new BroadcastStore(db, (q, shop, ids) => this.loadProducts(q, shop, ids), snapshot);
    this.assistant = new AssistantStore(
      db,
      (conversationId, clientId, author, body) => this.sendMessage(conversationId, clientId, author, body),
      (row) => toMessage(row),
    );
  }

  /** Subscribes to committed catalogue changes (live stock push); returns the unsubscribe. */
  onProductChange(listener: ProductListener): () => void {
    this.productListeners.add(listener);
    return () => this.productListeners.delete(listener);
  }

  private productChanged(shop: string, update: ProductUpdate): void {
    for (const listener of this.productListeners) {
      try {
        listener(shop, update);
      } catch {
        // A listener failure must not fail the write that already committed.
      }
    }
  }

  /** Opens a database (PGlite directory, `memory://`, or PostgreSQL URL) and applies migrations. */
  static async open(opts: DbOptions): Promise<Store> {
    return new Store(await openDb(opts));
  }

  close(): Promise<void> {
    return this.db.close();
  }

  // ---- shops and agents ----

  async getShop(id: string): Promise<Shop | null> {
    const rows = await this.db.query<Row>('SELECT id, name, locale FROM shops WHERE id = $1', [id]);
    return rows[0] ? { id: str(rows[0].id), name: str(rows[0].name), locale: strOrNull(rows[0].locale) } : null;
  }

  /** The shop, whether it takes reservations and whether its assistant is on, in one read (every handshake needs them). */
  async getShopForSession(id: string): Promise<(Shop & { reservationsEnabled: boolean; assistantEnabled: boolean }) | null> {
    const rows = await this.db.query<Row>(
      `SELECT id, name, locale, coalesce((reservation_settings->>'enabled')::boolean, false) AS reservations,
              coalesce((assistant_settings->>'enabled')::boolean, false) AS assistant
         FROM shops WHERE id = $1`,
      [id],
    );
    const row = rows[0];
    return row
      ? {
          id: str(row.id),
          name: str(row.name),
          locale: strOrNull(row.locale),
          reservationsEnabled: row.reservations === true,
          assistantEnabled: row.assistant === true,
        }
      : null;
  }

  /** Inserts a shop, or returns the existing one with that id unchanged. */
  async insertShop(shop: { id: string; name: string; locale?: string | null }): Promise<Shop> {
    await this.db.query('INSERT INTO shops (id, name, locale) VALUES ($1, $2, $3) ON CONFLICT (id) DO NOTHING', [
      shop.id,
      shop.name,
      shop.locale ?? null,
    ]);
    const found = await this.getShop(shop.id);
    if (!found) throw new Error(`shop ${shop.id} vanished`);
    return found;
  }

  async insertAgent(agent: { shop: string; email: string; name: string; passwordHash: string }): Promise<AgentRecord> {
    const rows = await this.db.query<Row>(
      'INSERT INTO agents (id, shop, email, name, password_hash) VALUES ($1, $2, $3, $4, $5) RETURNING *',
      [newId('a'), agent.shop, agent.email, agent.name, agent.passwordHash],
    );
    return toAgent(rows[0]);
  }

  async findAgent(shop: string, email: string): Promise<AgentRecord | null> {
    const rows = await this.db.query<Row>('SELECT * FROM agents WHERE shop = $1 AND email = $2', [shop, email]);
    return rows[0] ? toAgent(rows[0]) : null;
  }

  /** Agents with this e-mail, in any shop (login without a shop), oldest first. */
  async findAgentsByEmail(email: string): Promise<AgentRecord[]> {
    const rows = await this.db.query<Row>('SELECT * FROM agents WHERE email = $1 ORDER BY created_at, id LIMIT 20', [email]);
    return rows.map(toAgent);
  }

  async createAgentSession(agentId: string, tokenHash: string, ttlMs: number): Promise<void> {
    await this.db.query('INSERT INTO agent_sessions (token_hash, agent_id, expires_at) VALUES ($1, $2, $3)', [
      tokenHash,
      agentId,
      new Date(Date.now() + ttlMs),
    ]);
  }

  /** The agent behind a live session token hash. */
  async findAgentBySession(tokenHash: string): Promise<AgentRecord | null> {
    const rows = await this.db.query<Row>(
      `SELECT a.* FROM agent_sessions s JOIN agents a ON a.id = s.agent_id
        WHERE s.token_hash = $1 AND s.expires_at > now()`,
      [tokenHash],
    );
    return rows[0] ? toAgent(rows[0]) : null;
  }

  async deleteAgentSession(tokenHash: string): Promise<boolean> {
    const rows = await this.db.query<Row>('DELETE FROM agent_sessions WHERE token_hash = $1 RETURNING token_hash', [tokenHash]);
    return rows.length > 0;
  }

  // ---- visitors and conversations ----

  /** Creates a visitor bound to `tokenHash` and its (only) conversation in `shop`. */
  async createVisitor(shop: string, tokenHash: string, identity?: VisitorIdentity): Promise<{ visitor: Visitor; conversation: Conversation }> {
    return this.db.transaction(async (tx) => {
      const v = await tx.query<Row>('INSERT INTO visitors (id, shop, token_hash, name, email) VALUES ($1, $2, $3, $4, $5) RETURNING *', [
        newId('v'),
        shop,
        tokenHash,
        identity?.name || null,
        identity?.email || null,
      ]);
      const c = await tx.query<Row>(
        `INSERT INTO conversations (id, shop, visitor_id, updated_at) VALUES ($2, $1, $3, ${NEXT_UPDATED_AT}) RETURNING *`,
        [shop, newId('c'), str(v[0].id)],
      );
      return { visitor: toVisitor(v[0]), conversation: toConversation(c[0]) };
    });
  }

  /**
   * The visitor of `shop` bound to `tokenHash`, created (with its conversation) if none exists.
   * Idempotent under concurrency: parallel first opens with one client-chosen token make one
   * visitor and one conversation. `null` when the token is already bound in another shop.
   */
  async findOrCreateVisitor(shop: string, tokenHash: string, identity?: VisitorIdentity): Promise<{ visitor: Visitor; conversation: Conversation } | null> {
    const existing = await this.findVisitor(shop, tokenHash);
    if (existing) return existing;
    const created = await this.db.transaction(async (tx) => {
      const v = await tx.query<Row>(
        'INSERT INTO visitors (id, shop, token_hash, name, email) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (token_hash) DO NOTHING RETURNING *',
        [newId('v'), shop, tokenHash, identity?.name || null, identity?.email || null],
      );
      if (!v[0]) return null; // another connection bound this token first
      const c = await tx.query<Row>(
        `INSERT INTO conversations (id, shop, visitor_id, updated_at) VALUES ($2, $1, $3, ${NEXT_UPDATED_AT}) RETURNING *`,
        [shop, newId('c'), str(v[0].id)],
      );
      return { visitor: toVisitor(v[0]), conversation: toConversation(c[0]) };
    });
    return created ?? this.findVisitor(shop, tokenHash);
  }

  /** The visitor of `shop` holding `tokenHash`, with its conversation (created if missing). */
  async findVisitor(shop: string, tokenHash: string): Promise<{ visitor: Visitor; conversation: Conversation } | null> {
    const rows = await this.db.query<Row>('SELECT * FROM visitors WHERE shop = $1 AND token_hash = $2', [shop, tokenHash]);
    if (!rows[0]) return null;
    const visitor = toVisitor(rows[0]);
    let conv = await this.db.query<Row>('SELECT * FROM conversations WHERE shop = $1 AND visitor_id = $2', [shop, visitor.id]);
    if (!conv[0]) {
      conv = await this.db.query<Row>(
        `INSERT INTO conversations (id, shop, visitor_id, updated_at) VALUES ($2, $1, $3, ${NEXT_UPDATED_AT})
         ON CONFLICT (shop, visitor_id) DO UPDATE SET shop = EXCLUDED.shop RETURNING *`,
        [shop, newId('c'), visitor.id],
      );
    }
    return { visitor, conversation: toConversation(conv[0]) };
  }

  /** Updates the display identity of a visitor (fields left undefined stay as they are). */
  async updateVisitorIdentity(visitorId: string, identity: VisitorIdentity): Promise<Visitor> {
    const rows = await this.db.query<Row>(
      `UPDATE visitors SET name = CASE WHEN $2::boolean THEN $3 ELSE name END,
                           email = CASE WHEN $4::boolean THEN $5 ELSE email END
        WHERE id = $1 RETURNING *`,
      [visitorId, identity.name !== undefined, identity.name || null, identity.email !== undefined, identity.email || null],
    );
    return toVisitor(rows[0]);
  }

  async getVisitor(id: string): Promise<Visitor | null> {
    const rows = await this.db.query<Row>('SELECT * FROM visitors WHERE id = $1', [id]);
    return rows[0] ? toVisitor(rows[0]) : null;
  }

  async getConversation(id: string): Promise<Conversation | null> {
    const rows = await this.db.query<Row>('SELECT * FROM conversations WHERE id = $1', [id]);
    return rows[0] ? toConversation(rows[0]) : null;
  }

  async getSummary(id: string): Promise<ConversationSummary | null> {
    const rows = await this.db.query<Row>(`${SUMMARY_SELECT} WHERE c.id = $1`, [id]);
    return rows[0] ? toSummary(rows[0]) : null;
  }

  /**
   * A shop's conversations with at least one message, newest activity first. `before` is the
   * `updatedAt` of the last row of the previous page.
   */
  /**
   * The shop's conversations with messages, newest activity first. The cursor is the last row of
   * the previous page: `before` (its updatedAt) and `beforeId` (its id, breaking ties).
   */
  async listConversations(
    shop: string,
    opts: { limit?: number; before?: string; beforeId?: string } = {},
  ): Promise<{ items: ConversationSummary[]; hasMore: boolean }> {
    const limit = Math.min(opts.limit ?? LIMITS.pageDefault, LIMITS.pageMax);
    const rows = await this.db.query<Row>(
      `${SUMMARY_SELECT}
        WHERE c.shop = $1 AND c.last_seq > 0
          AND ($2::timestamptz IS NULL OR c.updated_at < $2::timestamptz
               OR ($4::text IS NOT NULL AND c.updated_at = $2::timestamptz AND c.id < $4::text))
        ORDER BY c.updated_at DESC, c.id DESC LIMIT $3`,
      [shop, opts.before ?? null, limit + 1, opts.beforeId ?? null],
    );
    return { items: rows.slice(0, limit).map(toSummary), hasMore: rows.length > limit };
  }

  // ---- messages ----

  async findMessageByClientId(conversationId: string, clientId: string): Promise<Message | null> {
    const rows = await this.db.query<Row>(`SELECT ${MESSAGE_COLUMNS} FROM messages WHERE conversation_id = $1 AND client_id = $2`, [
      conversationId,
      clientId,
    ]);
    return rows[0] ? toMessage(rows[0]) : null;
  }

  /**
   * Stores a message with the next `seq`, idempotently on `(conversationId, clientId)`. `body` is a
   * text, a {@link MessageBody}, or a function building one inside the message's transaction, after
   * the conversation row is locked and the clientId checked again (so a repeat returns the
   * original even if its product left the catalogue or its reservation step no longer applies,
   * and whatever the function writes commits with the message or not at all).
   * Resolves only after COMMIT. A repeat returns the original message with `created: false`.
   */
  async sendMessage(
    conversationId: string,
    clientId: string,
    author: Author,
    body: string | MessageBody | ((tx: Queryable) => Promise<MessageBody>),
  ): Promise<SendResult> {
    const existing = await this.findMessageByClientId(conversationId, clientId);
    if (existing) return { message: existing, created: false };
    try {
      const message = await this.db.transaction(async (tx) => {
        // The row lock taken here serialises senders of one conversation: seq stays gap-free.
        const conv = await tx.query<Row>(
          `UPDATE conversations SET last_seq = last_seq + 1, updated_at = ${NEXT_UPDATED_AT.replace('$1', 'conversations.shop')}
            WHERE id = $1 RETURNING last_seq`,
          [conversationId],
        );
        if (!conv[0]) throw new Error(`conversation ${conversationId} does not exist`);
        // A concurrent sender of this clientId may have committed while we waited for the lock.
        const repeat = await tx.query<Row>('SELECT 1 FROM messages WHERE conversation_id = $1 AND client_id = $2', [conversationId, clientId]);
        if (repeat[0]) throw new DuplicateClientId();
        const content: MessageBody =
          typeof body === 'string' ? { kind: 'text', text: body, payload: null } : typeof body === 'function' ? await body(tx) : body;
        const rows = await tx.query<Row>(
          `INSERT INTO messages (id, conversation_id, seq, client_id, author_role, author_id, author_name, kind, text, payload)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::jsonb)
           ON CONFLICT (conversation_id, client_id) DO NOTHING
           RETURNING ${MESSAGE_COLUMNS}`,
          [
            newId('m'),
            conversationId,
            num(conv[0].last_seq),
            clientId,
            author.role,
            author.id,
            author.name,
            content.kind,
            content.text,
            content.payload ? JSON.stringify(content.payload) : null,
          ],
        );
        // A concurrent sender committed the same clientId first: undo our seq and return theirs.
        if (!rows[0]) throw new DuplicateClientId();
        return toMessage(rows[0]);
      });
      return { message, created: true };
    } catch (err) {
      if (!(err instanceof DuplicateClientId) && !isUniqueViolation(err)) throw err;
      const original = await this.findMessageByClientId(conversationId, clientId);
      if (!original) throw err;
      return { message: original, created: false };
    }
  }

  /**
   * Stores a validated `message:send` of `shop`: resolves catalogue snapshots (`not_found` when a
   * product id is not in the shop's catalogue) and page context, then {@link sendMessage}.
   */
  sendRequest(shop: string, req: MessageSendRequest, author: Author): Promise<SendResult> {
    return this.sendMessage(req.conversationId, req.clientId, author, (tx) => this.messageBody(tx, shop, req, author));
  }

  /**
   * The stored form of a `message:send` request (snapshots taken now), inside the message's
   * transaction: reservation steps, coupon counters and claims are written here.
   */
  async messageBody(tx: Queryable, shop: string, req: MessageSendRequest, author: Author): Promise<MessageBody> {
    const now = this.now();
    if (req.kind === 'reservation') {
      const { reservation, action } = await commerce.reservationStep(
        tx,
        {
          shop,
          conversationId: req.conversationId,
          author,
          now,
          product: async (id) => {
            const [p] = await this.loadProducts(tx, shop, [id]);
            return p ? { snapshot: snapshot(p), variantIds: p.variants.map((x) => x.id) } : null;
          },
        },
        req,
      );
      return { kind: 'reservation', text: req.text ?? '', payload: { reservation, action } };
    }
    if (req.kind === 'coupon') {
      const coupon = await commerce.couponCard(tx, shop, author, req, now);
      return { kind: 'coupon', text: req.text ?? '', payload: { coupon } };
    }
    if (req.kind === 'coupon-claim') {
      const { coupon, claim } = await commerce.couponClaim(tx, shop, author, req, now);
      return { kind: 'coupon-claim', text: '', payload: { coupon, claim } };
    }
    if (req.kind === 'product') {
      const [product] = await this.loadProducts(tx, shop, [req.productId]);
      if (!product) throw new VitrineError('not_found', `productId: product ${req.productId} not found`);
      return { kind: 'product', text: req.text ?? '', payload: { product: snapshot(product) } };
    }
    if (req.kind === 'products') {
      const found = await this.loadProducts(tx, shop, req.productIds);
      const missing = req.productIds.filter((pid) => !found.some((p) => p.id === pid));
      if (missing.length > 0) throw new VitrineError('not_found', `productIds: product ${missing.join(', ')} not found`);
      return { kind: 'products', text: req.text ?? '', payload: { products: found.map(snapshot) } };
    }
    if (!req.context) return { kind: 'text', text: req.text, payload: null };
    if ('feedItemId' in req.context) {
      // "Ask about this" from the feed: only a recipient of that broadcast (customers only; staff are never recipients).
      if (author.role !== 'visitor') throw new VitrineError('not_found', `context.feedItemId: feed item ${req.context.feedItemId} not found`);
      const context = await this.broadcasts.feedItemContext(tx, shop, author.id, req.context.feedItemId, req.context.productId);
      return { kind: 'text', text: req.text, payload: { context } };
    }
    if ('productId' in req.context) {
      const [product] = await this.loadProducts(tx, shop, [req.context.productId]);
      if (!product) throw new VitrineError('not_found', `context.productId: product ${req.context.productId} not found`);
      return { kind: 'text', text: req.text, payload: { context: { product: snapshot(product) } } };
    }
    const page = req.context.product;
    const known = page.price ? null : ((await this.loadProducts(tx, shop, [page.id]))[0] ?? null);
    return { kind: 'text', text: req.text, payload: { context: { product: pageSnapshot(page, known) } } };
  }

  // ---- catalogue ----

  /**
   * Creates or replaces a product of `shop` (its variants replaced as a whole). `input` is
   * validated with {@link productInputSchema}: `invalid_payload` names the first bad field.
   * `keepOptions`: a replaced product keeps its option labels (CSV import, whose format has none).
   */
  async upsertProduct(shop: string, input: unknown, opts: { keepOptions?: boolean } = {}): Promise<UpsertResult> {
    const parsed = validate(productInputSchema, input);
    if (!parsed.ok) throw new VitrineError('invalid_payload', parsed.error.message);
    const p = parsed.value;
    const result = await this.db.transaction(async (tx) => {
      const rows = await tx.query<Row>(
        `INSERT INTO products (shop, id, title, description, price_amount, price_currency, compare_at_amount, compare_at_currency,
                               images, url, tags, search_text, options, updated_at)
         VALUES ($1, $2, $3::jsonb, $4::jsonb, $5, $6, $7, $8, $9::jsonb, $10, $11::jsonb, $12, $13::jsonb, now())
         ON CONFLICT (shop, id) DO UPDATE SET
           title = EXCLUDED.title, description = EXCLUDED.description,
           price_amount = EXCLUDED.price_amount, price_currency = EXCLUDED.price_currency,
           compare_at_amount = EXCLUDED.compare_at_amount, compare_at_currency = EXCLUDED.compare_at_currency,
           images = EXCLUDED.images, url = EXCLUDED.url, tags = EXCLUDED.tags,
           search_text = EXCLUDED.search_text,
           options = CASE WHEN $14::boolean THEN products.options ELSE EXCLUDED.options END, updated_at = now()
         RETURNING (xmax = 0) AS created`,
        [
          shop,
          p.id,
          JSON.stringify(p.title),
          JSON.stringify(p.description),
          p.price.amount,
          p.price.currency,
          p.compareAt?.amount ?? null,
          p.compareAt?.currency ?? null,
          JSON.stringify(p.images),
          p.url,
          JSON.stringify(p.tags),
          searchText(p),
          JSON.stringify(p.options),
          opts.keepOptions === true,
        ],
      );
      await tx.query('DELETE FROM product_variants WHERE shop = $1 AND product_id = $2', [shop, p.id]);
      for (const [i, x] of p.variants.entries()) {
        await tx.query(
          `INSERT INTO product_variants (shop, product_id, id, position, sku, options, price_amount, price_currency, stock)
           VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7, $8, $9)`,
          [shop, p.id, x.id, i, x.sku, JSON.stringify(x.options), x.price?.amount ?? null, x.price?.currency ?? null, x.stock],
        );
      }
      const [product] = await this.loadProducts(tx, shop, [p.id]);
      return { product, created: rows[0].created === true };
    });
    this.productChanged(shop, { product: result.product });
    return result;
  }

  /** Removes a product (and its variants). False when it did not exist. Messages keep their snapshots. */
  async deleteProduct(shop: string, id: string): Promise<boolean> {
    const rows = await this.db.query<Row>('DELETE FROM products WHERE shop = $1 AND id = $2 RETURNING id', [shop, id]);
    if (rows.length > 0) this.productChanged(shop, { productId: id, deleted: true });
    return rows.length > 0;
  }

  /** The products of `shop` with these ids, in the order asked; unknown ids are left out. */
  getProducts(shop: string, ids: readonly string[]): Promise<Product[]> {
    return this.loadProducts(this.db, shop, ids);
  }

  /** Every product of `shop`, ordered by id (the assistant's knowledge). */
  async allProducts(shop: string): Promise<Product[]> {
    const rows = await this.db.query<Row>('SELECT id FROM products WHERE shop = $1 ORDER BY id', [shop]);
    return this.getProducts(
      shop,
      rows.map((r) => str(r.id)),
    );
  }

  /**
   * Products whose id, title (any locale), tag or SKU contains `query` (case-insensitive), ordered
   * by id; `after` is the id of the last product of the previous page.
   */
  async searchProducts(shop: string, query = '', after?: string | null, limit: number = LIMITS.pageDefault): Promise<ProductPage> {
    const n = Math.max(1, Math.min(limit, LIMITS.pageMax));
    const q = query.trim().toLowerCase();
    const rows = await this.db.query<Row>(
      `SELECT id FROM products
        WHERE shop = $1 AND ($2 = '' OR position($2 IN search_text) > 0) AND ($3::text IS NULL OR id > $3::text)
        ORDER BY id LIMIT $4`,
      [shop, q, after ?? null, n + 1],
    );
    const ids = rows.slice(0, n).map((r) => str(r.id));
    return { items: await this.getProducts(shop, ids), hasMore: rows.length > n };
  }

  private async loadProducts(q: Queryable, shop: string, ids: readonly string[]): Promise<Product[]> {
    if (ids.length === 0) return [];
    const unique = [...new Set(ids)];
    const rows = await q.query<Row>('SELECT * FROM products WHERE shop = $1 AND id = ANY($2::text[])', [shop, unique]);
    const variants = await q.query<Row>(
      'SELECT * FROM product_variants WHERE shop = $1 AND product_id = ANY($2::text[]) ORDER BY product_id, position',
      [shop, unique],
    );
    const byId = new Map<string, Product>();
    for (const r of rows) {
      byId.set(str(r.id), {
        id: str(r.id),
        title: json(r.title),
        description: json(r.description),
        price: { amount: num(r.price_amount), currency: str(r.price_currency) },
        compareAt: r.compare_at_amount === null ? null : { amount: num(r.compare_at_amount), currency: str(r.compare_at_currency) },
        images: json(r.images),
        url: strOrNull(r.url),
        tags: json(r.tags),
        variants: [],
        options: r.options === null || r.options === undefined ? [] : json(r.options),
        updatedAt: iso(r.updated_at),
      });
    }
    for (const r of variants) {
      byId.get(str(r.product_id))?.variants.push({
        id: str(r.id),
        sku: strOrNull(r.sku),
        options: json(r.options),
        price: r.price_amount === null ? null : { amount: num(r.price_amount), currency: str(r.price_currency) },
        stock: r.stock === null ? null : num(r.stock),
      });
    }
    return ids.flatMap((pid, i) => (ids.indexOf(pid) === i && byId.has(pid) ? [byId.get(pid) as Product] : []));
  }

  // ---- commerce: reservations, coupons, quick replies ----

  /** The shop's reservation settings (defaults, disabled, when none were saved); `null` for an unknown shop. */
  getReservationSettings(shop: string): Promise<ReservationSettings | null> {
    return commerce.getReservationSettings(this.db, shop);
  }

  putReservationSettings(shop: string, settings: ReservationSettings): Promise<ReservationSettings> {
    return commerce.putReservationSettings(this.db, shop, settings);
  }

  /** Saves settings only when the shop has none (seeding). */
  initReservationSettings(shop: string, settings: ReservationSettings): Promise<boolean> {
    return commerce.initReservationSettings(this.db, shop, settings);
  }

  /** `reservation:slots` (`not_found` when the shop takes no reservations). */
  reservationSlots(shop: string, req: { from?: string; days?: number }): Promise<ReservationSlotsPage> {
    return commerce.reservationSlots(this.db, shop, req, this.now());
  }

  listReservations(shop: string, which: 'open' | 'all'): Promise<commerce.ReservationListItem[]> {
    return commerce.listReservations(this.db, shop, which, this.now());
  }

  listCoupons(shop: string): Promise<Coupon[]> {
    return commerce.listCoupons(this.db, shop);
  }

  getCoupon(shop: string, id: string): Promise<Coupon | null> {
    return commerce.getCoupon(this.db, shop, id);
  }

  /** Creates or replaces a validated coupon (`invalid_payload` when a new one is already expired). */
  upsertCoupon(shop: string, input: CouponInput): Promise<{ coupon: Coupon; created: boolean }> {
    return this.db.transaction((tx) => commerce.upsertCoupon(tx, shop, input, this.now()));
  }

  listQuickReplies(shop: string): Promise<QuickReply[]> {
    return commerce.listQuickReplies(this.db, shop);
  }

  /** Appends a quick reply (`conflict` beyond the per-shop maximum). */
  addQuickReply(shop: string, text: string): Promise<QuickReply> {
    return this.db.transaction((tx) => commerce.addQuickReply(tx, shop, text));
  }

  /** Adds `texts` only when the shop has no quick reply yet (seeding, concurrency-safe). */
  seedQuickReplies(shop: string, texts: readonly string[]): Promise<boolean> {
    return this.db.transaction((tx) => commerce.seedQuickReplies(tx, shop, texts));
  }

  /** Inserts a coupon unless its id exists (seeding, concurrency-safe); existing coupons are left alone. */
  insertCouponIfMissing(shop: string, input: CouponInput): Promise<boolean> {
    return commerce.insertCouponIfMissing(this.db, shop, input, this.now());
  }

  updateQuickReply(shop: string, id: string, text: string): Promise<QuickReply | null> {
    return commerce.updateQuickReply(this.db, shop, id, text);
  }

  deleteQuickReply(shop: string, id: string): Promise<boolean> {
    return commerce.deleteQuickReply(this.db, shop, id);
  }

  /**
   * A page of history, always ascending. `afterSeq`: the oldest messages after it; `beforeSeq`:
   * the newest before it; neither: the newest page.
   */
  async history(conversationId: string, opts: { afterSeq?: number; beforeSeq?: number; limit?: number } = {}): Promise<HistoryResult> {
    const limit = Math.min(opts.limit ?? LIMITS.pageDefault, LIMITS.pageMax);
    let rows: Row[];
    if (opts.afterSeq !== undefined) {
      rows = await this.db.query<Row>(
        `SELECT ${MESSAGE_COLUMNS} FROM messages WHERE conversation_id = $1 AND seq > $2::bigint ORDER BY seq ASC LIMIT $3`,
        [conversationId, opts.afterSeq, limit + 1],
      );
      return { messages: rows.slice(0, limit).map((r) => toMessage(r)), hasMore: rows.length > limit };
    }
    if (opts.beforeSeq !== undefined) {
      rows = await this.db.query<Row>(
        `SELECT ${MESSAGE_COLUMNS} FROM messages WHERE conversation_id = $1 AND seq < $2::bigint ORDER BY seq DESC LIMIT $3`,
        [conversationId, opts.beforeSeq, limit + 1],
      );
    } else {
      rows = await this.db.query<Row>(`SELECT ${MESSAGE_COLUMNS} FROM messages WHERE conversation_id = $1 ORDER BY seq DESC LIMIT $2`, [
        conversationId,
        limit + 1,
      ]);
    }
    return { messages: rows.slice(0, limit).reverse().map((r) => toMessage(r)), hasMore: rows.length > limit };
  }

  /** Moves a read mark forward (never back, never past `last_seq`). */
  async setRead(conversationId: string, role: Role, seq: number): Promise<ReadResult> {
    const column = role === 'visitor' ? 'visitor_read_seq' : 'agent_read_seq';
    const target = Math.min(seq, 2_147_483_647);
    // Only moves forward; the WHERE is re-checked after a concurrent writer commits.
    const updated = await this.db.query<Row>(
      `UPDATE conversations SET ${column} = LEAST($2::int, last_seq)
        WHERE id = $1 AND ${column} < LEAST($2::int, last_seq) RETURNING ${column} AS seq`,
      [conversationId, target],
    );
    if (updated[0]) return { seq: num(updated[0].seq), changed: true };
    const rows = await this.db.query<Row>(`SELECT ${column} AS seq FROM conversations WHERE id = $1`, [conversationId]);
    if (!rows[0]) throw new Error(`conversation ${conversationId} does not exist`);
    return { seq: num(rows[0].seq), changed: false };
  }
}

/** Helper used by queries that run inside a caller's transaction. */
export type { Queryable };
