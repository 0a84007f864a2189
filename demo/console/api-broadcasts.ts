/**
 * REST calls of the broadcast pages (issue 5; agent bearer token, errors are {@link ApiError}s):
 * customers (`/api/customers`), segments (`/api/segments`), campaigns (`/api/campaigns`) and the
 * broadcast settings (`/api/settings/broadcasts`). Answers may be the object itself or wrapped in
 * a property (`{ campaign }`); both are read.
 */
import type { BroadcastSettings, Campaign, CampaignStats, CustomerProfilePatch, CustomerRecord, FeedItem, Segment } from '../../src/index.js';
import type { CampaignInput, SegmentRule } from './lib/broadcast-core.js';
import { API, ApiError, call } from './api.js';

function bad(what: string): ApiError {
  return new ApiError('internal', `Unexpected ${what} in the server response`, 200);
}

function obj(data: unknown, what: string): Record<string, unknown> {
  if (!data || typeof data !== 'object' || Array.isArray(data)) throw bad(what);
  return data as Record<string, unknown>;
}

/** `data[key]` when the answer wraps the object in `key`, else the answer itself; must have `field`. */
function unwrap<T>(data: unknown, key: string, field: string, what: string): T {
  const o = obj(data, what);
  const inner = o[key];
  if (inner && typeof inner === 'object' && !Array.isArray(inner) && field in (inner as object)) return inner as T;
  if (field in o) return o as T;
  throw bad(what);
}

function list<T>(data: unknown, what: string): T[] {
  const value = obj(data, what).items;
  if (!Array.isArray(value)) throw bad(what);
  return value as T[];
}

const seg = (id: string): string => encodeURIComponent(id);

// ---- customers ---------------------------------------------------------------------------

export interface CustomerPage {
  items: CustomerRecord[];
  hasMore: boolean;
}

export async function listCustomers(token: string, params: { q?: string; email?: string; segmentId?: string; limit?: number; after?: string }): Promise<CustomerPage> {
  const search = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') search.set(k, String(v));
  const data = obj(await call(`${API}/customers?${search}`, { method: 'GET', token }), 'customer list');
  return { items: list<CustomerRecord>(data, 'customer list'), hasMore: data.hasMore === true };
}

export async function getCustomer(token: string, id: string): Promise<CustomerRecord> {
  return unwrap<CustomerRecord>(await call(`${API}/customers/${seg(id)}`, { method: 'GET', token }), 'customer', 'tags', 'customer');
}

export async function patchCustomer(token: string, id: string, patch: CustomerProfilePatch): Promise<CustomerRecord> {
  return unwrap<CustomerRecord>(await call(`${API}/customers/${seg(id)}`, { method: 'PATCH', token, body: patch }), 'customer', 'tags', 'customer');
}

// ---- segments ----------------------------------------------------------------------------

export type SegmentRow = Segment & { size: number };

export interface AudiencePreview {
  size: number;
  sample: CustomerRecord[];
}

export async function listSegments(token: string): Promise<SegmentRow[]> {
  return list<SegmentRow>(await call(`${API}/segments`, { method: 'GET', token }), 'segment list');
}

export async function createSegment(token: string, input: { name: string; rule: SegmentRule }): Promise<Segment> {
  return unwrap<Segment>(await call(`${API}/segments`, { method: 'POST', token, body: input }), 'segment', 'rule', 'segment');
}

export async function putSegment(token: string, id: string, input: { name: string; rule: SegmentRule }): Promise<Segment> {
  return unwrap<Segment>(await call(`${API}/segments/${seg(id)}`, { method: 'PUT', token, body: input }), 'segment', 'rule', 'segment');
}

export async function deleteSegment(token: string, id: string): Promise<void> {
  await call(`${API}/segments/${seg(id)}`, { method: 'DELETE', token });
}

export async function previewSegment(token: string, rule: SegmentRule): Promise<AudiencePreview> {
  const data = obj(await call(`${API}/segments/preview`, { method: 'POST', token, body: { rule } }), 'audience');
  return { size: typeof data.size === 'number' ? data.size : 0, sample: Array.isArray(data.sample) ? (data.sample as CustomerRecord[]) : [] };
}

// ---- campaigns ---------------------------------------------------------------------------

export async function listCampaigns(token: string): Promise<Campaign[]> {
  return list<Campaign>(await call(`${API}/campaigns`, { method: 'GET', token }), 'campaign list');
}

export async function getCampaign(token: string, id: string): Promise<Campaign> {
  return unwrap<Campaign>(await call(`${API}/campaigns/${seg(id)}`, { method: 'GET', token }), 'campaign', 'state', 'campaign');
}

export async function createCampaign(token: string, input: CampaignInput): Promise<Campaign> {
  return unwrap<Campaign>(await call(`${API}/campaigns`, { method: 'POST', token, body: input }), 'campaign', 'state', 'campaign');
}

export async function patchCampaign(token: string, id: string, input: Partial<CampaignInput>): Promise<Campaign> {
  return unwrap<Campaign>(await call(`${API}/campaigns/${seg(id)}`, { method: 'PATCH', token, body: input }), 'campaign', 'state', 'campaign');
}

export async function deleteCampaign(token: string, id: string): Promise<void> {
  await call(`${API}/campaigns/${seg(id)}`, { method: 'DELETE', token });
}

/** When to send: a wall-clock time in the shop's zone, or an instant. */
export type ScheduleRequest = { localTime: string; timeZone?: string } | { at: string };

export async function scheduleCampaign(token: string, id: string, when: ScheduleRequest): Promise<Campaign> {
  return unwrap<Campaign>(await call(`${API}/campaigns/${seg(id)}/schedule`, { method: 'POST', token, body: when }), 'campaign', 'state', 'campaign');
}

export async function campaignAction(token: string, id: string, action: 'send' | 'unschedule' | 'cancel'): Promise<Campaign> {
  return unwrap<Campaign>(await call(`${API}/campaigns/${seg(id)}/${action}`, { method: 'POST', token }), 'campaign', 'state', 'campaign');
}

export async function campaignStats(token: string, id: string): Promise<CampaignStats> {
  return unwrap<CampaignStats>(await call(`${API}/campaigns/${seg(id)}/stats`, { method: 'GET', token }), 'stats', 'targeted', 'campaign statistics');
}

export async function campaignPreview(token: string, id: string): Promise<{ item: FeedItem; audience: number }> {
  const data = obj(await call(`${API}/campaigns/${seg(id)}/preview`, { method: 'GET', token }), 'campaign preview');
  return { item: obj(data.item, 'campaign preview') as unknown as FeedItem, audience: typeof data.audience === 'number' ? data.audience : 0 };
}

// ---- settings ----------------------------------------------------------------------------

export async function getBroadcastSettings(token: string): Promise<BroadcastSettings> {
  return unwrap<BroadcastSettings>(await call(`${API}/settings/broadcasts`, { method: 'GET', token }), 'settings', 'frequencyCap', 'broadcast settings');
}

export async function putBroadcastSettings(token: string, settings: BroadcastSettings): Promise<BroadcastSettings> {
  return unwrap<BroadcastSettings>(await call(`${API}/settings/broadcasts`, { method: 'PUT', token, body: settings }), 'settings', 'frequencyCap', 'broadcast settings');
}
