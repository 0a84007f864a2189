import { describe, expect, it } from 'vitest';
import { createTranslator } from '../i18n/index.js';
import type { ChatMessage } from '../types.js';
import { buildMessageList, type MessageItem } from './message-list.js';

const base = new Date(2026, 10, 23, 10, 0).getTime();
let n = 0;
function msg(role: 'visitor' | 'agent', minutes: number, over: Partial<ChatMessage> = {}): ChatMessage {
  n += 1;
  return {
    id: `m_${n}`,
    seq: n,
    conversationId: 'c_1',
    clientId: `k${n}`,
    author: { role, id: role === 'agent' ? 'a_1' : 'v_1', name: role === 'agent' ? 'Lin' : null },
    kind: 'text',
    text: `hello ${n}`,
    createdAt: new Date(base + minutes * 60_000).toISOString(),
    mine: role === 'visitor',
    status: 'sent',
    error: null,
    ...over,
  };
}

describe('buildMessageList', () => {
  const tr = createTranslator('en');

  it('groups consecutive messages by author and inserts day separators', () => {
    const items = buildMessageList([msg('visitor', -24 * 60), msg('visitor', 0), msg('visitor', 1), msg('agent', 2), msg('agent', 30)], tr, base);
    expect(items.map((i) => i.type)).toEqual(['day', 'message', 'day', 'message', 'message', 'message', 'message']);
    expect(items[0]).toMatchObject({ label: 'Yesterday' });
    const messages = items.filter((i): i is MessageItem => i.type === 'message');
    expect(messages.map((m) => m.authorLabel)).toEqual(['You', 'You', null, 'Lin', 'Lin']);
    expect(messages.map((m) => [m.groupStart, m.groupEnd])).toEqual([
      [true, true],
      [true, false],
      [false, true],
      [true, true],
      [true, true],
    ]);
  });

  it('labels delivery status for own messages only', () => {
    const items = buildMessageList([msg('visitor', 0, { status: 'read' }), msg('agent', 1), msg('visitor', 2, { status: 'failed', seq: null, id: null })], tr, base);
    const messages = items.filter((i): i is MessageItem => i.type === 'message');
    expect(messages.map((m) => m.statusLabel)).toEqual(['Read', null, 'Not sent — tap to retry']);
  });

  it('uses catalogue labels for anonymous authors and zh-CN', () => {
    const zh = createTranslator('zh-CN');
    const items = buildMessageList([msg('agent', 0, { author: { role: 'agent', id: 'a', name: null } })], zh, base);
    expect((items[1] as MessageItem).authorLabel).toBe('店铺');
    expect(items[0]).toMatchObject({ label: '今天' });
  });

  it('gives pending and stored copies of one send the same key', () => {
    const pending = msg('visitor', 0, { seq: null, id: null, status: 'sending', clientId: 'same' });
    const stored = { ...pending, seq: 9, id: 'm_9', status: 'sent' as const };
    expect((buildMessageList([pending], tr, base)[1] as MessageItem).key).toBe((buildMessageList([stored], tr, base)[1] as MessageItem).key);
  });
});
