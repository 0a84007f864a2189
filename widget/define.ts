import { VitrineChat } from './chat/vitrine-chat.component.js';
import { defineProductElements } from './products.js';

/**
 * Registers every Vitrine element that is not registered yet (safe to call more than once):
 * `<vitrine-chat>`, `<vitrine-product-card>`, `<vitrine-product-carousel>`.
 */
export function defineVitrineElements(): void {
  VitrineChat.define('vitrine-chat');
  defineProductElements();
}
