/**
 * Broadcast storage (issue 5): customer profiles (visitor attributes and tags), segments,
 * campaigns, broadcast settings, the scheduler's claim, and the customer's feed.
 *
 * A campaign is stored once (`campaigns`); sending it stores one `campaign_recipients` row per
 * customer it went to, holding only that customer's delivery state. The claim runs in one
 * transaction (`claimDue`): the due campaign is locked with `FOR UPDATE SKIP LOCKED`, its products
 * and coupon are snapshot, the audience (segment SQL minus the frequency cap) is counted and
 * inserted in one statement and the campaign moves to `sending` — all or nothing, so a campaign is sent exactly once whichever
 * process claims it and whenever one crashes.
 *
 * Every time rule uses the database clock (`now()`), so several server processes agree.
 */
import { randomBytes } from 'node:crypto';
import { numericValue, type SegmentRule } from '../../src/protocol/audience.js';
import type { LocalizedText, Product, ProductSnapshot } from '../../src/protocol/catalogue.js';
import type { CouponSnapshot } from '../../src/protocol/commerce.js';
import { AUDIENCE_LIMITS } from '../../src/protocol/audience.js';
import { VitrineError } from '../../src/protocol/errors.js';
import type {
  BroadcastSettings,
  Campaign,
  CampaignCta,
  CampaignKind,
  CampaignState,
  CampaignStats,
  CustomerProfilePatch,
  CustomerRecord,
  FeedClickTarget,
  FeedItem,
  FeedPage,
  FeedValues,
  Segment,
} from '../../src/protocol/feed.js';
import type { CampaignInput } from '../../src/protocol/feed-schemas.js';
import { LIMITS } from '../../src/protocol/limits.js';
import { renderTemplate } from '../../src/protocol/template.js';
import type { MessageContext } from '../../src/protocol/types.js';
import { couponSnapshot, getCoupon } from './commerce.js';
import type { Db, Queryable } from './db.js';
import { segmentSql } from './segment-sql.js';

type Row = Record<string, unknown>;

const iso = (v: unknown): string => (v instanceof Date ? v.toISOString() : new Date(String(v)).toISOString());
const isoOrNull = (v: unknown): string | null => (v === null || v === undefined ? null : iso(v));
const json = <T>(v: unknown): T => (typeof v === 'string' ? JSON.parse(v) : v) as T;
const num = (v: unknown): number => (typeof v === 'number' ? v : Number(v));
const strOrNull = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));

/** Default frequency cap: at most 3 broadcasts per customer in any 7 days. */
export const DEFAULT_FREQUENCY_CAP = { max: 3, days: 7 } as const;

/** A campaign left in `sending` this long (its process died during live delivery) is finished as `sent`. */
export const STALE_SENDING_MS = 60_000;

/** Customers returned by an audience preview. */
export const AUDIENCE_SAMPLE = 5;

/** Hours a campaign's statistics timeline covers at most (7 days). */
export const TIMELINE_HOURS = 7 * 24;

/** A random id with a prefix (`b_...` campaigns, `s_...` segments), like the store's other ids. */
function newId(prefix: 'b' | 's'): string {
  return `${prefix}_${randomBytes(16).toString('base64url')}`;
}

/** Catalogue access of the store (products with their variants, in the order asked). */
export type ProductLoader = (q: Queryable, shop: string, ids: readonly string[]) => Promise<Product[]>;
/** The card a product makes (the store's `snapshot`). */
export type Snapshotter = (p: Product) => ProductSnapshot;

/** A campaign the scheduler claimed: its feed item and the customers it was stored for. */
export interface ClaimedBroadcast {
  shop: string;
  campaignId: string;
  item: FeedItem;
  visitorIds: string[];
  targeted: number;
  capped: number;
}

/** `listCustomers` options: `q` searches names and e-mails; `segmentId` or `rule` filters. */
export interface CustomerQuery {
  q?: string;
  email?: string;
  segmentId?: string;
  rule?: SegmentRule;
  after?: string;
  limit?: number;
}

/** Template values of a customer (name, the `tier` attribute, the numeric `points` attribute). */
export function feedValues(name: string | null, attributes: Record<string, string>): FeedValues {
  return { name, tier: attributes.tier ?? null, points: numericValue(attributes.points) };
}

function toCustomer(r: Row): CustomerRecord {
  const attributes = json<Record<string, string>>(r.attributes ?? {});
  const name = strOrNull(r.name);
  return {
    id: String(r.id),
    name,
    email: strOrNull(r.email),
    attributes,
    tags: (r.tags as string[] | null) ?? [],
    values: feedValues(name, attributes),
    createdAt: iso(r.created_at),
  };
}

function toSegment(r: Row): Segment {
  return { id: String(r.id), name: String(r.name), rule: json(r.rule), createdAt: iso(r.created_at), updatedAt: iso(r.updated_at) };
}

/** Campaign columns plus its recipients' counters. */
const CAMPAIGN_SELECT = `
  SELECT c.*, coalesce(s.delivered, 0) AS n_delivered, coalesce(s.read, 0) AS n_read, coalesce(s.clicked, 0) AS n_clicked
    FROM campaigns c
    LEFT JOIN LATERAL (
      SELECT count(r.delivered_at)::int AS delivered, count(r.read_at)::int AS read, count(r.clicked_at)::int AS clicked
        FROM campaign_recipients r WHERE r.campaign_id = c.id
    ) s ON true`;

function toCampaign(r: Row): Campaign {
  return {
    id: String(r.id),
    kind: String(r.kind) as CampaignKind,
    state: String(r.state) as CampaignState,
    name: String(r.name),
    title: json(r.title),
    body: json(r.body),
    image: strOrNull(r.image),
    productIds: (r.product_ids as string[] | null) ?? [],
    couponId: strOrNull(r.coupon_id),
    cta: r.cta === null || r.cta === undefined ? null : json<CampaignCta>(r.cta),
    segmentId: strOrNull(r.segment_id),
    scheduledAt: isoOrNull(r.scheduled_at),
    timeZone: strOrNull(r.time_zone),
    sentAt: isoOrNull(r.sent_at),
    counts: {
      targeted: num(r.targeted ?? 0),
      capped: num(r.capped ?? 0),
      delivered: num(r.n_delivered ?? 0),
      read: num(r.n_read ?? 0),
      clicked: num(r.n_clicked ?? 0),
    },
    createdAt: iso(r.created_at),
    updatedAt: iso(r.updated_at),
  };
}

/** A sent campaign row (with `read_at` of the recipient) as a feed item. */
function toFeedItem(r: Row): FeedItem {
  return {
    id: String(r.id),
    kind: String(r.kind) as CampaignKind,
    title: json(r.title),
    body: json(r.body),
    image: strOrNull(r.image),
    products: r.products === null || r.products === undefined ? [] : json<ProductSnapshot[]>(r.products),
    coupon: r.coupon === null || r.coupon === undefined ? null : json<CouponSnapshot>(r.coupon),
    cta: r.cta === null || r.cta === undefined ? null : json<CampaignCta>(r.cta),
    sentAt: iso(r.r_sent_at ?? r.sent_at),
    read: r.read_at !== null && r.read_at !== undefined,
  };
}

/** Text of `text` in `locale`, else English, else its first entry. */
function pick(text: LocalizedText, locale: string): string {
  return text[locale] ?? text.en ?? Object.values(text)[0] ?? '';
}

/** A feed item's title rendered for one customer in each of its locales. */
export function renderTitle(title: LocalizedText, values: FeedValues, coupon: CouponSnapshot | null): LocalizedText {
  const out: LocalizedText = {};
  for (const [locale, template] of Object.entries(title)) {
    out[locale] = renderTemplate(template, { ...values, coupon: coupon ? pick(coupon.title, locale) : null }, locale);
  }
  return out;
}

/** A time zone the runtime knows (IANA). */
export function validTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** Storage of broadcasts; reachable as `store.broadcasts`. */
export class BroadcastStore {
  private readonly dueListeners = new Set<() => void>();

  constructor(
    readonly db: Db,
    private readonly loadProducts: ProductLoader,
    private readonly snapshot: Snapshotter,
  ) {}

  /** Called after a campaign was scheduled (the scheduler ticks at once: it sends it if due, else times a tick for it). */
  onDue(listener: () => void): () => void {
    this.dueListeners.add(listener);
    return () => this.dueListeners.delete(listener);
  }

  // ---- customers ----

  async getCustomer(shop: string, id: string): Promise<CustomerRecord | null> {
    const rows = await this.db.query<Row>('SELECT * FROM visitors WHERE shop = $1 AND id = $2', [shop, id]);
    return rows[0] ? toCustomer(rows[0]) : null;
  }

  /** The shop's customers ordered by id; `after` is the last id of the previous page. */
  async listCustomers(shop: string, opts: CustomerQuery = {}): Promise<{ items: CustomerRecord[]; hasMore: boolean }> {
    const limit = Math.max(1, Math.min(opts.limit ?? LIMITS.pageDefault, LIMITS.pageMax));
    let rule = opts.rule ?? null;
    if (!rule && opts.segmentId) {
      const segment = await this.getSegment(shop, opts.segmentId);
      if (!segment) throw new VitrineError('not_found', `segmentId: segment ${opts.segmentId} not found`);
      rule = segment.rule;
    }
    const params: unknown[] = [shop, opts.after ?? null, limit + 1, (opts.q ?? '').trim().toLowerCase(), opts.email?.trim().toLowerCase() || null];
    const where = rule ? segmentSql(rule, params) : 'true';
    const rows = await this.db.query<Row>(
      `SELECT v.* FROM visitors v
        WHERE v.shop = $1 AND ($2::text IS NULL OR v.id > $2::text)
          AND ($4::text = '' OR position($4::text IN lower(coalesce(v.name, '') || ' ' || coalesce(v.email, ''))) > 0)
          AND ($5::text IS NULL OR lower(v.email) = $5::text)
          AND ${where}
        ORDER BY v.id LIMIT $3`,
      params,
    );
    return { items: rows.slice(0, limit).map(toCustomer), hasMore: rows.length > limit };
  }

  /**
   * Applies a profile patch: attributes set (`null` removes), then `tags` replaces, `addTags` adds
   * and `removeTags` removes (tags lower-case). The result must fit AUDIENCE_LIMITS (`invalid_payload`).
   */
  async updateCustomerProfile(shop: string, id: string, patch: CustomerProfilePatch): Promise<CustomerRecord> {
    return this.db.transaction(async (tx) => {
      const rows = await tx.query<Row>('SELECT * FROM visitors WHERE shop = $1 AND id = $2 FOR UPDATE', [shop, id]);
      if (!rows[0]) throw new VitrineError('not_found', `customer ${id} not found`);
      const current = toCustomer(rows[0]);
      const attributes = { ...current.attributes };
      for (const [name, value] of Object.entries(patch.attributes ?? {})) {
        if (value === null) delete attributes[name];
        else attributes[name] = value;
      }
      const lower = (tags: readonly string[] | undefined): string[] => (tags ?? []).map((t) => t.toLowerCase());
      const tags = new Set(patch.tags ? lower(patch.tags) : current.tags);
      for (const t of lower(patch.addTags)) tags.add(t);
      for (const t of lower(patch.removeTags)) tags.delete(t);
      if (Object.keys(attributes).length > AUDIENCE_LIMITS.attributes) {
        throw new VitrineError('invalid_payload', `attributes: a customer has at most ${AUDIENCE_LIMITS.attributes} attributes`);
      }
      if (tags.size > AUDIENCE_LIMITS.tags) throw new VitrineError('invalid_payload', `tags: a customer has at most ${AUDIENCE_LIMITS.tags} tags`);
      const updated = await tx.query<Row>('UPDATE visitors SET attributes = $3::jsonb, tags = $4::text[] WHERE shop = $1 AND id = $2 RETURNING *', [
        shop,
        id,
        JSON.stringify(attributes),
        [...tags].sort(),
      ]);
      return toCustomer(updated[0]);
    });
  }

  // ---- segments ----

  /** Customers of the shop in `rule` (`null`: every customer). */
  async audienceSize(shop: string, rule: SegmentRule | null, q: Queryable = this.db): Promise<number> {
    const params: unknown[] = [shop];
    const where = rule ? segmentSql(rule, params) : 'true';
    const rows = await q.query<Row>(`SELECT count(*)::int AS n FROM visitors v WHERE v.shop = $1 AND ${where}`, params);
    return num(rows[0].n);
  }

  /** The size of `rule`'s audience and a few of its customers. */
  async previewAudience(shop: string, rule: SegmentRule): Promise<{ size: number; sample: CustomerRecord[] }> {
    const [size, page] = [await this.audienceSize(shop, rule), await this.listCustomers(shop, { rule, limit: AUDIENCE_SAMPLE })];
    return { size, sample: page.items };
  }

  /** The shop's segments by name, each with its live size. */
  async listSegments(shop: string): Promise<(Segment & { size: number })[]> {
    const rows = await this.db.query<Row>('SELECT * FROM segments WHERE shop = $1 ORDER BY name, id', [shop]);
    const out: (Segment & { size: number })[] = [];
    for (const r of rows) {
      const segment = toSegment(r);
      out.push({ ...segment, size: await this.audienceSize(shop, segment.rule) });
    }
    return out;
  }

  async getSegment(shop: string, id: string, q: Queryable = this.db): Promise<Segment | null> {
    const rows = await q.query<Row>('SELECT * FROM segments WHERE shop = $1 AND id = $2', [shop, id]);
    return rows[0] ? toSegment(rows[0]) : null;
  }

  async createSegment(shop: string, input: { name: string; rule: SegmentRule }): Promise<Segment> {
    const rows = await this.db.query<Row>('INSERT INTO segments (shop, id, name, rule) VALUES ($1, $2, $3, $4::jsonb) RETURNING *', [
      shop,
      newId('s'),
      input.name,
      JSON.stringify(input.rule),
    ]);
    return toSegment(rows[0]);
  }

  /** Replaces a segment's name and rule (`not_found`). Scheduled campaigns send to the new rule. */
  async updateSegment(shop: string, id: string, input: { name: string; rule: SegmentRule }): Promise<Segment> {
    const rows = await this.db.query<Row>('UPDATE segments SET name = $3, rule = $4::jsonb, updated_at = now() WHERE shop = $1 AND id = $2 RETURNING *', [
      shop,
      id,
      input.name,
      JSON.stringify(input.rule),
    ]);
    if (!rows[0]) throw new VitrineError('not_found', `segment ${id} not found`);
    return toSegment(rows[0]);
  }

  /** Removes a segment: `not_found`, or `conflict` while a scheduled campaign targets it. */
  async deleteSegment(shop: string, id: string): Promise<void> {
    await this.db.transaction(async (tx) => {
      // The segment row lock orders this against scheduling (which locks it FOR SHARE).
      const found = await tx.query<Row>('SELECT id FROM segments WHERE shop = $1 AND id = $2 FOR UPDATE', [shop, id]);
      if (!found[0]) throw new VitrineError('not_found', `segment ${id} not found`);
      const using = await tx.query<Row>(`SELECT name FROM campaigns WHERE shop = $1 AND segment_id = $2 AND state = 'scheduled' LIMIT 1`, [shop, id]);
      if (using[0]) throw new VitrineError('conflict', `segment ${id} is the audience of the scheduled campaign "${String(using[0].name)}"`);
      await tx.query('DELETE FROM segments WHERE shop = $1 AND id = $2', [shop, id]);
    });
  }

  /**
   * Inserts customers (visitors with a profile) whose token hashes are not taken yet (seeding; one
   * query when they all exist, else one transaction). Existing customers are left alone.
   */
  async seedCustomers(
    shop: string,
    customers: readonly { tokenHash: string; name: string | null; email: string | null; attributes: Record<string, string>; tags: string[] }[],
  ): Promise<number> {
    const hashes = customers.map((c) => c.tokenHash);
    const existing = await this.db.query<Row>('SELECT token_hash FROM visitors WHERE token_hash = ANY($1::text[])', [hashes]);
    const taken = new Set(existing.map((r) => String(r.token_hash)));
    const missing = customers.filter((c) => !taken.has(c.tokenHash));
    if (missing.length === 0) return 0;
    return this.db.transaction(async (tx) => {
      let inserted = 0;
      for (const c of missing) {
        const rows = await tx.query<Row>(
          `INSERT INTO visitors (id, shop, token_hash, name, email, attributes, tags) VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7::text[])
           ON CONFLICT (token_hash) DO NOTHING RETURNING id`,
          [`v_${randomBytes(16).toString('base64url')}`, shop, c.tokenHash, c.name, c.email, JSON.stringify(c.attributes), c.tags.map((t) => t.toLowerCase())],
        );
        inserted += rows.length;
      }
      return inserted;
    });
  }

  /** Creates a segment named `name` unless the shop has one by that name (seeding; the shop row lock makes it once). */
  async seedSegment(shop: string, input: { name: string; rule: SegmentRule }): Promise<Segment> {
    return this.db.transaction(async (tx) => {
      await tx.query('SELECT id FROM shops WHERE id = $1 FOR UPDATE', [shop]);
      const existing = await tx.query<Row>('SELECT * FROM segments WHERE shop = $1 AND name = $2 ORDER BY created_at LIMIT 1', [shop, input.name]);
      if (existing[0]) return toSegment(existing[0]);
      const rows = await tx.query<Row>('INSERT INTO segments (shop, id, name, rule) VALUES ($1, $2, $3, $4::jsonb) RETURNING *', [
        shop,
        newId('s'),
        input.name,
        JSON.stringify(input.rule),
      ]);
      return toSegment(rows[0]);
    });
  }

  // ---- settings ----

  async getSettings(shop: string, q: Queryable = this.db): Promise<BroadcastSettings> {
    const rows = await q.query<Row>(`SELECT broadcast_settings, reservation_settings->>'timeZone' AS zone FROM shops WHERE id = $1`, [shop]);
    if (!rows[0]) throw new VitrineError('not_found', `shop ${shop} not found`);
    const saved = rows[0].broadcast_settings;
    if (saved !== null && saved !== undefined) return json<BroadcastSettings>(saved);
    return { frequencyCap: { ...DEFAULT_FREQUENCY_CAP }, timeZone: strOrNull(rows[0].zone) ?? 'UTC' };
  }

  /** Saves the settings (`invalid_payload` for an unknown time zone). */
  async putSettings(shop: string, settings: BroadcastSettings): Promise<BroadcastSettings> {
    if (!validTimeZone(settings.timeZone)) throw new VitrineError('invalid_payload', `timeZone: unknown time zone ${settings.timeZone}`);
    const clean: BroadcastSettings = { frequencyCap: { max: settings.frequencyCap.max, days: settings.frequencyCap.days }, timeZone: settings.timeZone };
    await this.db.query('UPDATE shops SET broadcast_settings = $2::jsonb WHERE id = $1', [shop, JSON.stringify(clean)]);
    return clean;
  }

  /** Saves settings only when the shop has none (seeding). True when saved. */
  async initSettings(shop: string, settings: BroadcastSettings): Promise<boolean> {
    const rows = await this.db.query<Row>('UPDATE shops SET broadcast_settings = $2::jsonb WHERE id = $1 AND broadcast_settings IS NULL RETURNING id', [
      shop,
      JSON.stringify(settings),
    ]);
    return rows.length > 0;
  }

  // ---- campaigns ----

  /** The shop's campaigns, newest first. */
  async listCampaigns(shop: string, limit = 500): Promise<Campaign[]> {
    const rows = await this.db.query<Row>(`${CAMPAIGN_SELECT} WHERE c.shop = $1 ORDER BY c.created_at DESC, c.id DESC LIMIT $2`, [shop, limit]);
    return rows.map(toCampaign);
  }

  async getCampaign(shop: string, id: string, q: Queryable = this.db): Promise<Campaign | null> {
    const rows = await q.query<Row>(`${CAMPAIGN_SELECT} WHERE c.shop = $1 AND c.id = $2`, [shop, id]);
    return rows[0] ? toCampaign(rows[0]) : null;
  }

  private async requireCampaign(shop: string, id: string, q: Queryable = this.db): Promise<Campaign> {
    const c = await this.getCampaign(shop, id, q);
    if (!c) throw new VitrineError('not_found', `campaign ${id} not found`);
    return c;
  }

  /** Products, coupon and segment a campaign names must exist (`not_found` naming the field). */
  private async checkReferences(q: Queryable, shop: string, input: Partial<CampaignInput>, lockSegment = false): Promise<void> {
    if (input.productIds && input.productIds.length > 0) {
      const found = await this.loadProducts(q, shop, input.productIds);
      const missing = input.productIds.filter((pid) => !found.some((p) => p.id === pid));
      if (missing.length > 0) throw new VitrineError('not_found', `productIds: product ${missing.join(', ')} not found`);
    }
    if (input.couponId) {
      const coupon = await getCoupon(q, shop, input.couponId);
      if (!coupon) throw new VitrineError('not_found', `couponId: coupon ${input.couponId} not found`);
    }
    if (input.segmentId) {
      const rows = await q.query<Row>(`SELECT id FROM segments WHERE shop = $1 AND id = $2${lockSegment ? ' FOR SHARE' : ''}`, [shop, input.segmentId]);
      if (!rows[0]) throw new VitrineError('not_found', `segmentId: segment ${input.segmentId} not found`);
    }
  }

  /** Creates a draft only when the shop has no campaign at all (seeding; the shop row lock makes it once). */
  async seedDraftCampaign(shop: string, input: CampaignInput): Promise<Campaign | null> {
    return this.db.transaction(async (tx) => {
      await tx.query('SELECT id FROM shops WHERE id = $1 FOR UPDATE', [shop]);
      const any = await tx.query<Row>('SELECT 1 FROM campaigns WHERE shop = $1 LIMIT 1', [shop]);
      return any[0] ? null : this.insertDraft(tx, shop, input);
    });
  }

  /** Creates a draft. */
  async createCampaign(shop: string, input: CampaignInput): Promise<Campaign> {
    return this.db.transaction((tx) => this.insertDraft(tx, shop, input));
  }

  private async insertDraft(tx: Queryable, shop: string, input: CampaignInput): Promise<Campaign> {
    await this.checkReferences(tx, shop, input);
    const id = newId('b');
    await tx.query(
      `INSERT INTO campaigns (shop, id, kind, state, name, title, body, image, product_ids, coupon_id, cta, segment_id)
       VALUES ($1, $2, $3, 'draft', $4, $5::jsonb, $6::jsonb, $7, $8::text[], $9, $10::jsonb, $11)`,
      [
        shop,
        id,
        input.kind,
        input.name,
        JSON.stringify(input.title),
        JSON.stringify(input.body),
        input.image,
        input.productIds,
        input.couponId,
        input.cta ? JSON.stringify(input.cta) : null,
        input.segmentId,
      ],
    );
    return this.requireCampaign(shop, id, tx);
  }

  /** Changes a draft or scheduled campaign (`conflict` once it is sending, sent or cancelled). */
  async updateCampaign(shop: string, id: string, patch: Partial<CampaignInput>): Promise<Campaign> {
    return this.db.transaction(async (tx) => {
      const rows = await tx.query<Row>('SELECT state FROM campaigns WHERE shop = $1 AND id = $2 FOR UPDATE', [shop, id]);
      if (!rows[0]) throw new VitrineError('not_found', `campaign ${id} not found`);
      const state = String(rows[0].state);
      if (state !== 'draft' && state !== 'scheduled') throw new VitrineError('conflict', `the campaign is ${state}: only drafts and scheduled campaigns can be changed`);
      await this.checkReferences(tx, shop, patch, state === 'scheduled');
      const has = (k: keyof CampaignInput): boolean => patch[k] !== undefined;
      await tx.query(
        `UPDATE campaigns SET
           kind = CASE WHEN $3::boolean THEN $4 ELSE kind END,
           name = CASE WHEN $5::boolean THEN $6 ELSE name END,
           title = CASE WHEN $7::boolean THEN $8::jsonb ELSE title END,
           body = CASE WHEN $9::boolean THEN $10::jsonb ELSE body END,
           image = CASE WHEN $11::boolean THEN $12 ELSE image END,
           product_ids = CASE WHEN $13::boolean THEN $14::text[] ELSE product_ids END,
           coupon_id = CASE WHEN $15::boolean THEN $16 ELSE coupon_id END,
           cta = CASE WHEN $17::boolean THEN $18::jsonb ELSE cta END,
           segment_id = CASE WHEN $19::boolean THEN $20 ELSE segment_id END,
           updated_at = now()
         WHERE shop = $1 AND id = $2`,
        [
          shop,
          id,
          has('kind'),
          patch.kind ?? null,
          has('name'),
          patch.name ?? null,
          has('title'),
          patch.title ? JSON.stringify(patch.title) : null,
          has('body'),
          patch.body ? JSON.stringify(patch.body) : null,
          has('image'),
          patch.image ?? null,
          has('productIds'),
          patch.productIds ?? [],
          has('couponId'),
          patch.couponId ?? null,
          has('cta'),
          patch.cta ? JSON.stringify(patch.cta) : null,
          has('segmentId'),
          patch.segmentId ?? null,
        ],
      );
      return this.requireCampaign(shop, id, tx);
    });
  }

  /**
   * Removes a draft or cancelled campaign (`conflict` otherwise: sent campaigns stay in feeds).
   * Recipient rows have no foreign key to their campaign (migration 004): only a campaign that never
   * went out, so has no recipients, may be deleted. A claim in progress holds the row lock; the
   * delete waits for it and then sees `sending`.
   */
  async deleteCampaign(shop: string, id: string): Promise<void> {
    const rows = await this.db.query<Row>(
      `DELETE FROM campaigns c WHERE c.shop = $1 AND c.id = $2 AND c.state IN ('draft', 'cancelled')
          AND NOT EXISTS (SELECT 1 FROM campaign_recipients r WHERE r.campaign_id = c.id)
        RETURNING c.id`,
      [shop, id],
    );
    if (rows[0]) return;
    const c = await this.requireCampaign(shop, id);
    if (c.state === 'draft' || c.state === 'cancelled') throw new VitrineError('conflict', 'the campaign has recipients: it cannot be deleted');
    throw new VitrineError('conflict', `the campaign is ${c.state}: only drafts and cancelled campaigns can be deleted`);
  }

  /**
   * Schedules a draft (or moves a scheduled campaign) to `at` (ms; a past instant means now).
   * `conflict` once it is sending, sent or cancelled.
   */
  async scheduleCampaign(shop: string, id: string, at: number, timeZone: string | null): Promise<Campaign> {
    const campaign = await this.db.transaction(async (tx) => {
      const rows = await tx.query<Row>('SELECT state, segment_id FROM campaigns WHERE shop = $1 AND id = $2 FOR UPDATE', [shop, id]);
      if (!rows[0]) throw new VitrineError('not_found', `campaign ${id} not found`);
      const state = String(rows[0].state);
      if (state !== 'draft' && state !== 'scheduled') throw new VitrineError('conflict', `the campaign is ${state}: it cannot be scheduled`);
      await this.checkReferences(tx, shop, { segmentId: strOrNull(rows[0].segment_id) }, true);
      await tx.query(
        `UPDATE campaigns SET state = 'scheduled', scheduled_at = GREATEST($3::timestamptz, date_trunc('milliseconds', now())), time_zone = $4, updated_at = now()
          WHERE shop = $1 AND id = $2`,
        [shop, id, new Date(at), timeZone],
      );
      return this.requireCampaign(shop, id, tx);
    });
    // The scheduler sends it now if it is due, else times its next tick for it.
    for (const listener of this.dueListeners) {
      try {
        listener();
      } catch {
        // The scheduler's interval picks it up anyway.
      }
    }
    return campaign;
  }

  /** A scheduled campaign back to draft (`conflict` otherwise: it may already be sending). */
  async unscheduleCampaign(shop: string, id: string): Promise<Campaign> {
    return this.transition(shop, id, ['scheduled'], 'draft', 'only a scheduled campaign can be unscheduled');
  }

  /** Cancels a draft or scheduled campaign; it is never sent (`conflict` once sending or sent). */
  async cancelCampaign(shop: string, id: string): Promise<Campaign> {
    return this.transition(shop, id, ['draft', 'scheduled'], 'cancelled', 'it can no longer be cancelled');
  }

  private async transition(shop: string, id: string, from: CampaignState[], to: CampaignState, why: string): Promise<Campaign> {
    // Waits for a claim in progress (row lock): the scheduler only takes state = 'scheduled'.
    const rows = await this.db.query<Row>(
      `UPDATE campaigns SET state = $4, updated_at = now(), scheduled_at = CASE WHEN $4 = 'draft' THEN NULL ELSE scheduled_at END
        WHERE shop = $1 AND id = $2 AND state = ANY($3::text[]) RETURNING id`,
      [shop, id, from, to],
    );
    const c = await this.requireCampaign(shop, id);
    if (!rows[0]) throw new VitrineError('conflict', `the campaign is ${c.state}: ${why}`);
    return c;
  }

  /** Counters, rates and the hourly timeline of a campaign. */
  async campaignStats(shop: string, id: string): Promise<CampaignStats> {
    const c = await this.requireCampaign(shop, id);
    const { targeted, capped, delivered, read, clicked } = c.counts;
    const rate = (n: number, base: number): number => (base > 0 ? n / base : 0);
    const timeline: CampaignStats['timeline'] = [];
    if (c.sentAt) {
      const rows = await this.db.query<Row>(
        `SELECT k, h, count(*)::int AS n FROM (
           SELECT 'delivered' AS k, floor(extract(epoch FROM delivered_at) / 3600)::int AS h FROM campaign_recipients WHERE campaign_id = $1 AND delivered_at IS NOT NULL
           UNION ALL SELECT 'read', floor(extract(epoch FROM read_at) / 3600)::int FROM campaign_recipients WHERE campaign_id = $1 AND read_at IS NOT NULL
           UNION ALL SELECT 'clicked', floor(extract(epoch FROM clicked_at) / 3600)::int FROM campaign_recipients WHERE campaign_id = $1 AND clicked_at IS NOT NULL
         ) t GROUP BY k, h`,
        [id],
      );
      const first = Math.floor(Date.parse(c.sentAt) / 3_600_000);
      const last = Math.min(first + TIMELINE_HOURS - 1, Math.max(first, Math.floor(Date.now() / 3_600_000), ...rows.map((r) => num(r.h))));
      const byHour = new Map<number, { delivered: number; read: number; clicked: number }>();
      for (let h = first; h <= last; h++) byHour.set(h, { delivered: 0, read: 0, clicked: 0 });
      for (const r of rows) {
        const slot = byHour.get(num(r.h));
        if (slot) slot[String(r.k) as 'delivered' | 'read' | 'clicked'] += num(r.n);
      }
      for (const [h, counts] of byHour) timeline.push({ at: new Date(h * 3_600_000).toISOString(), ...counts });
    }
    return {
      ...c.counts,
      rates: { delivered: rate(delivered, targeted - capped), read: rate(read, delivered), clicked: rate(clicked, delivered) },
      timeline,
    };
  }

  /** The rule a campaign sends to: `null` for every customer; a segment that is gone matches nobody. */
  private async campaignRule(q: Queryable, shop: string, segmentId: string | null): Promise<SegmentRule | null> {
    if (!segmentId) return null;
    const segment = await this.getSegment(shop, segmentId, q);
    return segment ? segment.rule : { match: 'any', conditions: [] };
  }

  /** Current snapshots of a campaign's products (those still in the catalogue) and its coupon (if active). */
  private async contentSnapshots(q: Queryable, shop: string, productIds: string[], couponId: string | null): Promise<{ products: ProductSnapshot[]; coupon: CouponSnapshot | null }> {
    const products = (await this.loadProducts(q, shop, productIds)).map(this.snapshot);
    const coupon = couponId ? await getCoupon(q, shop, couponId) : null;
    return { products, coupon: coupon && coupon.active ? couponSnapshot(coupon) : null };
  }

  /** The feed item a campaign would make now (current catalogue and coupon) and its audience size. */
  async previewCampaign(shop: string, id: string): Promise<{ item: FeedItem; audience: number }> {
    const c = await this.requireCampaign(shop, id);
    const { products, coupon } = await this.contentSnapshots(this.db, shop, c.productIds, c.couponId);
    const item: FeedItem = {
      id: c.id,
      kind: c.kind,
      title: c.title,
      body: c.body,
      image: c.image,
      products,
      coupon,
      cta: c.cta,
      sentAt: c.sentAt ?? new Date().toISOString(),
      read: false,
    };
    return { item, audience: await this.audienceSize(shop, await this.campaignRule(this.db, shop, c.segmentId)) };
  }

  // ---- sending ----

  /**
   * Claims the most overdue scheduled campaign of any shop and stores its recipients, in one
   * transaction; `null` when none is due. `claimedBy` names the process (logs, diagnosis).
   */
  async claimDue(claimedBy: string): Promise<ClaimedBroadcast | null> {
    return this.db.transaction(async (tx) => {
      const due = await tx.query<Row>(
        `SELECT * FROM campaigns WHERE state = 'scheduled' AND scheduled_at <= now()
          ORDER BY scheduled_at, id LIMIT 1 FOR UPDATE SKIP LOCKED`,
      );
      const c = due[0];
      if (!c) return null;
      const shop = String(c.shop);
      const id = String(c.id);
      const { products, coupon } = await this.contentSnapshots(tx, shop, (c.product_ids as string[] | null) ?? [], strOrNull(c.coupon_id));
      const rule = await this.campaignRule(tx, shop, strOrNull(c.segment_id));
      const { frequencyCap } = await this.getSettings(shop, tx);
      // One statement: the audience (segment SQL, computed once), the insert of those under the
      // frequency cap, and the audience's size, returned with the inserted ids (no second scan).
      // The cap is a probe per candidate (index on visitor_id, sent_at; at most `max` entries read),
      // linear whatever the planner believes: an anti-join against the customers at the cap
      // (grouped) was 1.05-1.35x faster with fresh statistics, but right after staff tag thousands
      // of customers the audience is estimated at 1 row and PostgreSQL re-ran the grouped subquery
      // for every candidate (a 0.5 s claim took 10-13 s in bench:fanout, bench/README.md).
      const params: unknown[] = [shop, id, frequencyCap.days, frequencyCap.max];
      const where = rule ? segmentSql(rule, params) : 'true';
      const claimed = await tx.query<Row>(
        `WITH audience AS MATERIALIZED (
           SELECT v.id FROM visitors v WHERE v.shop = $1 AND ${where}
         ), inserted AS (
           INSERT INTO campaign_recipients (shop, campaign_id, visitor_id, sent_at)
           SELECT $1, $2, a.id, now() FROM audience a
            WHERE (SELECT count(*) FROM (SELECT 1 FROM campaign_recipients r
                                          WHERE r.visitor_id = a.id AND r.sent_at > now() - make_interval(days => $3::int)
                                          LIMIT $4::int) recent) < $4::int
           ON CONFLICT (campaign_id, visitor_id) DO NOTHING
           RETURNING visitor_id
         )
         SELECT (SELECT count(*)::int FROM audience) AS targeted,
                (SELECT coalesce(array_agg(visitor_id), '{}') FROM inserted) AS visitor_ids`,
        params,
      );
      const targeted = num(claimed[0].targeted);
      const visitorIds = ((claimed[0].visitor_ids as string[] | null) ?? []).map(String);
      const capped = Math.max(0, targeted - visitorIds.length);
      const updated = await tx.query<Row>(
        `UPDATE campaigns SET state = 'sending', claimed_by = $3, claimed_at = now(), sent_at = now(), products = $4::jsonb, coupon = $5::jsonb,
                segment_rule = $6::jsonb, targeted = $7, capped = $8, updated_at = now()
          WHERE shop = $1 AND id = $2 RETURNING *`,
        [shop, id, claimedBy, JSON.stringify(products), coupon ? JSON.stringify(coupon) : null, rule ? JSON.stringify(rule) : null, targeted, capped],
      );
      return { shop, campaignId: id, item: toFeedItem(updated[0]), visitorIds, targeted, capped };
    });
  }

  /** Milliseconds (database clock) until the next scheduled campaign of any shop is due; `null` when none is scheduled. */
  async msUntilNextDue(): Promise<number | null> {
    const rows = await this.db.query<Row>(
      `SELECT (extract(epoch FROM (min(scheduled_at) - now())) * 1000)::float8 AS ms FROM campaigns WHERE state = 'scheduled'`,
    );
    return rows[0]?.ms === null || rows[0]?.ms === undefined ? null : num(rows[0].ms);
  }

  /** Live delivery of a claimed campaign is done. */
  async markSent(shop: string, id: string): Promise<void> {
    await this.db.query(`UPDATE campaigns SET state = 'sent', updated_at = now() WHERE shop = $1 AND id = $2 AND state = 'sending'`, [shop, id]);
  }

  /**
   * Campaigns whose process died during live delivery (`sending`, claimed over `staleMs` ago) are
   * finished as `sent`: their recipients are stored and see them on their next feed:get.
   */
  async finishStale(staleMs = STALE_SENDING_MS): Promise<string[]> {
    const rows = await this.db.query<Row>(
      `UPDATE campaigns SET state = 'sent', updated_at = now()
        WHERE state = 'sending' AND claimed_at < now() - make_interval(secs => $1::float8) RETURNING id`,
      [staleMs / 1000],
    );
    return rows.map((r) => String(r.id));
  }

  // ---- the customer's feed ----

  private async unread(q: Queryable, visitorId: string): Promise<number> {
    const rows = await q.query<Row>('SELECT count(*)::int AS n FROM campaign_recipients WHERE visitor_id = $1 AND read_at IS NULL', [visitorId]);
    return num(rows[0].n);
  }

  /** `feed:get`: newest first; returned items are recorded as delivered. */
  async feedPage(shop: string, visitorId: string, opts: { before?: string; limit?: number } = {}): Promise<FeedPage> {
    const limit = Math.min(opts.limit ?? LIMITS.feedPageDefault, LIMITS.pageMax);
    const v = await this.db.query<Row>('SELECT name, attributes FROM visitors WHERE shop = $1 AND id = $2', [shop, visitorId]);
    if (!v[0]) throw new VitrineError('not_found', 'customer not found');
    const values = feedValues(strOrNull(v[0].name), json<Record<string, string>>(v[0].attributes ?? {}));
    let items: FeedItem[] = [];
    let hasMore = false;
    if (limit > 0) {
      let cursor: Row | null = null;
      if (opts.before) {
        const found = await this.db.query<Row>('SELECT sent_at FROM campaign_recipients WHERE visitor_id = $1 AND campaign_id = $2', [visitorId, opts.before]);
        if (!found[0]) throw new VitrineError('not_found', `before: ${opts.before} is not in your feed`);
        cursor = found[0];
      }
      const rows = await this.db.query<Row>(
        `SELECT c.*, r.sent_at AS r_sent_at, r.read_at FROM campaign_recipients r
           JOIN campaigns c ON c.shop = r.shop AND c.id = r.campaign_id
          WHERE r.visitor_id = $1 AND r.shop = $2
            AND ($3::timestamptz IS NULL OR (r.sent_at, r.campaign_id) < ($3::timestamptz, $4::text))
          ORDER BY r.sent_at DESC, r.campaign_id DESC LIMIT $5`,
        [visitorId, shop, cursor ? cursor.sent_at : null, opts.before ?? null, limit + 1],
      );
      items = rows.slice(0, limit).map(toFeedItem);
      hasMore = rows.length > limit;
      if (items.length > 0) {
        await this.db.query(
          'UPDATE campaign_recipients SET delivered_at = now() WHERE visitor_id = $1 AND campaign_id = ANY($2::text[]) AND delivered_at IS NULL',
          [visitorId, items.map((i) => i.id)],
        );
      }
    }
    return { items, hasMore, unread: await this.unread(this.db, visitorId), values };
  }

  /** `feed:delivered` / `feed:read` (read also sets delivered); ids not in the feed are ignored. */
  async markFeed(visitorId: string, ids: readonly string[], what: 'delivered' | 'read'): Promise<{ unread: number }> {
    await this.db.query(
      `UPDATE campaign_recipients SET delivered_at = coalesce(delivered_at, now()),
              read_at = CASE WHEN $3::boolean THEN coalesce(read_at, now()) ELSE read_at END
        WHERE visitor_id = $1 AND campaign_id = ANY($2::text[])`,
      [visitorId, [...ids], what === 'read'],
    );
    return { unread: await this.unread(this.db, visitorId) };
  }

  /** `feed:click`: the first click is recorded (and delivered / read if not yet); `not_found` outside the feed. */
  async clickFeed(visitorId: string, id: string, _target: FeedClickTarget, q: Queryable = this.db): Promise<void> {
    const rows = await q.query<Row>(
      `UPDATE campaign_recipients SET clicked_at = coalesce(clicked_at, now()), delivered_at = coalesce(delivered_at, now()),
              read_at = coalesce(read_at, now())
        WHERE visitor_id = $1 AND campaign_id = $2 RETURNING campaign_id`,
      [visitorId, id],
    );
    if (!rows[0]) throw new VitrineError('not_found', `feed item ${id} not found`);
  }

  /**
   * The context of a customer's "Ask about this" message (inside the message transaction): the
   * feed item with its title rendered for them, and one of its products. Records an `ask` click.
   */
  async feedItemContext(tx: Queryable, shop: string, visitorId: string, feedItemId: string, productId?: string): Promise<MessageContext> {
    const rows = await tx.query<Row>(
      `SELECT c.kind, c.title, c.products, c.coupon, v.name, v.attributes FROM campaign_recipients r
         JOIN campaigns c ON c.shop = r.shop AND c.id = r.campaign_id
         JOIN visitors v ON v.id = r.visitor_id
        WHERE r.visitor_id = $1 AND r.campaign_id = $2 AND r.shop = $3`,
      [visitorId, feedItemId, shop],
    );
    const r = rows[0];
    if (!r) throw new VitrineError('not_found', `context.feedItemId: feed item ${feedItemId} not found`);
    const products = r.products === null || r.products === undefined ? [] : json<ProductSnapshot[]>(r.products);
    let product: ProductSnapshot | undefined;
    if (productId !== undefined) {
      product = products.find((p) => p.id === productId);
      if (!product) throw new VitrineError('not_found', `context.productId: product ${productId} is not in feed item ${feedItemId}`);
    }
    const coupon = r.coupon === null || r.coupon === undefined ? null : json<CouponSnapshot>(r.coupon);
    const values = feedValues(strOrNull(r.name), json<Record<string, string>>(r.attributes ?? {}));
    await this.clickFeed(visitorId, feedItemId, 'ask', tx);
    return {
      feedItem: { id: feedItemId, kind: String(r.kind) as CampaignKind, title: renderTitle(json<LocalizedText>(r.title), values, coupon) },
      ...(product ? { product } : {}),
    };
  }
}
