import { VitrineChat } from './chat/vitrine-chat.component.js';
import { defineProductElements } from './products.js';
import { defineCommerceElements } from './commerce.js';
import { defineFeedElements } from './feed.js';

/**
 * Registers every Vitrine element that is not registered yet (safe to call more than once):
 * `<vitrine-chat>`, `<vitrine-product-card>`, `<vitrine-product-carousel>`,
 * `<vitrine-reservation-picker>`, `<vitrine-reservation-card>`, `<vitrine-coupon-card>`,
 * `<vitrine-feed>`, `<vitrine-feed-item>`.
 */
export function defineVitrineElements(): void {
  VitrineChat.define('vitrine-chat');
  defineProductElements();
  defineCommerceElements();
  defineFeedElements();
}
