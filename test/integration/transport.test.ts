/**
 * The Socket.IO transport against a real Socket.IO server on 127.0.0.1 whose middleware refuses
 * handshakes on cue: temporary refusals are retried, fatal ones are reported once and not retried.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import { afterEach, describe, expect, it } from 'vitest';
import { NAMESPACE, socketIoTransport, type Transport } from '../../src/index.js';
import { waitFor } from './helpers.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

async function refusingServer(refuse: (attempt: number) => string | null) {
  const http = createServer();
  const io = new Server(http);
  let attempts = 0;
  io.of(NAMESPACE).use((_socket, next) => {
    attempts += 1;
    const code = refuse(attempts);
    if (!code) return next();
    const err = new Error(`refused: ${code}`) as Error & { data?: unknown };
    err.data = { code, message: `refused: ${code}` };
    next(err);
  });
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
  cleanups.push(() => new Promise<void>((r) => io.close(() => r())));
  return { url: `http://127.0.0.1:${(http.address() as AddressInfo).port}`, attempts: () => attempts };
}

function open(url: string): { transport: Transport; statuses: string[]; refused: string[] } {
  const transport = socketIoTransport()(url);
  const statuses: string[] = [];
  const refused: string[] = [];
  transport.onStatus((s) => statuses.push(s));
  transport.onRefused((e) => refused.push(e.code));
  transport.open(() => ({ protocol: 1, shop: 'demo', role: 'visitor' }));
  cleanups.push(() => transport.close());
  return { transport, statuses, refused };
}

describe('socket.io transport', () => {
  it('retries a handshake refused as unavailable (server still starting) until it is accepted', async () => {
    const server = await refusingServer((n) => (n <= 2 ? 'unavailable' : null));
    const { statuses, refused } = open(server.url);
    await waitFor('connected', () => statuses.includes('connected'), 10_000);
    expect(server.attempts()).toBe(3);
    expect(refused).toEqual([]);
  });

  it('reports a fatal refusal once and does not retry', async () => {
    const server = await refusingServer(() => 'unauthorized');
    const { statuses, refused } = open(server.url);
    await waitFor('refused', () => refused.length > 0);
    await new Promise((r) => setTimeout(r, 1500));
    expect(refused).toEqual(['unauthorized']);
    expect(server.attempts()).toBe(1);
    expect(statuses).not.toContain('connected');
  });

  it('rejects requests while disconnected with unavailable instead of hanging', async () => {
    const server = await refusingServer(() => 'unavailable');
    const { transport } = open(server.url);
    await expect(transport.request('typing:set', { conversationId: 'c', typing: true })).rejects.toMatchObject({ code: 'unavailable' });
  });
});
