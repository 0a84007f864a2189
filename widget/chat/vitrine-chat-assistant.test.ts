// <vitrine-chat> with the shop's AI assistant (issue 6), against the real server: shop `wtr-ai` has
// the assistant on (embedded provider, demo FAQ, a small streaming pace; web-test-runner.config.mjs),
// shop `wtr` has it off. The toggle, AI labels, streamed text, Stop, "Talk to a person", the staff
// offline notice, a take-over by an agent, both languages, untrusted text.
import { createVitrineClient, type AssistantState, type ChatMessage, type ConversationHandle, type VitrineClient } from '../../src/index.js';
import type { AssistantChangeDetail } from '../events.js';
import { webPorts } from '../ports-web.js';
import { assert, describe, equal, it, waitFor } from '../test-utils.js';
import { useRealChat } from './real-chat.test-helpers.js';
import type { VitrineChat } from './vitrine-chat.js';

const chat = useRealChat();
const { cleanups, track, openChat } = chat;

interface AssistantShop {
  shop: string;
  agentToken: string;
  agentName: string;
}
const aiShop = (): AssistantShop | null => (chat.info as { assistant?: AssistantShop | null }).assistant ?? null;

const $$ = <E extends Element = HTMLElement>(el: VitrineChat, selector: string) => [...el.shadowRoot!.querySelectorAll<E>(selector)];
const $ = <E extends Element = HTMLElement>(el: VitrineChat, selector: string) => el.shadowRoot!.querySelector<E>(selector);
const text = (node: Element | null | undefined) => node?.textContent?.replace(/\s+/g, ' ').trim() ?? '';
const OFFLINE_EN = "Our staff are offline. Leave your question here and we'll reply as soon as we're back.";

/** Skips the test when the server has no assistant yet; else the AI shop. */
function needsAssistant(ctx: { skip(): void }): AssistantShop {
  const shop = aiShop();
  if (!shop) ctx.skip();
  return shop!;
}

/** Mounts an open chat on the AI shop and waits until the visitor is online with the assistant state known. */
async function openAiChat(shop: AssistantShop, props: Partial<VitrineChat> = {}) {
  localStorage.clear();
  const visitor = track(createVitrineClient({ url: chat.info.url, shop: shop.shop, ports: webPorts(shop.shop), autoConnect: false }));
  const el = document.createElement('vitrine-chat');
  el.locale = 'en';
  Object.assign(el, { client: visitor, ...props });
  document.body.append(el);
  cleanups.push(() => el.remove());
  await el.updateComplete;
  el.show();
  const conv = await waitFor(() => visitor.$conversation.get(), 'visitor conversation');
  await waitFor(() => conv.$assistant.get(), 'assistant state');
  return { el, visitor, conv };
}

function agentOf(shop: AssistantShop): VitrineClient {
  return track(createVitrineClient({ url: chat.info.url, shop: shop.shop, role: 'agent', token: shop.agentToken }));
}

/** The bubbles of the AI's messages. */
const aiBubbles = (el: VitrineChat) => $$(el, '.message.theirs').filter((m) => m.querySelector('[part="ai-label"]'));

async function ask(el: VitrineChat, question: string): Promise<void> {
  el.draft = question;
  await el.updateComplete;
  $<HTMLButtonElement>(el, '[part="send"]')!.click();
}

const lastAi = (conv: ConversationHandle): ChatMessage | undefined => conv.$messages.get().filter((m) => m.author.role === 'assistant').at(-1);
/** The newest AI reply once it is final. */
const finalAi = (conv: ConversationHandle): ChatMessage | null => {
  const m = lastAi(conv);
  return m && !m.streaming ? m : null;
};

describe('<vitrine-chat> AI assistant', () => {
  it('shows no toggle on a shop without the assistant', async () => {
    const { el, visitor, conv } = await openChat();
    await waitFor(() => visitor.$connection.get() === 'online', 'online');
    await el.updateComplete;
    equal(conv.$assistant.get()?.enabled ?? false, false, 'no assistant for shop wtr');
    equal($(el, '[part="assistant-toggle"]'), null, 'no toggle');
    equal($(el, '[part="assistant-status"]'), null, 'no status line');
  });

  it('shows the toggle when the shop has the assistant, and switches who answers (server state checked)', async function () {
    const shop = needsAssistant(this);
    const { el, conv } = await openAiChat(shop);
    const toggle = await waitFor(() => $(el, '[part="assistant-toggle"]'), 'toggle');
    equal(toggle.getAttribute('role'), 'group');
    equal(toggle.getAttribute('aria-label'), 'Who answers you');
    const [aiButton, humanButton] = $$<HTMLButtonElement>(el, '[part~="assistant-option"]');
    equal(text(aiButton), 'AI assistant');
    equal(text(humanButton), 'Talk to a person');
    equal(aiButton.getAttribute('aria-pressed'), 'true');
    equal(humanButton.getAttribute('aria-pressed'), 'false');
    assert(aiButton.getAttribute('part')!.includes('assistant-option-selected'), 'selected part');

    const changes: AssistantChangeDetail[] = [];
    const onChange = (e: Event) => changes.push((e as CustomEvent<AssistantChangeDetail>).detail);
    document.addEventListener('vitrine-assistant-change', onChange);
    cleanups.push(() => document.removeEventListener('vitrine-assistant-change', onChange));

    // Keyboard: focus and Enter (a native button).
    humanButton.focus();
    humanButton.click();
    await waitFor(() => humanButton.getAttribute('aria-pressed') === 'true', 'talk to a person pressed');
    equal(aiButton.getAttribute('aria-pressed'), 'false');
    const agent = agentOf(shop);
    const seen = agent.conversation(conv.id);
    const server = await waitFor(() => (seen.$assistant.get()?.mode === 'human' ? seen.$assistant.get() : null), 'server state: human');
    equal(server.handoff?.reason, 'customer_toggled');
    await waitFor(() => changes.length === 1, 'vitrine-assistant-change');
    equal(changes[0].mode, 'human');
    equal(changes[0].state.handoff?.reason, 'customer_toggled');

    aiButton.click();
    await waitFor(() => aiButton.getAttribute('aria-pressed') === 'true', 'AI pressed again');
    await waitFor(() => seen.$assistant.get()?.mode === 'assistant', 'server state: assistant');
    await waitFor(() => changes.length === 2 && changes[1].mode === 'assistant', 'second change event');
  });

  it('labels AI replies, renders the text as it streams (busy while streaming) and offers "Talk to a person" under the final reply', async function () {
    const shop = needsAssistant(this);
    const { el, conv } = await openAiChat(shop);
    const lengths: number[] = [];
    let busySeen = false;
    const observer = new MutationObserver(() => {
      const bubble = aiBubbles(el).at(-1)?.querySelector('[part~="bubble"]');
      if (!bubble) return;
      if (bubble.getAttribute('aria-busy') === 'true') {
        busySeen = true;
        const n = bubble.textContent!.length;
        if (n > 0 && lengths.at(-1) !== n) lengths.push(n);
      }
    });
    observer.observe(el.shadowRoot!, { subtree: true, childList: true, characterData: true, attributes: true });
    cleanups.push(() => observer.disconnect());

    await ask(el, 'How do returns work?');
    const final = await waitFor(() => finalAi(conv), 'final AI reply', 10000);
    await el.updateComplete;
    observer.disconnect();
    assert(final.text.includes('7 days'), `the returns answer: ${final.text}`);
    assert(busySeen, 'the bubble was aria-busy while streaming');
    assert(lengths.length >= 2, `the text grew in the DOM (lengths seen: ${lengths.join(',')})`);
    for (let i = 1; i < lengths.length; i++) assert(lengths[i] > lengths[i - 1], 'the text only grows');

    const message = aiBubbles(el).at(-1)!;
    equal(text(message.querySelector('[part="ai-label"]')), 'AI');
    equal(text(message.querySelector('[part="author"]')), 'AI assistant');
    const bubble = message.querySelector('[part~="bubble"]')!;
    equal(bubble.getAttribute('aria-busy'), null, 'not busy once final');
    equal(bubble.textContent, final.text);
    equal(message.querySelector('[part="stop"]'), null, 'no Stop once final');
    const handoff = message.querySelector<HTMLButtonElement>('[part="handoff"]');
    equal(text(handoff), 'Talk to a person');
  });

  it('stops a reply while it streams: the text so far stays, marked stopped', async function () {
    const shop = needsAssistant(this);
    const { el, conv } = await openAiChat(shop);
    await ask(el, 'How do returns work?');
    const stop = await waitFor(() => $<HTMLButtonElement>(el, '[part="stop"]'), 'Stop button while streaming');
    equal(text(stop), 'Stop');
    equal(stop.getAttribute('aria-label'), 'Stop the AI reply');
    stop.click();
    const stopped = await waitFor(() => (finalAi(conv)?.stopped ? finalAi(conv) : null), 'stopped reply');
    await el.updateComplete;
    const message = aiBubbles(el).at(-1)!;
    equal(text(message.querySelector('[part="stopped"]')), 'Stopped');
    equal(message.querySelector('[part="stop"]'), null, 'no Stop after stopping');
    equal(message.querySelector('[part~="bubble"]')!.textContent, stopped.text);
    assert(stopped.text.length < 'You can return an item within 7 days of delivery if it is unworn and in its original packaging with the tag.'.length, `stopped early: ${stopped.text}`);
  });

  it('"Talk to a person" hands off; with no staff online the notice asks to leave the question', async function () {
    const shop = needsAssistant(this);
    const { el, conv } = await openAiChat(shop);
    equal(conv.$assistant.get()?.staffOnline, false, 'no agent of wtr-ai connected');
    await ask(el, 'How do returns work?');
    const handoff = await waitFor(() => $<HTMLButtonElement>(el, '[part="handoff"]'), '"Talk to a person" under the reply', 10000);
    handoff.click();
    const status = await waitFor(() => $(el, '[part="assistant-status"]'), 'status line');
    equal(status.getAttribute('role'), 'status');
    await waitFor(() => status.getAttribute('data-status') === 'offline', 'offline status');
    equal(text(status), OFFLINE_EN);
    equal($(el, '[part="handoff"]'), null, 'no hand-off offer once handed off');
    equal($$(el, '[part~="assistant-option"]')[1].getAttribute('aria-pressed'), 'true', 'toggle on "Talk to a person"');
    equal(conv.$assistant.get()?.handoff?.reason, 'customer_toggled');
  });

  it('speaks zh-CN: toggle, AI badge, staff-offline notice', async function () {
    const shop = needsAssistant(this);
    const { el } = await openAiChat(shop, { locale: 'zh-CN' });
    const [aiButton, humanButton] = await waitFor(() => {
      const options = $$<HTMLButtonElement>(el, '[part~="assistant-option"]');
      return options.length === 2 ? options : null;
    }, 'toggle');
    equal(text(aiButton), 'AI 助手');
    equal(text(humanButton), '转人工');
    equal($(el, '[part="assistant-toggle"]')!.getAttribute('aria-label'), '回复方式');
    await ask(el, '可以退货吗？');
    await waitFor(() => $(el, '[part="handoff"]'), 'final reply with the hand-off offer', 10000);
    equal(text(aiBubbles(el).at(-1)!.querySelector('[part="author"]')), 'AI 助手');
    humanButton.click();
    const status = await waitFor(() => $(el, '[part="assistant-status"][data-status="offline"]'), 'offline status');
    equal(text(status), '客服暂时不在线。请在这里留下您的问题，我们回来后会尽快回复您。');
  });

  it('keeps untrusted text as text', async function () {
    const shop = needsAssistant(this);
    const { el, conv } = await openAiChat(shop);
    const hostile = '<img src=x onerror="window.__pwned=1"><b>bold</b> 退货?';
    await ask(el, hostile);
    await waitFor(() => {
      const m = lastAi(conv);
      return m && !m.streaming;
    }, 'AI reply', 10000);
    await el.updateComplete;
    for (const bubble of $$(el, '[part~="bubble"]')) equal(bubble.children.length, 0, 'bubbles hold text only');
    assert($$(el, '[part~="bubble"]').some((b) => b.textContent === hostile), 'the hostile text is shown as text');
    equal((window as { __pwned?: number }).__pwned, undefined);
    equal(el.shadowRoot!.querySelector('img[src="x"]'), null);
  });
  it('a take-over by an agent shows "<name> joined" and ends the AI flow (the streaming reply stops)', async function () {
    const shop = needsAssistant(this);
    const { el, conv } = await openAiChat(shop);
    const agent = agentOf(shop);
    await waitFor(() => agent.$connection.get() === 'online', 'agent online');
    await ask(el, 'How do returns work?');
    await waitFor(() => $(el, '[part="stop"]'), 'a reply streaming');
    const handle = agent.conversation(conv.id);
    const state: AssistantState = await handle.setAssistantMode('human');
    equal(state.takeover?.agentName, shop.agentName);
    const status = await waitFor(() => $(el, '[part="assistant-status"][data-status="takeover"]'), 'take-over status');
    equal(text(status), `${shop.agentName} joined the chat`);
    await waitFor(() => !lastAi(conv)?.streaming, 'the streaming reply ended');
    await el.updateComplete;
    equal($(el, '[part="stop"]'), null, 'no Stop');
    equal($(el, '[part="handoff"]'), null, 'no "Talk to a person" offer');
    equal($$(el, '[part~="assistant-option"]')[0].getAttribute('aria-pressed'), 'false', 'AI not pressed');

    // The agent's reply is a person's message, not labelled AI; the assistant does not answer any more.
    await handle.send('Hi, I am here to help.');
    await waitFor(() => conv.$messages.get().some((m) => m.author.role === 'agent'), 'agent reply');
    const before = conv.$messages.get().filter((m) => m.author.role === 'assistant').length;
    await conv.send('Thanks! And delivery?');
    await waitFor(() => handle.$messages.get().some((m) => m.text === 'Thanks! And delivery?'), 'agent got the question');
    await el.updateComplete;
    const agentMessage = $$(el, '.message.theirs').find((m) => text(m.querySelector('[part~="bubble"]')) === 'Hi, I am here to help.')!;
    equal(agentMessage.querySelector('[part="ai-label"]'), null, 'no AI label on the agent message');
    equal(conv.$messages.get().filter((m) => m.author.role === 'assistant').length, before, 'no new AI reply so far');
  });
});
