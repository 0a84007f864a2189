/** `Vitrine('open')` queued before the loader arrives opens the chat without a click. */
import type { VitrineChat } from './chat/vitrine-chat.component.js';
import { deepActiveElement, deepEqual, describe, equal, it, vitrineServer, waitFor } from './test-utils.js';

type Queue = ((...args: unknown[]) => void) & { q?: IArguments[] };
const w = window as unknown as { Vitrine?: Queue };

describe('vitrine.js loader: queued open', () => {
  it('replays a queued open in order after the queued listeners, without stealing focus', async () => {
    const info = await vitrineServer();
    localStorage.clear();
    const seen: string[] = [];
    w.Vitrine = function () {
      // eslint-disable-next-line prefer-rest-params
      (w.Vitrine!.q = w.Vitrine!.q || []).push(arguments);
    };
    w.Vitrine('on', 'open', () => seen.push('open'));
    w.Vitrine('open');
    const tag = document.createElement('script');
    tag.type = 'text/plain';
    tag.dataset.shop = info.shop;
    tag.dataset.server = info.url;
    tag.dataset.theme = 'dark';
    tag.dataset.widget = new URL('./widget-entry.ts', import.meta.url).href;
    document.head.append(tag);
    await import('./loader.js');
    const chat = (await waitFor(() => document.querySelector('vitrine-chat') as VitrineChat | null, 'widget mounted')) as VitrineChat;
    await waitFor(() => chat.open, 'opened by the queued command');
    deepEqual(seen, ['open']);
    equal(chat.theme, 'dark');
    equal(chat.getAttribute('theme'), 'dark', 'data-theme passed on');
    equal(document.querySelector('vitrine-loader'), null);
    equal(deepActiveElement() === chat.shadowRoot!.querySelector('[part="input"]'), false, 'a programmatic open does not move focus');
    await waitFor(() => chat.activeClient?.$connection.get() === 'online', 'connected');
    w.Vitrine!('destroy');
  });
});
