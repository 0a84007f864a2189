/**
 * `vitrine/widget`: the web elements for bundler users.
 *
 * ```ts
 * import { defineVitrineElements } from 'vitrine/widget';
 * defineVitrineElements();
 * // <vitrine-chat server="https://chat.example.com" shop="my-shop"></vitrine-chat>
 * ```
 */
export { VitrineChat } from './chat/vitrine-chat.component.js';
export type { ShowOptions, VitrinePosition, VitrineTab, VitrineTheme } from './chat/vitrine-chat.component.js';
export { VitrineProductCard, productImage, stockOf, variantLabel } from './product-card/vitrine-product-card.component.js';
export type { ProductCardAction, StockState } from './product-card/vitrine-product-card.component.js';
export { VitrineProductCarousel } from './product-carousel/vitrine-product-carousel.component.js';
export { defineVitrineElements } from './define.js';
export { defineProductElements } from './products.js';
export { VitrineCouponCard, VitrineReservationCard, VitrineReservationPicker, defineCommerceElements } from './commerce.js';
export { VitrineFeed, VitrineFeedItem, defineFeedElements } from './feed.js';
export { optionLabel, variantDescription } from './option-labels.js';
export { emit } from './events.js';
export type { FeedClickDetail, ProductClickAction, ProductClickDetail, ReservationCloseDetail, UnreadChangeDetail, VitrineEventMap, VitrineEventName, VitrineEventDetail } from './events.js';
export { safeHttpUrl } from './safe-url.js';
export { StoreController } from './store-controller.js';
export { webLocks, webPorts, webStorage } from './ports-web.js';
export { chime, claimNotification } from './notify.js';
