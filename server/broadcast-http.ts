/**
 * Broadcast admin API (issue 5; agent bearer token, errors `{ error: { code, message } }` like the
 * rest of /api/): `/api/customers`, `/api/segments`, `/api/campaigns`, `/api/settings/broadcasts`.
 * Reference: docs/broadcasts.md.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import * as v from 'valibot';
import { segmentRuleSchema } from '../src/protocol/audience.js';
import {
  broadcastSettingsSchema,
  campaignInputSchema,
  campaignPatchSchema,
  campaignScheduleSchema,
  customerProfilePatchSchema,
  segmentInputSchema,
} from '../src/protocol/feed-schemas.js';
import { LIMITS } from '../src/protocol/limits.js';
import { validate } from '../src/protocol/schemas.js';
import { agentShop, HttpError, noContent, notAllowed, sendJson, storeError, validBody, type HttpContext } from './http.js';
import { zonedToUtc } from './reservations.js';
import { validTimeZone } from './storage/broadcasts.js';
import type { Store } from './storage/store.js';

/** Largest campaign body (title and body templates in several locales). */
export const MAX_CAMPAIGN_BYTES = 64 * 1024;

const idSchema = v.pipe(v.string(), v.minLength(1), v.maxLength(LIMITS.idMaxLength), v.regex(/^[A-Za-z0-9_-]+$/));

const customerListSchema = v.object({
  q: v.optional(v.pipe(v.string(), v.maxLength(LIMITS.queryMaxLength))),
  email: v.optional(v.pipe(v.string(), v.maxLength(254))),
  segmentId: v.optional(idSchema),
  after: v.optional(idSchema),
  limit: v.optional(v.pipe(v.string(), v.regex(/^\d{1,3}$/, 'must be a number'), v.transform(Number), v.minValue(1), v.maxValue(LIMITS.pageMax))),
});

const body = validBody;

function pathId(id: string, what: string): string {
  if (!validate(idSchema, id).ok) throw new HttpError(404, 'not_found', `no ${what} ${JSON.stringify(id.slice(0, 80))}`);
  return id;
}

/**
 * The instant and zone of a schedule request: `{ at }`, or `{ localTime, timeZone? }` read on the
 * clocks of `timeZone` (default: the shop's broadcast zone) with that day's rules.
 */
export function scheduleInstant(req: v.InferOutput<typeof campaignScheduleSchema>, shopZone: string): { at: number; timeZone: string } {
  if ('at' in req) return { at: Date.parse(req.at), timeZone: shopZone };
  const zone = req.timeZone ?? shopZone;
  if (!validTimeZone(zone)) throw new HttpError(400, 'invalid_payload', `timeZone: unknown time zone ${zone}`);
  const [date, hhmm] = req.localTime.split('T');
  const [h, m] = hhmm.split(':').map(Number);
  const at = h < 24 && m < 60 ? zonedToUtc(date, h * 60 + m, zone) : null;
  if (at === null) {
    throw new HttpError(400, 'invalid_payload', `localTime: ${req.localTime} does not exist in ${zone} (not a valid date and time, or skipped by a daylight-saving change)`);
  }
  return { at, timeZone: zone };
}

/** Handles the broadcast routes; false when `pathname` is none of them. */
export async function handleBroadcasts(
  ctx: HttpContext,
  store: Store,
  req: IncomingMessage,
  res: ServerResponse,
  pathname: string,
  query: URLSearchParams,
  cors: Record<string, string>,
): Promise<boolean> {
  const [, , section, id, action, ...more] = pathname.split('/');
  const known =
    more.length === 0 &&
    ((section === 'settings' && id === 'broadcasts' && action === undefined) ||
      ((section === 'customers' || section === 'segments') && action === undefined) ||
      section === 'campaigns');
  if (!known) return false;
  const shop = await agentShop(store, req);
  const b = store.broadcasts;
  const method = req.method ?? 'GET';
  try {
    if (section === 'settings') {
      if (method === 'GET') sendJson(res, 200, await b.getSettings(shop), cors);
      else if (method === 'PUT') sendJson(res, 200, await b.putSettings(shop, await body(req, broadcastSettingsSchema, 'broadcast settings')), cors);
      else throw notAllowed(method, pathname);
      return true;
    }

    if (section === 'customers') {
      if (id === undefined || id === '') {
        if (method !== 'GET') throw notAllowed(method, pathname);
        const parsed = validate(customerListSchema, Object.fromEntries(query));
        if (!parsed.ok) throw new HttpError(400, 'invalid_payload', parsed.error.message);
        sendJson(res, 200, await b.listCustomers(shop, parsed.value), cors);
        return true;
      }
      const customerId = pathId(id, 'customer');
      if (method === 'GET') {
        const customer = await b.getCustomer(shop, customerId);
        if (!customer) throw new HttpError(404, 'not_found', `customer ${customerId} not found`);
        sendJson(res, 200, customer, cors);
      } else if (method === 'PATCH') {
        const patch = await body(req, customerProfilePatchSchema, 'a profile patch');
        sendJson(res, 200, await b.updateCustomerProfile(shop, customerId, patch), cors);
      } else throw notAllowed(method, pathname);
      return true;
    }

    if (section === 'segments') {
      if (id === undefined || id === '') {
        if (method === 'GET') sendJson(res, 200, { items: await b.listSegments(shop) }, cors);
        else if (method === 'POST') sendJson(res, 201, await b.createSegment(shop, await body(req, segmentInputSchema, 'a segment')), cors);
        else throw notAllowed(method, pathname);
        return true;
      }
      if (id === 'preview') {
        if (method !== 'POST') throw notAllowed(method, pathname);
        const { rule } = await body(req, v.object({ rule: segmentRuleSchema }), 'an object with rule');
        sendJson(res, 200, await b.previewAudience(shop, rule), cors);
        return true;
      }
      const segmentId = pathId(id, 'segment');
      if (method === 'GET') {
        const segment = await b.getSegment(shop, segmentId);
        if (!segment) throw new HttpError(404, 'not_found', `segment ${segmentId} not found`);
        sendJson(res, 200, { ...segment, size: await b.audienceSize(shop, segment.rule) }, cors);
      } else if (method === 'PUT') {
        sendJson(res, 200, await b.updateSegment(shop, segmentId, await body(req, segmentInputSchema, 'a segment')), cors);
      } else if (method === 'DELETE') {
        await b.deleteSegment(shop, segmentId);
        noContent(res, cors);
      } else throw notAllowed(method, pathname);
      return true;
    }

    // campaigns
    if (id === undefined || id === '') {
      if (action !== undefined) return false;
      if (method === 'GET') sendJson(res, 200, { items: await b.listCampaigns(shop) }, cors);
      else if (method === 'POST') {
        const input = await body(req, campaignInputSchema, 'a campaign', MAX_CAMPAIGN_BYTES);
        const campaign = await b.createCampaign(shop, input);
        ctx.log.info(`campaign ${campaign.id} created shop=${shop}`);
        sendJson(res, 201, campaign, cors);
      } else throw notAllowed(method, pathname);
      return true;
    }
    const campaignId = pathId(id, 'campaign');
    if (action === undefined) {
      if (method === 'GET') {
        const campaign = await b.getCampaign(shop, campaignId);
        if (!campaign) throw new HttpError(404, 'not_found', `campaign ${campaignId} not found`);
        sendJson(res, 200, campaign, cors);
      } else if (method === 'PATCH') {
        const patch = await body(req, campaignPatchSchema, 'a campaign patch', MAX_CAMPAIGN_BYTES);
        sendJson(res, 200, await b.updateCampaign(shop, campaignId, patch), cors);
      } else if (method === 'DELETE') {
        await b.deleteCampaign(shop, campaignId);
        noContent(res, cors);
      } else throw notAllowed(method, pathname);
      return true;
    }
    const gets = action === 'stats' || action === 'preview';
    const posts = action === 'schedule' || action === 'send' || action === 'unschedule' || action === 'cancel';
    if (!gets && !posts) throw new HttpError(404, 'not_found', `no API route ${pathname}`);
    if (method !== (gets ? 'GET' : 'POST')) throw notAllowed(method, pathname);
    switch (action) {
      case 'stats':
        sendJson(res, 200, await b.campaignStats(shop, campaignId), cors);
        return true;
      case 'preview':
        sendJson(res, 200, await b.previewCampaign(shop, campaignId), cors);
        return true;
      case 'schedule': {
        const when = await body(req, campaignScheduleSchema, 'an object with localTime or at');
        const { at, timeZone } = scheduleInstant(when, (await b.getSettings(shop)).timeZone);
        const campaign = await b.scheduleCampaign(shop, campaignId, at, timeZone);
        ctx.log.info(`campaign ${campaignId} scheduled for ${campaign.scheduledAt} shop=${shop}`);
        sendJson(res, 200, campaign, cors);
        return true;
      }
      case 'send': {
        // Scheduled for now: scheduling wakes this process's scheduler, which claims and delivers it
        // in the background. The answer does not wait for that (a claim and live delivery to
        // thousands of customers take seconds): the campaign as scheduled, `state: 'scheduled'`;
        // its state moves to `sending` and `sent` (GET /api/campaigns/:id).
        const campaign = await b.scheduleCampaign(shop, campaignId, Date.now(), (await b.getSettings(shop)).timeZone);
        ctx.log.info(`campaign ${campaignId} scheduled to send now shop=${shop}`);
        sendJson(res, 200, campaign, cors);
        return true;
      }
      case 'unschedule':
        sendJson(res, 200, await b.unscheduleCampaign(shop, campaignId), cors);
        return true;
      default: {
        const campaign = await b.cancelCampaign(shop, campaignId);
        ctx.log.info(`campaign ${campaignId} cancelled shop=${shop}`);
        sendJson(res, 200, campaign, cors);
        return true;
      }
    }
  } catch (err) {
    throw storeError(err);
  }
}
