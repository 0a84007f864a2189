/**
 * The core client with the AI assistant (issue 6) against the real in-process server over real
 * sockets on 127.0.0.1: the shop's assistant on (embedded provider, demo FAQ). A streamed reply
 * grows and then commits, stop, hand-off state (staff offline and online), agent take-over and
 * hand-back, the state after a reconnect.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEMO_FAQ } from '../../server/assistant/demo-faq.js';
import { createAgent, createShop, startServer } from '../../server/app.js';
import { STAFF_ONLINE_TTL_MS } from '../../server/socket.js';
import { memoryStorage, type ChatMessage, type ConversationHandle } from '../../src/index.js';
import { AGENT, SHOP, agent, agentToken, cleanUpAfterEach, visitor, waitFor } from './helpers.js';

const { track, servers } = cleanUpAfterEach();

/** A server whose shop has the assistant on; `paceMs` between streamed chunks (small, but enough to see growth and stop). */
async function setup(paceMs = 15) {
  const server = await startServer({ port: 0, dataDir: mkdtempSync(join(tmpdir(), 'vitrine-itest-ai-')), quiet: true, assistantPaceMs: paceMs });
  servers.push(server);
  await createShop(server.store, { id: SHOP, name: 'Integration Shop' });
  await createAgent(server.store, { shop: SHOP, ...AGENT });
  await server.store.assistant.putSettings(SHOP, { enabled: true, provider: 'embedded' });
  await server.store.assistant.seedFaq(SHOP, [...DEMO_FAQ]);
  return server;
}

const RETURNS_EN = DEMO_FAQ.find((f) => f.id === 'faq-returns')!.answer.en!;

const aiReplies = (conv: ConversationHandle): ChatMessage[] => conv.$messages.get().filter((m) => m.author.role === 'assistant');
const finalReply = (conv: ConversationHandle, n = 1): ChatMessage | undefined => {
  const m = aiReplies(conv)[n - 1];
  return m && !m.streaming ? m : undefined;
};

async function onlineVisitor(url: string, storage = memoryStorage()) {
  const v = track(visitor(url, storage));
  const conv = await waitFor('visitor conversation', () => v.$conversation.get());
  await waitFor('assistant state', () => conv.$assistant.get());
  return { v, conv, storage };
}

describe('core client with the AI assistant', () => {
  it('announces the feature and the state; a streamed reply grows, then commits as the full FAQ answer', async () => {
    const server = await setup();
    const { v, conv } = await onlineVisitor(server.url);
    expect(v.$session.get()?.features).toContain('assistant');
    expect(conv.$assistant.get()).toMatchObject({ enabled: true, mode: 'assistant', staffOnline: false, handoff: null, takeover: null });

    const seen: string[] = [];
    const off = conv.$messages.subscribe((list) => {
      const m = list.find((x) => x.author.role === 'assistant');
      if (m?.streaming && seen.at(-1) !== m.text) seen.push(m.text);
    });
    const question = await conv.send('How do returns work?');
    const reply = await waitFor('final reply', () => finalReply(conv));
    off();
    expect(reply).toMatchObject({
      author: { role: 'assistant', id: 'assistant', name: null },
      clientId: `ai:${question.id}`,
      kind: 'text',
      text: RETURNS_EN,
      ai: { source: 'faq', provider: 'embedded', faqId: 'faq-returns' },
    });
    expect(reply.stopped).toBeUndefined();
    // It grew: several streamed states, each extending the previous one, all prefixes of the answer.
    const grown = seen.filter((t) => t.length > 0);
    expect(grown.length).toBeGreaterThanOrEqual(2);
    for (let i = 1; i < grown.length; i++) expect(grown[i].startsWith(grown[i - 1]) && grown[i].length > grown[i - 1].length).toBe(true);
    for (const t of grown) expect(RETURNS_EN.startsWith(t)).toBe(true);
    expect(aiReplies(conv)).toHaveLength(1);
  });

  it('stops a streaming reply: the text so far is committed with stopped: true', async () => {
    const server = await setup(40);
    const { conv } = await onlineVisitor(server.url);
    await conv.send('How do returns work?');
    const streaming = await waitFor('reply streaming with some text', () => aiReplies(conv).find((m) => m.streaming && m.text.length > 0));
    await conv.stopReply(streaming.id!);
    const stopped = await waitFor('stopped reply', () => finalReply(conv));
    expect(stopped.stopped).toBe(true);
    expect(stopped.text.length).toBeLessThan(RETURNS_EN.length);
    expect(RETURNS_EN.startsWith(stopped.text)).toBe(true);
    // Stopping a finished reply still acks.
    await expect(conv.stopReply(stopped.id!)).resolves.toBeUndefined();
  });

  it('hands off when the customer asks for a person: offline notice without staff, waiting with staff online', async () => {
    const server = await setup(0);
    const { conv } = await onlineVisitor(server.url);
    await conv.send('转人工');
    const reply = await waitFor('hand-off reply', () => finalReply(conv));
    expect(reply.ai?.source).toBe('handoff');
    const state = await waitFor('human mode', () => (conv.$assistant.get()?.mode === 'human' ? conv.$assistant.get() : null));
    expect(state).toMatchObject({ enabled: true, staffOnline: false, handoff: { reason: 'customer_asked' }, takeover: null });

    // Back to the AI with the toggle, then "talk to a person" with an agent online.
    await expect(conv.setAssistantMode('assistant')).resolves.toMatchObject({ mode: 'assistant', handoff: null });
    const a = track(agent(server.url, await agentToken(server.url)));
    await waitFor('agent online', () => a.$connection.get() === 'online');
    // The server caches "an agent is connected" for a moment (it asks every process).
    await new Promise((r) => setTimeout(r, STAFF_ONLINE_TTL_MS + 100));
    const human = await conv.setAssistantMode('human');
    expect(human).toMatchObject({ mode: 'human', staffOnline: true, handoff: { reason: 'customer_toggled' } });
    expect(conv.$assistant.get()).toEqual(human);
    // The agent side sees the hand-off in its summary / assistant:update.
    const agentSide = a.conversation(conv.id);
    await waitFor('agent sees the hand-off', () => agentSide.$assistant.get()?.handoff?.reason === 'customer_toggled');
    // No AI reply to a question asked while people answer.
    await conv.send('Do you have gold hoops?');
    await waitFor('agent got it', () => agentSide.$messages.get().some((m) => m.text === 'Do you have gold hoops?'));
    expect(aiReplies(conv)).toHaveLength(1);
  });

  it('an agent takes over (explicitly or by replying) and hands back; the visitor sees it live and after a reconnect', async () => {
    const server = await setup(0);
    const { v, conv, storage } = await onlineVisitor(server.url);
    const a = track(agent(server.url, await agentToken(server.url)));
    await waitFor('agent online', () => a.$connection.get() === 'online');
    const handle = a.conversation(conv.id);
    await waitFor('agent knows the state', () => handle.$assistant.get()?.mode === 'assistant');

    const taken = await handle.setAssistantMode('human');
    expect(taken).toMatchObject({ mode: 'human', handoff: null, takeover: { agentName: AGENT.name } });
    await waitFor('visitor sees the take-over', () => conv.$assistant.get()?.takeover?.agentName === AGENT.name);
    await conv.send('How do returns work?');
    await waitFor('agent got the question', () => handle.$messages.get().some((m) => m.text === 'How do returns work?'));

    // Reconnect: the state comes with the new session.
    v.destroy();
    const again = await onlineVisitor(server.url, storage);
    expect(again.conv.id).toBe(conv.id);
    expect(again.conv.$assistant.get()?.takeover?.agentName).toBe(AGENT.name);
    expect(aiReplies(again.conv)).toHaveLength(0);

    // Hand back: the assistant answers again.
    await expect(handle.setAssistantMode('assistant')).resolves.toMatchObject({ mode: 'assistant', takeover: null });
    await waitFor('visitor sees the hand-back', () => again.conv.$assistant.get()?.mode === 'assistant');
    await again.conv.send('Can I exchange the size?');
    const reply = await waitFor('AI answers again', () => finalReply(again.conv));
    expect(reply.ai?.faqId).toBe('faq-exchange');

    // An agent who simply replies takes the conversation over.
    await handle.send('Hello, Mei here.');
    await waitFor('implicit take-over', () => again.conv.$assistant.get()?.takeover?.agentName === AGENT.name);
    expect(handle.$assistant.get()?.mode).toBe('human');
  });
});
