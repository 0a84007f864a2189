/** Registers `<vitrine-feed-item>` (guarded: importing this twice is harmless). */
import { VitrineFeedItem } from './vitrine-feed-item.component.js';

export * from './vitrine-feed-item.component.js';
export default VitrineFeedItem;

VitrineFeedItem.define('vitrine-feed-item');
