/**
 * The assistant in the core client (issue 6), against a scripted transport: streamed replies
 * (`message:update` deltas merged into the stored message) and the assistant state of a
 * conversation (session, summaries, `assistant:update`, acks).
 */
import { describe, expect, it } from 'vitest';
import { createVitrineClient } from '../client.js';
import type { AssistantState, ConversationSummary, Message, SessionReady } from '../protocol/index.js';
import type { Transport } from '../transport/transport.js';

type Handler = (payload: any) => any;

/** A transport whose requests are answered by `handlers` (recorded in `calls`). */
function fakeTransport(handlers: Record<string, Handler>) {
  const calls: { event: string; payload: any }[] = [];
  const listeners = new Map<string, ((p: any) => void)[]>();
  const transport = {
    open: () => {},
    close: () => {},
    async request(event: string, payload: any) {
      calls.push({ event, payload });
      const handler = handlers[event];
      return handler ? handler(payload) : { ok: true };
    },
    on(event: string, listener: (p: any) => void) {
      listeners.set(event, [...(listeners.get(event) ?? []), listener]);
      return () => {};
    },
    onStatus: () => () => {},
    onRefused: () => () => {},
  } as unknown as Transport;
  return {
    transport,
    of: (event: string) => calls.filter((c) => c.event === event).map((c) => c.payload),
    emit: (event: string, payload: unknown) => listeners.get(event)?.forEach((l) => l(payload)),
  };
}

const flush = async () => {
  for (let i = 0; i < 20; i++) await Promise.resolve();
};

const AI_ON: AssistantState = { enabled: true, mode: 'assistant', staffOnline: false, handoff: null, takeover: null };
const conversation = { id: 'conv', shop: 's', visitorId: 'v1', lastSeq: 1, visitorReadSeq: 0, agentReadSeq: 0, createdAt: '2026-11-23T00:00:00Z' };
const session = (assistant?: AssistantState): SessionReady => ({
  protocol: 1,
  role: 'visitor',
  shop: 's',
  shopName: 'S',
  userId: 'v1',
  token: 'vt_x',
  conversation: { ...conversation, ...(assistant ? { assistant } : {}) },
  agent: null,
  features: assistant ? ['assistant'] : [],
  serverTime: '2026-11-23T00:00:00Z',
});

const question: Message = {
  id: 'm1',
  conversationId: 'conv',
  seq: 1,
  clientId: 'c1',
  author: { role: 'visitor', id: 'v1', name: null },
  kind: 'text',
  text: 'Returns?',
  createdAt: '2026-11-23T00:00:01Z',
};
const reply = (extra: Partial<Message> = {}): Message => ({
  id: 'm2',
  conversationId: 'conv',
  seq: 2,
  clientId: 'ai:m1',
  author: { role: 'assistant', id: 'assistant', name: null },
  kind: 'text',
  text: '',
  streaming: true,
  createdAt: '2026-11-23T00:00:02Z',
  ...extra,
});
const delta = (offset: number, text: string) => ({ conversationId: 'conv', messageId: 'm2', seq: 2, offset, delta: text });

async function visitorWithReply(assistant: AssistantState | null = AI_ON, handlers: Record<string, Handler> = {}) {
  const fake = fakeTransport({ 'history:get': () => ({ ok: true, messages: [question], hasMore: false }), ...handlers });
  const client = createVitrineClient({ url: 'http://x', shop: 's', transport: () => fake.transport });
  fake.emit('session:ready', session(assistant ?? undefined));
  await flush();
  const conv = client.$conversation.get()!;
  fake.emit('message:new', reply());
  const text = () => conv.$messages.get().find((m) => m.seq === 2)?.text;
  return { fake, client, conv, text };
}

describe('streamed assistant replies', () => {
  it('shows the reply growing with in-order deltas, then the final message replaces it', async () => {
    const { fake, client, conv, text } = await visitorWithReply();
    expect(conv.$messages.get().find((m) => m.seq === 2)).toMatchObject({ streaming: true, text: '' });
    fake.emit('message:update', delta(0, 'You can return '));
    expect(text()).toBe('You can return ');
    fake.emit('message:update', delta(15, 'within 7 days.'));
    expect(text()).toBe('You can return within 7 days.');
    fake.emit('message:update', reply({ text: 'You can return within 7 days.', streaming: undefined, ai: { source: 'faq', provider: 'embedded', faqId: 'returns' } }));
    const final = conv.$messages.get().find((m) => m.seq === 2)!;
    expect(final.streaming).toBeUndefined();
    expect(final.ai).toEqual({ source: 'faq', provider: 'embedded', faqId: 'returns' });
    // A late delta after the final message changes nothing.
    fake.emit('message:update', delta(29, ' Extra'));
    expect(text()).toBe('You can return within 7 days.');
    client.destroy();
  });

  it('ignores duplicate and overlapping deltas already applied, and appends only the new part', async () => {
    const { fake, client, text } = await visitorWithReply();
    fake.emit('message:update', delta(0, 'abc'));
    fake.emit('message:update', delta(0, 'abc'));
    expect(text()).toBe('abc');
    fake.emit('message:update', delta(1, 'bcde'));
    expect(text()).toBe('abcde');
    fake.emit('message:update', delta(2, 'cd'));
    expect(text()).toBe('abcde');
    client.destroy();
  });

  it('waits for the final message after a gap', async () => {
    const { fake, client, conv, text } = await visitorWithReply();
    fake.emit('message:update', delta(0, 'ab'));
    fake.emit('message:update', delta(4, 'ef'));
    expect(text()).toBe('ab');
    fake.emit('message:update', delta(6, 'gh'));
    expect(text()).toBe('ab');
    fake.emit('message:update', reply({ text: 'abcdefgh', streaming: undefined, stopped: true }));
    expect(conv.$messages.get().find((m) => m.seq === 2)).toMatchObject({ text: 'abcdefgh', stopped: true });
    client.destroy();
  });

  it('replaces a message by seq (kind may change to products), and ignores deltas of unknown messages or other conversations', async () => {
    const { fake, client, conv, text } = await visitorWithReply();
    fake.emit('message:update', { ...delta(0, 'x'), messageId: 'other' });
    fake.emit('message:update', { ...delta(0, 'x'), conversationId: 'elsewhere' });
    fake.emit('message:update', { ...delta(0, 'x'), seq: 9 });
    expect(text()).toBe('');
    const product = { id: 'p', title: { en: 'Gold hoops' }, price: { amount: 100, currency: 'CNY' }, compareAt: null, image: null, url: null, variant: null };
    fake.emit('message:update', reply({ kind: 'products', text: 'These are in stock:', streaming: undefined, products: [product as never, product as never] }));
    const shown = conv.$messages.get().filter((m) => m.seq === 2);
    expect(shown).toHaveLength(1);
    expect(shown[0]).toMatchObject({ kind: 'products', text: 'These are in stock:' });
    // An older streaming copy (a history page fetched meanwhile) does not undo the final message.
    fake.emit('message:new', reply({ text: 'The' }));
    expect(conv.$messages.get().find((m) => m.seq === 2)?.kind).toBe('products');
    client.destroy();
  });

  it('after a reconnect, a reply still shown as streaming is fetched again (its final update was missed)', async () => {
    let committed = false;
    const final = reply({ text: 'Within 7 days.', streaming: undefined });
    const { fake, client, conv, text } = await visitorWithReply(AI_ON, {
      'history:get': (p) => ({ ok: true, messages: committed && p.afterSeq === 1 ? [final] : p.afterSeq === undefined ? [question] : [], hasMore: false }),
    });
    fake.emit('message:update', delta(0, 'Within'));
    expect(text()).toBe('Within');
    committed = true;
    fake.emit('session:ready', session(AI_ON));
    await flush();
    expect(fake.of('history:get').some((p) => p.afterSeq === 1)).toBe(true);
    expect(conv.$messages.get().find((m) => m.seq === 2)).toMatchObject({ text: 'Within 7 days.', streaming: undefined });
    client.destroy();
  });
});

describe('assistant state', () => {
  it('is null without the assistant; comes from session:ready, assistant:update and the ack of assistant:set', async () => {
    const none = await visitorWithReply(null);
    expect(none.conv.$assistant.get()).toBeNull();
    none.client.destroy();

    const human: AssistantState = { ...AI_ON, mode: 'human', handoff: { at: '2026-11-23T00:00:03Z', reason: 'customer_toggled' } };
    const { fake, client, conv } = await visitorWithReply(AI_ON, { 'assistant:set': (p) => ({ ok: true, assistant: p.mode === 'human' ? human : AI_ON }) });
    expect(conv.$assistant.get()).toEqual(AI_ON);
    await expect(conv.setAssistantMode('human')).resolves.toEqual(human);
    expect(fake.of('assistant:set')).toEqual([{ conversationId: 'conv', mode: 'human' }]);
    expect(conv.$assistant.get()).toEqual(human);

    const takeover: AssistantState = { ...human, handoff: null, takeover: { agentId: 'a1', agentName: 'Mei', at: '2026-11-23T00:00:04Z' } };
    fake.emit('assistant:update', { conversationId: 'elsewhere', assistant: AI_ON });
    fake.emit('assistant:update', { conversationId: 'conv', assistant: { mode: 'bogus' } });
    expect(conv.$assistant.get()).toEqual(human);
    fake.emit('assistant:update', { conversationId: 'conv', assistant: takeover });
    expect(conv.$assistant.get()).toEqual(takeover);

    // A new session (reconnect) refreshes it.
    fake.emit('session:ready', session(AI_ON));
    expect(conv.$assistant.get()).toEqual(AI_ON);
    client.destroy();
  });

  it('rejects with the server error (conflict when the shop has the assistant off); stopReply sends assistant:stop', async () => {
    const { fake, client, conv } = await visitorWithReply(AI_ON, {
      'assistant:set': () => ({ ok: false, error: { code: 'conflict', message: 'The assistant is off' } }),
    });
    await expect(conv.setAssistantMode('assistant')).rejects.toMatchObject({ code: 'conflict' });
    expect(conv.$assistant.get()).toEqual(AI_ON);
    await conv.stopReply('m2');
    expect(fake.of('assistant:stop')).toEqual([{ conversationId: 'conv', messageId: 'm2' }]);
    client.destroy();
  });

  it('agents get it from conversation summaries and assistant:update (the list row follows)', async () => {
    const summary: ConversationSummary = { ...conversation, visitorName: null, unread: 0, lastMessage: null, updatedAt: '2026-11-23T00:00:00Z', assistant: AI_ON };
    const taken: AssistantState = { ...AI_ON, mode: 'human', staffOnline: true, takeover: { agentId: 'a', agentName: 'A', at: '2026-11-23T00:00:05Z' } };
    const fake = fakeTransport({
      'conversation:list': () => ({ ok: true, items: [summary], hasMore: false }),
      'conversation:get': () => ({ ok: true, conversation: summary }),
      'history:get': () => ({ ok: true, messages: [], hasMore: false }),
      'assistant:set': () => ({ ok: true, assistant: taken }),
    });
    const client = createVitrineClient({ url: 'http://x', shop: 's', role: 'agent', token: 't', transport: () => fake.transport });
    fake.emit('session:ready', { ...session(), role: 'agent', conversation: null, agent: { id: 'a', name: 'A', email: 'a@x' } });
    await flush();
    const conv = client.conversation('conv');
    await flush();
    expect(conv.$assistant.get()).toEqual(AI_ON);
    await conv.setAssistantMode('human');
    expect(conv.$assistant.get()).toEqual(taken);
    const back = { ...AI_ON, staffOnline: true };
    fake.emit('assistant:update', { conversationId: 'conv', assistant: back });
    expect(conv.$assistant.get()).toEqual(back);
    expect(client.$conversations.get()[0].assistant).toEqual(back);
    client.destroy();
  });
});
