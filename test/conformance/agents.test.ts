/** Conformance: agent list/get, unread counts, conversation:update, ownership and roles. */
import { describe, expect, it } from 'vitest';
import {
  agent,
  allMessages,
  cid,
  next,
  ok,
  request,
  send,
  visitor,
  type Target,
  type WireSummary,
  useTarget,
} from './harness.js';

let t: Target;
let token: string;
useTarget((target, agentTok) => {
  t = target;
  token = agentTok;
});

type List = { items: WireSummary[]; hasMore: boolean };

describe('agents', () => {
  it('conversation:update and conversation:get report unread visitor messages and the last message', async () => {
    const a = await agent(t, token);
    const v = await visitor(t, { identity: { name: 'Customer 42' } });
    const conv = v.session.conversation!.id;
    const update = next<WireSummary>(a.socket, 'conversation:update', (c) => c.id === conv && c.lastSeq === 2);
    await send(v.socket, conv, 'red trench coat in L?');
    const last = await send(v.socket, conv, 'and in M?');
    const u = await update;
    expect(u.unread).toBe(2);
    expect(u.lastMessage).toEqual(last);
    expect(u.visitorName).toBe('Customer 42');
    expect(u.shop).toBe(t.shop);
    expect(u.visitorId).toBe(v.session.userId);
    expect(Number.isNaN(Date.parse(u.updatedAt))).toBe(false);

    await send(a.socket, conv, 'We have both.');
    let got = (await ok<{ conversation: WireSummary }>(a.socket, 'conversation:get', { conversationId: conv })).conversation;
    expect(got.lastSeq).toBe(3);
    expect(got.unread).toBe(2); // agent messages never count as unread
    expect(got.lastMessage?.text).toBe('We have both.');

    await ok(a.socket, 'read:set', { conversationId: conv, seq: 1 });
    got = (await ok<{ conversation: WireSummary }>(a.socket, 'conversation:get', { conversationId: conv })).conversation;
    expect(got.unread).toBe(1);
    expect(got.agentReadSeq).toBe(1);
  });

  it('conversation:list orders by latest activity and pages with the before cursor', async () => {
    const a = await agent(t, token);
    const convs: string[] = [];
    for (let i = 0; i < 4; i++) {
      const v = await visitor(t);
      const conv = v.session.conversation!.id;
      convs.push(conv);
      await send(v.socket, conv, `hello ${i}`);
    }
    // Bump the first one: it becomes the most recent.
    await send(a.socket, convs[0], 'reply');
    const expected = [convs[0], convs[3], convs[2], convs[1]];

    const first = await ok<List>(a.socket, 'conversation:list', { limit: 2 });
    expect(first.items.map((c) => c.id)).toEqual(expected.slice(0, 2));
    expect(first.hasMore).toBe(true);
    const second = await ok<List>(a.socket, 'conversation:list', { limit: 2, before: first.items[1].updatedAt });
    expect(second.items.map((c) => c.id)).toEqual(expected.slice(2, 4));

    // Walking all pages visits every conversation exactly once.
    const seen: string[] = [];
    let before: string | undefined;
    for (let i = 0; i < 100; i++) {
      const page: List = await ok<List>(a.socket, 'conversation:list', { limit: 3, ...(before ? { before } : {}) });
      seen.push(...page.items.map((c) => c.id));
      for (let j = 1; j < page.items.length; j++) {
        expect(Date.parse(page.items[j - 1].updatedAt)).toBeGreaterThanOrEqual(Date.parse(page.items[j].updatedAt));
      }
      if (!page.hasMore) break;
      before = page.items[page.items.length - 1].updatedAt;
    }
    expect(new Set(seen).size).toBe(seen.length);
    for (const c of convs) expect(seen).toContain(c);
  });

  it('agents may read and write any conversation of their shop', async () => {
    const v = await visitor(t);
    const conv = v.session.conversation!.id;
    const a = await agent(t, token);
    await send(a.socket, conv, 'Welcome!');
    expect((await allMessages(a.socket, conv)).map((m) => m.text)).toEqual(['Welcome!']);
  });
});

describe('ownership and roles', () => {
  it('a visitor cannot touch another visitor’s conversation: not_found, same as unknown ids', async () => {
    const owner = await visitor(t);
    const conv = owner.session.conversation!.id;
    await send(owner.socket, conv, 'private');
    const intruder = await visitor(t);
    const attempts: [string, Record<string, unknown>][] = [
      ['message:send', { conversationId: conv, clientId: cid(), kind: 'text', text: 'hi' }],
      ['history:get', { conversationId: conv }],
      ['history:get', { conversationId: conv, afterSeq: 0 }],
      ['read:set', { conversationId: conv, seq: 1 }],
      ['typing:set', { conversationId: conv, typing: true }],
      ['conversation:get', { conversationId: conv }],
    ];
    const messages = new Set<string>();
    for (const [event, payload] of attempts) {
      const res = await request(intruder.socket, event, payload);
      expect(res.ok, event).toBe(false);
      if (!res.ok) {
        expect(res.error.code, event).toBe('not_found');
        messages.add(res.error.message);
      }
      const unknown = await request(intruder.socket, event, { ...payload, conversationId: 'c_doesNotExist123' });
      expect(unknown.ok).toBe(false);
      if (!unknown.ok) {
        expect(unknown.error.code).toBe('not_found');
        messages.add(unknown.error.message);
      }
    }
    // Same message for "not yours" and "does not exist": nothing leaks.
    expect(messages.size).toBe(1);
    const stored = await allMessages(owner.socket, conv);
    expect(stored.map((m) => m.text)).toEqual(['private']);
    const page = await ok<{ conversation: WireSummary }>(owner.socket, 'conversation:get', { conversationId: conv });
    expect(page.conversation.agentReadSeq).toBe(0);
    expect(page.conversation.visitorReadSeq).toBe(0);
  });

  it('an agent gets not_found for unknown conversations', async () => {
    const a = await agent(t, token);
    for (const [event, payload] of [
      ['history:get', { conversationId: 'c_nope' }],
      ['conversation:get', { conversationId: 'c_nope' }],
      ['message:send', { conversationId: 'c_nope', clientId: cid(), kind: 'text', text: 'x' }],
      ['read:set', { conversationId: 'c_nope', seq: 1 }],
    ] as const) {
      const res = await request(a.socket, event, payload);
      expect(res.ok).toBe(false);
      if (!res.ok) expect(res.error.code).toBe('not_found');
    }
  });

  it('agent-only events from a visitor are forbidden', async () => {
    const v = await visitor(t);
    const res = await request(v.socket, 'conversation:list', {});
    expect(res.ok).toBe(false);
    if (!res.ok) expect(res.error.code).toBe('forbidden');
  });

  it('a visitor may get its own conversation', async () => {
    const v = await visitor(t);
    const conv = v.session.conversation!.id;
    await send(v.socket, conv, 'hello');
    const got = await ok<{ conversation: WireSummary }>(v.socket, 'conversation:get', { conversationId: conv });
    expect(got.conversation.id).toBe(conv);
    expect(got.conversation.lastSeq).toBe(1);
  });
});
