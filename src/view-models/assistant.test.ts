import { describe, expect, it } from 'vitest';
import { createTranslator } from '../i18n/index.js';
import type { AssistantState } from '../protocol/index.js';
import type { ChatMessage } from '../types.js';
import { assistantView, handoffOfferFor } from './assistant.js';
import { buildMessageList } from './message-list.js';

const en = createTranslator('en');
const zh = createTranslator('zh-CN');
const on: AssistantState = { enabled: true, mode: 'assistant', staffOnline: true, handoff: null, takeover: null };
const handoff = { at: '2026-11-23T00:00:00Z', reason: 'customer_asked' as const };

describe('assistantView', () => {
  it('no toggle without an assistant', () => {
    expect(assistantView(null, en)).toBeNull();
    expect(assistantView({ ...on, enabled: false, mode: 'human' }, en)).toBeNull();
  });

  it('AI on, waiting for a person, staff offline, taken over', () => {
    expect(assistantView(on, en)).toMatchObject({ ai: true, status: 'ai' });
    expect(assistantView({ ...on, mode: 'human', handoff }, en)).toMatchObject({ ai: false, status: 'waiting' });
    const offline = assistantView({ ...on, mode: 'human', handoff, staffOnline: false }, en)!;
    expect(offline).toMatchObject({ ai: false, status: 'offline' });
    expect(offline.statusText).toBe("Our staff are offline. Leave your question here and we'll reply as soon as we're back.");
    expect(assistantView({ ...on, mode: 'human', handoff, staffOnline: false }, zh)!.statusText).toContain('客服暂时不在线');
    const taken = assistantView({ ...on, mode: 'human', takeover: { agentId: 'a', agentName: '<b>Mei</b>', at: handoff.at } }, en)!;
    expect(taken).toMatchObject({ ai: false, status: 'takeover', agentName: '<b>Mei</b>', statusText: '<b>Mei</b> joined the chat' });
    expect(assistantView({ ...on, mode: 'human', takeover: { agentId: 'a', agentName: 'Mei', at: handoff.at } }, zh)!.statusText).toBe('Mei 已加入对话');
    expect(assistantView({ ...on, mode: 'human' }, en)).toMatchObject({ status: 'human' });
  });
});

const msg = (seq: number, role: 'visitor' | 'assistant', extra: Partial<ChatMessage> = {}): ChatMessage => ({
  id: `m${seq}`,
  seq,
  conversationId: 'c',
  clientId: `c${seq}`,
  author: { role, id: role, name: null },
  kind: 'text',
  text: 'x',
  createdAt: '2026-11-23T10:00:00Z',
  mine: role === 'visitor',
  status: 'sent',
  error: null,
  ...extra,
});

describe('assistant messages in the list', () => {
  it('are labelled AI assistant and expose streaming / stopped', () => {
    const items = buildMessageList([msg(1, 'visitor'), msg(2, 'assistant', { streaming: true }), msg(3, 'assistant', { stopped: true })], en);
    const [a, b] = items.filter((i) => i.type === 'message' && i.ai) as Extract<(typeof items)[number], { type: 'message' }>[];
    expect(a).toMatchObject({ authorLabel: 'AI assistant', streaming: true, stopped: false });
    expect(b).toMatchObject({ streaming: false, stopped: true });
  });

  it('offers "talk to a person" under the newest finished AI reply while the AI answers', () => {
    const view = assistantView(on, en);
    expect(handoffOfferFor([msg(1, 'visitor'), msg(2, 'assistant')], view)?.seq).toBe(2);
    expect(handoffOfferFor([msg(1, 'visitor'), msg(2, 'assistant', { streaming: true })], view)).toBeNull();
    expect(handoffOfferFor([msg(2, 'assistant'), msg(3, 'visitor')], view)).toBeNull();
    expect(handoffOfferFor([msg(2, 'assistant')], assistantView({ ...on, mode: 'human', handoff }, en))).toBeNull();
  });
});
