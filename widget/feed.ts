/**
 * The feed elements: `<vitrine-feed>` and `<vitrine-feed-item>` (registered on call, guarded).
 * `<vitrine-chat>` imports this module lazily — only when the visitor first opens its Feed tab — so
 * the chat-open chunk carries the tab bar and the core's feed store only.
 */
import { VitrineFeedItem } from './feed/vitrine-feed-item.component.js';
import { VitrineFeed } from './feed/vitrine-feed.component.js';

export { VitrineFeed, VitrineFeedItem };

/** Registers both feed elements (safe to call more than once). */
export function defineFeedElements(): void {
  VitrineFeedItem.define('vitrine-feed-item');
  VitrineFeed.define('vitrine-feed');
}
