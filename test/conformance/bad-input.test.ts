/**
 * Conformance: malformed and hostile input. After each case the server must still answer and must
 * not have stored anything.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  agent,
  allMessages,
  cid,
  ok,
  rawSocket,
  request,
  send,
  sleep,
  visitor,
  type AnySocket,
  type Connected,
  type Target,
  type WireAck,
  useTarget,
} from './harness.js';

let t: Target;
let token: string;
useTarget((target, agentTok) => {
  t = target;
  token = agentTok;
});

/** The server still answers on this socket, and the conversation still holds exactly `expected` messages. */
async function intact(socket: AnySocket, conversationId: string, expected: number): Promise<void> {
  const page = await ok<{ messages: unknown[] }>(socket, 'history:get', { conversationId });
  expect(page.messages).toHaveLength(expected);
}

function expectError(res: WireAck, code: string, label = ''): void {
  expect(res.ok, label).toBe(false);
  if (!res.ok) {
    expect(res.error.code, label).toBe(code);
    expect(typeof res.error.message, label).toBe('string');
  }
}

const EVENTS = ['message:send', 'history:get', 'read:set', 'typing:set', 'conversation:get'] as const;

describe('bad payloads', () => {
  let v: Connected;
  let conv: string;
  beforeAll(async () => {
    v = await visitor(t);
    conv = v.session.conversation!.id;
  });

  it('non-object payloads are invalid_payload on every event', async () => {
    v = await visitor(t, { token: v.session.token });
    await send(v.socket, conv, 'baseline');
    for (const event of EVENTS) {
      for (const payload of [null, 42, 'text', true, [], [conv], undefined]) {
        const res = await request(v.socket, event, payload);
        expectError(res, 'invalid_payload', `${event} ${JSON.stringify(payload)}`);
      }
      // An ack as the only argument: no payload at all.
      const res = (await v.socket.timeout(5000).emitWithAck(event)) as WireAck;
      expectError(res, 'invalid_payload', `${event} without payload`);
    }
    await intact(v.socket, conv, 1);
  });

  it('missing fields and wrong types are invalid_payload', async () => {
    v = await visitor(t, { token: v.session.token });
    const good = { conversationId: conv, clientId: cid(), kind: 'text', text: 'hello' };
    const cases: [string, Record<string, unknown>][] = [
      ['message:send', { ...good, conversationId: undefined }],
      ['message:send', { ...good, clientId: undefined }],
      ['message:send', { ...good, kind: undefined }],
      ['message:send', { ...good, text: undefined }],
      ['message:send', { ...good, kind: 'image' }],
      ['message:send', { ...good, text: 42 }],
      ['message:send', { ...good, text: { toString: 'x' } }],
      ['message:send', { ...good, clientId: 7 }],
      ['message:send', { ...good, clientId: '' }],
      ['message:send', { ...good, clientId: 'has spaces' }],
      ['message:send', { ...good, clientId: 'x'.repeat(65) }],
      ['message:send', { ...good, conversationId: '../etc/passwd' }],
      ['message:send', { ...good, conversationId: 'x'.repeat(65) }],
      ['message:send', { ...good, conversationId: { $ne: null } }],
      ['message:send', { ...good, text: '' }],
      ['message:send', { ...good, text: '   \n\t ' }],
      ['history:get', { conversationId: conv, afterSeq: '0' }],
      ['history:get', { conversationId: conv, limit: 'all' }],
      ['history:get', { conversationId: conv, beforeSeq: -5 }],
      ['history:get', { conversationId: conv, afterSeq: Number.NaN }],
      ['history:get', { conversationId: conv, afterSeq: 1e300 }],
      ['read:set', { conversationId: conv }],
      ['read:set', { conversationId: conv, seq: '3' }],
      ['read:set', { conversationId: conv, seq: -1 }],
      ['read:set', { conversationId: conv, seq: 0.5 }],
      ['typing:set', { conversationId: conv }],
      ['typing:set', { conversationId: conv, typing: 'yes' }],
      ['conversation:get', {}],
      ['conversation:get', { conversationId: 12 }],
    ];
    for (const [event, payload] of cases) {
      const res = await request(v.socket, event, payload);
      expectError(res, 'invalid_payload', `${event} ${JSON.stringify(payload)}`);
    }
    await intact(v.socket, conv, 1);
    const got = await ok<{ conversation: { visitorReadSeq: number } }>(v.socket, 'conversation:get', { conversationId: conv });
    expect(got.conversation.visitorReadSeq).toBe(0);
  });

  it('text of 4001 characters is too_large and not stored', async () => {
    v = await visitor(t, { token: v.session.token });
    const res = await request(v.socket, 'message:send', { conversationId: conv, clientId: cid(), kind: 'text', text: 'x'.repeat(4001) });
    expectError(res, 'too_large');
    await intact(v.socket, conv, 1);
  });

  it('unknown conversation ids are not_found and store nothing', async () => {
    v = await visitor(t, { token: v.session.token });
    const res = await request(v.socket, 'message:send', { conversationId: 'c_AAAAAAAAAAAAAAAAAAAAAA', clientId: cid(), kind: 'text', text: 'x' });
    expectError(res, 'not_found');
    await intact(v.socket, conv, 1);
  });

  it('events without an ack are ignored (nothing stored, no broadcast)', async () => {
    v = await visitor(t, { token: v.session.token });
    const a = await agent(t, token);
    const seen: unknown[] = [];
    a.socket.on('message:new', (m: { conversationId: string }) => {
      if (m.conversationId === conv) seen.push(m);
    });
    v.socket.emit('message:send', { conversationId: conv, clientId: cid(), kind: 'text', text: 'no ack' });
    v.socket.emit('read:set', { conversationId: conv, seq: 1 });
    v.socket.emit('history:get', { conversationId: conv });
    v.socket.emit('message:send');
    await sleep(300);
    expect(seen).toHaveLength(0);
    await intact(v.socket, conv, 1);
  });

  it('unknown event names do not break the connection', async () => {
    v = await visitor(t, { token: v.session.token });
    v.socket.emit('admin:drop-tables', { all: true });
    v.socket.emit('__proto__', {});
    v.socket.emit('constructor');
    // With an ack, a server may answer with an error or stay silent; it must not do anything else.
    const res = await v.socket
      .timeout(500)
      .emitWithAck('message:delete', { conversationId: conv })
      .then((r: WireAck) => r)
      .catch(() => null);
    if (res !== null) expect(res.ok).toBe(false);
    expect(v.socket.connected).toBe(true);
    await intact(v.socket, conv, 1);
  });

  it('extra arguments after the payload are tolerated', async () => {
    v = await visitor(t, { token: v.session.token });
    const res = (await v.socket.timeout(5000).emitWithAck('history:get', { conversationId: conv }, 'extra', 123)) as WireAck;
    // Either accepted (the ack is the last argument) or refused as invalid: never a crash.
    expect(typeof res.ok).toBe('boolean');
    await intact(v.socket, conv, 1);
  });

  it('a 1 MB frame is refused (connection closed or too_large) and the server stays up', async () => {
    v = await visitor(t, { token: v.session.token });
    const big = { conversationId: conv, clientId: cid(), kind: 'text', text: 'x'.repeat(1024 * 1024) };
    const outcome = await new Promise<string>((resolve) => {
      v.socket.once('disconnect', () => resolve('disconnected'));
      v.socket
        .timeout(5000)
        .emitWithAck('message:send', big)
        .then((r: WireAck) => resolve(r.ok ? 'stored' : `error:${r.error.code}`))
        .catch(() => resolve('timeout'));
    });
    expect(['disconnected', 'error:too_large']).toContain(outcome);
    const again = await visitor(t, { token: v.session.token });
    expect(again.session.conversation!.id).toBe(conv);
    await intact(again.socket, conv, 1);
  });

  it('a 1 MB frame over HTTP long-polling is refused too', async () => {
    const s = rawSocket(t, { protocol: 1, shop: t.shop, role: 'visitor', token: v.session.token }, ['polling']);
    await new Promise<void>((resolve) => s.once('session:ready', () => resolve()));
    const outcome = await new Promise<string>((resolve) => {
      s.once('disconnect', () => resolve('disconnected'));
      s.timeout(5000)
        .emitWithAck('message:send', { conversationId: conv, clientId: cid(), kind: 'text', text: 'y'.repeat(1024 * 1024) })
        .then((r: WireAck) => resolve(r.ok ? 'stored' : `error:${r.error.code}`))
        .catch(() => resolve('timeout'));
    });
    expect(['disconnected', 'error:too_large', 'timeout']).toContain(outcome);
    const again = await visitor(t, { token: v.session.token });
    await intact(again.socket, conv, 1);
  });

  it('a flood of invalid requests leaves the server responsive', async () => {
    v = await visitor(t, { token: v.session.token });
    const all = [];
    for (let i = 0; i < 200; i++) all.push(request(v.socket, EVENTS[i % EVENTS.length], i % 2 ? null : { conversationId: i }));
    const results = await Promise.all(all);
    for (const r of results) expect(r.ok).toBe(false);
    await intact(v.socket, conv, 1);
    const other = await visitor(t);
    expect(other.session.role).toBe('visitor');
  });

  it('agent-side bad input is refused the same way', async () => {
    const a = await agent(t, token);
    expectError(await request(a.socket, 'conversation:list', { limit: 0 }), 'invalid_payload');
    expectError(await request(a.socket, 'conversation:list', { limit: 101 }), 'invalid_payload');
    expectError(await request(a.socket, 'conversation:list', { before: 'yesterday' }), 'invalid_payload');
    expectError(await request(a.socket, 'conversation:list', null), 'invalid_payload');
    expectError(
      await request(a.socket, 'message:send', { conversationId: conv, clientId: cid(), kind: 'text', text: 'z'.repeat(4001) }),
      'too_large',
    );
    await intact(a.socket, conv, 1);
    expect((await allMessages(a.socket, conv)).map((m) => m.text)).toEqual(['baseline']);
  });
});
