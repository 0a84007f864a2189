import { describe, expect, it } from 'vitest';
import { memoryStorage } from '../ports.js';
import { createOutbox, type OutboxEntry } from './outbox.js';

const entry = (clientId: string, conversationId = 'c_1'): OutboxEntry => ({
  conversationId,
  clientId,
  kind: 'text',
  text: `text ${clientId}`,
  createdAt: new Date(0).toISOString(),
  attempts: 0,
  status: 'sending',
  error: null,
});

describe('outbox', () => {
  it('survives a reload through storage, in order', () => {
    const storage = memoryStorage();
    const first = createOutbox(storage);
    first.add(entry('a'));
    first.add(entry('b'));
    first.add(entry('x', 'c_2'));
    first.update('a', { attempts: 2 });
    const second = createOutbox(storage);
    expect(second.of('c_1').map((e) => [e.clientId, e.attempts])).toEqual([
      ['a', 2],
      ['b', 0],
    ]);
    second.remove('a');
    second.remove('b');
    second.remove('x');
    expect(storage.get('outbox')).toBeNull();
  });

  it('ignores corrupt storage instead of crashing', () => {
    const storage = memoryStorage();
    storage.set('outbox', '{not json');
    expect(createOutbox(storage).$entries.get()).toEqual([]);
    storage.set('outbox', JSON.stringify([{ nope: 1 }, entry('ok')]));
    expect(createOutbox(storage).$entries.get().map((e) => e.clientId)).toEqual(['ok']);
  });

  it('keeps working in memory when storage throws', () => {
    const outbox = createOutbox({
      get: () => null,
      set: () => {
        throw new Error('QuotaExceededError');
      },
      remove: () => {},
    });
    outbox.add(entry('a'));
    expect(outbox.of('c_1')).toHaveLength(1);
  });
});
