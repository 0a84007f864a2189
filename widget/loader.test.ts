/**
 * The script-tag loader, loaded the way a shop page loads it (a `<script data-shop>` tag and the
 * standard queue snippet), against the real server. The widget module is the TypeScript entry here
 * (`data-widget`); the built `dist/vitrine.js` is measured by size-limit.
 */
import type { VitrineChat } from './chat/vitrine-chat.component.js';
import { assert, deepActiveElement, deepEqual, describe, equal, it, sleep, vitrineServer, waitFor } from './test-utils.js';

type Queue = ((...args: unknown[]) => void) & { q?: IArguments[]; l?: number };
const w = window as unknown as { Vitrine?: Queue };

// Instrumentation (not mocks): record every WebSocket the page opens from now on.
const sockets: string[] = [];
const NativeWebSocket = window.WebSocket;
window.WebSocket = class extends NativeWebSocket {
  constructor(url: string | URL, protocols?: string | string[]) {
    super(url, protocols);
    sockets.push(String(url));
  }
} as typeof WebSocket;

const socketIoRequests = () => performance.getEntriesByType('resource').filter((e) => e.name.includes('/socket.io/'));
const chats = () => document.querySelectorAll('vitrine-chat');
const loaderHost = () => document.querySelector('vitrine-loader');

describe('vitrine.js loader', () => {
  const events: string[] = [];
  const unread: number[] = [];
  const onClose = () => events.push('close');

  it('queues commands before it loads, draws a launcher, and touches no storage and no network', async () => {
    const info = await vitrineServer();
    localStorage.clear();
    // The standard snippet, then calls made before vitrine.js arrives.
    w.Vitrine =
      w.Vitrine ||
      function (this: unknown) {
        // eslint-disable-next-line prefer-rest-params
        (w.Vitrine!.q = w.Vitrine!.q || []).push(arguments);
      };
    w.Vitrine('on', 'open', () => events.push('open'));
    w.Vitrine('on', 'close', onClose);
    w.Vitrine('on', 'unread-change', (d: { count: number }) => unread.push(d.count));
    w.Vitrine('identify', { name: 'Ann' });

    const tag = document.createElement('script');
    tag.type = 'text/plain'; // stands in for the real tag: only its data-* attributes are read
    tag.dataset.shop = info.shop;
    tag.dataset.server = info.url;
    tag.dataset.locale = 'en';
    tag.dataset.position = 'left';
    tag.dataset.widget = new URL('./widget-entry.ts', import.meta.url).href;
    document.head.append(tag);
    await import('./loader.js');

    const host = loaderHost();
    assert(host?.shadowRoot, 'launcher host with a shadow root');
    const button = host.shadowRoot.querySelector('button')!;
    equal(button.getAttribute('aria-label'), 'Chat with us');
    equal(button.getAttribute('part'), 'launcher');
    assert(button.getBoundingClientRect().width > 0, 'launcher is drawn');
    assert(button.getBoundingClientRect().left < 100, 'data-position=left');
    equal(host.shadowRoot.adoptedStyleSheets.length, 1, 'constructed stylesheet');
    const styled = [host, ...host.shadowRoot.querySelectorAll('*')].filter((n) => n.hasAttribute('style'));
    equal(styled.length, 0, 'no style attributes');
    equal(typeof w.Vitrine, 'function');
    equal(w.Vitrine!.l, 1, 'queue replaced by the live API');

    await sleep(300);
    equal(localStorage.length, 0, 'no storage before interaction');
    equal(sockets.filter((u) => u.includes('/socket.io/')).length, 0, 'no WebSocket before interaction');
    equal(socketIoRequests().length, 0, 'no Socket.IO request before interaction');
    equal(chats().length, 0, 'widget not loaded yet');
  });

  it('loads the widget on click; <vitrine-chat> takes over, open, focused, identified', async () => {
    loaderHost()!.shadowRoot!.querySelector('button')!.click();
    const chat = (await waitFor(() => chats()[0] as VitrineChat | undefined, 'vitrine-chat mounted')) as VitrineChat;
    await waitFor(() => chat.open, 'opened');
    await chat.updateComplete;
    equal(loaderHost(), null, 'loader launcher removed');
    deepEqual(events, ['open'], 'queued "on open" listener called');
    deepEqual(chat.identity, { name: 'Ann' }, 'queued identify applied');
    equal(chat.position, 'left');
    equal(deepActiveElement(), chat.shadowRoot!.querySelector('[part="input"]'), 'focus in the composer');
    await waitFor(() => chat.activeClient?.$connection.get() === 'online', 'connected');
    assert(sockets.some((u) => u.includes('/socket.io/')) || socketIoRequests().length > 0, 'connection opened after the click');
    const keys = Object.keys(localStorage);
    assert(keys.length > 0 && keys.every((k) => k.startsWith('vitrine:wtr:')), `prefixed keys: ${keys}`);
  });

  it('runs commands after load: close, toggle, askAbout, off', async () => {
    const chat = chats()[0] as VitrineChat;
    w.Vitrine!('close');
    await chat.updateComplete;
    equal(chat.open, false);
    deepEqual(events, ['open', 'close']);
    w.Vitrine!('toggle');
    await chat.updateComplete;
    equal(chat.open, true);
    w.Vitrine!('off', 'close', onClose);
    w.Vitrine!('close');
    await chat.updateComplete;
    deepEqual(events, ['open', 'close', 'open'], 'off removed the close listener');
    w.Vitrine!('askAbout', 'Gold hoops, 8 mm pin?');
    await chat.updateComplete;
    equal(chat.open, true);
    equal((chat.shadowRoot!.querySelector('[part="input"]') as HTMLTextAreaElement).value, 'Gold hoops, 8 mm pin?');
  });

  it('ignores a second copy of the script', async () => {
    const again = `${new URL('./loader.ts', import.meta.url).href}?again`;
    await import(/* @vite-ignore */ again);
    await sleep(50);
    equal(chats().length, 1, 'one widget');
    equal(loaderHost(), null, 'no second launcher');
  });

  it('destroy removes everything', async () => {
    w.Vitrine!('destroy');
    equal(chats().length, 0);
    equal(loaderHost(), null);
    equal(w.Vitrine, undefined);
  });
});
