import { VitrineChat } from './chat/vitrine-chat.component.js';

/** Registers every Vitrine element that is not registered yet (safe to call more than once). */
export function defineVitrineElements(): void {
  VitrineChat.define('vitrine-chat');
}
