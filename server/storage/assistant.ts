/**
 * Assistant storage (issue 6): the shop's assistant settings and endpoint key, its FAQ, the
 * assistant state of each conversation (mode, pending hand-off, agent take-over), the hand-off queue
 * and the stored side of streamed replies. Reached as `store.assistant`. Same SQL on PGlite and
 * PostgreSQL.
 */
import { randomBytes } from 'node:crypto';
import type {
  AssistantMessageMeta,
  AssistantMode,
  AssistantSettings,
  AssistantSettingsInput,
  AssistantState,
  FaqEntry,
  FaqInput,
  HandoffQueueItem,
  HandoffReason,
  LlmSettings,
} from '../../src/protocol/assistant.js';
import { assistantSettingsInputSchema, faqInputSchema } from '../../src/protocol/assistant-schemas.js';
import { VitrineError } from '../../src/protocol/errors.js';
import { LIMITS } from '../../src/protocol/limits.js';
import { validate } from '../../src/protocol/schemas.js';
import type { Author, Message } from '../../src/protocol/types.js';
import type { Db } from './db.js';

type Row = Record<string, unknown>;

const iso = (v: unknown): string => (v instanceof Date ? v.toISOString() : new Date(String(v)).toISOString());
const json = <T>(v: unknown): T => (typeof v === 'string' ? JSON.parse(v) : v) as T;
const strOrNull = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));

/** The author of every assistant reply. */
export const ASSISTANT_AUTHOR: Author = { role: 'assistant', id: 'assistant', name: null };

/** The clientId of the reply to customer message `messageId`: at most one reply per customer message. */
export function replyClientId(messageId: string): string {
  return `ai:${messageId}`;
}

/** Replies left `streaming` longer than this were written by a process that died: the sweep stops them. */
export const STALE_STREAMING_MS = 2 * 60_000;

/** Settings of a shop that never configured its assistant: off. */
export const DEFAULT_ASSISTANT_SETTINGS: AssistantSettings = { enabled: false, provider: 'embedded', llm: null, hasApiKey: false };

/** The assistant state of a conversation as stored (`staffOnline` is added by whoever sends it). */
export type StoredAssistantState = Omit<AssistantState, 'staffOnline'>;

/** Called after a shop's FAQ or assistant settings changed (committed). */
export type AssistantChangeListener = (shop: string, what: 'faq' | 'settings') => void;

/** What a reply message stores: text, kind and the kind-specific payload (cards, `ai`, `streaming`/`stopped`). */
export interface ReplyBody {
  kind: Message['kind'];
  text: string;
  payload: Pick<Message, 'product' | 'products' | 'streaming' | 'stopped' | 'ai'>;
}

/** Stores a message through Store.sendMessage (gap-free seq, idempotent on clientId). */
export type SendHook = (conversationId: string, clientId: string, author: Author, body: ReplyBody) => Promise<{ message: Message; created: boolean }>;
/** Turns a stored message row into a Message. */
export type MessageReader = (row: Row) => Message;

interface StoredSettings {
  enabled: boolean;
  provider: 'embedded' | 'llm';
  llm: LlmSettings | null;
}

function toSettings(raw: unknown, key: unknown): AssistantSettings {
  if (raw === null || raw === undefined) return { ...DEFAULT_ASSISTANT_SETTINGS, hasApiKey: key !== null && key !== undefined };
  const s = json<Partial<StoredSettings>>(raw);
  return {
    enabled: s.enabled === true,
    provider: s.provider === 'llm' ? 'llm' : 'embedded',
    llm: s.llm ? { ...s.llm } : null,
    hasApiKey: key !== null && key !== undefined,
  };
}

/** Whether the stored settings value has the assistant on (SQL). */
const ENABLED_SQL = (col: string): string => `coalesce((${col}->>'enabled')::boolean, false)`;

function toFaq(r: Row): FaqEntry {
  return {
    id: String(r.id),
    question: json(r.question),
    answer: json(r.answer),
    keywords: Array.isArray(r.keywords) ? (r.keywords as unknown[]).map(String) : [],
    updatedAt: iso(r.updated_at),
  };
}

/** The state of a conversation row (with `assistant_enabled` of its shop). */
export function stateFromRow(r: Row): StoredAssistantState {
  const enabled = r.assistant_enabled === true;
  const handoffAt = r.handoff_at;
  const takeoverId = strOrNull(r.takeover_agent_id);
  return {
    enabled,
    mode: enabled ? ((strOrNull(r.assistant_mode) ?? 'assistant') as AssistantMode) : 'human',
    handoff: handoffAt === null || handoffAt === undefined ? null : { at: iso(handoffAt), reason: String(r.handoff_reason) as HandoffReason },
    takeover: takeoverId === null ? null : { agentId: takeoverId, agentName: String(r.takeover_agent_name ?? ''), at: iso(r.takeover_at) },
  };
}

const STATE_COLUMNS = `c.id, c.shop, c.assistant_mode, c.handoff_at, c.handoff_reason, c.takeover_agent_id, c.takeover_agent_name, c.takeover_at,
  ${ENABLED_SQL('s.assistant_settings')} AS assistant_enabled`;

function faqId(): string {
  return `faq_${randomBytes(12).toString('base64url')}`;
}

function checkFaq(input: FaqInput): FaqInput {
  const parsed = validate(faqInputSchema, input);
  if (!parsed.ok) throw new VitrineError('invalid_payload', parsed.error.message);
  return parsed.value;
}

/** The assistant's storage. */
export class AssistantStore {
  private readonly listeners = new Set<AssistantChangeListener>();

  constructor(
    private readonly db: Db,
    private readonly send: SendHook,
    private readonly readMessage: MessageReader,
  ) {}

  /** Subscribes to committed FAQ and settings changes (knowledge caches); returns the unsubscribe. */
  onChange(listener: AssistantChangeListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private changed(shop: string, what: 'faq' | 'settings'): void {
    for (const l of this.listeners) {
      try {
        l(shop, what);
      } catch {
        // A listener failure must not fail a write that committed.
      }
    }
  }

  // ---- settings ----

  /** The shop's settings (off when never configured). */
  async getSettings(shop: string): Promise<AssistantSettings> {
    const rows = await this.db.query<Row>('SELECT assistant_settings, assistant_api_key FROM shops WHERE id = $1', [shop]);
    return toSettings(rows[0]?.assistant_settings, rows[0]?.assistant_api_key);
  }

  /**
   * Saves the shop's settings. `llm` absent keeps the stored endpoint (`null` clears it); `apiKey`
   * absent keeps the stored key, `null` or `''` removes it. `invalid_payload` when `input` is invalid.
   */
  async putSettings(shop: string, input: AssistantSettingsInput): Promise<AssistantSettings> {
    const parsed = validate(assistantSettingsInputSchema, input);
    if (!parsed.ok) throw new VitrineError('invalid_payload', parsed.error.message);
    const s = parsed.value;
    const rows = await this.db.query<Row>(
      `UPDATE shops SET
         assistant_settings = jsonb_build_object('enabled', $2::boolean, 'provider', $3::text,
           'llm', CASE WHEN $4::boolean THEN $5::jsonb ELSE coalesce(assistant_settings->'llm', 'null'::jsonb) END),
         assistant_api_key = CASE WHEN $6::boolean THEN $7::text ELSE assistant_api_key END
       WHERE id = $1 RETURNING assistant_settings, assistant_api_key`,
      [
        shop,
        s.enabled,
        s.provider,
        s.llm !== undefined,
        JSON.stringify(s.llm ?? null),
        s.apiKey !== undefined,
        s.apiKey === undefined || s.apiKey === null || s.apiKey === '' ? null : s.apiKey,
      ],
    );
    if (!rows[0]) throw new VitrineError('not_found', `shop ${shop} not found`);
    this.changed(shop, 'settings');
    return toSettings(rows[0].assistant_settings, rows[0].assistant_api_key);
  }

  /** Saves settings only when the shop has none yet (seeding: staff changes survive). True when saved. */
  async initSettings(shop: string, input: AssistantSettingsInput): Promise<boolean> {
    const rows = await this.db.query<Row>(
      `UPDATE shops SET assistant_settings = jsonb_build_object('enabled', $2::boolean, 'provider', $3::text, 'llm', $4::jsonb)
        WHERE id = $1 AND assistant_settings IS NULL RETURNING id`,
      [shop, input.enabled, input.provider, JSON.stringify(input.llm ?? null)],
    );
    if (rows.length > 0) this.changed(shop, 'settings');
    return rows.length > 0;
  }

  /** The stored API key of the shop's endpoint (server-side only; never returned by an API). */
  async getApiKey(shop: string): Promise<string | null> {
    const rows = await this.db.query<Row>('SELECT assistant_api_key FROM shops WHERE id = $1', [shop]);
    return strOrNull(rows[0]?.assistant_api_key);
  }

  // ---- FAQ ----

  /** The shop's FAQ, oldest first. */
  async listFaq(shop: string): Promise<FaqEntry[]> {
    const rows = await this.db.query<Row>('SELECT * FROM faq_entries WHERE shop = $1 ORDER BY created_at, id', [shop]);
    return rows.map(toFaq);
  }

  /**
   * A cheap fingerprint of what the assistant knows about a shop (product and FAQ counts and latest
   * changes): a process rebuilds its search index only when this changed, not on every cache expiry.
   */
  async knowledgeVersion(shop: string): Promise<string> {
    const rows = await this.db.query<Row>(
      `SELECT (SELECT count(*) FROM products WHERE shop = $1)::text AS pc,
              (SELECT max(updated_at) FROM products WHERE shop = $1)::text AS pu,
              (SELECT count(*) FROM faq_entries WHERE shop = $1)::text AS fc,
              (SELECT max(updated_at) FROM faq_entries WHERE shop = $1)::text AS fu,
              (SELECT name FROM shops WHERE id = $1) AS name`,
      [shop],
    );
    const r = rows[0] ?? {};
    return JSON.stringify([r.pc, r.pu, r.fc, r.fu, r.name]);
  }

  /** Adds an entry (`conflict` beyond LIMITS.faqEntriesMax per shop, `invalid_payload` when invalid). */
  async createFaq(shop: string, input: FaqInput): Promise<FaqEntry> {
    const f = checkFaq(input);
    const rows = await this.db.query<Row>(
      `INSERT INTO faq_entries (shop, id, question, answer, keywords)
       SELECT $1, $2, $3::jsonb, $4::jsonb, $5::text[]
        WHERE (SELECT count(*) FROM faq_entries WHERE shop = $1) < $6
       RETURNING *`,
      [shop, faqId(), JSON.stringify(f.question), JSON.stringify(f.answer), f.keywords ?? [], LIMITS.faqEntriesMax],
    );
    if (!rows[0]) throw new VitrineError('conflict', `a shop may keep at most ${LIMITS.faqEntriesMax} FAQ entries`);
    this.changed(shop, 'faq');
    return toFaq(rows[0]);
  }

  /** Replaces an entry; `null` when the shop has no entry with that id. */
  async updateFaq(shop: string, id: string, input: FaqInput): Promise<FaqEntry | null> {
    const f = checkFaq(input);
    const rows = await this.db.query<Row>(
      `UPDATE faq_entries SET question = $3::jsonb, answer = $4::jsonb, keywords = $5::text[], updated_at = now()
        WHERE shop = $1 AND id = $2 RETURNING *`,
      [shop, id, JSON.stringify(f.question), JSON.stringify(f.answer), f.keywords ?? []],
    );
    if (!rows[0]) return null;
    this.changed(shop, 'faq');
    return toFaq(rows[0]);
  }

  async deleteFaq(shop: string, id: string): Promise<boolean> {
    const rows = await this.db.query<Row>('DELETE FROM faq_entries WHERE shop = $1 AND id = $2 RETURNING id', [shop, id]);
    if (rows.length > 0) this.changed(shop, 'faq');
    return rows.length > 0;
  }

  /** Inserts the entries whose ids the shop does not have (seeding; edited entries are left alone). */
  async seedFaq(shop: string, entries: readonly (FaqInput & { id: string })[]): Promise<void> {
    let added = 0;
    for (const [i, e] of entries.entries()) {
      const f = checkFaq(e);
      const rows = await this.db.query<Row>(
        `INSERT INTO faq_entries (shop, id, question, answer, keywords, created_at, updated_at)
         VALUES ($1, $2, $3::jsonb, $4::jsonb, $5::text[], now() + $6 * interval '1 millisecond', now())
         ON CONFLICT (shop, id) DO NOTHING RETURNING id`,
        [shop, e.id, JSON.stringify(f.question), JSON.stringify(f.answer), f.keywords ?? [], i],
      );
      added += rows.length;
    }
    if (added > 0) this.changed(shop, 'faq');
  }

  // ---- conversation state ----

  /** The assistant state of a conversation; `null` when it does not exist. */
  async getState(conversationId: string): Promise<StoredAssistantState | null> {
    const rows = await this.db.query<Row>(`SELECT ${STATE_COLUMNS} FROM conversations c JOIN shops s ON s.id = c.shop WHERE c.id = $1`, [
      conversationId,
    ]);
    return rows[0] ? stateFromRow(rows[0]) : null;
  }

  private async update(conversationId: string, set: string, params: unknown[], where = 'TRUE'): Promise<StoredAssistantState | null> {
    const rows = await this.db.query<Row>(
      `UPDATE conversations c SET ${set} FROM shops s
        WHERE c.id = $1 AND s.id = c.shop AND (${where})
        RETURNING ${STATE_COLUMNS}`,
      [conversationId, ...params],
    );
    return rows[0] ? stateFromRow(rows[0]) : null;
  }

  /**
   * People answer from now on, and a hand-off waits for staff. Only while the assistant answers
   * (mode `assistant`): a conversation an agent took over meanwhile stays theirs. `null` when
   * nothing changed or the conversation does not exist.
   */
  handoff(conversationId: string, reason: HandoffReason): Promise<StoredAssistantState | null> {
    return this.update(
      conversationId,
      `assistant_mode = 'human', handoff_at = now(), handoff_reason = $2,
       takeover_agent_id = NULL, takeover_agent_name = NULL, takeover_at = NULL`,
      [reason],
      `coalesce(c.assistant_mode, 'assistant') = 'assistant'`,
    );
  }

  /** An agent takes the conversation over (the pending hand-off is cleared). */
  takeOver(conversationId: string, agent: { id: string; name: string }): Promise<StoredAssistantState | null> {
    return this.update(
      conversationId,
      `assistant_mode = 'human', handoff_at = NULL, handoff_reason = NULL,
       takeover_agent_id = $2, takeover_agent_name = $3, takeover_at = now()`,
      [agent.id, agent.name],
    );
  }

  /**
   * An agent's message: takes the conversation over when the assistant answers it (enabled, mode
   * `assistant`) or a hand-off waits. `null` when nothing changed (already with people).
   */
  takeOverIfAnswering(conversationId: string, agent: { id: string; name: string }): Promise<StoredAssistantState | null> {
    return this.update(
      conversationId,
      `assistant_mode = 'human', handoff_at = NULL, handoff_reason = NULL,
       takeover_agent_id = $2, takeover_agent_name = $3, takeover_at = now()`,
      [agent.id, agent.name],
      `c.handoff_at IS NOT NULL OR (${ENABLED_SQL('s.assistant_settings')} AND coalesce(c.assistant_mode, 'assistant') = 'assistant')`,
    );
  }

  /** Back to the assistant (customer's toggle, or an agent hands back): hand-off and take-over cleared. */
  toAssistant(conversationId: string): Promise<StoredAssistantState | null> {
    return this.update(
      conversationId,
      `assistant_mode = 'assistant', handoff_at = NULL, handoff_reason = NULL,
       takeover_agent_id = NULL, takeover_agent_name = NULL, takeover_at = NULL`,
      [],
    );
  }

  /** Pending hand-offs of the shop that no agent took over, oldest first (at most `limit`). */
  async listHandoffs(shop: string, limit = 200): Promise<HandoffQueueItem[]> {
    const rows = await this.db.query<Row>(
      `SELECT c.id, c.visitor_id, v.name AS visitor_name, c.handoff_at, c.handoff_reason,
          (SELECT m.text FROM messages m WHERE m.conversation_id = c.id AND m.author_role = 'visitor' AND m.text <> ''
            ORDER BY m.seq DESC LIMIT 1) AS last_text
        FROM conversations c JOIN visitors v ON v.id = c.visitor_id
        WHERE c.shop = $1 AND c.handoff_at IS NOT NULL AND c.takeover_agent_id IS NULL
        ORDER BY c.handoff_at, c.id LIMIT $2`,
      [shop, limit],
    );
    return rows.map((r) => ({
      conversationId: String(r.id),
      visitorId: String(r.visitor_id),
      visitorName: strOrNull(r.visitor_name),
      handoff: { at: iso(r.handoff_at), reason: String(r.handoff_reason) as HandoffReason },
      lastCustomerText: strOrNull(r.last_text),
    }));
  }

  // ---- replies ----

  /**
   * Stores the reply to customer message `answeredId` (clientId `ai:<answeredId>`, author
   * {@link ASSISTANT_AUTHOR}) with the next seq. A repeat returns the existing reply (`created: false`).
   */
  insertReply(conversationId: string, answeredId: string, body: ReplyBody): Promise<{ message: Message; created: boolean }> {
    return this.send(conversationId, replyClientId(answeredId), ASSISTANT_AUTHOR, body);
  }

  /**
   * Commits a streaming reply: its final text, kind and payload (no `streaming`) in one UPDATE.
   * When it was committed already (e.g. by the stale sweep) the stored message is returned unchanged.
   */
  async commitReply(messageId: string, body: ReplyBody): Promise<Message | null> {
    const payload = { ...body.payload };
    delete payload.streaming;
    const rows = await this.db.query<Row>(
      `UPDATE messages SET kind = $2, text = $3, payload = $4::jsonb
        WHERE id = $1 AND author_role = 'assistant' AND (payload->>'streaming') = 'true'
        RETURNING id, conversation_id, seq, client_id, author_role, author_id, author_name, kind, text, payload, created_at`,
      [messageId, body.kind, body.text, JSON.stringify(payload)],
    );
    if (rows[0]) return this.readMessage(rows[0]);
    const current = await this.db.query<Row>(
      'SELECT id, conversation_id, seq, client_id, author_role, author_id, author_name, kind, text, payload, created_at FROM messages WHERE id = $1',
      [messageId],
    );
    return current[0] ? this.readMessage(current[0]) : null;
  }

  /** The stored assistant reply with this id in this conversation, or `null`. */
  async findReply(conversationId: string, messageId: string): Promise<Message | null> {
    const rows = await this.db.query<Row>(
      `SELECT id, conversation_id, seq, client_id, author_role, author_id, author_name, kind, text, payload, created_at
         FROM messages WHERE id = $1 AND conversation_id = $2`,
      [messageId, conversationId],
    );
    return rows[0] ? this.readMessage(rows[0]) : null;
  }

  /**
   * Commits replies left `streaming` for longer than `olderThanMs` (their process died) as
   * `stopped`, with the text they had. Returns them (to push the final `message:update`).
   */
  async sweepStreaming(olderThanMs = STALE_STREAMING_MS): Promise<Message[]> {
    const rows = await this.db.query<Row>(
      `UPDATE messages SET payload = (payload - 'streaming') || '{"stopped": true}'::jsonb
        WHERE (payload->>'streaming') = 'true' AND created_at < now() - $1 * interval '1 millisecond'
        RETURNING id, conversation_id, seq, client_id, author_role, author_id, author_name, kind, text, payload, created_at`,
      [olderThanMs],
    );
    return rows.map((r) => this.readMessage(r));
  }
}

/** Metadata of a reply as stored. */
export type { AssistantMessageMeta };
