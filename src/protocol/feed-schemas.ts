/**
 * Validation of broadcast-feed payloads (issue 5): socket requests (`feed:get`, `feed:delivered`,
 * `feed:read`, `feed:click`) and the staff's REST inputs (campaigns, segments, customer profiles,
 * broadcast settings). Shared by the server (which refuses bad input with `invalid_payload`) and the
 * console (which shows the same messages next to its fields).
 */
import * as v from 'valibot';
import { LIMITS } from './limits.js';
import { CAMPAIGN_KINDS } from './feed.js';
import { checkTemplate } from './template.js';
import { AUDIENCE_LIMITS, attributeNameSchema, segmentRuleSchema, tagSchema } from './audience.js';
import { couponIdSchema, linkSchema, nonEmptyLocalizedText, productIdSchema } from './schemas.js';
import type { CustomerProfilePatch, FeedClickRequest, FeedGetRequest, FeedMarkRequest } from './feed.js';

const id = v.pipe(v.string(), v.minLength(1), v.maxLength(LIMITS.idMaxLength), v.regex(/^[A-Za-z0-9_-]+$/, 'must be letters, digits, _ or -'));

/** `feed:get`. */
export const feedGetSchema = v.object({
  before: v.optional(id),
  limit: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(LIMITS.pageMax))),
});

/** `feed:delivered` and `feed:read`. */
export const feedMarkSchema = v.object({
  ids: v.pipe(v.array(id), v.minLength(1), v.maxLength(LIMITS.feedMarkMax)),
});

/** `feed:click`. */
export const feedClickSchema = v.object({
  id,
  target: v.picklist(['cta', 'product', 'ask', 'coupon']),
  productId: v.optional(productIdSchema),
});

/** Localized template text: every entry passes `checkTemplate`. */
function templateText(max: number, required: boolean) {
  return v.pipe(
    required
      ? nonEmptyLocalizedText(max)
      : v.pipe(
          v.record(v.pipe(v.string(), v.regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'must be a locale tag like zh-CN')), v.pipe(v.string(), v.maxLength(max))),
          v.check((r) => Object.keys(r).length <= 10, 'must have at most 10 locales'),
        ),
    v.check((r: Record<string, string>) => Object.values(r).every((t) => checkTemplate(t).length === 0), (issue) => {
      const r = issue.input as Record<string, string>;
      for (const [locale, t] of Object.entries(r)) {
        const problems = checkTemplate(t);
        if (problems.length > 0) return `${locale}: ${problems[0].message}`;
      }
      return 'must be a valid template';
    }),
  );
}

/**
 * A campaign as staff write it (REST `POST /api/campaigns`, `PATCH /api/campaigns/:id` takes the same
 * fields, all optional). Title and body are templates per locale (`{{name|朋友}}`).
 */
export const campaignInputSchema = v.object({
  kind: v.picklist(CAMPAIGN_KINDS as CampaignKindTuple),
  name: v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(LIMITS.nameMaxLength)),
  title: templateText(LIMITS.productTitleMaxLength, true),
  body: v.optional(templateText(LIMITS.campaignBodyMaxLength, false), {}),
  image: v.nullish(linkSchema, null),
  productIds: v.optional(v.pipe(v.array(productIdSchema), v.maxLength(LIMITS.campaignProductsMax), v.transform((ids) => [...new Set(ids)])), []),
  couponId: v.nullish(couponIdSchema, null),
  cta: v.nullish(
    v.object({
      label: nonEmptyLocalizedText(LIMITS.nameMaxLength),
      url: v.nullish(linkSchema, null),
    }),
    null,
  ),
  segmentId: v.nullish(id, null),
});
type CampaignKindTuple = ['new-arrival', 'promotion', 'member-benefit', 'announcement'];

/** Output of {@link campaignInputSchema}. */
export type CampaignInput = v.InferOutput<typeof campaignInputSchema>;

/** `PATCH /api/campaigns/:id`: any of the campaign fields (drafts and scheduled campaigns only). */
export const campaignPatchSchema = v.partial(campaignInputSchema);

/**
 * `POST /api/campaigns/:id/schedule`: a wall-clock time in the shop's zone (`2026-11-24T10:00`,
 * converted with the zone's rules on that day) or an instant (`2026-11-24T02:00:00Z`).
 */
export const campaignScheduleSchema = v.union([
  v.object({
    localTime: v.pipe(v.string(), v.regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/, 'must be a local time like 2026-11-24T10:00')),
    timeZone: v.optional(v.pipe(v.string(), v.maxLength(64))),
  }),
  v.object({ at: v.pipe(v.string(), v.isoTimestamp('must be an ISO 8601 instant')) }),
]);

/** A segment as staff save it (`POST /api/segments`, `PUT /api/segments/:id`). */
export const segmentInputSchema = v.object({
  name: v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(LIMITS.nameMaxLength)),
  rule: segmentRuleSchema,
});

const tagList = v.pipe(v.array(tagSchema), v.maxLength(AUDIENCE_LIMITS.tags, `must have at most ${AUDIENCE_LIMITS.tags} tags`));

/** `PATCH /api/customers/:id` (the result must still fit `AUDIENCE_LIMITS`; the server checks). */
export const customerProfilePatchSchema = v.object({
  attributes: v.optional(
    v.pipe(
      v.record(attributeNameSchema, v.nullable(v.pipe(v.string(), v.maxLength(AUDIENCE_LIMITS.attributeValueMaxLength)))),
      v.check((r) => Object.keys(r).length <= AUDIENCE_LIMITS.attributes, `must have at most ${AUDIENCE_LIMITS.attributes} attributes`),
    ),
  ),
  tags: v.optional(tagList),
  addTags: v.optional(tagList),
  removeTags: v.optional(tagList),
});

/** Broadcast settings (`PUT /api/settings/broadcasts`). */
export const broadcastSettingsSchema = v.object({
  frequencyCap: v.object({
    max: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(100)),
    days: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(90)),
  }),
  timeZone: v.pipe(v.string(), v.maxLength(64)),
});

// Compile-time checks: request schemas produce the wire types.
type Assert<T extends true> = T;
type Extends<A, B> = A extends B ? true : false;
export type _FeedSchemaChecks = [
  Assert<Extends<v.InferOutput<typeof feedGetSchema>, FeedGetRequest>>,
  Assert<Extends<v.InferOutput<typeof feedMarkSchema>, FeedMarkRequest>>,
  Assert<Extends<v.InferOutput<typeof feedClickSchema>, FeedClickRequest>>,
  Assert<Extends<v.InferOutput<typeof customerProfilePatchSchema>, CustomerProfilePatch>>,
  Assert<Extends<CampaignKindTuple[number], (typeof CAMPAIGN_KINDS)[number]>>,
];
