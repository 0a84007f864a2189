/** Registers `<vitrine-feed>` and `<vitrine-feed-item>` (guarded: importing this twice is harmless). */
import { VitrineFeedItem } from './vitrine-feed-item.component.js';
import { VitrineFeed } from './vitrine-feed.component.js';

export * from './vitrine-feed.component.js';
export default VitrineFeed;

VitrineFeedItem.define('vitrine-feed-item');
VitrineFeed.define('vitrine-feed');
