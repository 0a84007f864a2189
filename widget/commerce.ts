/**
 * The commerce elements: `<vitrine-reservation-picker>`, `<vitrine-reservation-card>` and
 * `<vitrine-coupon-card>` (registered on call, guarded). `<vitrine-chat>` imports this module
 * lazily — only when a conversation shows a reservation or a coupon, or the visitor presses
 * "Reserve" — so the chat-open chunk stays small.
 */
import { VitrineCouponCard } from './coupon/vitrine-coupon-card.component.js';
import { VitrineReservationCard } from './reservation/vitrine-reservation-card.component.js';
import { VitrineReservationPicker } from './reservation/vitrine-reservation-picker.component.js';

export { VitrineCouponCard, VitrineReservationCard, VitrineReservationPicker };

/** Registers the three commerce elements (safe to call more than once). */
export function defineCommerceElements(): void {
  VitrineReservationPicker.define('vitrine-reservation-picker');
  VitrineReservationCard.define('vitrine-reservation-card');
  VitrineCouponCard.define('vitrine-coupon-card');
}
