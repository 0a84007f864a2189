/**
 * The product elements: `<vitrine-product-card>` and `<vitrine-product-carousel>` (registered on
 * import, guarded). `<vitrine-chat>` imports this module lazily — only when a conversation shows a
 * product or an ask-about context — so the chat-open chunk stays small.
 */
import { VitrineProductCard } from './product-card/vitrine-product-card.js';
import { VitrineProductCarousel } from './product-carousel/vitrine-product-carousel.js';

export { VitrineProductCard, VitrineProductCarousel };

/** Registers both product elements (safe to call more than once). */
export function defineProductElements(): void {
  VitrineProductCard.define('vitrine-product-card');
  VitrineProductCarousel.define('vitrine-product-carousel');
}
