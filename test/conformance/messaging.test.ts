/** Conformance: message:send, seq, idempotency, history, read marks, typing. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  agent,
  allMessages,
  cid,
  keep,
  next,
  ok,
  record,
  send,
  sleep,
  visitor,
  type Target,
  type WireMessage,
  useTarget,
} from './harness.js';

let t: Target;
let token: string;
useTarget((target, agentTok) => {
  t = target;
  token = agentTok;
});

describe('message:send', () => {
  it('acks with the stored message after commit and broadcasts message:new', async () => {
    const v = await visitor(t);
    const conv = v.session.conversation!.id;
    const tab2 = await visitor(t, { token: v.session.token });
    const a = await agent(t, token);
    const onTab2 = next<WireMessage>(tab2.socket, 'message:new');
    const onAgent = next<WireMessage>(a.socket, 'message:new', (m) => m.conversationId === conv);
    const onSelf = next<WireMessage>(v.socket, 'message:new');
    const clientId = cid();
    const m = await send(v.socket, conv, '  S925 silver? how long is the pin?  ', clientId);
    expect(m.id).toMatch(/^[A-Za-z0-9_-]{1,64}$/);
    expect(m.conversationId).toBe(conv);
    expect(m.seq).toBe(1);
    expect(m.clientId).toBe(clientId);
    expect(m.kind).toBe('text');
    expect(m.text).toBe('  S925 silver? how long is the pin?  ');
    expect(m.author).toEqual({ role: 'visitor', id: v.session.userId, name: null });
    expect(Number.isNaN(Date.parse(m.createdAt))).toBe(false);
    expect(await onTab2).toEqual(m);
    expect(await onAgent).toEqual(m);
    expect(await onSelf).toEqual(m);
    // Acked means stored.
    expect(await allMessages(v.socket, conv)).toEqual([m]);
  });

  it('agent replies carry the agent as author and reach the visitor', async () => {
    const v = await visitor(t);
    const conv = v.session.conversation!.id;
    await send(v.socket, conv, 'size 42 in the grey runner?');
    const a = await agent(t, token);
    const got = next<WireMessage>(v.socket, 'message:new', (m) => m.author.role === 'agent');
    const reply = await send(a.socket, conv, 'Yes, we have it. Gold-plated S925, 8 mm pin.');
    expect(reply.seq).toBe(2);
    expect(reply.author).toEqual({ role: 'agent', id: a.session.userId, name: a.session.agent!.name });
    expect(await got).toEqual(reply);
  });

  it('seq is per conversation, gap-free and ordered under concurrent sends', async () => {
    const v = await visitor(t);
    const conv = v.session.conversation!.id;
    const other = await visitor(t);
    await send(other.socket, other.session.conversation!.id, 'another conversation');
    const a = await agent(t, token);
    const sends = [];
    for (let i = 0; i < 20; i++) {
      sends.push(send(i % 2 ? v.socket : a.socket, conv, `msg ${i}`));
    }
    const acked = await Promise.all(sends);
    const seqs = acked.map((m) => m.seq).sort((x, y) => x - y);
    expect(seqs).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    const stored = await allMessages(v.socket, conv);
    expect(stored.map((m) => m.seq)).toEqual(seqs);
    expect(new Set(stored.map((m) => m.id)).size).toBe(20);
  });

  it('a repeated clientId returns the original message (even with other text) and broadcasts nothing new', async () => {
    const v = await visitor(t);
    const conv = v.session.conversation!.id;
    const tab2 = await visitor(t, { token: v.session.token });
    const a = await agent(t, token);
    const seenTab2 = record<WireMessage>(tab2.socket, 'message:new');
    const seenAgent = record<WireMessage>(a.socket, 'message:new');
    const clientId = cid();
    const first = await send(v.socket, conv, 'original', clientId);
    const again = await send(v.socket, conv, 'original', clientId);
    const changed = await send(tab2.socket, conv, 'different text', clientId);
    expect(again).toEqual(first);
    expect(changed).toEqual(first);
    const concurrent = await Promise.all([1, 2, 3].map(() => send(v.socket, conv, 'race', clientId)));
    for (const m of concurrent) expect(m).toEqual(first);
    await sleep(300);
    expect(seenTab2.filter((m) => m.clientId === clientId)).toHaveLength(1);
    expect(seenAgent.filter((m) => m.clientId === clientId)).toHaveLength(1);
    const stored = await allMessages(v.socket, conv);
    expect(stored).toEqual([first]);
    // The next message still gets the next seq: repeats consume none.
    expect((await send(v.socket, conv, 'next')).seq).toBe(2);
  });

  it('the same clientId in two conversations is two messages', async () => {
    const v1 = await visitor(t);
    const v2 = await visitor(t);
    const clientId = cid();
    const m1 = await send(v1.socket, v1.session.conversation!.id, 'one', clientId);
    const m2 = await send(v2.socket, v2.session.conversation!.id, 'two', clientId);
    expect(m1.id).not.toBe(m2.id);
    expect(m2.text).toBe('two');
  });

  it('accepts text of exactly 4000 characters and non-BMP text', async () => {
    const v = await visitor(t);
    const conv = v.session.conversation!.id;
    const long = 'a'.repeat(4000);
    expect((await send(v.socket, conv, long)).text).toBe(long);
    const emoji = '💍 光之屋 — <b>not html</b> &amp;';
    expect((await send(v.socket, conv, emoji)).text).toBe(emoji);
  });

  it('a resumed visitor sees its earlier messages', async () => {
    const v = await visitor(t);
    const conv = v.session.conversation!.id;
    await send(v.socket, conv, 'before reconnect');
    v.socket.close();
    const again = await visitor(t, { token: v.session.token });
    expect(again.session.conversation!.lastSeq).toBe(1);
    const page = await ok<{ messages: WireMessage[] }>(again.socket, 'history:get', { conversationId: conv, afterSeq: 0 });
    expect(page.messages.map((m) => m.text)).toEqual(['before reconnect']);
  });
});

describe('history:get', () => {
  let conv: string;
  let socket: Awaited<ReturnType<typeof visitor>>['socket'];
  beforeAll(async () => {
    const v = await visitor(t);
    socket = keep(v.socket);
    conv = v.session.conversation!.id;
    for (let i = 1; i <= 12; i++) await send(socket, conv, `m${i}`);
  });
  afterAll(() => {
    socket.close();
  });

  type Page = { messages: WireMessage[]; hasMore: boolean };
  const seqs = (p: Page): number[] => p.messages.map((m) => m.seq);

  it('without cursor returns the latest page, ascending', async () => {
    const all = await ok<Page>(socket, 'history:get', { conversationId: conv });
    expect(seqs(all)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    expect(all.hasMore).toBe(false);
    const latest = await ok<Page>(socket, 'history:get', { conversationId: conv, limit: 5 });
    expect(seqs(latest)).toEqual([8, 9, 10, 11, 12]);
    expect(latest.hasMore).toBe(true);
  });

  it('afterSeq returns the oldest messages after it, ascending', async () => {
    const p = await ok<Page>(socket, 'history:get', { conversationId: conv, afterSeq: 3, limit: 4 });
    expect(seqs(p)).toEqual([4, 5, 6, 7]);
    expect(p.hasMore).toBe(true);
    const end = await ok<Page>(socket, 'history:get', { conversationId: conv, afterSeq: 8, limit: 4 });
    expect(seqs(end)).toEqual([9, 10, 11, 12]);
    expect(end.hasMore).toBe(false);
    const none = await ok<Page>(socket, 'history:get', { conversationId: conv, afterSeq: 12 });
    expect(none.messages).toEqual([]);
    expect(none.hasMore).toBe(false);
    const beyond = await ok<Page>(socket, 'history:get', { conversationId: conv, afterSeq: Number.MAX_SAFE_INTEGER });
    expect(beyond.messages).toEqual([]);
  });

  it('beforeSeq returns the newest messages before it, ascending', async () => {
    const p = await ok<Page>(socket, 'history:get', { conversationId: conv, beforeSeq: 10, limit: 3 });
    expect(seqs(p)).toEqual([7, 8, 9]);
    expect(p.hasMore).toBe(true);
    const start = await ok<Page>(socket, 'history:get', { conversationId: conv, beforeSeq: 4, limit: 3 });
    expect(seqs(start)).toEqual([1, 2, 3]);
    expect(start.hasMore).toBe(false);
    const none = await ok<Page>(socket, 'history:get', { conversationId: conv, beforeSeq: 1 });
    expect(none.messages).toEqual([]);
    expect(none.hasMore).toBe(false);
  });

  it('pages backwards through everything without gaps or repeats', async () => {
    const got: number[] = [];
    let before: number | undefined;
    for (let i = 0; i < 10; i++) {
      const p: Page = await ok<Page>(socket, 'history:get', { conversationId: conv, limit: 5, ...(before ? { beforeSeq: before } : {}) });
      got.unshift(...seqs(p));
      if (!p.hasMore) break;
      before = p.messages[0].seq;
    }
    expect(got).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
  });

  it('refuses afterSeq together with beforeSeq, limit 0 and limit above 100', async () => {
    for (const bad of [{ afterSeq: 1, beforeSeq: 5 }, { limit: 0 }, { limit: 101 }, { afterSeq: -1 }, { afterSeq: 1.5 }]) {
      const res = await ok<Page>(socket, 'history:get', { conversationId: conv, ...bad }).catch((e: Error) => e);
      expect(res).toBeInstanceOf(Error);
      expect(String(res)).toContain('invalid_payload');
    }
  });
});

describe('read:set and read:update', () => {
  it('moves read marks forward only, clamps to lastSeq and notifies both sides', async () => {
    const v = await visitor(t);
    const conv = v.session.conversation!.id;
    const a = await agent(t, token);
    await send(v.socket, conv, 'one');
    await send(a.socket, conv, 'two');
    await send(a.socket, conv, 'three');

    const onVisitor = next<{ conversationId: string; role: string; readerId: string; seq: number }>(
      v.socket,
      'read:update',
      (u) => u.conversationId === conv && u.role === 'visitor',
    );
    const onAgent = next<{ conversationId: string; role: string; readerId: string; seq: number }>(
      a.socket,
      'read:update',
      (u) => u.conversationId === conv && u.role === 'visitor',
    );
    expect((await ok<{ seq: number }>(v.socket, 'read:set', { conversationId: conv, seq: 2 })).seq).toBe(2);
    expect(await onVisitor).toEqual({ conversationId: conv, role: 'visitor', readerId: v.session.userId, seq: 2 });
    expect(await onAgent).toEqual({ conversationId: conv, role: 'visitor', readerId: v.session.userId, seq: 2 });

    // Never backwards.
    const seen = record<{ conversationId: string }>(a.socket, 'read:update');
    expect((await ok<{ seq: number }>(v.socket, 'read:set', { conversationId: conv, seq: 1 })).seq).toBe(2);
    // Clamped to lastSeq.
    expect((await ok<{ seq: number }>(v.socket, 'read:set', { conversationId: conv, seq: 999 })).seq).toBe(3);
    await sleep(200);
    expect(seen.filter((u) => u.conversationId === conv)).toHaveLength(1);

    const agentRead = next<{ role: string; readerId: string; seq: number }>(v.socket, 'read:update', (u) => u.role === 'agent');
    const summary = next<{ id: string; agentReadSeq: number; unread: number }>(a.socket, 'conversation:update', (c) => c.id === conv && c.agentReadSeq === 3);
    expect((await ok<{ seq: number }>(a.socket, 'read:set', { conversationId: conv, seq: 3 })).seq).toBe(3);
    expect(await agentRead).toEqual({ conversationId: conv, role: 'agent', readerId: a.session.userId, seq: 3 });
    expect((await summary).unread).toBe(0);

    const got = await ok<{ conversation: { visitorReadSeq: number; agentReadSeq: number } }>(a.socket, 'conversation:get', { conversationId: conv });
    expect(got.conversation.visitorReadSeq).toBe(3);
    expect(got.conversation.agentReadSeq).toBe(3);
  });
});

describe('typing:set and typing:update', () => {
  it('reaches the other side only, never the sender', async () => {
    const v = await visitor(t);
    const conv = v.session.conversation!.id;
    const a = await agent(t, token);
    const stranger = await visitor(t);
    const onSelf = record<{ author: { id: string } }>(v.socket, 'typing:update');
    const onStranger = record(stranger.socket, 'typing:update');
    const onAgent = next<{ conversationId: string; author: { role: string; id: string }; typing: boolean }>(
      a.socket,
      'typing:update',
      (u) => u.conversationId === conv,
    );
    await ok(v.socket, 'typing:set', { conversationId: conv, typing: true });
    const u = await onAgent;
    expect(u.typing).toBe(true);
    expect(u.author.role).toBe('visitor');
    expect(u.author.id).toBe(v.session.userId);

    const back = next<{ author: { role: string }; typing: boolean }>(v.socket, 'typing:update');
    const onAgentSelf = record<{ author: { id: string } }>(a.socket, 'typing:update');
    await ok(a.socket, 'typing:set', { conversationId: conv, typing: false });
    const b = await back;
    expect(b.author.role).toBe('agent');
    expect(b.typing).toBe(false);
    await sleep(200);
    expect(onSelf.filter((x) => x.author.id === v.session.userId)).toHaveLength(0);
    expect(onStranger).toHaveLength(0);
    expect(onAgentSelf.filter((x) => x.author.id === a.session.userId)).toHaveLength(0);
  });
});
