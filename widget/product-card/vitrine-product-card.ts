/** Registers `<vitrine-product-card>` (guarded: importing this twice, or next to another copy, is harmless). */
import { VitrineProductCard } from './vitrine-product-card.component.js';

export * from './vitrine-product-card.component.js';
export default VitrineProductCard;

VitrineProductCard.define('vitrine-product-card');
