import { emulateMedia, sendKeys, setViewport } from '@web/test-runner-commands';
import { createVitrineClient, socketIoTransport, type ChatMessage, type ConversationHandle, type Transport, type VitrineClient } from '../../src/index.js';
import { webPorts } from '../ports-web.js';
import {
  afterEach,
  assert,
  beforeEach,
  deepActiveElement,
  deepElements,
  describe,
  equal,
  it,
  notEqual,
  startExtraServer,
  stopExtraServer,
  vitrineServer,
  waitFor,
  type ServerInfo,
} from '../test-utils.js';
import './vitrine-chat.js';
import type { VitrineChat } from './vitrine-chat.js';

const GOLD = '这条项链有金色的吗?';

let info: ServerInfo;
const cleanups: (() => void | Promise<void>)[] = [];

function track<T extends { destroy(): void }>(client: T): T {
  cleanups.push(() => client.destroy());
  return client;
}

function visitorClient(): VitrineClient {
  return track(createVitrineClient({ url: info.url, shop: info.shop, ports: webPorts(info.shop), autoConnect: false }));
}

function agentClient(url = info.url, token = info.agentToken): VitrineClient {
  return track(createVitrineClient({ url, shop: info.shop, role: 'agent', token }));
}

async function mountChat(props: Partial<VitrineChat> = {}): Promise<VitrineChat> {
  const el = document.createElement('vitrine-chat');
  el.locale = 'en';
  Object.assign(el, props);
  document.body.append(el);
  cleanups.push(() => el.remove());
  await el.updateComplete;
  return el;
}

const $ = <E extends Element = HTMLElement>(el: VitrineChat, selector: string): E => {
  const found = el.shadowRoot!.querySelector<E>(selector);
  assert(found, `no ${selector} in <vitrine-chat>`);
  return found;
};
const $$ = (el: VitrineChat, selector: string) => [...el.shadowRoot!.querySelectorAll<HTMLElement>(selector)];
const visible = (node: HTMLElement) => !node.hidden && node.getClientRects().length > 0;
const messageTexts = (el: VitrineChat) => $$(el, '[part~="message"] [part="bubble"]').map((b) => b.textContent);

/** Opens a chat with a real visitor client and waits for its conversation. */
async function openChat(props: Partial<VitrineChat> = {}): Promise<{ el: VitrineChat; visitor: VitrineClient; conv: ConversationHandle }> {
  const visitor = visitorClient();
  const el = await mountChat({ client: visitor, ...props });
  $(el, '[part="launcher"]').click();
  const conv = await waitFor(() => visitor.$conversation.get(), 'visitor conversation');
  await waitFor(() => visitor.$connection.get() === 'online', 'visitor online');
  return { el, visitor, conv };
}

/** Presses `key` with Shift held (puppeteer's sendKeys has no "Shift+X" shorthand). */
async function shiftPress(key: string): Promise<void> {
  await sendKeys({ down: 'Shift' });
  try {
    await sendKeys({ press: key });
  } finally {
    await sendKeys({ up: 'Shift' });
  }
}

/** Types into the composer with the real keyboard and presses Enter. */
async function typeAndSend(el: VitrineChat, text: string): Promise<void> {
  $(el, '[part="input"]').focus();
  await sendKeys({ type: text });
  await sendKeys({ press: 'Enter' });
}

/** The agent's handle on the visitor's conversation, once the agent is online. */
async function agentOn(conversationId: string): Promise<{ agent: VitrineClient; handle: ConversationHandle }> {
  const agent = agentClient();
  await waitFor(() => agent.$connection.get() === 'online', 'agent online');
  return { agent, handle: agent.conversation(conversationId) };
}

describe('<vitrine-chat>', () => {
  beforeEach(async () => {
    info = await vitrineServer();
    localStorage.clear();
  });

  afterEach(async () => {
    for (const fn of cleanups.splice(0).reverse()) await fn();
    localStorage.clear();
    await emulateMedia({ colorScheme: 'light' });
  });

  it('renders a launcher with the panel closed and connects nothing until opened', async () => {
    const visitor = visitorClient();
    const el = await mountChat({ client: visitor });
    const launcher = $(el, '[part="launcher"]');
    assert(visible(launcher), 'launcher is visible');
    equal(launcher.getAttribute('aria-expanded'), 'false');
    assert(launcher.textContent!.includes('Chat with us'), 'launcher label from the catalogue');
    assert(!visible($(el, '[part="panel"]')), 'panel is closed');
    equal($(el, '[part="panel"]').getAttribute('role'), 'dialog');
    assert(!visible($(el, '[part="unread-badge"]')), 'no badge at 0');
    equal(visitor.$connection.get(), 'idle', 'no connection before opening');
    equal(el.open, false);
  });

  it('creates its own client from server + shop only when opened', async () => {
    const el = await mountChat({ server: info.url, shop: info.shop });
    equal(el.activeClient, null, 'no client before opening');
    equal(localStorage.length, 0, 'no storage before opening');
    el.show();
    await waitFor(() => el.activeClient?.$connection.get() === 'online', 'own client online');
    await waitFor(() => $(el, '[part="connection"]').textContent!.includes('Online'), 'online text');
    const keys = Object.keys(localStorage);
    assert(keys.length > 0 && keys.every((k) => k.startsWith(`vitrine:${info.shop}:`)), `storage keys are prefixed: ${keys}`);
  });

  it('opens with a click: dialog visible, focus in the composer, vitrine-open fired', async () => {
    const visitor = visitorClient();
    const el = await mountChat({ client: visitor });
    let opened = 0;
    document.addEventListener('vitrine-open', () => (opened += 1), { once: true });
    $(el, '[part="launcher"]').click();
    await el.updateComplete;
    assert(el.open && el.hasAttribute('open'), 'open reflects');
    assert(visible($(el, '[part="panel"]')), 'panel visible');
    equal($(el, '[part="launcher"]').getAttribute('aria-expanded'), 'true');
    equal(deepActiveElement(), $(el, '[part="input"]'), 'focus moved to the input');
    equal(opened, 1, 'vitrine-open bubbled to document');
    await waitFor(() => visitor.$connection.get() === 'online', 'connected after opening');
  });

  it('works with the keyboard: Tab reaches the launcher and every control, Escape closes and restores focus', async () => {
    const el = await mountChat({ client: visitorClient() });
    (document.activeElement as HTMLElement | null)?.blur();
    await sendKeys({ press: 'Tab' });
    equal(deepActiveElement(), $(el, '[part="launcher"]'), 'Tab reaches the launcher');
    await sendKeys({ press: 'Enter' });
    await el.updateComplete;
    assert(el.open, 'Enter on the launcher opens');
    equal(deepActiveElement(), $(el, '[part="input"]'));
    await sendKeys({ type: 'hi' }); // enables the send button
    await sendKeys({ press: 'Tab' });
    equal(deepActiveElement(), $(el, '[part="send"]'), 'Tab: input -> send');
    await sendKeys({ press: 'Tab' });
    equal(deepActiveElement(), $(el, '[part="launcher"]'), 'Tab: send -> launcher');
    $(el, '[part="input"]').focus();
    await shiftPress('Tab');
    equal(deepActiveElement(), $(el, '[part="message-list"]'), 'Shift+Tab: input -> message list');
    await shiftPress('Tab');
    if (el.shadowRoot!.querySelector('[part~="tabs"]')) {
      // A server with feeds: the tab bar (one stop, the shown tab) sits between header and messages.
      equal(deepActiveElement(), $(el, '[part~="tab-selected"]'), 'Shift+Tab: message list -> Chat tab');
      await shiftPress('Tab');
    }
    equal(deepActiveElement(), $(el, '[part="close-button"]'), 'Shift+Tab: message list -> close');
    $(el, '[part="input"]').focus();
    await sendKeys({ press: 'Escape' });
    await el.updateComplete;
    assert(!el.open, 'Escape closes');
    assert(!visible($(el, '[part="panel"]')), 'panel hidden');
    equal(deepActiveElement(), $(el, '[part="launcher"]'), 'focus back on the launcher');
    equal(($(el, '[part="input"]') as HTMLTextAreaElement).value, 'hi', 'draft kept while closed');
  });

  it('sends "这条项链有金色的吗?": shown at once as sending, then sent; the input clears', async () => {
    const { el } = await openChat();
    const seen: string[] = [];
    const observer = new MutationObserver(() => {
      for (const s of $$(el, '[part~="message-mine"] [part="status"]')) {
        const status = s.dataset.status!;
        if (seen[seen.length - 1] !== status) seen.push(status);
      }
    });
    observer.observe(el.shadowRoot!, { subtree: true, childList: true, attributes: true, characterData: true });
    try {
      await typeAndSend(el, GOLD);
      await waitFor(() => seen.includes('sent'), 'status sent');
    } finally {
      observer.disconnect();
    }
    equal(seen[0], 'sending', 'first shown as sending');
    assert(seen.includes('sent'), `then sent (${seen.join(' -> ')})`);
    equal(messageTexts(el).at(-1), GOLD);
    equal(($(el, '[part="input"]') as HTMLTextAreaElement).value, '', 'input cleared');
    const mine = $$(el, '[part~="message-mine"]').at(-1)!;
    assert(mine.querySelector('time[datetime]'), 'time element with datetime');
    equal(mine.querySelector('[part="author"]')?.textContent, 'You');
  });

  it('Shift+Enter inserts a newline and Enter during IME composition does not send', async () => {
    const { el } = await openChat();
    const input = $(el, '[part="input"]') as HTMLTextAreaElement;
    input.focus();
    await sendKeys({ type: 'line one' });
    await shiftPress('Enter');
    await sendKeys({ type: 'line two' });
    equal(input.value, 'line one\nline two');
    input.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', isComposing: true, bubbles: true, composed: true, cancelable: true }));
    await el.updateComplete;
    equal($$(el, '[part~="message"]').length, 0, 'nothing sent while composing');
    await sendKeys({ press: 'Enter' });
    await waitFor(() => messageTexts(el).includes('line one\nline two'), 'multi-line message');
  });

  it('shows the agent reply, fires vitrine-message, and marks own messages read when the agent reads', async () => {
    const { el, conv } = await openChat();
    await typeAndSend(el, GOLD);
    await waitFor(() => $$(el, '[part~="message-mine"] [part="status"]').at(-1)?.dataset.status === 'sent', 'sent');
    const { handle } = await agentOn(conv.id);
    await waitFor(() => handle.$messages.get().some((m) => m.text === GOLD), 'agent sees the question');

    const received: ChatMessage[] = [];
    el.addEventListener('vitrine-message', (e) => received.push(e.detail));
    await handle.send('有的，18K 金色，S925 银镀金。');
    await waitFor(() => messageTexts(el).includes('有的，18K 金色，S925 银镀金。'), 'reply shown');
    const theirs = $$(el, '[part~="message-theirs"]').at(-1)!;
    equal(theirs.querySelector('[part="author"]')?.textContent, 'Mei', 'agent name as author label');
    assert(!theirs.querySelector('[part="status"]'), 'no status on their messages');
    equal(received.length, 1, 'one vitrine-message');
    equal(received[0].text, '有的，18K 金色，S925 银镀金。');

    handle.markRead();
    await waitFor(() => $$(el, '[part~="message-mine"] [part="status"]').at(-1)?.dataset.status === 'read', 'status read');
    equal($$(el, '[part~="message-mine"] [part="status"]').at(-1)!.textContent!.trim(), 'Read');
  });

  it('shows typing both ways', async () => {
    const { el, conv } = await openChat();
    await typeAndSend(el, 'hello');
    const { handle } = await agentOn(conv.id);
    // Visitor -> agent
    $(el, '[part="input"]').focus();
    await sendKeys({ type: 'is it' });
    await waitFor(() => handle.$typing.get().some((a) => a.role === 'visitor'), 'agent sees the visitor typing');
    // Agent -> visitor
    handle.setTyping(true);
    const typing = await waitFor(() => el.shadowRoot!.querySelector<HTMLElement>('[part="typing"]'), 'typing indicator');
    equal(typing.textContent, 'Mei is typing…');
    handle.setTyping(false);
    await waitFor(() => !el.shadowRoot!.querySelector('[part="typing"]'), 'typing indicator gone');
  });

  it('counts agent messages on the closed launcher and clears the badge on open', async () => {
    const { el, conv } = await openChat();
    await typeAndSend(el, 'Do you have size 42?');
    const { handle } = await agentOn(conv.id);
    $(el, '[part="close-button"]').click();
    await el.updateComplete;
    assert(!el.open, 'closed');
    const counts: number[] = [];
    el.addEventListener('vitrine-unread-change', (e) => counts.push(e.detail.count));
    await handle.send('Yes, in grey.');
    await handle.send('Shall I reserve a fitting on Saturday?');
    const badge = $(el, '[part="unread-badge"]');
    await waitFor(() => badge.textContent === '2' && visible(badge), 'badge shows 2');
    assert($(el, '[part="launcher"]').textContent!.includes('2 unread messages'), 'plural label from the catalogue');
    equal(counts.at(-1), 2);
    $(el, '[part="launcher"]').click();
    await waitFor(() => !visible(badge), 'badge cleared on open');
    await waitFor(() => counts.at(-1) === 0, 'unread-change to 0');
  });

  it('renders hostile text as text (no HTML), and nothing in the shadow DOM has a style attribute', async () => {
    const { el, conv } = await openChat();
    const hostile = '<img src=x onerror=alert(1)>';
    await typeAndSend(el, hostile);
    const { handle } = await agentOn(conv.id);
    await handle.send('<script>alert(2)</script><b>bold</b>');
    handle.setTyping(true);
    await waitFor(() => messageTexts(el).includes('<script>alert(2)</script><b>bold</b>'), 'agent text shown');
    await waitFor(() => el.shadowRoot!.querySelector('[part="typing"]'), 'typing shown');
    equal(messageTexts(el)[0], hostile, 'shown literally');
    const all = deepElements(el.shadowRoot!);
    equal(all.filter((n) => ['IMG', 'SCRIPT', 'B'].includes(n.tagName)).length, 0, 'no injected elements');
    const styled = [el, ...all].filter((n) => n.hasAttribute('style'));
    equal(styled.length, 0, `style attributes on: ${styled.map((n) => n.tagName).join(',')}`);
  });

  it('dark theme swaps the token defaults; auto follows prefers-color-scheme; designer tokens win', async () => {
    const light = await mountChat({ client: visitorClient(), theme: 'light', open: true });
    const dark = await mountChat({ client: visitorClient(), theme: 'dark', open: true });
    const auto = await mountChat({ client: visitorClient(), theme: 'auto', open: true });
    const bg = (el: VitrineChat) => getComputedStyle($(el, '[part="panel"]')).backgroundColor;
    const fg = (el: VitrineChat) => getComputedStyle($(el, '[part="panel"]')).color;
    notEqual(bg(dark), bg(light), 'panel background differs');
    notEqual(fg(dark), fg(light), 'text colour differs');
    equal(bg(auto), bg(light), 'auto is light under a light scheme');
    await emulateMedia({ colorScheme: 'dark' });
    equal(bg(auto), bg(dark), 'auto is dark under a dark scheme');
    equal(bg(light), getComputedStyle($(light, '[part="panel"]')).backgroundColor);
    light.style.setProperty('--vitrine-color-surface', 'rgb(1, 2, 3)');
    equal(bg(light), 'rgb(1, 2, 3)', 'a --vitrine-* token overrides the default');
    light.removeAttribute('style');
  });

  it('goes full screen below 480px', async () => {
    await setViewport({ width: 400, height: 700 });
    try {
      const el = await mountChat({ client: visitorClient(), open: true });
      const rect = $(el, '[part="panel"]').getBoundingClientRect();
      equal(Math.round(rect.width), 400);
      equal(Math.round(rect.height), 700);
    } finally {
      await setViewport({ width: 800, height: 600 });
    }
  });

  it('shows reconnecting when the server goes away, keeps the draft, and queues sends in the outbox', async function () {
    this.timeout(20000);
    const extra = await startExtraServer();
    let stopped = false;
    cleanups.push(async () => {
      if (!stopped) await stopExtraServer(extra.id);
    });
    const el = await mountChat({ server: extra.url, shop: extra.shop });
    el.show({ focus: true });
    await waitFor(() => el.activeClient?.$connection.get() === 'online', 'online on the extra server');
    await typeAndSend(el, 'first');
    await waitFor(() => $$(el, '[part~="message-mine"] [part="status"]').at(-1)?.dataset.status === 'sent', 'first sent');
    await sendKeys({ type: 'my half-written question' });
    await stopExtraServer(extra.id);
    stopped = true;
    const state = $(el, '[part="connection"]');
    await waitFor(() => state.dataset.state === 'reconnecting', 'reconnecting state', 10000);
    assert(state.textContent!.includes('Reconnecting'), `reconnecting text: ${state.textContent}`);
    const input = $(el, '[part="input"]') as HTMLTextAreaElement;
    equal(input.value, 'my half-written question', 'draft kept');
    await sendKeys({ press: 'Enter' });
    await waitFor(() => messageTexts(el).includes('my half-written question'), 'queued message shown');
    equal($$(el, '[part~="message-mine"] [part="status"]').at(-1)!.dataset.status, 'sending', 'waits in the outbox');
    equal(input.value, '', 'draft handed to the outbox');
  });

  it('fires vitrine-notify once for a shop message while closed, not while open and visible', async () => {
    const { el, conv } = await openChat();
    await typeAndSend(el, 'Is the pearl real?');
    const notified: string[] = [];
    el.addEventListener('vitrine-notify', (e) => notified.push(e.detail.text ?? ''));
    const { handle } = await agentOn(conv.id);
    await handle.send('Yes, freshwater pearl.');
    await waitFor(() => messageTexts(el).includes('Yes, freshwater pearl.'), 'reply shown');
    $(el, '[part="close-button"]').click();
    await el.updateComplete;
    await handle.send('Shall I keep one for you?');
    await waitFor(() => notified.length === 1, 'one notification');
    await new Promise((r) => setTimeout(r, 300));
    equal(JSON.stringify(notified), JSON.stringify(['Shall I keep one for you?']));
  });

  it('shows sends a previous page left in the outbox as sending before any session (server unreachable)', async () => {
    const token = `vt_${'a'.repeat(64)}`;
    localStorage.setItem(`vitrine:${info.shop}:session`, JSON.stringify({ token, userId: 'v_before', conversationId: 'c_before' }));
    const entry = {
      conversationId: 'c_before',
      clientId: 'pending-1',
      kind: 'text',
      text: 'sent before the reload',
      createdAt: new Date().toISOString(),
      attempts: 0,
      status: 'sending',
      error: null,
    };
    localStorage.setItem(`vitrine:${info.shop}:outbox`, JSON.stringify([entry]));
    const el = await mountChat({ server: 'http://127.0.0.1:1', shop: info.shop });
    el.show();
    await waitFor(() => messageTexts(el).includes('sent before the reload'), 'restored pending send shown');
    equal($$(el, '[part~="message-mine"]').at(-1)!.dataset.status, 'sending');
    notEqual($(el, '[part="connection"]').dataset.state, 'online');
  });

  it('keeps a too-long text in the input with a warning and a disabled send button', async () => {
    const { el } = await openChat();
    const input = $(el, '[part="input"]') as HTMLTextAreaElement;
    input.value = 'x'.repeat(4001);
    input.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
    await el.updateComplete;
    assert(visible($(el, '[part="too-long"]')), 'warning shown');
    assert(($(el, '[part="send"]') as HTMLButtonElement).disabled, 'send disabled');
    await sendKeys({ press: 'Enter' });
    equal(input.value.length, 4001, 'text kept');
    equal($$(el, '[part~="message"]').length, 0, 'nothing sent');
  });

  it('marks a message failed when the server rejects it, and the retry button sends it', async () => {
    // Fault injection at the public transport seam: the first message:send is answered with a
    // non-retryable error; everything else goes to the real server.
    let rejectNext = true;
    const faulty = (url: string): Transport => {
      const real = socketIoTransport()(url);
      return {
        open: (auth) => real.open(auth),
        close: () => real.close(),
        on: (event, listener) => real.on(event, listener),
        onStatus: (listener) => real.onStatus(listener),
        onRefused: (listener) => real.onRefused(listener),
        request: ((event, payload, timeoutMs) => {
          if (event === 'message:send' && rejectNext) {
            rejectNext = false;
            return Promise.resolve({ ok: false, error: { code: 'forbidden', message: 'injected' } });
          }
          return real.request(event, payload, timeoutMs);
        }) as Transport['request'],
      };
    };
    const visitor = track(createVitrineClient({ url: info.url, shop: info.shop, transport: faulty, autoConnect: false }));
    const el = await mountChat({ client: visitor });
    el.show({ focus: true });
    await waitFor(() => visitor.$connection.get() === 'online', 'online');
    await typeAndSend(el, 'S925 silver?');
    const status = () => $$(el, '[part~="message-mine"] [part="status"]').at(-1)?.dataset.status;
    await waitFor(() => status() === 'failed', 'failed');
    const retry = $(el, '[part="retry"]');
    equal(retry.textContent!.trim(), 'Retry');
    retry.click();
    await waitFor(() => status() === 'sent', 'sent after retry');
    assert(!el.shadowRoot!.querySelector('[part="retry"]'), 'retry button gone');
  });

  it('loads earlier history on demand and keeps the list at the bottom only when it already was', async function () {
    this.timeout(20000);
    const { el, conv } = await openChat();
    await typeAndSend(el, 'catalogue please');
    const { handle } = await agentOn(conv.id);
    for (let i = 1; i <= 55; i += 1) await handle.send(`item ${i}`);
    await waitFor(() => messageTexts(el).includes('item 55'), 'all shown');
    const list = $(el, '[part="message-list"]');
    await waitFor(() => list.scrollHeight - list.scrollTop - list.clientHeight < 2, 'scrolled to the bottom');
    list.scrollTop = 0;
    await handle.send('item 56');
    await waitFor(() => messageTexts(el).includes('item 56'), 'item 56 shown');
    equal(list.scrollTop, 0, 'not yanked down while reading earlier messages');

    // A reload: a fresh client resumes the same visitor (token in localStorage) and gets the latest page.
    el.remove();
    const again = await mountChat({ client: visitorClient() });
    again.show();
    await waitFor(() => messageTexts(again).includes('item 56'), 'latest page after resume');
    equal(messageTexts(again).includes('catalogue please'), false, 'older messages not loaded yet');
    const more = await waitFor(() => again.shadowRoot!.querySelector<HTMLElement>('[part="load-earlier"]'), 'load earlier button');
    equal(more.textContent!.trim(), 'Load earlier messages');
    more.click();
    await waitFor(() => messageTexts(again)[0] === 'catalogue please', 'earlier messages loaded');
    await waitFor(() => !again.shadowRoot!.querySelector('[part="load-earlier"]'), 'button gone at the start');
  });

  it('uses the zh-CN catalogue', async () => {
    const el = await mountChat({ client: visitorClient(), locale: 'zh-CN' });
    assert($(el, '[part="launcher"]').textContent!.includes('联系客服'));
    el.show();
    await el.updateComplete;
    equal($(el, '[part="input"]').getAttribute('placeholder'), '输入消息…');
  });
});
