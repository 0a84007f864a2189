/**
 * Broadcast feeds (issue 5): campaigns a shop sends to a segment of its customers, and the feed in
 * which a customer sees them. Wire types shared by the server, the core client, the widget and the
 * console (REST shapes: docs/broadcasts.md; socket events: docs/protocol.md "Feed").
 *
 * A campaign is stored once. Its title and body are **templates** (`您好 {{name|朋友}}`) per locale;
 * front ends render them for the customer with `renderTemplate` and {@link FeedValues} — as plain
 * text, never markup. That keeps one `feed:new` packet for every recipient of a broadcast.
 */
import type { LocalizedText, ProductSnapshot } from './catalogue.js';
import type { CouponSnapshot } from './commerce.js';
import type { SegmentRule } from './audience.js';

/** What a campaign announces. */
export type CampaignKind = 'new-arrival' | 'promotion' | 'member-benefit' | 'announcement';
export const CAMPAIGN_KINDS: readonly CampaignKind[] = ['new-arrival', 'promotion', 'member-benefit', 'announcement'];

/**
 * `draft` -> `scheduled` (-> `draft` again, or `cancelled`) -> `sending` -> `sent`.
 * `sending`: claimed by one server process, recipients stored, live delivery under way.
 */
export type CampaignState = 'draft' | 'scheduled' | 'sending' | 'sent' | 'cancelled';

/** The call to action under a feed item. `url: null`: "Ask about this" opens the chat instead. */
export interface CampaignCta {
  label: LocalizedText;
  url: string | null;
}

/** Values a customer's templates are rendered with (`{{name}}`, `{{tier}}`, `{{points}}`). */
export interface FeedValues {
  name?: string | null;
  tier?: string | null;
  points?: number | null;
}

/** One broadcast as a customer's feed shows it. */
export interface FeedItem {
  /** The campaign id. */
  id: string;
  kind: CampaignKind;
  /** Templates per locale: render with `renderTemplate(text, { ...values, coupon }, locale)`. */
  title: LocalizedText;
  body: LocalizedText;
  image: string | null;
  /** Catalogue products as they were when the campaign was sent (0 to 10; live stock via `product:get { watch }`). */
  products: ProductSnapshot[];
  /** A coupon the customer can claim in the chat (`{{coupon}}` renders its title). */
  coupon: CouponSnapshot | null;
  cta: CampaignCta | null;
  /** When the broadcast was sent. ISO 8601 UTC. */
  sentAt: string;
  /** The customer has seen it (in the viewport). */
  read: boolean;
}

/** `feed:get` request: newest first; `before` (a `FeedItem.id` of the last page) pages back. */
export interface FeedGetRequest {
  before?: string;
  /** 1 to `LIMITS.pageMax`; default 20. `0`: only `unread` and `values`. */
  limit?: number;
}

/** `feed:get` ack payload. Items returned are recorded as delivered. */
export interface FeedPage {
  items: FeedItem[];
  hasMore: boolean;
  /** Unread items in the whole feed. */
  unread: number;
  /** The customer's template values now. */
  values: FeedValues;
}

/** `feed:delivered` / `feed:read` request: items the client received / showed in the viewport. */
export interface FeedMarkRequest {
  /** 1 to 50 campaign ids; ids not in this customer's feed are ignored. */
  ids: string[];
}

/** What a customer did with a feed item. */
export type FeedClickTarget = 'cta' | 'product' | 'ask' | 'coupon';

/** `feed:click` request. */
export interface FeedClickRequest {
  id: string;
  target: FeedClickTarget;
  /** For `product`: which product. */
  productId?: string;
}

/** Server -> client `feed:new`: one packet for every connected recipient of a broadcast. */
export interface FeedNew {
  item: FeedItem;
}

// ---------------------------------------------------------------------------------------------
// REST shapes (staff: /api/campaigns, /api/segments, /api/customers, /api/settings/broadcasts)

/** A saved segment: a rule over customer attributes and tags (`SegmentRule`, src/protocol/audience.ts). */
export interface Segment {
  id: string;
  name: string;
  rule: SegmentRule;
  createdAt: string;
  updatedAt: string;
}

/** Counts of a campaign (all zero until it is sent). */
export interface CampaignCounts {
  /** In the segment when it was sent (capped included). */
  targeted: number;
  /** Left out by the frequency cap. */
  capped: number;
  /** Recipients whose client received it (live or on next open). */
  delivered: number;
  read: number;
  clicked: number;
}

/** A campaign as staff manage it. */
export interface Campaign {
  id: string;
  kind: CampaignKind;
  state: CampaignState;
  /** Staff's own name for it (not shown to customers). */
  name: string;
  title: LocalizedText;
  body: LocalizedText;
  image: string | null;
  /** Catalogue product ids (0 to 10). */
  productIds: string[];
  couponId: string | null;
  cta: CampaignCta | null;
  /** `null`: every customer of the shop. */
  segmentId: string | null;
  /** When it is / was due. ISO 8601 UTC. */
  scheduledAt: string | null;
  /** The shop's zone the schedule was given in (IANA). */
  timeZone: string | null;
  sentAt: string | null;
  counts: CampaignCounts;
  createdAt: string;
  updatedAt: string;
}

/** Frequency cap and defaults of a shop's broadcasts (`/api/settings/broadcasts`). */
export interface BroadcastSettings {
  /** At most `max` broadcasts per customer in any `days` days (default 3 per 7). */
  frequencyCap: { max: number; days: number };
  /** The zone schedules are given in (IANA), default the reservation settings' zone or UTC. */
  timeZone: string;
}

/** A campaign's statistics (`GET /api/campaigns/:id/stats`). */
export interface CampaignStats extends CampaignCounts {
  /** delivered / (targeted - capped), read / delivered, clicked / delivered; 0 when the base is 0. */
  rates: { delivered: number; read: number; clicked: number };
  /** Per hour since it was sent (UTC hour starts), at most 7 days. */
  timeline: { at: string; delivered: number; read: number; clicked: number }[];
}

/** A customer (visitor) as staff and the shop's server see it (`/api/customers`). */
export interface CustomerRecord {
  /** The visitor id. */
  id: string;
  name: string | null;
  email: string | null;
  attributes: Record<string, string>;
  /** Lower-case. */
  tags: string[];
  /** What templates render for this customer (`name`, `tier` and `points` attributes). */
  values: FeedValues;
  createdAt: string;
}

/**
 * `PATCH /api/customers/:id`: attributes to set (`null` removes one), and tags to replace (`tags`)
 * or to add / remove.
 */
export interface CustomerProfilePatch {
  attributes?: Record<string, string | null>;
  tags?: string[];
  addTags?: string[];
  removeTags?: string[];
}
