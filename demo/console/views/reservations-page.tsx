/** The reservations page: upcoming reservations of the shop (with a link to each conversation) and the reservation settings. */
import { useEffect, useState } from 'preact/hooks';
import type { Translator } from '../../../src/index.js';
import { errorText } from '../lib/errors.js';
import { productTitle } from '../lib/product.js';
import { slotText, variantText } from '../lib/reservation.js';
import { checkSettingsDraft, settingsDraft, WEEKDAYS, type SettingsDraft } from '../lib/settings-form.js';
import { useStore } from '../lib/use-store.js';
import { conversationHref } from '../stores/chat.js';
import { $tr } from '../stores/locale.js';
import { $openReservations, $reservationSettings, loadReservations, loadReservationSettings, saveReservationSettings } from '../stores/reservations.js';
import { FieldError, FormActions, FormSection, TextField, useDraftSubmit } from './form-fields.js';

export function ReservationsPage() {
  const tr = useStore($tr);
  useEffect(() => {
    void loadReservations();
    void loadReservationSettings();
  }, []);
  return (
    <main class="page reservations" id="main" data-testid="reservations-page">
      <div class="page__head">
        <h1 class="page__title">{tr.t('console.nav.reservations')}</h1>
        <button type="button" class="btn btn--quiet" data-testid="reservations-refresh" onClick={() => void loadReservations()}>
          {tr.t('console.reservations.refresh')}
        </button>
      </div>
      <div class="page__cols">
        <div class="page__col page__col--wide">
          <Upcoming tr={tr} />
        </div>
        <div class="page__col">
          <Settings tr={tr} />
        </div>
      </div>
    </main>
  );
}

function Upcoming({ tr }: { tr: Translator }) {
  const list = useStore($openReservations);
  return (
    <section class="card" aria-labelledby="upcoming-title">
      <h2 id="upcoming-title" class="card__title">
        {tr.t('console.reservations.upcoming')}
      </h2>
      {list.error && (
        <p class="form-error" role="alert">
          {errorText(list.error, tr)}
        </p>
      )}
      {list.loaded && list.data.length === 0 && <p class="page__empty">{tr.t('console.reservations.none')}</p>}
      {list.data.length > 0 && (
        <ul class="list" data-testid="reservation-list">
          {list.data.map((r) => {
            const variant = variantText(r.product, r.variantId, tr);
            return (
              <li key={r.id} class="list__item" data-testid="reservation-row" data-reservation-id={r.id} data-state={r.state}>
                <span class="list__main">
                  <span data-testid="reservation-row-slot">{slotText(r, tr)}</span>
                  <span class={`badge badge--${r.state}`}>{tr.t(`console.reservation.state.${r.state}`)}</span>
                </span>
                <span class="list__meta">
                  {productTitle(r.product.title, tr)}
                  {variant && ` · ${variant}`}
                  {' · '}
                  {r.visitorName?.trim() || tr.t('console.conversation.anonymous', { id: r.conversationId.replace(/[^a-zA-Z0-9]/g, '').slice(0, 6) })}
                </span>
                <a class="list__link" href={conversationHref(r.conversationId)} data-testid="reservation-open">
                  {tr.t('console.reservations.open')}
                </a>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}

function Settings({ tr }: { tr: Translator }) {
  const remote = useStore($reservationSettings);
  const [draft, setDraft] = useState<SettingsDraft | null>(null);
  const { form, saving, status, submit } = useDraftSubmit(tr);
  useEffect(() => {
    if (remote.data && !draft) setDraft(settingsDraft(remote.data));
  }, [remote.data]);

  if (!draft) {
    return (
      <section class="card">
        <h2 class="card__title">{tr.t('console.reservations.settings')}</h2>
        <p class="page__empty">{remote.error ? errorText(remote.error, tr) : tr.t('console.load.loading')}</p>
      </section>
    );
  }
  const set = <K extends keyof SettingsDraft>(key: K, value: SettingsDraft[K]) => setDraft({ ...draft, [key]: value });
  const onSubmit = (e: Event) =>
    submit(e, {
      check: () => checkSettingsDraft(draft),
      save: async (value) => {
        const saved = await saveReservationSettings(value);
        setDraft(settingsDraft(saved));
        return tr.t('console.reservations.settingsSaved');
      },
    });
  const field = (path: keyof SettingsDraft & string, label: string, hint?: string) => (
    <TextField prefix="settings" path={path} label={label} value={String(draft[path])} onInput={(v) => set(path, v as never)} form={form} tr={tr} hint={hint} />
  );
  return (
    <form class="card editor" data-testid="reservation-settings" onSubmit={(e) => void onSubmit(e)} noValidate>
      <h2 class="card__title">{tr.t('console.reservations.settings')}</h2>
      <label class="check">
        <input type="checkbox" data-testid="settings-enabled" checked={draft.enabled} onChange={(e) => set('enabled', (e.currentTarget as HTMLInputElement).checked)} />
        {tr.t('console.reservations.enabled')}
      </label>
      {field('timeZone', tr.t('console.reservations.timeZone'), 'Asia/Shanghai')}
      <FormSection title={tr.t('console.reservations.hours')}>
        <p class="field__hint">{tr.t('console.reservations.hoursHint')}</p>
        {WEEKDAYS.map((d) => (
          <TextField
            key={d}
            prefix="settings"
            path={`hours.${d}`}
            label={tr.t(`console.weekday.${d}`)}
            value={draft.hours[d]}
            placeholder={tr.t('console.reservations.closed')}
            onInput={(v) => set('hours', { ...draft.hours, [d]: v })}
            form={form}
            tr={tr}
          />
        ))}
        <FieldError path="hours" form={form} tr={tr} exact />
      </FormSection>
      <div class="grid2">
        {field('slotMinutes', tr.t('console.reservations.slotMinutes'), '15–240')}
        {field('capacity', tr.t('console.reservations.capacity'), '1–100')}
        {field('horizonDays', tr.t('console.reservations.horizonDays'), '1–60')}
        {field('leadMinutes', tr.t('console.reservations.leadMinutes'))}
      </div>
      <FormActions status={status} saving={saving} tr={tr} testIds={{ status: 'settings-status', save: 'settings-save' }} />
    </form>
  );
}
