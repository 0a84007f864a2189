/**
 * Conformance: the assistant (docs/protocol.md "Assistant"). Runs against a shop with the assistant
 * switched on: the in-process reference server creates one; against VITRINE_URL set
 * VITRINE_ASSISTANT_SHOP (skipped otherwise). Checks the feature and state in session:ready, the
 * streaming shape (message:new with streaming -> deltas with consistent offsets -> the final full
 * message, or one final message:new), hand-off on "转人工" with assistant:update, assistant:set both
 * ways for visitors and agents, bad payloads and other visitors' conversations.
 */
import { describe, expect, it } from 'vitest';
import {
  agentToken,
  allMessages,
  connect,
  next,
  NO_ASSISTANT_SHOP,
  ok,
  record,
  request,
  send,
  sleep,
  useTarget,
  type Connected,
  type Target,
  type WireMessage,
} from './harness.js';

interface WireState {
  enabled: boolean;
  mode: 'assistant' | 'human';
  staffOnline: boolean;
  handoff: { at: string; reason: string } | null;
  takeover: { agentId: string; agentName: string; at: string } | null;
}

interface WireDelta {
  conversationId: string;
  messageId: string;
  seq: number;
  offset: number;
  delta: string;
}

type AiMessage = WireMessage & { streaming?: boolean; stopped?: boolean; ai?: { source: string; provider: string } };

let target: Target;
let shop: string | null = null;
useTarget((t) => {
  target = t;
  shop = t.assistantShop;
});

async function until(what: string, probe: () => boolean, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

const isDelta = (x: AiMessage | WireDelta): x is WireDelta => typeof (x as WireDelta).delta === 'string' && typeof (x as WireDelta).offset === 'number';

function visitor(): Promise<Connected> {
  return connect(target, { protocol: 1, shop, role: 'visitor' });
}

async function agent(): Promise<Connected> {
  return connect(target, { protocol: 1, shop, role: 'agent', token: await agentToken(target, shop as string) });
}

/** Everything the socket receives about messages, in order. */
function messages(c: Connected): { event: string; payload: AiMessage | WireDelta }[] {
  const seen: { event: string; payload: AiMessage | WireDelta }[] = [];
  c.socket.on('message:new', (payload: AiMessage) => seen.push({ event: 'message:new', payload }));
  c.socket.on('message:update', (payload: AiMessage | WireDelta) => seen.push({ event: 'message:update', payload }));
  return seen;
}

/** Resolves with the committed assistant reply to `question` (a final message:new or message:update). */
function finalReply(c: Connected, question: WireMessage, ms = 15_000): Promise<AiMessage> {
  const final = (x: AiMessage | WireDelta): boolean => !isDelta(x) && x.clientId === `ai:${question.id}` && x.streaming !== true;
  return Promise.race([next<AiMessage>(c.socket, 'message:new', final, ms), next<AiMessage>(c.socket, 'message:update', final, ms)]);
}

describe('assistant', () => {
  it('session:ready announces the feature and carries the conversation state', async (ctx) => {
    if (!shop) ctx.skip(NO_ASSISTANT_SHOP);
    const v = await visitor();
    expect(v.session.features).toContain('assistant');
    const state = (v.session.conversation as unknown as { assistant?: WireState }).assistant;
    expect(state).toMatchObject({ enabled: true, mode: 'assistant', handoff: null, takeover: null });
    expect(typeof state?.staffOnline).toBe('boolean');
  });

  it('a reply streams as message:new (streaming) -> deltas with consistent offsets -> the final message, or arrives as one final message:new', async (ctx) => {
    if (!shop) ctx.skip(NO_ASSISTANT_SHOP);
    const v = await visitor();
    const seen = messages(v);
    const conversationId = v.session.conversation?.id as string;
    const question = await send(v.socket, conversationId, 'What is your return policy?');
    const final = await finalReply(v, question);
    expect(final).toMatchObject({ conversationId, seq: question.seq + 1, author: { role: 'assistant', id: 'assistant', name: null } });
    expect(final.text.length).toBeGreaterThan(0);
    expect(final.streaming).toBeUndefined();
    expect(typeof final.ai?.source).toBe('string');
    expect(typeof final.ai?.provider).toBe('string');
    const mine = seen.filter((e) => (isDelta(e.payload) ? e.payload.messageId === final.id : e.payload.id === final.id));
    expect(mine[0].event).toBe('message:new');
    const first = mine[0].payload as AiMessage;
    if (first.streaming === true) {
      let text = first.text;
      const deltas = mine.slice(1, -1);
      for (const { event, payload } of deltas) {
        expect(event).toBe('message:update');
        expect(isDelta(payload)).toBe(true);
        const d = payload as WireDelta;
        expect(d).toMatchObject({ conversationId, messageId: final.id, seq: final.seq });
        expect(d.offset).toBe(text.length);
        text += d.delta;
      }
      expect(mine[mine.length - 1]).toMatchObject({ event: 'message:update', payload: { id: final.id, seq: final.seq } });
      if (target.catalogue) {
        // The reference server streams this answer in several deltas that add up to the final text.
        expect(deltas.length).toBeGreaterThan(0);
        expect(text).toBe(final.text);
      }
    } else {
      expect(mine).toHaveLength(1);
    }
    // History has the committed reply.
    const stored = (await allMessages(v.socket, conversationId)).find((m) => m.id === final.id);
    expect(stored).toMatchObject({ id: final.id, seq: final.seq, text: final.text });
    expect((stored as AiMessage).streaming).toBeUndefined();
  });

  it('"转人工" hands off: the reply says so, then assistant:update (mode human, hand-off customer_asked) reaches the visitor and the agents', async (ctx) => {
    if (!shop) ctx.skip(NO_ASSISTANT_SHOP);
    const a = await agent();
    const v = await visitor();
    const conversationId = v.session.conversation?.id as string;
    const visitorUpdate = next<{ conversationId: string; assistant: WireState }>(v.socket, 'assistant:update', undefined, 15_000);
    const agentUpdate = next<{ conversationId: string; assistant: WireState }>(a.socket, 'assistant:update', (u) => u.conversationId === conversationId, 15_000);
    const question = await send(v.socket, conversationId, '转人工');
    const reply = await finalReply(v, question);
    expect(reply.text.length).toBeGreaterThan(0);
    const update = await visitorUpdate;
    expect(update).toMatchObject({ conversationId, assistant: { enabled: true, mode: 'human', handoff: { reason: 'customer_asked' }, takeover: null } });
    expect((await agentUpdate).assistant).toMatchObject({ mode: 'human', handoff: { reason: 'customer_asked' } });
  });

  it('assistant:set: a visitor switches to a person and back; an agent takes over and hands back', async (ctx) => {
    if (!shop) ctx.skip(NO_ASSISTANT_SHOP);
    const a = await agent();
    const v = await visitor();
    const conversationId = v.session.conversation?.id as string;
    const updates = record<{ conversationId: string; assistant: WireState }>(v.socket, 'assistant:update');
    const human = await ok<{ assistant: WireState }>(v.socket, 'assistant:set', { conversationId, mode: 'human' });
    expect(human.assistant).toMatchObject({ enabled: true, mode: 'human', handoff: { reason: 'customer_toggled' }, takeover: null });
    const back = await ok<{ assistant: WireState }>(v.socket, 'assistant:set', { conversationId, mode: 'assistant' });
    expect(back.assistant).toMatchObject({ mode: 'assistant', handoff: null, takeover: null });
    const taken = await ok<{ assistant: WireState }>(a.socket, 'assistant:set', { conversationId, mode: 'human' });
    expect(taken.assistant).toMatchObject({ mode: 'human', handoff: null, takeover: { agentId: a.session.userId, agentName: a.session.agent?.name } });
    await until('the visitor to see the take-over', () => updates.some((u) => u.assistant.takeover !== null));
    const handedBack = await ok<{ assistant: WireState }>(a.socket, 'assistant:set', { conversationId, mode: 'assistant' });
    expect(handedBack.assistant).toMatchObject({ mode: 'assistant', takeover: null });
    await until('the visitor to see the hand-back', () => {
      const last = updates[updates.length - 1];
      return last?.assistant.mode === 'assistant' && last.assistant.takeover === null;
    });
    expect(updates.every((u) => u.conversationId === conversationId)).toBe(true);
  });

  it('bad payloads are invalid_payload; another visitor\'s conversation and unknown messages are not_found', async (ctx) => {
    if (!shop) ctx.skip(NO_ASSISTANT_SHOP);
    const v = await visitor();
    const other = await visitor();
    const conversationId = v.session.conversation?.id as string;
    for (const [event, payload] of [
      ['assistant:set', { conversationId, mode: 'robot' }],
      ['assistant:set', { conversationId }],
      ['assistant:set', { conversationId: '<script>', mode: 'human' }],
      ['assistant:set', 'human'],
      ['assistant:stop', { conversationId }],
      ['assistant:stop', { conversationId, messageId: 42 }],
      ['assistant:stop', null],
    ] as const) {
      const res = await request(v.socket, event, payload);
      expect(res, `${event} ${JSON.stringify(payload)}`).toMatchObject({ ok: false, error: { code: 'invalid_payload' } });
    }
    const otherId = other.session.conversation?.id as string;
    expect(await request(v.socket, 'assistant:set', { conversationId: otherId, mode: 'human' })).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(await request(v.socket, 'assistant:stop', { conversationId: otherId, messageId: 'm_x' })).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(await request(v.socket, 'assistant:stop', { conversationId, messageId: 'm_does_not_exist' })).toMatchObject({ ok: false, error: { code: 'not_found' } });
    // The other visitor's state did not change.
    const state = await ok<{ conversation: { assistant?: WireState } }>(other.socket, 'conversation:get', { conversationId: otherId });
    expect(state.conversation.assistant).toMatchObject({ mode: 'assistant', handoff: null });
  });
});
