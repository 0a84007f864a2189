import { html, nothing, type TemplateResult } from 'lit';
import {
  reservationActions,
  type ChatMessage,
  type ConversationHandle,
  type MessageKey,
  type Reservation,
  type ReservationAction,
  type ReservationState,
} from '../../src/index.js';
import { CommerceMessageCard, derived, errorText, slotText, zoneName } from '../commerce-shared.js';
import { variantDescription } from '../option-labels.js';
import { safeHttpUrl } from '../safe-url.js';
import { styles } from './vitrine-reservation-card.styles.js';

type VisitorAction = Exclude<ReservationAction, 'request'>;

const STATE_KEYS: Record<ReservationState, MessageKey> = {
  requested: 'reservation.state.requested',
  proposed: 'reservation.state.proposed',
  confirmed: 'reservation.state.confirmed',
  declined: 'reservation.state.declined',
  cancelled: 'reservation.state.cancelled',
};

/** A glyph per state next to its text (the badge never relies on colour alone). */
const STATE_GLYPHS: Record<ReservationState, string> = {
  requested: '…',
  proposed: '↻',
  confirmed: '✓',
  declined: '✕',
  cancelled: '–',
};

const ACTION_KEYS: Partial<Record<VisitorAction, MessageKey>> = {
  confirm: 'reservation.action.confirm',
  decline: 'reservation.action.decline',
  cancel: 'reservation.action.cancel',
};

/** Seq of the newest stored message of each reservation (by reservation id). */
function latestSeqs(messages: readonly ChatMessage[]): Map<string, number> {
  const seqs = new Map<string, number>();
  for (const m of messages) if (m.kind === 'reservation' && m.reservation && m.seq !== null) seqs.set(m.reservation.id, m.seq);
  return seqs;
}

/**
 * One reservation message of a conversation: product image and title, the chosen variant (with the
 * product's localized option labels), the slot in the shop's time zone (named), a state badge
 * (text and glyph, not colour alone), the note, and — on the latest message of the reservation — the
 * steps the visitor may take (accept or decline a proposed time, cancel). Older messages of the same
 * reservation say "Updated below". A message still in the outbox shows "Sending reservation…" (and
 * why it failed, when it did).
 *
 * Reservation data is untrusted: text goes through lit text bindings; the image must be `http(s):`.
 *
 * @tagname vitrine-reservation-card
 * @summary Reservation message: product, variant, slot in shop time, state badge, note, visitor steps.
 *
 * @csspart reservation-card - The card (`<article>`; `data-state`: requested, proposed, confirmed, declined, cancelled, pending).
 * @csspart reservation-image - The product image.
 * @csspart reservation-title - The product title.
 * @csspart reservation-variant - The chosen variant ("Colour: Gold").
 * @csspart reservation-slot - The slot (`<time datetime>`) with the shop's time zone name.
 * @csspart reservation-state - The state badge (`data-state`), glyph and text.
 * @csspart reservation-note - The note of this step.
 * @csspart reservation-actions - The row of step buttons (latest message only).
 * @csspart reservation-action - A step button; also `reservation-action-confirm`, `reservation-action-decline`, `reservation-action-cancel`.
 * @csspart reservation-superseded - "Updated below" on older messages of the reservation.
 * @csspart reservation-pending - "Sending reservation…" for a message still in the outbox.
 * @csspart reservation-error - Why a step failed.
 *
 * @cssprop [--vitrine-color-reservation-requested=#8a5a00] - "Requested" badge (dark: #f2c46d).
 * @cssprop [--vitrine-color-reservation-proposed=#1a5fb4] - "New time proposed" badge (dark: #9cc3ff).
 * @cssprop [--vitrine-color-reservation-confirmed=#1e7e4a] - "Confirmed" badge (dark: #7fd6a0).
 * @cssprop [--vitrine-color-reservation-declined=#b3261e] - "Declined" badge (dark: #f2b8b5).
 * @cssprop [--vitrine-color-reservation-cancelled=#6b6469] - "Cancelled" badge (dark: #b1a9ae).
 * @cssprop [--vitrine-chat-card-width=240px] - Width of the card in the chat.
 * @cssprop [--vitrine-card-radius=12px] - Corner radius.
 * @cssprop [--vitrine-card-background=var(--vitrine-color-surface)] - Card background.
 * @cssprop [--vitrine-color-text=#1d1b1c] - Text (dark: #f2eff0).
 * @cssprop [--vitrine-color-muted=#6b6469] - Secondary text.
 * @cssprop [--vitrine-color-border=rgba(0,0,0,.12)] - Card border.
 * @cssprop [--vitrine-color-primary=#b4235a] - Step buttons.
 * @cssprop [--vitrine-color-danger=#b3261e] - Errors.
 * @cssprop [--vitrine-color-focus=#1a73e8] - Focus ring.
 */
export class VitrineReservationCard extends CommerceMessageCard {
  static override styles = styles;

  /** Registers the element under `name` unless something already did (safe to call twice). */
  static define(name = 'vitrine-reservation-card'): void {
    if (!customElements.get(name)) customElements.define(name, this);
  }

  /** The reservation message (kind `reservation`). */
  declare message: ChatMessage | null;
  /** Every message of the conversation (to know the latest state of the reservation). */
  declare messages: readonly ChatMessage[];
  /** The visitor's conversation (for the steps); without it no buttons are shown. */
  declare conversation: ConversationHandle | null;

  /** Whether this message shows the reservation's current state (the newest stored step). */
  get latest(): boolean {
    const m = this.message;
    const id = m?.reservation?.id;
    if (!m || !id || m.seq === null) return false;
    const seq = derived(this.messages?.length ? this.messages : [m], 'reservation-latest', latestSeqs).get(id);
    return seq === undefined || seq === m.seq;
  }

  private act(reservation: Reservation, action: VisitorAction): Promise<void> {
    return this.step((conv) => conv.updateReservation(reservation.id, action));
  }

  private renderPending(m: ChatMessage): TemplateResult {
    const t = this.tr.t;
    const failed = m.status === 'failed';
    return html`<p part="reservation-card reservation-pending" class="pending" data-state="pending">
      ${failed && m.error ? t('reservation.submitFailed', { error: errorText(this.tr, m.error) }) : t(m.seq === null ? 'reservation.sending' : 'reservation.unavailable')}
    </p>`;
  }

  protected override render(): TemplateResult | typeof nothing {
    const m = this.message;
    if (!m) return nothing;
    const r = m.reservation;
    if (!r || m.seq === null) return this.renderPending(m);
    const t = this.tr.t;
    const locale = this.tr.locale;
    const product = r.product;
    const title = this.tr.localized(product?.title);
    const image = safeHttpUrl(product?.image);
    const variant = r.variantId ? product?.variants?.find((v) => v.id === r.variantId) : undefined;
    const latest = this.latest;
    const actions = latest && this.conversation ? reservationActions(r, 'visitor') : [];
    const state = STATE_KEYS[r.state] ? r.state : 'requested';
    return html`<article part="reservation-card" class="card" data-state=${state} aria-label=${t('reservation.label', { title })}>
      <div class="top">
        ${image ? html`<img part="reservation-image" class="image" src=${image} alt="" loading="lazy" decoding="async" />` : nothing}
        <div class="text">
          <p part="reservation-title" class="title">${title}</p>
          ${variant || r.variantId
            ? html`<p part="reservation-variant" class="muted">${variant ? variantDescription(variant, product.options, this.tr.localized) : r.variantId}</p>`
            : nothing}
        </div>
      </div>
      <p part="reservation-state" class="state" data-state=${state}>
        <span class="glyph" aria-hidden="true">${STATE_GLYPHS[state]}</span>${t(STATE_KEYS[state])}
      </p>
      <p part="reservation-slot" class="slot">
        <time datetime=${r.start}>${t('reservation.slot', { slot: slotText(r.start, r.end, r.timeZone, locale), zone: zoneName(r.timeZone, locale, new Date(r.start)) })}</time>
      </p>
      ${m.text ? html`<p part="reservation-note" class="note">${t('reservation.noteText', { text: m.text })}</p>` : nothing}
      ${actions.length > 0
        ? html`<div part="reservation-actions" class="actions">
            ${actions.map((a) => {
              const key = ACTION_KEYS[a];
              if (!key) return nothing;
              return html`<button
                part="reservation-action reservation-action-${a}"
                class="button ${a === 'confirm' ? 'primary' : ''}"
                type="button"
                data-action=${a}
                ?disabled=${this.busy}
                @click=${() => void this.act(r, a)}
              >${t(key)}</button>`;
            })}
          </div>`
        : nothing}
      ${!latest ? html`<p part="reservation-superseded" class="muted superseded">${t('reservation.superseded')}</p>` : nothing}
      ${this.error
        ? html`<p part="reservation-error" class="error" role="alert">${t('reservation.actionFailed', { error: errorText(this.tr, this.error) })}</p>`
        : nothing}
    </article>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'vitrine-reservation-card': VitrineReservationCard;
  }
}
