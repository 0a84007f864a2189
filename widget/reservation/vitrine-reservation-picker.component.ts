import { html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import {
  LIMITS,
  type ConversationHandle,
  type Product,
  type ProductSnapshot,
  type ProductVariant,
  type ReservationDay,
  type ReservationSlot,
  type ReservationSlotsPage,
  type VitrineClient,
} from '../../src/index.js';
import { CommerceElement, errorCode, errorText, roveFocus, zoneName } from '../commerce-shared.js';
import { emit } from '../events.js';
import { variantDescription, variantLabel } from '../option-labels.js';
import { styles } from './vitrine-reservation-picker.styles.js';

/** Days of slots the picker asks for. */
export const PICKER_DAYS = 14;

type Load = { state: 'loading' } | { state: 'error'; error: unknown } | { state: 'ready'; page: ReservationSlotsPage };

/**
 * The reservation picker: the visitor picks a variant (chips), a day and a free slot (in the shop's
 * time zone, named), adds an optional note and sends a reservation / try-on request
 * (`conversation.reserve`). `<vitrine-chat>` shows it over its panel when the visitor presses
 * "Reserve / try in store" on a product card; it can be used on its own with a client and a
 * conversation handle.
 *
 * Keyboard: focus moves into the picker when it opens and back when it closes; Tab stays inside it;
 * arrow keys, Home and End move between days, between slots and between variant chips; Escape
 * closes it. Full slots are shown disabled. Product text is untrusted and rendered as text only.
 *
 * @tagname vitrine-reservation-picker
 * @summary Reservation / try-in-store picker: variant, day, slot, note, send.
 *
 * @fires vitrine-reservation-close - The picker closed. `detail`: `{ sent: boolean }` (`true` after a request went into the outbox).
 *
 * @csspart picker - The dialog (`role="dialog"`, `aria-modal`).
 * @csspart picker-header - The header row (title and close button).
 * @csspart picker-title - The title ("Reserve or try in store").
 * @csspart picker-close - The close button.
 * @csspart picker-product - The product title.
 * @csspart picker-variants - The group of variant chips.
 * @csspart picker-variant - One variant chip (`aria-pressed`); also `picker-variant-selected` when chosen.
 * @csspart picker-status - Loading, error and "no free times" messages (`data-state`: loading, error, empty).
 * @csspart picker-retry - The "Try again" button after a loading error.
 * @csspart picker-days - The group of day buttons.
 * @csspart picker-day - One day button (`aria-pressed`); also `picker-day-selected`.
 * @csspart picker-zone - "Times in shop time: China Standard Time".
 * @csspart picker-slots - The group of slot buttons.
 * @csspart picker-slot - One slot button (disabled when full); also `picker-slot-selected`.
 * @csspart picker-note - The note textarea.
 * @csspart picker-submit - The send button.
 * @csspart picker-error - A sending error.
 *
 * @cssprop [--vitrine-color-surface=#ffffff] - Picker background (dark: #1f1d1e).
 * @cssprop [--vitrine-color-surface-variant=#f4f2f3] - Chip, day and slot background (dark: #2b2829).
 * @cssprop [--vitrine-color-text=#1d1b1c] - Text (dark: #f2eff0).
 * @cssprop [--vitrine-color-muted=#6b6469] - Secondary text (dark: #b1a9ae).
 * @cssprop [--vitrine-color-border=rgba(0,0,0,.12)] - Hairlines and input borders.
 * @cssprop [--vitrine-color-primary=#b4235a] - Selected chip, day and slot; the send button (dark: #f06292).
 * @cssprop [--vitrine-color-on-primary=#ffffff] - Text on the primary colour (dark: #1d1b1c).
 * @cssprop [--vitrine-color-danger=#b3261e] - Error text (dark: #f2b8b5).
 * @cssprop [--vitrine-color-focus=#1a73e8] - Focus ring (dark: #8ab4f8).
 * @cssprop [--vitrine-font-family=system-ui] - Font stack.
 */
export class VitrineReservationPicker extends CommerceElement {
  static override styles = styles;

  static override properties = {
    client: { attribute: false },
    conversation: { attribute: false },
    product: { attribute: false },
    variant: { type: String },
    days: { type: Number },
    load: { state: true },
    day: { state: true },
    chosen: { state: true },
    note: { state: true },
    sendError: { state: true },
    hint: { state: true },
  };

  /** Registers the element under `name` unless something already did (safe to call twice). */
  static define(name = 'vitrine-reservation-picker'): void {
    if (!customElements.get(name)) customElements.define(name, this);
  }

  /** The client (for `getReservationSlots`). */
  declare client: VitrineClient | null;
  /** The visitor's conversation (for `reserve`). */
  declare conversation: ConversationHandle | null;
  /** The product to reserve (a catalogue product or a card's snapshot). */
  declare product: ProductSnapshot | Product | null;
  /** Id of the selected variant ('' for none; a product with one variant selects it). */
  declare variant: string;
  /** Days of slots to offer (default 14). */
  declare days: number;
  private declare load: Load;
  /** Index of the selected day. */
  private declare day: number;
  /** Start of the selected slot, '' for none. */
  private declare chosen: string;
  private declare note: string;
  private declare sendError: unknown;
  private declare hint: boolean;

  private returnFocus: HTMLElement | null = null;
  private loadedFor: VitrineClient | null = null;

  constructor() {
    super();
    this.client = null;
    this.conversation = null;
    this.product = null;
    this.variant = '';
    this.days = PICKER_DAYS;
    this.load = { state: 'loading' };
    this.day = 0;
    this.chosen = '';
    this.note = '';
    this.sendError = null;
    this.hint = false;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.returnFocus = deepActiveElement();
    this.addEventListener('keydown', this.onKeydown);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.removeEventListener('keydown', this.onKeydown);
  }

  /** The selected variant, `null` when none is. */
  get selectedVariant(): ProductVariant | null {
    const variants = this.product?.variants ?? [];
    if (variants.length === 1) return variants[0];
    return variants.find((v) => v.id === this.variant) ?? null;
  }

  /** Loads (again) the free slots. */
  async reload(): Promise<void> {
    const client = this.client;
    if (!client) return;
    this.loadedFor = client;
    this.load = { state: 'loading' };
    try {
      const page = await client.getReservationSlots({ days: this.days });
      if (client !== this.client) return;
      this.load = { state: 'ready', page };
      const days = page.days ?? [];
      const first = days.findIndex((d) => d.slots.some((s) => s.available));
      this.day = first < 0 ? 0 : first;
      this.chosen = '';
    } catch (error) {
      if (client === this.client) this.load = { state: 'error', error };
    }
  }

  /** Closes the picker (focus returns to where it was when the picker opened). */
  close(sent = false): void {
    emit(this, 'vitrine-reservation-close', { sent });
    const target = this.returnFocus;
    if (target?.isConnected) target.focus();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    super.willUpdate(changed);
    if (this.client !== this.loadedFor) void this.reload();
  }

  protected override firstUpdated(): void {
    this.renderRoot.querySelector<HTMLElement>('.picker')?.focus();
  }

  private readonly onKeydown = (event: KeyboardEvent): void => {
    if (event.key === 'Escape') {
      event.preventDefault();
      event.stopPropagation(); // the chat would close its whole panel
      this.close(false);
    } else if (event.key === 'Tab') {
      // Focus stays in the dialog.
      const focusable = [...this.renderRoot.querySelectorAll<HTMLElement>('button, textarea')].filter(
        (el) => !(el as HTMLButtonElement).disabled && el.tabIndex >= 0,
      );
      if (focusable.length === 0) return;
      const active = this.shadowRoot?.activeElement;
      const first = focusable[0];
      const last = focusable[focusable.length - 1];
      if (event.shiftKey && (active === first || !active || !focusable.includes(active as HTMLElement))) {
        event.preventDefault();
        last.focus();
      } else if (!event.shiftKey && (active === last || !active || !focusable.includes(active as HTMLElement))) {
        event.preventDefault();
        first.focus();
      }
    }
  };

  private selectDay(index: number): void {
    if (index === this.day) return;
    this.day = index;
    this.chosen = '';
  }

  private onDayKeydown(event: KeyboardEvent): void {
    const next = roveFocus(event, this.renderRoot, '.day');
    if (next) this.selectDay(Number(next.dataset.index));
  }

  private onSlotKeydown(event: KeyboardEvent): void {
    roveFocus(event, this.renderRoot, '.slot');
  }

  private onVariantKeydown(event: KeyboardEvent): void {
    roveFocus(event, this.renderRoot, '.variant');
  }

  private submit(event: Event): void {
    event.preventDefault();
    const conv = this.conversation;
    const product = this.product;
    if (!conv || !product) return;
    if (!this.chosen) {
      this.hint = true;
      this.renderRoot.querySelector<HTMLButtonElement>('.slot:not(:disabled)')?.focus();
      return;
    }
    const variant = this.selectedVariant;
    const note = this.note.trim();
    let pending: Promise<unknown>;
    try {
      pending = conv.reserve({ productId: product.id, start: this.chosen, ...(variant ? { variantId: variant.id } : {}), ...(note ? { text: note } : {}) });
    } catch (error) {
      this.sendError = error;
      return;
    }
    // The request is in the outbox now: the chat shows it ("Sending reservation…", then the card).
    pending.catch(() => {
      /* shown on the reservation message (failed, with the reason) */
    });
    this.close(true);
  }

  private renderVariants(): TemplateResult | typeof nothing {
    const product = this.product;
    const variants = product?.variants ?? [];
    if (variants.length < 2) return nothing;
    const selected = this.selectedVariant;
    const locale = this.tr.locale;
    return html`<div part="picker-variants" class="chips" role="group" aria-label=${this.tr.t('reservation.variant')}>
      ${variants.map((v) => {
        const on = selected?.id === v.id;
        return html`<button
          part="picker-variant${on ? ' picker-variant-selected' : ''}"
          class="chip variant"
          type="button"
          data-variant=${v.id}
          aria-pressed=${on ? 'true' : 'false'}
          title=${variantDescription(v, product?.options, this.tr.localized)}
          @click=${() => (this.variant = on ? '' : v.id)}
          @keydown=${this.onVariantKeydown}
        >${variantLabel(v, product?.options, this.tr.localized)}</button>`;
      })}
    </div>`;
  }

  private renderSlots(page: ReservationSlotsPage): TemplateResult {
    const t = this.tr.t;
    const locale = this.tr.locale;
    const days = page.days ?? [];
    if (!days.some((d) => d.slots.some((s) => s.available))) {
      return html`<p part="picker-status" class="status" data-state="empty" role="status">${t('reservation.empty', { days: this.days })}</p>`;
    }
    const day: ReservationDay | undefined = days[this.day] ?? days[0];
    const zone = page.timeZone;
    const time = timeFormat(locale, zone);
    const dayLabel = dayFormat(locale);
    const firstFree = day?.slots.find((s) => s.available)?.start;
    const focusSlot = this.chosen || firstFree;
    return html`<div part="picker-days" class="chips days" role="group" aria-label=${t('reservation.day')}>
        ${days.map((d, i) => {
          const on = i === this.day;
          const free = d.slots.some((s) => s.available);
          return html`<button
            part="picker-day${on ? ' picker-day-selected' : ''}"
            class="chip day"
            type="button"
            data-index=${i}
            data-date=${d.date}
            aria-pressed=${on ? 'true' : 'false'}
            tabindex=${on ? '0' : '-1'}
            ?disabled=${!free}
            @click=${() => this.selectDay(i)}
            @keydown=${this.onDayKeydown}
          >${dayText(dayLabel, d.date)}</button>`;
        })}
      </div>
      <p part="picker-zone" class="muted zone" id="zone">${t('reservation.shopTime', { zone: zoneName(zone, locale) })}</p>
      ${day && day.slots.some((s) => s.available)
        ? html`<div part="picker-slots" class="slots" role="group" aria-label=${t('reservation.time')} aria-describedby="zone">
            ${day.slots.map((s: ReservationSlot) => {
              const on = s.start === this.chosen;
              const label = safeFormat(time, s.start);
              return html`<button
                part="picker-slot${on ? ' picker-slot-selected' : ''}"
                class="chip slot"
                type="button"
                data-start=${s.start}
                aria-pressed=${on ? 'true' : 'false'}
                aria-label=${s.available ? nothing : t('reservation.slotFull', { time: label })}
                tabindex=${s.start === focusSlot ? '0' : '-1'}
                ?disabled=${!s.available}
                @click=${() => {
                  this.chosen = on ? '' : s.start;
                  this.hint = false;
                }}
                @keydown=${this.onSlotKeydown}
              >${label}</button>`;
            })}
          </div>`
        : html`<p part="picker-status" class="status" data-state="empty">${t('reservation.dayEmpty')}</p>`}`;
  }

  private renderBody(): TemplateResult {
    const t = this.tr.t;
    const load = this.load;
    if (load.state === 'loading') {
      return html`<p part="picker-status" class="status" data-state="loading" role="status">${t('reservation.loading')}</p>`;
    }
    if (load.state === 'error') {
      const text = errorCode(load.error) === 'not_found' ? t('reservation.notTaken') : t('reservation.loadFailed', { error: errorText(this.tr, load.error) });
      return html`<div part="picker-status" class="status" data-state="error" role="alert">
        <p>${text}</p>
        <button part="picker-retry" class="button" type="button" @click=${() => void this.reload()}>${t('reservation.retry')}</button>
      </div>`;
    }
    return this.renderSlots(load.page);
  }

  protected override render(): TemplateResult {
    const t = this.tr.t;
    const ready = this.load.state === 'ready';
    return html`<form
      part="picker"
      class="picker"
      role="dialog"
      aria-modal="true"
      aria-labelledby="title"
      tabindex="-1"
      novalidate
      @submit=${this.submit}
    >
      <header part="picker-header" class="header">
        <h3 part="picker-title" class="title" id="title">${t('reservation.title')}</h3>
        <button part="picker-close" class="close" type="button" aria-label=${t('reservation.close')} @click=${() => this.close(false)}>
          <svg viewBox="0 0 24 24" aria-hidden="true"><path d="M18.3 5.7a1 1 0 0 0-1.4 0L12 10.6 7.1 5.7a1 1 0 1 0-1.4 1.4l4.9 4.9-4.9 4.9a1 1 0 1 0 1.4 1.4l4.9-4.9 4.9 4.9a1 1 0 0 0 1.4-1.4L13.4 12l4.9-4.9a1 1 0 0 0 0-1.4z"/></svg>
        </button>
      </header>
      <div class="body">
        <p part="picker-product" class="product">${this.tr.localized(this.product?.title)}</p>
        ${this.renderVariants()} ${this.renderBody()}
        <label class="note-label" for="note">${t('reservation.note')}</label>
        <textarea
          part="picker-note"
          class="note"
          id="note"
          rows="2"
          maxlength=${LIMITS.textMaxLength}
          placeholder=${t('reservation.notePlaceholder')}
          .value=${this.note}
          @input=${(e: Event) => (this.note = (e.target as HTMLTextAreaElement).value)}
        ></textarea>
      </div>
      <footer class="footer">
        ${this.hint ? html`<p part="picker-error" class="error" role="alert">${t('reservation.chooseTime')}</p>` : nothing}
        ${this.sendError
          ? html`<p part="picker-error" class="error" role="alert">${t('reservation.submitFailed', { error: errorText(this.tr, this.sendError) })}</p>`
          : nothing}
        <button part="picker-submit" class="button primary submit" type="submit" ?disabled=${!ready || !this.conversation}>${t('reservation.submit')}</button>
      </footer>
    </form>`;
  }
}

/** The focused element, looking into shadow roots. */
function deepActiveElement(): HTMLElement | null {
  let active: Element | null = document.activeElement;
  while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
  return active instanceof HTMLElement ? active : null;
}

function timeFormat(locale: string, timeZone: string): Intl.DateTimeFormat {
  try {
    return new Intl.DateTimeFormat(locale, { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  } catch {
    return new Intl.DateTimeFormat(locale, { timeZone: 'UTC', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  }
}

function dayFormat(locale: string): Intl.DateTimeFormat {
  return new Intl.DateTimeFormat(locale, { timeZone: 'UTC', weekday: 'short', month: 'short', day: 'numeric' });
}

/** A shop date (`YYYY-MM-DD`) as "Sat, Nov 28" / "11月28日周六". */
function dayText(format: Intl.DateTimeFormat, date: string): string {
  return safeFormat(format, `${date}T00:00:00Z`) || date;
}

function safeFormat(format: Intl.DateTimeFormat, iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : format.format(d);
}

declare global {
  interface HTMLElementTagNameMap {
    'vitrine-reservation-picker': VitrineReservationPicker;
  }
}
