/** Conformance: handshake, session:ready, resume. */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { agent, connect, refused, send, visitor, type Target, useTarget } from './harness.js';

const ID = /^[A-Za-z0-9_-]{1,64}$/;

let t: Target;
let token: string;
useTarget((target, agentTok) => {
  t = target;
  token = agentTok;
});

describe('handshake', () => {
  it('accepts a visitor without token and sends session:ready with the documented shape', async () => {
    const { session } = await visitor(t);
    expect(session.protocol).toBe(1);
    expect(session.role).toBe('visitor');
    expect(session.shop).toBe(t.shop);
    expect(typeof session.shopName).toBe('string');
    expect(session.shopName.length).toBeGreaterThan(0);
    expect(session.userId).toMatch(ID);
    expect(typeof session.token).toBe('string');
    expect(session.token.length).toBeGreaterThan(0);
    expect(session.token.length).toBeLessThanOrEqual(512);
    expect(session.agent).toBeNull();
    expect(Array.isArray(session.features)).toBe(true);
    expect(Number.isNaN(Date.parse(session.serverTime))).toBe(false);
    const c = session.conversation;
    expect(c).not.toBeNull();
    expect(c!.id).toMatch(ID);
    expect(c!.shop).toBe(t.shop);
    expect(c!.visitorId).toBe(session.userId);
    expect(c!.lastSeq).toBe(0);
    expect(c!.visitorReadSeq).toBe(0);
    expect(c!.agentReadSeq).toBe(0);
    expect(Number.isNaN(Date.parse(c!.createdAt))).toBe(false);
  });

  it('works over HTTP long-polling too', async () => {
    const { session } = await connect(t, { protocol: 1, shop: t.shop, role: 'visitor' }, ['polling']);
    expect(session.role).toBe('visitor');
  });

  it('two visitors without token get different visitors and conversations', async () => {
    const a = await visitor(t);
    const b = await visitor(t);
    expect(a.session.userId).not.toBe(b.session.userId);
    expect(a.session.conversation!.id).not.toBe(b.session.conversation!.id);
    expect(a.session.token).not.toBe(b.session.token);
  });

  it('resuming with the token keeps the same visitor and conversation', async () => {
    const first = await visitor(t);
    first.socket.close();
    const again = await visitor(t, { token: first.session.token });
    expect(again.session.userId).toBe(first.session.userId);
    expect(again.session.conversation!.id).toBe(first.session.conversation!.id);
  });

  it('20 parallel first opens with one client-chosen token make one visitor and one conversation', async () => {
    const chosen = `vt_${randomBytes(32).toString('base64url')}`;
    const sessions = await Promise.all(Array.from({ length: 20 }, () => visitor(t, { token: chosen })));
    expect(new Set(sessions.map((s) => s.session.userId)).size).toBe(1);
    expect(new Set(sessions.map((s) => s.session.conversation!.id)).size).toBe(1);
    for (const s of sessions) expect(s.session.token).toBe(chosen);
  });

  it('a malformed (short) unknown visitor token yields a fresh visitor with a server token, not an error', async () => {
    const { session } = await visitor(t, { token: 'not-a-token-this-server-issued' });
    expect(session.userId).toMatch(ID);
    expect(session.token).not.toBe('not-a-token-this-server-issued');
    expect(session.conversation!.lastSeq).toBe(0);
  });

  it('passes the visitor identity name through as the author name', async () => {
    const { socket, session } = await visitor(t, { identity: { name: 'Mei 美' } });
    const m = await send(socket, session.conversation!.id, 'hello');
    expect(m.author).toEqual({ role: 'visitor', id: session.userId, name: 'Mei 美' });
  });

  it('accepts an agent with a valid token', async () => {
    const { session } = await agent(t, token);
    expect(session.role).toBe('agent');
    expect(session.shop).toBe(t.shop);
    expect(session.conversation).toBeNull();
    expect(session.agent).not.toBeNull();
    expect(session.agent!.id).toBe(session.userId);
    expect(session.agent!.email).toBe(t.agentEmail);
    expect(typeof session.agent!.name).toBe('string');
  });

  const invalid: [string, unknown][] = [
    ['protocol version 2', { protocol: 2, shop: 'x', role: 'visitor' }],
    ['protocol as a string', { protocol: '1', shop: 'x', role: 'visitor' }],
    ['missing protocol', { shop: 'x', role: 'visitor' }],
    ['missing role', { protocol: 1, shop: 'x' }],
    ['unknown role', { protocol: 1, shop: 'x', role: 'admin' }],
    ['shop with upper case', { protocol: 1, shop: 'Shop!', role: 'visitor' }],
    ['empty auth', {}],
    ['token too long', { protocol: 1, shop: 'x', role: 'visitor', token: 'x'.repeat(513) }],
    ['bad identity e-mail', { protocol: 1, shop: 'x', role: 'visitor', identity: { email: 'nope' } }],
  ];
  for (const [name, auth] of invalid) {
    it(`refuses a bad handshake (${name}) with invalid_payload`, async () => {
      const shop = t.shop;
      const withShop = typeof auth === 'object' && auth && 'shop' in auth && (auth as { shop: string }).shop === 'x' ? { ...auth, shop } : auth;
      const err = await refused(t, withShop);
      expect(err.data?.code).toBe('invalid_payload');
      expect(typeof err.data?.message).toBe('string');
    });
  }

  it('refuses an unknown shop with not_found', async () => {
    const err = await refused(t, { protocol: 1, shop: 'no-such-shop-4711', role: 'visitor' });
    expect(err.data?.code).toBe('not_found');
  });

  it('refuses an agent without a token, or with a wrong one, with unauthorized', async () => {
    expect((await refused(t, { protocol: 1, shop: t.shop, role: 'agent' })).data?.code).toBe('unauthorized');
    expect((await refused(t, { protocol: 1, shop: t.shop, role: 'agent', token: 'wrong-token' })).data?.code).toBe('unauthorized');
  });

  it('refuses a visitor resume token used as an agent token', async () => {
    const { session } = await visitor(t);
    expect((await refused(t, { protocol: 1, shop: t.shop, role: 'agent', token: session.token })).data?.code).toBe('unauthorized');
  });
});
