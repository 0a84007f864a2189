/**
 * The campaigns page (`#/campaigns`): every campaign with its state, time in the shop's zone and
 * counts (refreshed every 5 s while open); the editor for drafts and scheduled campaigns, schedule /
 * send now / unschedule / cancel, statistics of sent ones, and the broadcast settings (frequency
 * cap, the shop's zone).
 */
import { useEffect, useMemo, useState } from 'preact/hooks';
import type { BroadcastSettings, Campaign, Translator } from '../../../src/index.js';
import { broadcastSettingsSchema } from '../lib/broadcast-core.js';
import { inZone, wallClock } from '../lib/broadcast.js';
import { campaignDraft, emptyCampaignDraft, type CampaignDraft } from '../lib/campaign-form.js';
import { errorText } from '../lib/errors.js';
import { check } from '../lib/form-errors.js';
import { useStore } from '../lib/use-store.js';
import {
  $broadcastSettings,
  $campaigns,
  $segments,
  campaignAction,
  loadBroadcastSettings,
  loadCampaigns,
  loadSegments,
  removeCampaign,
  saveBroadcastSettings,
  scheduleCampaign,
} from '../stores/broadcasts.js';
import { createCampaignProductSearch } from '../stores/campaign-products.js';
import { $coupons, loadCoupons } from '../stores/coupons.js';
import { $tr } from '../stores/locale.js';
import { CampaignForm } from './campaign-form.js';
import { CampaignPreview } from './campaign-preview.js';
import { CampaignStatsView } from './campaign-stats.js';
import { FormActions, TextField, useDraftSubmit, type DraftCheck } from './form-fields.js';

type Editing = { key: number; id: string | null; draft: CampaignDraft } | null;
let editKey = 0;

const REFRESH_MS = 5000;

export function CampaignsPage() {
  const tr = useStore($tr);
  const campaigns = useStore($campaigns);
  const settings = useStore($broadcastSettings);
  const zone = settings.data?.timeZone || 'UTC';
  const [selected, setSelected] = useState<string | null>(null);
  const [editing, setEditing] = useState<Editing>(null);

  useEffect(() => {
    void loadCampaigns();
    void loadSegments();
    void loadBroadcastSettings();
    // States and counts move on their own (a schedule comes due, customers read): follow them.
    const timer = setInterval(() => {
      if (document.visibilityState === 'visible') void loadCampaigns();
    }, REFRESH_MS);
    return () => clearInterval(timer);
  }, []);

  const current = campaigns.data.find((c) => c.id === selected) ?? null;
  const open = (c: Campaign) => {
    setSelected(c.id);
    setEditing(c.state === 'draft' || c.state === 'scheduled' ? { key: ++editKey, id: c.id, draft: campaignDraft(c) } : null);
  };

  return (
    <main class="page campaigns" id="main" data-testid="campaigns-page">
      <div class="page__head">
        <h1 class="page__title">{tr.t('console.nav.campaigns')}</h1>
        <button
          type="button"
          class="btn btn--primary"
          data-testid="campaign-new"
          onClick={() => {
            setSelected(null);
            setEditing({ key: ++editKey, id: null, draft: emptyCampaignDraft() });
          }}
        >
          {tr.t('console.campaigns.new')}
        </button>
      </div>
      <div class="page__cols">
        <div class="page__col page__col--wide">
          <section class="card" aria-labelledby="campaigns-title">
            <h2 id="campaigns-title" class="card__title">
              {tr.t('console.campaigns.all')}
            </h2>
            {campaigns.error && (
              <p class="form-error" role="alert" data-testid="campaigns-error">
                {errorText(campaigns.error, tr)}
              </p>
            )}
            {campaigns.loaded && campaigns.data.length === 0 && <p class="page__empty">{tr.t('console.campaigns.empty')}</p>}
            {campaigns.data.length > 0 && <CampaignTable campaigns={campaigns.data} selected={selected} zone={zone} tr={tr} onOpen={open} />}
          </section>
          {(editing || current) && (
            <div class="card campaign-detail" data-testid="campaign-detail" data-campaign-id={current?.id ?? undefined} data-state={current?.state ?? 'new'}>
              {current && <CampaignHeader c={current} zone={zone} tr={tr} />}
              {current && <CampaignActions key={current.id} c={current} zone={zone} zoneKnown={settings.data !== null} tr={tr} onClosed={() => setEditing(null)} onDeleted={() => (setSelected(null), setEditing(null))} />}
              {editing && (current === null || current.state === 'draft' || current.state === 'scheduled') && (
                <CampaignForm
                  key={editing.key}
                  id={editing.id}
                  initial={editing.draft}
                  tr={tr}
                  onSaved={(c) => {
                    setSelected(c.id);
                    setEditing((e) => (e ? { ...e, id: c.id } : e));
                  }}
                  onCancel={() => {
                    setEditing(null);
                    if (!current) setSelected(null);
                  }}
                />
              )}
              {current && !editing && (current.state === 'draft' || current.state === 'scheduled') && (
                <button type="button" class="btn btn--quiet" data-testid="campaign-edit" onClick={() => open(current)}>
                  {tr.t('console.quickReplies.edit')}
                </button>
              )}
              {current && (current.state === 'sending' || current.state === 'sent') && <CampaignStatsView id={current.id} timeZone={zone} tr={tr} />}
              {current && (current.state === 'sending' || current.state === 'sent' || current.state === 'cancelled') && <SentPreview key={current.id} c={current} tr={tr} />}
            </div>
          )}
        </div>
        <div class="page__col">
          <SettingsForm tr={tr} />
        </div>
      </div>
    </main>
  );
}

/** What a campaign that can no longer be edited looks like (sent, sending, cancelled). */
function SentPreview({ c, tr }: { c: Campaign; tr: Translator }) {
  const products = useMemo(() => createCampaignProductSearch(), []);
  useEffect(() => {
    products.remember(c.productIds);
    if (c.couponId && !$coupons.get().loaded) void loadCoupons();
    return () => products.dispose();
  }, [products]);
  const known = useStore(products.$known);
  const coupons = useStore($coupons);
  const d = campaignDraft(c);
  return (
    <CampaignPreview
      tr={tr}
      content={{
        title: d.title,
        body: d.body,
        image: d.image,
        products: c.productIds.map((id) => known[id] ?? { id }),
        coupon: coupons.data.find((x) => x.id === c.couponId) ?? null,
        ctaLabel: d.ctaLabel,
        ctaUrl: d.ctaUrl,
        segmentId: d.segmentId,
      }}
    />
  );
}

function whenText(c: Campaign, zone: string, tr: Translator): string {
  const z = c.timeZone || zone;
  if (c.sentAt) return tr.t('console.campaigns.sentAt', { time: inZone(c.sentAt, z, tr.locale), zone: z });
  if (c.scheduledAt) return tr.t('console.campaigns.scheduledFor', { time: inZone(c.scheduledAt, z, tr.locale), zone: z });
  return '—';
}

function CampaignTable({ campaigns, selected, zone, tr, onOpen }: { campaigns: Campaign[]; selected: string | null; zone: string; tr: Translator; onOpen: (c: Campaign) => void }) {
  const segments = useStore($segments);
  const segmentName = (id: string | null) => (id ? segments.data.find((s) => s.id === id)?.name ?? id : tr.t('console.campaigns.everyone'));
  return (
    <div class="table-scroll">
      <table class="table" data-testid="campaign-table">
        <thead>
          <tr>
            <th>{tr.t('console.campaigns.name')}</th>
            <th>{tr.t('console.campaigns.kind')}</th>
            <th>{tr.t('console.campaigns.state')}</th>
            <th>{tr.t('console.campaigns.when')}</th>
            <th>{tr.t('console.campaigns.audience')}</th>
            <th>{tr.t('console.stats.targeted')}</th>
            <th>{tr.t('console.stats.delivered')}</th>
            <th>{tr.t('console.stats.read')}</th>
            <th>{tr.t('console.stats.clicked')}</th>
          </tr>
        </thead>
        <tbody>
          {campaigns.map((c) => (
            <tr key={c.id} class={c.id === selected ? 'row--selected' : undefined} data-testid="campaign-row" data-campaign-id={c.id} data-state={c.state}>
              <td>
                <button type="button" class="link-button" data-testid="campaign-open" aria-current={c.id === selected ? 'true' : undefined} onClick={() => onOpen(c)}>
                  {c.name}
                </button>
              </td>
              <td>{tr.t(`console.campaigns.kind.${c.kind}`)}</td>
              <td>
                <span class={`badge badge--${c.state}`} data-testid="campaign-row-state">
                  {tr.t(`console.campaigns.state.${c.state}`)}
                </span>
              </td>
              <td data-testid="campaign-row-when">{whenText(c, zone, tr)}</td>
              <td>{segmentName(c.segmentId)}</td>
              <td data-testid="campaign-row-targeted">{c.counts.targeted}</td>
              <td data-testid="campaign-row-delivered">{c.counts.delivered}</td>
              <td data-testid="campaign-row-read">{c.counts.read}</td>
              <td data-testid="campaign-row-clicked">{c.counts.clicked}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function CampaignHeader({ c, zone, tr }: { c: Campaign; zone: string; tr: Translator }) {
  return (
    <div class="campaign-detail__head">
      <h2 class="editor__title" data-testid="campaign-detail-name">
        {c.name}
      </h2>
      <span class={`badge badge--${c.state}`} data-testid="campaign-state" data-state={c.state}>
        {tr.t(`console.campaigns.state.${c.state}`)}
      </span>
      <span class="muted" data-testid="campaign-when">
        {whenText(c, zone, tr)}
      </span>
    </div>
  );
}

/** Schedule (date and time in the shop's zone), send now, unschedule, cancel, delete — by state, with an inline confirmation for the irreversible ones. */
function CampaignActions({
  c,
  zone,
  zoneKnown,
  tr,
  onClosed,
  onDeleted,
}: {
  c: Campaign;
  zone: string;
  /** The shop's zone is loaded (until then nothing is scheduled: the inputs would be read in the wrong zone). */
  zoneKnown: boolean;
  tr: Translator;
  onClosed: () => void;
  onDeleted: () => void;
}) {
  // A scheduled campaign shows its time; otherwise the next full hour in the shop's zone.
  const start = c.scheduledAt ? wallClock(new Date(c.scheduledAt), zone) : wallClock(new Date(Date.now() + 60 * 60 * 1000), zone);
  const [date, setDate] = useState(start.date);
  const [time, setTime] = useState(c.scheduledAt ? start.time : `${start.time.slice(0, 3)}00`);
  useEffect(() => {
    setDate(start.date);
    setTime(c.scheduledAt ? start.time : `${start.time.slice(0, 3)}00`);
  }, [zone]);
  const [busy, setBusy] = useState(false);
  const [confirm, setConfirm] = useState<'send' | 'cancel' | 'delete' | null>(null);
  const [message, setMessage] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  const segments = useStore($segments);
  const size = c.segmentId ? segments.data.find((s) => s.id === c.segmentId)?.size ?? null : null;

  const run = async (fn: () => Promise<unknown>, ok: string) => {
    setBusy(true);
    setMessage(null);
    try {
      await fn();
      setMessage({ kind: 'ok', text: ok });
    } catch (e) {
      setMessage({ kind: 'error', text: tr.t('console.broadcasts.failed', { reason: e instanceof Error ? e.message : String(e) }) });
    } finally {
      setBusy(false);
      setConfirm(null);
    }
  };

  const schedule = (e: Event) => {
    e.preventDefault();
    if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || !/^\d{2}:\d{2}$/.test(time)) {
      setMessage({ kind: 'error', text: tr.t('console.campaigns.whenRequired') });
      return;
    }
    void run(() => scheduleCampaign(c.id, { localTime: `${date}T${time}`, timeZone: zone }), tr.t('console.campaigns.scheduledOk'));
  };

  const editable = c.state === 'draft' || c.state === 'scheduled';
  return (
    <div class="campaign-actions" data-testid="campaign-actions">
      {editable && (
        <form class="schedule" data-testid="campaign-schedule" onSubmit={schedule} noValidate>
          <fieldset class="form-section">
            <legend>{tr.t('console.campaigns.schedule')}</legend>
            <p class="field__hint" data-testid="campaign-zone">
              {tr.t('console.campaigns.zoneNote', { zone })}
            </p>
            <div class="schedule__row">
              <div class="field">
                <label for="campaign-date">{tr.t('console.campaigns.date')}</label>
                <input id="campaign-date" type="date" data-testid="campaign-date" value={date} onInput={(e) => setDate((e.currentTarget as HTMLInputElement).value)} />
              </div>
              <div class="field">
                <label for="campaign-time">{tr.t('console.campaigns.time', { zone })}</label>
                <input id="campaign-time" type="time" data-testid="campaign-time" value={time} onInput={(e) => setTime((e.currentTarget as HTMLInputElement).value)} />
              </div>
              <button type="submit" class="btn btn--primary" data-testid="campaign-schedule-submit" disabled={busy || !zoneKnown}>
                {c.state === 'scheduled' ? tr.t('console.campaigns.reschedule') : tr.t('console.campaigns.scheduleAction')}
              </button>
            </div>
          </fieldset>
        </form>
      )}
      <div class="campaign-actions__row">
        {editable &&
          (confirm === 'send' ? (
            <span class="confirm" role="group" aria-label={tr.t('console.campaigns.sendNow')}>
              <span>{size !== null ? tr.t('console.campaigns.sendConfirmCount', { count: size }) : tr.t('console.campaigns.sendConfirm')}</span>
              <button type="button" class="btn btn--primary btn--small" data-testid="campaign-send-confirm" disabled={busy} onClick={() => void run(() => campaignAction(c.id, 'send').then(onClosed), tr.t('console.campaigns.sentOk'))}>
                {tr.t('console.campaigns.sendNow')}
              </button>
              <button type="button" class="btn btn--quiet btn--small" onClick={() => setConfirm(null)}>
                {tr.t('console.form.cancel')}
              </button>
            </span>
          ) : (
            <button type="button" class="btn btn--quiet" data-testid="campaign-send-now" disabled={busy} onClick={() => setConfirm('send')}>
              {tr.t('console.campaigns.sendNow')}
            </button>
          ))}
        {c.state === 'scheduled' && (
          <button type="button" class="btn btn--quiet" data-testid="campaign-unschedule" disabled={busy} onClick={() => void run(() => campaignAction(c.id, 'unschedule'), tr.t('console.campaigns.unscheduledOk'))}>
            {tr.t('console.campaigns.unschedule')}
          </button>
        )}
        {editable &&
          (confirm === 'cancel' ? (
            <span class="confirm" role="group" aria-label={tr.t('console.campaigns.cancelCampaign')}>
              <span>{tr.t('console.campaigns.cancelConfirm')}</span>
              <button type="button" class="btn btn--danger btn--small" data-testid="campaign-cancel-confirm" disabled={busy} onClick={() => void run(() => campaignAction(c.id, 'cancel').then(onClosed), tr.t('console.campaigns.cancelledOk'))}>
                {tr.t('console.campaigns.cancelCampaign')}
              </button>
              <button type="button" class="btn btn--quiet btn--small" onClick={() => setConfirm(null)}>
                {tr.t('console.campaigns.keep')}
              </button>
            </span>
          ) : (
            <button type="button" class="btn btn--quiet" data-testid="campaign-cancel-campaign" disabled={busy} onClick={() => setConfirm('cancel')}>
              {tr.t('console.campaigns.cancelCampaign')}
            </button>
          ))}
        {(c.state === 'draft' || c.state === 'cancelled') &&
          (confirm === 'delete' ? (
            <span class="confirm" role="group" aria-label={tr.t('console.broadcasts.delete')}>
              <span>{tr.t('console.campaigns.deleteConfirm')}</span>
              <button type="button" class="btn btn--danger btn--small" data-testid="campaign-delete-confirm" disabled={busy} onClick={() => void run(() => removeCampaign(c.id).then(onDeleted), '')}>
                {tr.t('console.broadcasts.delete')}
              </button>
              <button type="button" class="btn btn--quiet btn--small" onClick={() => setConfirm(null)}>
                {tr.t('console.form.cancel')}
              </button>
            </span>
          ) : (
            <button type="button" class="btn btn--quiet" data-testid="campaign-delete" disabled={busy} onClick={() => setConfirm('delete')}>
              {tr.t('console.broadcasts.delete')}
            </button>
          ))}
      </div>
      {message && message.text && (
        <p class={`editor__status editor__status--${message.kind === 'ok' ? 'saved' : 'error'}`} role={message.kind === 'ok' ? 'status' : 'alert'} data-testid="campaign-action-status" data-state={message.kind}>
          {message.text}
        </p>
      )}
    </div>
  );
}

interface SettingsDraft {
  max: string;
  days: string;
  timeZone: string;
}

const settingsDraftOf = (s: BroadcastSettings): SettingsDraft => ({ max: String(s.frequencyCap.max), days: String(s.frequencyCap.days), timeZone: s.timeZone });

function checkSettings(d: SettingsDraft): DraftCheck<BroadcastSettings> {
  const problems: Record<string, 'console.form.wholeNumber'> = {};
  const int = (text: string, path: string) => {
    if (!/^\s*\d+\s*$/.test(text)) problems[path] = 'console.form.wholeNumber';
    return Number(text.trim());
  };
  const input = { frequencyCap: { max: int(d.max, 'frequencyCap.max'), days: int(d.days, 'frequencyCap.days') }, timeZone: d.timeZone.trim() };
  const result = check(broadcastSettingsSchema, input);
  if (result.ok && Object.keys(problems).length === 0) {
    try {
      new Intl.DateTimeFormat('en', { timeZone: result.value.timeZone });
    } catch {
      return { ok: false, errors: { timeZone: 'unknown time zone' }, problems: { timeZone: 'console.broadcasts.zoneUnknown' } };
    }
    return { ok: true, value: result.value };
  }
  return { ok: false, errors: result.ok ? {} : result.errors, problems };
}

function SettingsForm({ tr }: { tr: Translator }) {
  const remote = useStore($broadcastSettings);
  const [draft, setDraft] = useState<SettingsDraft | null>(null);
  const { form, saving, status, submit } = useDraftSubmit(tr);
  useEffect(() => {
    if (remote.data && !draft) setDraft(settingsDraftOf(remote.data));
  }, [remote.data]);
  if (!draft) {
    return (
      <section class="card">
        <h2 class="card__title">{tr.t('console.broadcasts.settings')}</h2>
        <p class="page__empty">{remote.error ? errorText(remote.error, tr) : tr.t('console.load.loading')}</p>
      </section>
    );
  }
  const onSubmit = (e: Event) =>
    submit(e, {
      check: () => checkSettings(draft),
      save: async (value) => {
        const saved = await saveBroadcastSettings(value);
        setDraft(settingsDraftOf(saved));
        return tr.t('console.reservations.settingsSaved');
      },
      serverFieldErrors: true,
    });
  const field = (path: string, key: keyof SettingsDraft, label: string, hint?: string) => (
    <TextField prefix="broadcast-settings" path={path} label={label} value={draft[key]} onInput={(v) => setDraft({ ...draft, [key]: v })} form={form} tr={tr} hint={hint} />
  );
  return (
    <form class="card editor" data-testid="broadcast-settings" onSubmit={(e) => void onSubmit(e)} noValidate>
      <h2 class="card__title">{tr.t('console.broadcasts.settings')}</h2>
      <p class="field__hint">{tr.t('console.broadcasts.capHint')}</p>
      <div class="grid2">
        {field('frequencyCap.max', 'max', tr.t('console.broadcasts.capMax'), '1–100')}
        {field('frequencyCap.days', 'days', tr.t('console.broadcasts.capDays'), '1–90')}
      </div>
      {field('timeZone', 'timeZone', tr.t('console.reservations.timeZone'), 'Asia/Shanghai')}
      <FormActions status={status} saving={saving} tr={tr} testIds={{ status: 'broadcast-settings-status', save: 'broadcast-settings-save' }} />
    </form>
  );
}
