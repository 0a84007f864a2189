import { describe, expect, it } from 'vitest';
import { memoryLock, memoryStorage, type StoragePort } from '../ports.js';
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

  it('follows changes another tab makes (watch) and keeps its own entries through a concurrent write', () => {
    const shared = sharedStorage();
    const tabA = createOutbox(shared.tab());
    const tabB = createOutbox(shared.tab());
    tabA.add(entry('a'));
    expect(tabB.of('c_1').map((e) => e.clientId)).toEqual(['a']);
    tabB.update('a', { status: 'failed' });
    expect(tabA.of('c_1')[0].status).toBe('failed');
    // Tab B adds 'b' while tab A, with a stale view, writes a list without it.
    tabB.add(entry('b'));
    shared.raw.set('outbox', JSON.stringify([entry('a')]));
    shared.notify('outbox');
    expect(tabB.of('c_1').map((e) => e.clientId)).toEqual(['a', 'b']);
    expect(JSON.parse(shared.raw.get('outbox')!).map((e: OutboxEntry) => e.clientId)).toEqual(['a', 'b']);
    tabB.remove('b');
    tabA.remove('a');
    expect([tabA.$entries.get(), tabB.$entries.get()]).toEqual([[], []]);
    tabA.dispose();
    tabB.dispose();
  });

  it('memoryLock: one holder at a time, FIFO, ifAvailable does not wait', async () => {
    const lock = memoryLock();
    const order: string[] = [];
    const slow = lock.withLock('x', async () => {
      order.push('first in');
      await new Promise((r) => setTimeout(r, 20));
      order.push('first out');
    });
    const second = lock.withLock('x', () => void order.push('second'));
    const tried = await lock.withLock('x', (acquired) => acquired, { ifAvailable: true });
    await Promise.all([slow, second]);
    expect(tried).toBe(false);
    expect(order).toEqual(['first in', 'first out', 'second']);
    expect(await lock.withLock('x', (acquired) => acquired, { ifAvailable: true })).toBe(true);
  });
});

/** One storage seen by several "tabs": each tab's watch hears the other tabs' writes. */
function sharedStorage() {
  const raw = new Map<string, string>();
  const listeners = new Set<{ from: object; key: string; fn: (v: string | null) => void }>();
  const notify = (key: string, from: object = {}) => {
    for (const l of listeners) if (l.key === key && l.from !== from) l.fn(raw.get(key) ?? null);
  };
  return {
    raw,
    notify,
    tab(): StoragePort {
      const me = {};
      return {
        get: (key) => raw.get(key) ?? null,
        set: (key, value) => {
          raw.set(key, value);
          notify(key, me);
        },
        remove: (key) => {
          raw.delete(key);
          notify(key, me);
        },
        watch: (key, fn) => {
          const l = { from: me, key, fn };
          listeners.add(l);
          return () => listeners.delete(l);
        },
      };
    },
  };
}
