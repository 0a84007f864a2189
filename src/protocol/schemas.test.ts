import { describe, expect, it } from 'vitest';
import { handshakeAuthSchema, historyGetSchema, LIMITS, messageSendSchema, readSetSchema, validate } from './index.js';

describe('protocol schemas', () => {
  it('accepts a well-formed message:send', () => {
    const r = validate(messageSendSchema, { conversationId: 'c_1', clientId: 'abc-1', kind: 'text', text: '这条项链有金色的吗?' });
    expect(r.ok).toBe(true);
  });

  it.each([
    [null, 'invalid_payload'],
    ['text', 'invalid_payload'],
    [{ conversationId: 'c_1', clientId: 'a', kind: 'text' }, 'invalid_payload'],
    [{ conversationId: 'c_1', clientId: 'a', kind: 'text', text: '   ' }, 'invalid_payload'],
    [{ conversationId: 'c_1', clientId: 'a', kind: 'image', text: 'x' }, 'invalid_payload'],
    [{ conversationId: 'c 1', clientId: 'a', kind: 'text', text: 'x' }, 'invalid_payload'],
    [{ conversationId: 'c_1', clientId: 'a'.repeat(65), kind: 'text', text: 'x' }, 'invalid_payload'],
    [{ conversationId: 'c_1', clientId: 'a', kind: 'text', text: 'x'.repeat(LIMITS.textMaxLength + 1) }, 'too_large'],
    [{ conversationId: 'c_1', clientId: 'a', kind: 'text', text: 42 }, 'invalid_payload'],
  ])('refuses %j with %s', (input, code) => {
    const r = validate(messageSendSchema, input);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe(code);
      expect(r.error.message.length).toBeGreaterThan(3);
    }
  });

  it('accepts text of exactly the limit', () => {
    expect(validate(messageSendSchema, { conversationId: 'c', clientId: 'a', kind: 'text', text: 'x'.repeat(LIMITS.textMaxLength) }).ok).toBe(true);
  });

  it('history:get refuses afterSeq together with beforeSeq, negative or fractional seqs and huge limits', () => {
    expect(validate(historyGetSchema, { conversationId: 'c', afterSeq: 1 }).ok).toBe(true);
    expect(validate(historyGetSchema, { conversationId: 'c', afterSeq: 1, beforeSeq: 5 }).ok).toBe(false);
    expect(validate(historyGetSchema, { conversationId: 'c', afterSeq: -1 }).ok).toBe(false);
    expect(validate(historyGetSchema, { conversationId: 'c', afterSeq: 1.5 }).ok).toBe(false);
    expect(validate(historyGetSchema, { conversationId: 'c', limit: LIMITS.pageMax + 1 }).ok).toBe(false);
  });

  it('read:set needs an integer seq', () => {
    expect(validate(readSetSchema, { conversationId: 'c', seq: 3 }).ok).toBe(true);
    expect(validate(readSetSchema, { conversationId: 'c', seq: '3' }).ok).toBe(false);
  });

  it('handshake: only protocol 1, known roles and sane shop ids', () => {
    expect(validate(handshakeAuthSchema, { protocol: 1, shop: 'demo', role: 'visitor' }).ok).toBe(true);
    expect(validate(handshakeAuthSchema, { protocol: 2, shop: 'demo', role: 'visitor' }).ok).toBe(false);
    expect(validate(handshakeAuthSchema, { protocol: 1, shop: 'demo', role: 'admin' }).ok).toBe(false);
    expect(validate(handshakeAuthSchema, { protocol: 1, shop: '../etc', role: 'visitor' }).ok).toBe(false);
    expect(validate(handshakeAuthSchema, { protocol: 1, shop: 'demo', role: 'visitor', identity: { email: 'not-an-email' } }).ok).toBe(false);
  });
});
