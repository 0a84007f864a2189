/** Registers `<vitrine-product-carousel>` and `<vitrine-product-card>` (guarded: safe to import twice). */
import { VitrineProductCarousel } from './vitrine-product-carousel.component.js';

export * from './vitrine-product-carousel.component.js';
export default VitrineProductCarousel;

VitrineProductCarousel.define('vitrine-product-carousel');
