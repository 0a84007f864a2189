/** The fault proxy itself: forwarding, counters and each fault, against a TCP echo and a real Socket.IO server. */
import { createServer as createHttpServer } from 'node:http';
import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { Server as IoServer } from 'socket.io';
import { io } from 'socket.io-client';
import { afterEach, describe, expect, it } from 'vitest';
import { isSocketIoAck, startFaultProxy, type FaultProxy } from './proxy.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function echoServer(): Promise<number> {
  const open = new Set<Socket>();
  const server: Server = createServer((s) => {
    open.add(s);
    s.on('data', (d) => s.write(d)).on('error', () => {}).on('close', () => open.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  cleanups.push(() => {
    for (const s of open) s.destroy();
    return new Promise<void>((r) => server.close(() => r()));
  });
  return (server.address() as AddressInfo).port;
}

async function proxyTo(port: number): Promise<FaultProxy> {
  const proxy = await startFaultProxy({ port });
  cleanups.push(() => proxy.close());
  return proxy;
}

function dial(port: number): Promise<Socket & { got: Buffer[]; ended: Promise<string> }> {
  return new Promise((resolve, reject) => {
    const s = connect({ host: '127.0.0.1', port }) as Socket & { got: Buffer[]; ended: Promise<string> };
    s.got = [];
    s.ended = new Promise((r) => {
      s.on('error', (e: NodeJS.ErrnoException) => r(e.code ?? 'error'));
      s.on('end', () => r('end'));
      s.on('close', () => r('close'));
    });
    s.on('data', (d: Buffer) => s.got.push(d));
    s.once('connect', () => resolve(s));
    s.once('error', reject);
    cleanups.push(() => void s.destroy());
  });
}

const received = (s: { got: Buffer[] }): number => s.got.reduce((n, b) => n + b.length, 0);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('fault proxy', () => {
  it('forwards both ways and counts connections and bytes', async () => {
    const proxy = await proxyTo(await echoServer());
    const s = await dial(proxy.port);
    s.write('hello');
    await sleep(100);
    expect(Buffer.concat(s.got).toString()).toBe('hello');
    expect(proxy.stats).toMatchObject({ connections: 1, active: 1, bytesUp: 5, bytesDown: 5 });
  });

  it('adds latency per direction', async () => {
    const proxy = await proxyTo(await echoServer());
    proxy.setLatency(150, 'down');
    const s = await dial(proxy.port);
    const t0 = Date.now();
    s.write('x');
    while (received(s) === 0) await sleep(5);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(140);
  });

  it('refuses new connections and resets current ones', async () => {
    const proxy = await proxyTo(await echoServer());
    const s = await dial(proxy.port);
    expect(proxy.resetAll()).toBe(1);
    expect(await s.ended).toBe('ECONNRESET');
    proxy.refuse(true);
    const t = await dial(proxy.port).catch((e: NodeJS.ErrnoException) => e.code);
    const outcome = typeof t === 'string' || t === undefined ? t : await t.ended;
    expect(outcome).toBe('ECONNRESET');
    expect(proxy.stats.refused).toBe(1);
  });

  it('resets mid-stream after N bytes, and cuts off (FIN) after N bytes', async () => {
    const proxy = await proxyTo(await echoServer());
    proxy.resetAfter(3, 'down');
    const s = await dial(proxy.port);
    s.write('abcdefgh');
    expect(await s.ended).toBe('ECONNRESET');
    expect(Buffer.concat(s.got).toString()).toBe('abc');
    proxy.cutAfter(4, 'down');
    const t = await dial(proxy.port);
    t.write('abcdefgh');
    expect(await t.ended).toBe('end');
    expect(Buffer.concat(t.got).toString()).toBe('abcd');
    expect(proxy.stats).toMatchObject({ resets: 1, cutoffs: 1 });
  });

  it('blackholes: nothing goes through until healed, then the stalled bytes flow (no loss)', async () => {
    const proxy = await proxyTo(await echoServer());
    proxy.blackhole(true);
    const s = await dial(proxy.port);
    s.write('lost');
    await sleep(200);
    expect(received(s)).toBe(0);
    const t = await dial(proxy.port);
    t.write('ok');
    await sleep(100);
    expect(received(t)).toBe(0);
    proxy.heal();
    await sleep(100);
    expect(Buffer.concat(s.got).toString()).toBe('lost');
    expect(Buffer.concat(t.got).toString()).toBe('ok');
  });

  it('drops a Socket.IO ack frame once (7- and 16-bit lengths), other frames pass', async () => {
    const http = createHttpServer();
    const ioServer = new IoServer(http);
    ioServer.on('connection', (socket) => {
      socket.on('echo', (text: string, ack: (r: unknown) => void) => ack({ ok: true, text }));
    });
    await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
    cleanups.push(() => new Promise<void>((r) => ioServer.close(() => r())));
    const proxy = await proxyTo((http.address() as AddressInfo).port);
    const client = io(proxy.url, { transports: ['websocket'], reconnection: false });
    cleanups.push(() => void client.disconnect());
    await new Promise<void>((r) => client.once('connect', () => r()));
    proxy.dropFrames(isSocketIoAck, 1);
    await expect(client.timeout(500).emitWithAck('echo', 'first')).rejects.toThrow();
    expect(await client.timeout(2000).emitWithAck('echo', 'second')).toEqual({ ok: true, text: 'second' });
    const big = 'y'.repeat(70_000); // 64-bit length frame
    expect(await client.timeout(2000).emitWithAck('echo', big)).toEqual({ ok: true, text: big });
    const mid = 'z'.repeat(300); // 16-bit length frame
    proxy.dropFrames((text) => isSocketIoAck(text) && text.includes('zzz'), 1);
    await expect(client.timeout(500).emitWithAck('echo', mid)).rejects.toThrow();
    expect(proxy.stats.droppedFrames).toBe(2);
    expect(proxy.stats.dropped[0]).toMatch(/^43\d+\[\{"ok":true,"text":"first"\}\]$/);
  });
});
