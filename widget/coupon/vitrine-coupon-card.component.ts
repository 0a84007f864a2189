import { html, nothing, type TemplateResult } from 'lit';
import {
  claimedCoupons,
  couponExpired,
  formatCouponValue,
  pendingClaims,
  type ChatMessage,
  type ConversationHandle,
  type CouponSnapshot,
  type MessageKey,
} from '../../src/index.js';
import { CommerceMessageCard, derived, errorCode, errorText } from '../commerce-shared.js';
import { styles } from './vitrine-coupon-card.styles.js';

/** Why a claim was refused with `conflict`, from the error's `reason` (the server's words are not localized). */
const CONFLICT_KEYS: Record<string, MessageKey> = {
  coupon_claimed: 'coupon.error.claimed',
  coupon_expired: 'coupon.error.expired',
  coupon_exhausted: 'coupon.error.exhausted',
};

/**
 * A coupon message of a conversation. Kind `coupon`: the card staff sent — value ("¥50.00 off",
 * "15% off"), title, minimum spend, conditions, expiry — with a "Claim" button; once claimed (a
 * `coupon-claim` message of the conversation, so it survives reloads) it shows the code with a Copy
 * button; expired coupons say "Expired" and offer no button; a refused claim shows why. Kind
 * `coupon-claim`: a compact receipt "You claimed {title}: CODE".
 *
 * Coupon text is untrusted: it goes through lit text bindings only.
 *
 * @tagname vitrine-coupon-card
 * @summary Coupon card (claim, code, copy, expired) and claim receipt.
 *
 * @csspart coupon-card - The card (`<article>`; `data-state`: open, claimed, expired) or the receipt (`data-state="receipt"`).
 * @csspart coupon-value - The value ("¥50.00 off").
 * @csspart coupon-title - The title.
 * @csspart coupon-min-spend - The minimum spend.
 * @csspart coupon-conditions - The conditions.
 * @csspart coupon-expiry - The expiry date (`<time datetime>`).
 * @csspart coupon-status - "Claimed" or "Expired" (text, not colour alone).
 * @csspart coupon-claim - The "Claim" button.
 * @csspart coupon-code - The claimed code.
 * @csspart coupon-copy - The "Copy code" button.
 * @csspart coupon-copied - "Copied" (or how to copy by hand), announced politely.
 * @csspart coupon-error - Why a claim failed.
 * @csspart coupon-pending - "Claiming coupon…" for a claim still in the outbox.
 *
 * @cssprop [--vitrine-color-coupon-accent=#c2410c] - The coupon's accent: value, edge and Claim button (dark: #ffb68a).
 * @cssprop [--vitrine-color-on-coupon-accent=#ffffff] - Text on the accent (dark: #1d1b1c).
 * @cssprop [--vitrine-chat-card-width=240px] - Width of the card in the chat.
 * @cssprop [--vitrine-card-radius=12px] - Corner radius.
 * @cssprop [--vitrine-card-background=var(--vitrine-color-surface)] - Card background.
 * @cssprop [--vitrine-color-text=#1d1b1c] - Text (dark: #f2eff0).
 * @cssprop [--vitrine-color-muted=#6b6469] - Secondary text.
 * @cssprop [--vitrine-color-border=rgba(0,0,0,.12)] - Card border.
 * @cssprop [--vitrine-color-danger=#b3261e] - Errors.
 * @cssprop [--vitrine-color-focus=#1a73e8] - Focus ring.
 */
export class VitrineCouponCard extends CommerceMessageCard {
  static override styles = styles;

  static override properties = {
    copied: { state: true },
  };

  /** Registers the element under `name` unless something already did (safe to call twice). */
  static define(name = 'vitrine-coupon-card'): void {
    if (!customElements.get(name)) customElements.define(name, this);
  }

  /** The message: kind `coupon` (a card) or `coupon-claim` (a receipt). */
  declare message: ChatMessage | null;
  /** Every message of the conversation (claims are derived from its `coupon-claim` messages). */
  declare messages: readonly ChatMessage[];
  /** The visitor's conversation (for claiming); without it no Claim button is shown. */
  declare conversation: ConversationHandle | null;
  /** `copied`, `manual` (selected for copying by hand) or ''. */
  private declare copied: '' | 'copied' | 'manual';

  constructor() {
    super();
    this.copied = '';
  }

  private claim(coupon: CouponSnapshot): Promise<void> {
    return this.step(
      (conv) => conv.claimCoupon(coupon.id),
      (error, conv) => {
        // A refused claim cannot succeed by retrying: drop it from the outbox (the card says why).
        const failed = conv.$messages.get().find((m) => m.status === 'failed' && m.pending?.kind === 'coupon-claim' && m.pending.couponId === coupon.id);
        if (failed && errorCode(error) !== 'unavailable') conv.discard(failed.clientId);
      },
    );
  }

  private async copy(code: string): Promise<void> {
    try {
      if (!navigator.clipboard?.writeText) throw new Error('no clipboard');
      await navigator.clipboard.writeText(code);
      this.copied = 'copied';
    } catch {
      // No clipboard access (permissions, insecure page): select the code for Ctrl+C.
      const node = this.renderRoot.querySelector('.code');
      const selection = window.getSelection();
      if (node && selection) selection.selectAllChildren(node);
      this.copied = 'manual';
    }
  }

  private errorMessage(error: unknown): string {
    if (errorCode(error) !== 'conflict') return errorText(this.tr, error);
    const reason = error && typeof error === 'object' && 'reason' in error ? String((error as { reason: unknown }).reason) : '';
    return this.tr.t(CONFLICT_KEYS[reason] ?? 'coupon.error.conflict');
  }

  private renderCode(code: string): TemplateResult {
    const t = this.tr.t;
    return html`<div class="claimed">
      <span part="coupon-status" class="status" data-state="claimed"><span aria-hidden="true">✓ </span>${t('coupon.claimed')}</span>
      <span class="code-row">
        <span class="sr-only">${t('coupon.code')}</span>
        <code part="coupon-code" class="code">${code}</code>
        <button part="coupon-copy" class="button copy" type="button" @click=${() => void this.copy(code)}>${t('coupon.copy')}</button>
      </span>
      <span part="coupon-copied" class="muted" role="status">${this.copied === 'copied' ? t('coupon.copied') : this.copied === 'manual' ? t('coupon.copyManually') : ''}</span>
    </div>`;
  }

  private renderReceipt(m: ChatMessage): TemplateResult {
    const t = this.tr.t;
    const coupon = m.coupon;
    if (!coupon || !m.claim || m.seq === null) {
      const failed = m.status === 'failed' && m.error;
      return html`<p part="coupon-card coupon-pending" class="receipt pending" data-state="receipt">
        ${failed ? this.errorMessage(m.error) : t(m.seq === null ? 'coupon.receiptSending' : 'coupon.unavailable')}
      </p>`;
    }
    return html`<p part="coupon-card" class="receipt" data-state="receipt">
      <span>${t('coupon.receipt', { title: this.tr.localized(coupon.title) })}</span>
      <code part="coupon-code" class="code">${m.claim.code}</code>
    </p>`;
  }

  protected override render(): TemplateResult | typeof nothing {
    const m = this.message;
    if (!m) return nothing;
    if (m.kind === 'coupon-claim') return this.renderReceipt(m);
    const coupon = m.coupon;
    const t = this.tr.t;
    if (!coupon) return html`<p part="coupon-card coupon-pending" class="receipt pending">${t(m.seq === null ? 'coupon.receiptSending' : 'coupon.unavailable')}</p>`;
    const locale = this.tr.locale;
    const messages = this.messages ?? [];
    const claim = derived(messages, 'coupon-claims', claimedCoupons).get(coupon.id);
    const pending = this.busy || derived(messages, 'coupon-pending', pendingClaims).has(coupon.id);
    const expired = couponExpired(coupon.expiresAt, Date.now());
    const state = claim ? 'claimed' : expired ? 'expired' : 'open';
    const value = coupon.value ? formatCouponValue(coupon.value, locale) : '';
    const valueKey: MessageKey = coupon.value?.type === 'percent' ? 'coupon.percentOff' : 'coupon.amountOff';
    const title = this.tr.localized(coupon.title);
    const conditions = this.tr.localized(coupon.conditions);
    const expires = coupon.expiresAt ? new Date(coupon.expiresAt) : null;
    const validExpiry = expires && !Number.isNaN(expires.getTime());
    return html`<article part="coupon-card" class="card" data-state=${state} aria-label=${`${t('coupon.label')}: ${title}`}>
      <p class="label">${t('coupon.label')}</p>
      ${value ? html`<p part="coupon-value" class="value">${t(valueKey, { value })}</p>` : nothing}
      <p part="coupon-title" class="title">${title}</p>
      ${coupon.minSpend ? html`<p part="coupon-min-spend" class="muted">${t('coupon.minSpend', { amount: this.tr.money(coupon.minSpend) })}</p>` : nothing}
      ${conditions ? html`<p part="coupon-conditions" class="muted conditions">${conditions}</p>` : nothing}
      ${validExpiry && !expired
        ? html`<p part="coupon-expiry" class="muted"><time datetime=${coupon.expiresAt!}>${t('coupon.expires', { date: dateText(expires, locale) })}</time></p>`
        : nothing}
      ${claim
        ? this.renderCode(claim.code)
        : expired
          ? html`<p part="coupon-status" class="status" data-state="expired"><span aria-hidden="true">⌛ </span>${t('coupon.expired')}</p>`
          : this.conversation
            ? html`<button part="coupon-claim" class="button primary claim" type="button" ?disabled=${pending} @click=${() => void this.claim(coupon)}>
                ${pending ? t('coupon.claiming') : t('coupon.claim')}
              </button>`
            : nothing}
      ${this.error && !claim ? html`<p part="coupon-error" class="error" role="alert">${this.errorMessage(this.error)}</p>` : nothing}
    </article>`;
  }
}

function dateText(date: Date, locale: string): string {
  return new Intl.DateTimeFormat(locale, { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(date);
}

declare global {
  interface HTMLElementTagNameMap {
    'vitrine-coupon-card': VitrineCouponCard;
  }
}
