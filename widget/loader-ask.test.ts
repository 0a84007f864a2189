/** `data-vitrine-ask` on host-page elements: the loader (before the widget is loaded) and then <vitrine-chat> handle it. */
import type { VitrineChat } from './chat/vitrine-chat.component.js';
import { describe, equal, it, vitrineServer, waitFor } from './test-utils.js';

type Queue = ((...args: unknown[]) => void) & { q?: IArguments[] };
const w = window as unknown as { Vitrine?: Queue };

function askButton(id: string): HTMLButtonElement {
  const button = document.createElement('button');
  button.type = 'button';
  button.dataset.vitrineAsk = id;
  button.innerHTML = '<span>Ask about this</span>';
  document.body.append(button);
  return button;
}

describe('vitrine.js loader: data-vitrine-ask', () => {
  it('a click on [data-vitrine-ask] loads the widget, opens it and attaches the product; later clicks too', async () => {
    const info = await vitrineServer();
    localStorage.clear();
    const tag = document.createElement('script');
    tag.type = 'text/plain';
    tag.dataset.shop = info.shop;
    tag.dataset.server = info.url;
    tag.dataset.locale = 'en';
    tag.dataset.widget = new URL('./widget-entry.ts', import.meta.url).href;
    document.head.append(tag);
    await import('./loader.js');
    equal(document.querySelector('vitrine-chat'), null, 'not loaded before the click');

    const first = askButton('perle-studs');
    first.querySelector('span')!.click();
    const chat = (await waitFor(() => document.querySelector('vitrine-chat') as VitrineChat | null, 'widget mounted')) as VitrineChat;
    await waitFor(() => chat.open, 'opened');
    await waitFor(() => chat.shadowRoot!.querySelector('[part="ask-context"]'), 'context shown');

    // Loaded: the widget handles the next click (once).
    const asked: unknown[] = [];
    const original = chat.askAbout.bind(chat);
    chat.askAbout = (subject, options) => {
      asked.push(subject);
      original(subject, options);
    };
    askButton('jade-bangle').click();
    equal(asked.length, 1, 'handled once');
    equal(asked[0], 'jade-bangle');
    w.Vitrine!('destroy');
  });
});
