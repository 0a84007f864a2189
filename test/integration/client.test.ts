/**
 * The core client (src/) against the real reference server over real sockets on 127.0.0.1:
 * sending, statuses, read marks, typing, unread counts, resume, offline outbox, resync.
 */
import { describe, expect, it } from 'vitest';
import { memoryStorage, type DeliveryStatus } from '../../src/index.js';
import { agent, agentToken, cleanUpAfterEach, startTestServer, visitor, waitFor } from './helpers.js';

const { track, servers } = cleanUpAfterEach();

async function setup() {
  const server = await startTestServer();
  servers.push(server);
  return server;
}

describe('core client against the reference server', () => {
  it('sends, shows sending -> sent -> read, and the agent sees it live with an unread count', async () => {
    const server = await setup();
    const v = track(visitor(server.url));
    const conv = await waitFor('visitor conversation', () => v.$conversation.get());
    expect(v.$connection.get()).toBe('online');

    const a = track(agent(server.url, await agentToken(server.url)));
    await waitFor('agent online', () => a.$connection.get() === 'online');

    const statuses: DeliveryStatus[] = [];
    const off = conv.$messages.subscribe((list) => {
      const mine = list.find((m) => m.text === '这条项链有金色的吗?');
      if (mine && statuses.at(-1) !== mine.status) statuses.push(mine.status);
    });
    const sent = await conv.send('这条项链有金色的吗?');
    expect(sent.seq).toBe(1);

    const row = await waitFor('conversation in agent list', () => a.$conversations.get().find((c) => c.id === conv.id && c.unread === 1));
    expect(row.lastMessage?.text).toBe('这条项链有金色的吗?');
    expect(a.$unreadTotal.get()).toBe(1);

    const agentConv = a.conversation(conv.id);
    await waitFor('agent history', () => agentConv.$messages.get().length === 1);
    agentConv.markRead();
    await waitFor('read status on the visitor side', () => statuses.at(-1) === 'read');
    off();
    expect(statuses).toEqual(['sending', 'sent', 'read']);
    await waitFor('agent unread cleared', () => a.$unreadTotal.get() === 0);
  });

  it('delivers agent replies with unread counts and typing both ways', async () => {
    const server = await setup();
    const v = track(visitor(server.url));
    const conv = await waitFor('visitor conversation', () => v.$conversation.get());
    const a = track(agent(server.url, await agentToken(server.url)));
    await waitFor('agent online', () => a.$connection.get() === 'online');
    const agentConv = a.conversation(conv.id);

    conv.setTyping(true);
    await waitFor('agent sees visitor typing', () => agentConv.$typing.get().length === 1);
    agentConv.setTyping(true);
    const typist = await waitFor('visitor sees agent typing', () => conv.$typing.get()[0]);
    expect(typist).toMatchObject({ role: 'agent', name: 'Mei' });

    await agentConv.send('有的，18K 金色镀层，S925 银。');
    await waitFor('visitor receives the reply', () => conv.$messages.get().some((m) => m.text.startsWith('有的') && !m.mine));
    await waitFor('typing cleared by the message', () => conv.$typing.get().length === 0);
    expect(v.$unreadTotal.get()).toBe(1);
    conv.markRead();
    expect(v.$unreadTotal.get()).toBe(0);
    await waitFor('agent reply shows read', () => agentConv.$messages.get().find((m) => m.mine)?.status === 'read');
  });

  it('resumes the same visitor and conversation with the stored token (reload, next day)', async () => {
    const server = await setup();
    const storage = memoryStorage();
    const first = track(visitor(server.url, storage));
    const conv = await waitFor('conversation', () => first.$conversation.get());
    await conv.send('first visit');
    first.destroy();

    const again = track(visitor(server.url, storage));
    const resumed = await waitFor('resumed conversation', () => again.$conversation.get());
    expect(resumed.id).toBe(conv.id);
    await waitFor('history loaded', () => resumed.$messages.get().some((m) => m.text === 'first visit' && m.mine && m.seq === 1));

    const stranger = track(visitor(server.url));
    const other = await waitFor('stranger conversation', () => stranger.$conversation.get());
    expect(other.id).not.toBe(conv.id);
    expect(() => stranger.conversation(conv.id)).toThrow();
  });

  it('keeps sends made while the server is down and flushes them once, in order, after restart and reload', async () => {
    const server = await setup();
    const storage = memoryStorage();
    const v = track(visitor(server.url, storage));
    const conv = await waitFor('conversation', () => v.$conversation.get());
    await conv.send('before the outage');
    const port = server.port;
    await server.close();
    servers.splice(servers.indexOf(server), 1);
    await waitFor('reconnecting', () => v.$connection.get() === 'reconnecting');

    for (const text of ['one', 'two', 'three']) void conv.send(text).catch(() => {});
    expect(conv.$messages.get().filter((m) => m.status === 'sending').map((m) => m.text)).toEqual(['one', 'two', 'three']);

    // "Reload": a new client on the same storage while the server is still down.
    v.destroy();
    const reloaded = track(visitor(server.url, storage));

    const restarted = await startTestServer({ dataDir: server.dataDir, port });
    servers.push(restarted);
    const conv2 = await waitFor('resumed after restart', () => reloaded.$conversation.get());
    expect(conv2.id).toBe(conv.id);
    await waitFor('outbox flushed', () => conv2.$messages.get().filter((m) => m.status !== 'sending').length === 4);
    expect(conv2.$messages.get().map((m) => [m.seq, m.text])).toEqual([
      [1, 'before the outage'],
      [2, 'one'],
      [3, 'two'],
      [4, 'three'],
    ]);
    expect(storage.get('outbox')).toBeNull();
  });

  it('catches up on everything missed while away through afterSeq, without duplicates', async () => {
    const server = await setup();
    const storage = memoryStorage();
    const v = track(visitor(server.url, storage));
    const conv = await waitFor('conversation', () => v.$conversation.get());
    await conv.send('hello');
    v.destroy();

    const a = track(agent(server.url, await agentToken(server.url)));
    await waitFor('agent online', () => a.$connection.get() === 'online');
    const agentConv = a.conversation(conv.id);
    await waitFor('agent history', () => agentConv.$messages.get().length === 1);
    for (let i = 1; i <= 120; i += 1) await agentConv.send(`reply ${i}`);

    const back = track(visitor(server.url, storage));
    const c = await waitFor('conversation', () => back.$conversation.get());
    // The latest page comes first; the rest is "earlier" and loads on demand.
    await waitFor('latest page', () => c.$messages.get().at(-1)?.text === 'reply 120');
    expect(c.$hasEarlier.get()).toBe(true);
    while (c.$hasEarlier.get()) await c.loadEarlier();
    const seqs = c.$messages.get().map((m) => m.seq);
    expect(seqs).toEqual(Array.from({ length: 121 }, (_, i) => i + 1));
    expect(back.$unreadTotal.get()).toBe(120);
  });

  it('two clients on one storage opened at the same moment (two tabs, first visit) share one conversation', async () => {
    const server = await setup();
    const storage = memoryStorage();
    const tabA = track(visitor(server.url, storage));
    const tabB = track(visitor(server.url, storage));
    const a = await waitFor('tab A conversation', () => tabA.$conversation.get());
    const b = await waitFor('tab B conversation', () => tabB.$conversation.get());
    expect(a.id).toBe(b.id);
    expect(tabA.$session.get()?.userId).toBe(tabB.$session.get()?.userId);
  });

  it('refuses an unknown shop with a clear error and does not retry', async () => {
    const server = await setup();
    const v = track(visitor(server.url, memoryStorage(), { shop: 'no-such-shop' }));
    await waitFor('refused', () => v.$connection.get() === 'refused');
    expect(v.$error.get()?.code).toBe('not_found');
  });

  it('refuses a bad agent token with unauthorized', async () => {
    const server = await setup();
    const a = track(agent(server.url, 'not-a-real-token'));
    await waitFor('refused', () => a.$connection.get() === 'refused');
    expect(a.$error.get()?.code).toBe('unauthorized');
  });

  it('rejects empty and oversized text locally without queueing it', async () => {
    const server = await setup();
    const v = track(visitor(server.url));
    const conv = await waitFor('conversation', () => v.$conversation.get());
    await expect(conv.send('   ')).rejects.toMatchObject({ code: 'invalid_payload' });
    await expect(conv.send('x'.repeat(4001))).rejects.toMatchObject({ code: 'too_large' });
    expect(conv.$messages.get()).toEqual([]);
  });
});
