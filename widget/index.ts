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
export type { ShowOptions, VitrinePosition, VitrineTheme } from './chat/vitrine-chat.component.js';
export { defineVitrineElements } from './define.js';
export { emit } from './events.js';
export type { UnreadChangeDetail, VitrineEventMap, VitrineEventName, VitrineEventDetail } from './events.js';
export { StoreController } from './store-controller.js';
export { webLocks, webPorts, webStorage } from './ports-web.js';
export { chime, claimNotification } from './notify.js';
