/** Display helpers for coupons (cards in messages, the coupon list, the side panel). Plain text only. */
import { formatCouponValue, formatMoney, localized, type CouponSnapshot, type Translator } from '../../../src/index.js';

/** "¥50.00 off" / "15% off". */
export function couponValueText(c: Pick<CouponSnapshot, 'value'>, tr: Translator): string {
  return tr.t('console.coupon.off', { value: formatCouponValue(c.value, tr.locale) });
}

/** "Min. spend ¥300.00" or `null`. */
export function minSpendText(c: Pick<CouponSnapshot, 'minSpend'>, tr: Translator): string | null {
  return c.minSpend ? tr.t('console.coupon.minSpend', { amount: formatMoney(c.minSpend, tr.locale) }) : null;
}

/** "Valid until 28 Nov 2026" / "No expiry". */
export function expiryText(c: Pick<CouponSnapshot, 'expiresAt'>, tr: Translator): string {
  if (!c.expiresAt) return tr.t('console.coupon.noExpiry');
  const d = new Date(c.expiresAt);
  if (Number.isNaN(d.getTime())) return '';
  return tr.t('console.coupon.until', { date: new Intl.DateTimeFormat(tr.locale, { dateStyle: 'medium' }).format(d) });
}

export function couponTitle(c: Pick<CouponSnapshot, 'title'>, tr: Translator): string {
  return localized(c.title, tr.locale);
}

export function couponConditions(c: Pick<CouponSnapshot, 'conditions'>, tr: Translator): string {
  return localized(c.conditions, tr.locale);
}
