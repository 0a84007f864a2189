/**
 * Entry of the lazily loaded widget chunk (`dist/widget/vitrine-widget.js`). The loader
 * (`vitrine.js`) imports it when the visitor first opens the chat and calls {@link mount}.
 * lit, nanostores, socket.io-client and the core are bundled in.
 */
import type { VisitorIdentity } from '../src/index.js';
import { VitrineChat, type VitrinePosition, type VitrineTheme } from './chat/vitrine-chat.js';

// The product elements are not imported here: <vitrine-chat> loads them (a separate chunk) when a
// conversation first shows a product.
export { VitrineChat };

/** What the loader knows from the script tag and the command queue. */
export interface MountOptions {
  server: string;
  shop: string;
  locale?: string;
  theme?: VitrineTheme;
  position?: VitrinePosition;
  shopName?: string;
  identity?: VisitorIdentity;
}

/** Creates `<vitrine-chat>` at the end of `<body>` (closed; the caller opens it). */
export function mount(options: MountOptions): VitrineChat {
  VitrineChat.define('vitrine-chat');
  const el = document.createElement('vitrine-chat');
  el.server = options.server;
  el.shop = options.shop;
  if (options.locale) el.locale = options.locale;
  if (options.theme) el.theme = options.theme;
  if (options.position) el.position = options.position;
  if (options.shopName) el.shopName = options.shopName;
  if (options.identity) el.identity = options.identity;
  (document.body ?? document.documentElement).append(el);
  return el;
}
