/** Coupon messages: the card staff sent (value, conditions, expiry, "sent") and a customer's claim ("claimed … — code CODE"). */
import type { ChatMessage, Translator } from '../../../src/index.js';
import { couponConditions, couponTitle, couponValueText, expiryText, minSpendText } from '../lib/coupon.js';

export function CouponCard({ m, tr, claimed }: { m: ChatMessage; tr: Translator; claimed: string | null }) {
  const c = m.coupon;
  if (!c) {
    return m.seq === null ? (
      <span class="msg__pending" data-testid="message-coupon-pending">
        {tr.t('console.coupon.sending')}
      </span>
    ) : (
      <span class="msg__unsupported">{m.text || tr.t('console.message.unsupported')}</span>
    );
  }
  const conditions = couponConditions(c, tr);
  const min = minSpendText(c, tr);
  return (
    <>
      <div class="ccard" data-testid="message-coupon" data-coupon-id={c.id}>
        <span class="ccard__value" data-testid="coupon-card-value">
          {couponValueText(c, tr)}
        </span>
        <span class="ccard__title" data-testid="coupon-card-title">
          {couponTitle(c, tr)}
        </span>
        {conditions && <span class="ccard__line">{conditions}</span>}
        {min && <span class="ccard__line">{min}</span>}
        <span class="ccard__line">{expiryText(c, tr)}</span>
        <span class="ccard__state" data-testid="coupon-card-state">
          {claimed ? tr.t('console.coupon.claimedCode', { code: claimed }) : tr.t('console.coupon.sent')}
        </span>
      </div>
      {m.text && <p class="msg__caption">{m.text}</p>}
    </>
  );
}

export function CouponClaim({ m, tr }: { m: ChatMessage; tr: Translator }) {
  if (!m.coupon || !m.claim) return <span class="msg__unsupported">{m.text || tr.t('console.message.unsupported')}</span>;
  return (
    <span class="claim" data-testid="message-coupon-claim" data-coupon-id={m.coupon.id}>
      {tr.t('console.coupon.claimed', { title: couponTitle(m.coupon, tr), code: m.claim.code })}
    </span>
  );
}
