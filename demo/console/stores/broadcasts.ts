/**
 * Broadcasts (issue 5) over REST: the shop's segments with their sizes, campaigns with their
 * states and counts, the broadcast settings (frequency cap, zone), live audience previews of a
 * rule being edited (debounced, stale answers dropped) and per-campaign statistics polled while
 * they are shown.
 */
import { atom, type ReadableAtom } from 'nanostores';
import type { BroadcastSettings, Campaign, CampaignStats } from '../../../src/index.js';
import type { ApiErrorCode } from '../api.js';
import * as api from '../api-broadcasts.js';
import type { CampaignInput, SegmentRule } from '../lib/broadcast-core.js';
import { codeOf, loadInto, remote, withToken, type RemoteState } from './rest.js';
import { onNewSession } from './session.js';

export const $segments = atom<RemoteState<api.SegmentRow[]>>(remote([]));
export const $campaigns = atom<RemoteState<Campaign[]>>(remote([]));
export const $broadcastSettings = atom<RemoteState<BroadcastSettings | null>>(remote(null));

let generation = 0;

export async function loadSegments(): Promise<void> {
  const mine = generation;
  await loadInto($segments, () => withToken(api.listSegments), () => mine === generation);
}

/** Creates (`id` null) or replaces a segment; the list (with sizes) is reloaded. */
export async function saveSegment(id: string | null, input: { name: string; rule: SegmentRule }): Promise<api.SegmentRow | { id: string }> {
  const saved = await withToken((t) => (id ? api.putSegment(t, id, input) : api.createSegment(t, input)));
  await loadSegments();
  return $segments.get().data.find((s) => s.id === saved.id) ?? saved;
}

export async function removeSegment(id: string): Promise<void> {
  await withToken((t) => api.deleteSegment(t, id));
  const s = $segments.get();
  $segments.set({ ...s, data: s.data.filter((x) => x.id !== id) });
}

const newestFirst = (a: Campaign, b: Campaign) => Date.parse(b.createdAt) - Date.parse(a.createdAt);

export async function loadCampaigns(): Promise<void> {
  const mine = generation;
  await loadInto($campaigns, async () => (await withToken(api.listCampaigns)).sort(newestFirst), () => mine === generation);
}

function putCampaign(c: Campaign): Campaign {
  const s = $campaigns.get();
  const data = s.data.some((x) => x.id === c.id) ? s.data.map((x) => (x.id === c.id ? c : x)) : [c, ...s.data];
  $campaigns.set({ ...s, data, loaded: true });
  return c;
}

/** Creates a draft (`id` null) or changes one; the list follows. Rejects with the API error. */
export async function saveCampaign(id: string | null, input: CampaignInput): Promise<Campaign> {
  return putCampaign(await withToken((t) => (id ? api.patchCampaign(t, id, input) : api.createCampaign(t, input))));
}

export async function removeCampaign(id: string): Promise<void> {
  await withToken((t) => api.deleteCampaign(t, id));
  const s = $campaigns.get();
  $campaigns.set({ ...s, data: s.data.filter((x) => x.id !== id) });
}

export async function scheduleCampaign(id: string, when: api.ScheduleRequest): Promise<Campaign> {
  return putCampaign(await withToken((t) => api.scheduleCampaign(t, id, when)));
}

export async function campaignAction(id: string, action: 'send' | 'unschedule' | 'cancel'): Promise<Campaign> {
  return putCampaign(await withToken((t) => api.campaignAction(t, id, action)));
}

export async function loadBroadcastSettings(): Promise<void> {
  const mine = generation;
  await loadInto($broadcastSettings, () => withToken(api.getBroadcastSettings), () => mine === generation);
}

export async function saveBroadcastSettings(settings: BroadcastSettings): Promise<BroadcastSettings> {
  const saved = await withToken((t) => api.putBroadcastSettings(t, settings));
  $broadcastSettings.set({ data: saved, loading: false, error: null, loaded: true });
  return saved;
}

/** The shop's zone for schedules (UTC until the settings are loaded). */
export function shopZone(): string {
  return $broadcastSettings.get().data?.timeZone || 'UTC';
}

// ---- live audience of a rule --------------------------------------------------------------

export interface AudienceState {
  /** The rule asked about; `undefined`: everyone (no segment). */
  loading: boolean;
  size: number | null;
  sample: api.AudiencePreview['sample'];
  error: ApiErrorCode | null;
}

export interface AudiencePreviewer {
  readonly $audience: ReadableAtom<AudienceState>;
  /** Asks for the audience of `rule` after `delay` ms (a newer call replaces it); `null` clears it. */
  setRule(rule: SegmentRule | null, delay?: number): void;
  dispose(): void;
}

/** Live audience size and sample customers of a rule being edited. */
export function createAudiencePreviewer(): AudiencePreviewer {
  const $audience = atom<AudienceState>({ loading: false, size: null, sample: [], error: null });
  let timer: ReturnType<typeof setTimeout> | undefined;
  let asked = 0;
  let lastKey = '';
  return {
    $audience,
    setRule(rule, delay = 300) {
      clearTimeout(timer);
      const key = rule ? JSON.stringify(rule) : '';
      if (key === lastKey && $audience.get().size !== null) return;
      lastKey = key;
      const mine = ++asked;
      if (!rule) {
        $audience.set({ loading: false, size: null, sample: [], error: null });
        return;
      }
      $audience.set({ ...$audience.get(), loading: true });
      timer = setTimeout(() => {
        withToken((t) => api.previewSegment(t, rule))
          .then((p) => {
            if (mine === asked) $audience.set({ loading: false, size: p.size, sample: p.sample, error: null });
          })
          .catch((e) => {
            if (mine === asked) $audience.set({ loading: false, size: null, sample: [], error: codeOf(e) });
          });
      }, delay);
    },
    dispose() {
      clearTimeout(timer);
      asked++;
    },
  };
}

// ---- statistics ---------------------------------------------------------------------------

export interface StatsState {
  stats: CampaignStats | null;
  error: ApiErrorCode | null;
  /** When the numbers were fetched. */
  at: number | null;
}

/** Statistics of one campaign, fetched now and every `every` ms until `stop()`. */
export function pollStats(id: string, every = 5000): { $stats: ReadableAtom<StatsState>; refresh(): Promise<void>; stop(): void } {
  const $stats = atom<StatsState>({ stats: null, error: null, at: null });
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const refresh = async () => {
    try {
      const stats = await withToken((t) => api.campaignStats(t, id));
      if (!stopped) $stats.set({ stats, error: null, at: Date.now() });
    } catch (e) {
      if (!stopped) $stats.set({ ...$stats.get(), error: codeOf(e) });
    }
  };
  const loop = async () => {
    await refresh();
    if (!stopped) timer = setTimeout(() => void loop(), every);
  };
  void loop();
  return {
    $stats,
    refresh,
    stop() {
      stopped = true;
      clearTimeout(timer);
    },
  };
}

// A new sign-in (not the same session refreshed after a reload) starts from nothing.
onNewSession(() => {
  generation++;
  $segments.set(remote([]));
  $campaigns.set(remote([]));
  $broadcastSettings.set(remote(null));
});
