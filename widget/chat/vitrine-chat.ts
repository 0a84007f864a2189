/** Registers `<vitrine-chat>` (guarded: importing this twice, or next to another copy, is harmless). */
import { VitrineChat } from './vitrine-chat.component.js';

export * from './vitrine-chat.component.js';
export default VitrineChat;

VitrineChat.define('vitrine-chat');
