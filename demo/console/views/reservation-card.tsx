/**
 * A reservation message: product, variant, slot in the shop's time zone, state and note; on the
 * latest message of a reservation, the staff's steps (confirm, propose another time, decline,
 * cancel) from `reservationActions(res, 'agent')`.
 */
import { useEffect, useState } from 'preact/hooks';
import { formatSlot, isErrorCode, reservationActions, type ChatMessage, type ConversationHandle, type ReservationDay, type Translator, type VitrineClient } from '../../../src/index.js';
import { productTitle } from '../lib/product.js';
import { slotText, variantText } from '../lib/reservation.js';

type Step = 'confirm' | 'propose' | 'decline' | 'cancel';

export function ReservationCard({ m, latest, handle, client, tr }: { m: ChatMessage; latest: boolean; handle: ConversationHandle; client: VitrineClient; tr: Translator }) {
  const r = m.reservation;
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [proposing, setProposing] = useState(false);
  if (!r) {
    return m.seq === null ? (
      <span class="msg__pending" data-testid="message-reservation-pending">
        {tr.t('console.reservation.sending')}
      </span>
    ) : (
      <span class="msg__unsupported">{m.text || tr.t('console.message.unsupported')}</span>
    );
  }
  const actions = latest ? reservationActions(r, 'agent') : [];
  const variant = variantText(r.product, r.variantId, tr);

  const run = async (step: Step, options?: { start?: string; text?: string }) => {
    setBusy(true);
    setError(null);
    try {
      await handle.updateReservation(r.id, step, options);
      setProposing(false);
    } catch (e) {
      const code = (e as { code?: unknown } | null)?.code;
      setError(tr.t(isErrorCode(code) ? `error.${code}` : 'error.unavailable'));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div class={`rcard rcard--${r.state}${latest ? '' : ' rcard--old'}`} data-testid="message-reservation" data-reservation-id={r.id} data-state={r.state} data-latest={latest ? 'true' : 'false'}>
      <div class="rcard__head">
        <span class="rcard__kind">{tr.t('console.reservation.title')}</span>
        <span class={`badge badge--${r.state}`} data-testid="reservation-state">
          {tr.t(`console.reservation.state.${r.state}`)}
        </span>
      </div>
      <span class="rcard__product" data-testid="reservation-product">
        {productTitle(r.product.title, tr)}
      </span>
      {variant && (
        <span class="rcard__variant" data-testid="reservation-variant">
          {variant}
        </span>
      )}
      <span class="rcard__slot" data-testid="reservation-slot">
        {slotText(r, tr)}
      </span>
      {m.text && (
        <span class="rcard__note" data-testid="reservation-note">
          {tr.t('console.reservation.note', { note: m.text })}
        </span>
      )}
      {!latest && <span class="rcard__old">{tr.t('console.reservation.superseded')}</span>}
      {actions.length > 0 && (
        <div class="rcard__actions">
          {actions.map((a) =>
            a === 'propose' ? (
              <button key={a} type="button" class="btn btn--quiet btn--tiny" data-testid="reservation-propose" disabled={busy} aria-expanded={proposing ? 'true' : 'false'} onClick={() => setProposing(!proposing)}>
                {tr.t('console.reservation.propose')}
              </button>
            ) : (
              <button
                key={a}
                type="button"
                class={`btn btn--tiny ${a === 'confirm' ? 'btn--primary' : 'btn--quiet'}`}
                data-testid={`reservation-${a}`}
                disabled={busy}
                onClick={() => void run(a)}
              >
                {tr.t(`console.reservation.${a}`)}
              </button>
            ),
          )}
        </div>
      )}
      {proposing && <SlotPicker client={client} tr={tr} busy={busy} onPick={(start, text) => void run('propose', { start, text: text || undefined })} onCancel={() => setProposing(false)} />}
      {error && (
        <span class="rcard__error" role="alert" data-testid="reservation-error">
          {error}
        </span>
      )}
    </div>
  );
}

/** Picks another slot from `client.getReservationSlots` (next 14 days), with an optional note. */
function SlotPicker({ client, tr, busy, onPick, onCancel }: { client: VitrineClient; tr: Translator; busy: boolean; onPick: (start: string, text: string) => void; onCancel: () => void }) {
  const [state, setState] = useState<{ days: ReservationDay[]; timeZone: string } | 'loading' | 'error'>('loading');
  const [start, setStart] = useState('');
  const [note, setNote] = useState('');
  useEffect(() => {
    let live = true;
    client
      .getReservationSlots({ days: 14 })
      .then((page) => {
        if (!live) return;
        setState({ days: page.days, timeZone: page.timeZone });
        const first = page.days.flatMap((d) => d.slots).find((s) => s.available);
        if (first) setStart(first.start);
      })
      .catch(() => live && setState('error'));
    return () => {
      live = false;
    };
  }, [client]);
  if (state === 'loading') return <p class="rcard__hint">{tr.t('console.reservation.slotsLoading')}</p>;
  if (state === 'error') return <p class="rcard__error">{tr.t('console.reservation.slotsFailed')}</p>;
  const days = state.days.filter((d) => d.slots.some((s) => s.available));
  if (days.length === 0) return <p class="rcard__hint">{tr.t('console.reservation.noSlots')}</p>;
  return (
    <form
      class="slot-picker"
      data-testid="reservation-slot-picker"
      onSubmit={(e) => {
        e.preventDefault();
        if (start) onPick(start, note.trim());
      }}
    >
      <label class="slot-picker__label" for="slot-select">
        {tr.t('console.reservation.pickSlot', { zone: state.timeZone })}
      </label>
      <select id="slot-select" data-testid="reservation-slot-select" value={start} onChange={(e) => setStart((e.currentTarget as HTMLSelectElement).value)}>
        {days.map((d) => (
          <optgroup key={d.date} label={d.date}>
            {d.slots
              .filter((s) => s.available)
              .map((s) => (
                <option key={s.start} value={s.start}>
                  {formatSlot(s.start, s.end, state.timeZone, tr.locale)}
                </option>
              ))}
          </optgroup>
        ))}
      </select>
      <input class="product-panel__caption" data-testid="reservation-propose-note" placeholder={tr.t('console.reservation.noteOptional')} value={note} onInput={(e) => setNote((e.currentTarget as HTMLInputElement).value)} />
      <span class="slot-picker__actions">
        <button type="button" class="btn btn--quiet btn--tiny" onClick={onCancel}>
          {tr.t('console.form.cancel')}
        </button>
        <button type="submit" class="btn btn--primary btn--tiny" data-testid="reservation-propose-send" disabled={busy || !start}>
          {tr.t('console.reservation.proposeSend')}
        </button>
      </span>
    </form>
  );
}
