/** Registers `<vitrine-coupon-card>` (guarded: importing this twice is harmless). */
import { VitrineCouponCard } from './vitrine-coupon-card.component.js';

export * from './vitrine-coupon-card.component.js';
export default VitrineCouponCard;

VitrineCouponCard.define('vitrine-coupon-card');
