/**
 * A small TCP fault proxy (node:net only) for the fault harness. It listens on 127.0.0.1:0 and
 * forwards to a target; faults can be switched at run time:
 *
 * - latency per direction (order preserved),
 * - blackhole: new connections are accepted but nothing is forwarded; existing ones stall (nothing
 *   is read from either side until it heals: like TCP retransmitting through an outage, no RST/FIN),
 * - refuse: new connections are reset at once,
 * - resetAll: RST every current connection (a "reconnect storm"),
 * - resetAfter / cutAfter: after N more bytes in a direction, truncate mid-stream and RST (reset) or
 *   FIN (cut-off) that connection,
 * - dropFrames: parses server -> client WebSocket frames (after the HTTP 101) and drops whole text
 *   frames matching a predicate, N times (e.g. Socket.IO acks `43<id>[...]`).
 *
 * Up = client -> server, down = server -> client.
 */
import { connect, createServer, type Server, type Socket } from 'node:net';

export type Direction = 'up' | 'down';

export interface ProxyStats {
  /** Connections accepted in total. */
  connections: number;
  /** Connections open now. */
  active: number;
  /** Connections refused (reset at once) while `refuse` was on. */
  refused: number;
  /** Connections reset by a fault (resetAll, resetAfter). */
  resets: number;
  /** Connections ended by a byte cut-off. */
  cutoffs: number;
  bytesUp: number;
  bytesDown: number;
  /** WebSocket frames parsed server -> client. */
  framesDown: number;
  /** Frames dropped by `dropFrames`. */
  droppedFrames: number;
  /** Texts of the dropped frames (for assertions and reports). */
  dropped: string[];
}

interface Trigger {
  direction: Direction;
  afterBytes: number;
  remaining: number;
  times: number;
  mode: 'reset' | 'cut';
}

interface FrameDrop {
  match: (text: string) => boolean;
  times: number;
}

/** One proxied connection. */
interface Conn {
  client: Socket;
  server: Socket;
  /** Time before which nothing more is delivered in that direction (latency keeps order). */
  nextAt: Record<Direction, number>;
  /** Server -> client parser state. */
  down: { phase: 'http' | 'ws' | 'raw'; buf: Buffer };
  dead: boolean;
}

export interface FaultProxy {
  readonly port: number;
  /** `http://127.0.0.1:port` */
  readonly url: string;
  readonly stats: ProxyStats;
  /** Added one-way delay in ms (default both directions). 0 removes it. */
  setLatency(ms: number, direction?: Direction | 'both'): void;
  /** Blackhole on/off: accept but forward nothing; existing connections stall (resume when off). */
  blackhole(on: boolean): void;
  /** Refuse (reset) new connections on/off. */
  refuse(on: boolean): void;
  /** Resets (RST) every current connection. Returns how many. */
  resetAll(): number;
  /** After `afterBytes` more bytes in `direction` (on whichever connection), forwards the part up to it and resets that connection; `times` times. */
  resetAfter(afterBytes: number, direction?: Direction, times?: number): void;
  /** Like resetAfter, but ends the connection with FIN after the truncated part (byte cut-off). */
  cutAfter(afterBytes: number, direction?: Direction, times?: number): void;
  /** Drops server -> client WebSocket text frames whose payload matches, `times` times (default 1). */
  dropFrames(match: (text: string) => boolean, times?: number): void;
  /** Clears every fault (latency, blackhole, refuse, triggers, frame drops). */
  heal(): void;
  close(): Promise<void>;
}

const UPGRADE = 'HTTP/1.1 101';

/** Socket.IO ack packet inside an Engine.IO message: `43` + optional `/nsp,` + ack id + JSON. */
export function isSocketIoAck(text: string): boolean {
  return /^43(\/[^,]*,)?\d+\[/.test(text);
}

/** Starts a proxy to `target` (`{ host, port }`). */
export async function startFaultProxy(target: { host?: string; port: number }): Promise<FaultProxy> {
  const host = target.host ?? '127.0.0.1';
  const conns = new Set<Conn>();
  const stats: ProxyStats = {
    connections: 0,
    active: 0,
    refused: 0,
    resets: 0,
    cutoffs: 0,
    bytesUp: 0,
    bytesDown: 0,
    framesDown: 0,
    droppedFrames: 0,
    dropped: [],
  };
  const latency: Record<Direction, number> = { up: 0, down: 0 };
  let holed = false;
  let refusing = false;
  let triggers: Trigger[] = [];
  let drops: FrameDrop[] = [];

  const kill = (c: Conn, how: 'reset' | 'cut'): void => {
    if (c.dead) return;
    c.dead = true;
    if (how === 'reset') {
      c.client.resetAndDestroy();
      c.server.resetAndDestroy();
    } else {
      c.client.end();
      c.server.end();
      // Do not wait forever for the peers' FIN.
      setTimeout(() => {
        c.client.destroy();
        c.server.destroy();
      }, 2000).unref();
    }
  };

  /** Writes `data` to the peer of `direction` after the latency, keeping order. */
  const deliver = (c: Conn, direction: Direction, data: Buffer): void => {
    if (c.dead || data.length === 0) return;
    const to = direction === 'up' ? c.server : c.client;
    const delay = latency[direction];
    if (delay <= 0 && c.nextAt[direction] <= Date.now()) {
      to.write(data);
      return;
    }
    const at = Math.max(Date.now() + delay, c.nextAt[direction]);
    c.nextAt[direction] = at;
    setTimeout(() => {
      if (!c.dead && !to.destroyed) to.write(data);
    }, at - Date.now());
  };

  /** Applies byte triggers, then forwards. */
  const forward = (c: Conn, direction: Direction, data: Buffer): void => {
    const trigger = triggers.find((t) => t.direction === direction && t.times > 0);
    if (trigger && data.length >= trigger.remaining) {
      const head = data.subarray(0, trigger.remaining);
      trigger.times -= 1;
      trigger.remaining = trigger.afterBytes;
      if (trigger.times <= 0) triggers = triggers.filter((t) => t !== trigger);
      if (trigger.mode === 'reset') stats.resets += 1;
      else stats.cutoffs += 1;
      if (c.dead) return;
      // Deliver the truncated part (without latency, so the cut really lands mid-frame), then kill.
      const to = direction === 'up' ? c.server : c.client;
      if (head.length === 0) return kill(c, trigger.mode);
      c.dead = true;
      // (A reset issued from inside the write callback degrades to a FIN in Node 20: wait a tick.)
      to.write(head, () =>
        setTimeout(() => {
          c.dead = false;
          kill(c, trigger.mode);
        }, 10),
      );
      return;
    }
    if (trigger) trigger.remaining -= data.length;
    deliver(c, direction, data);
  };

  /** Server -> client: parse WebSocket frames after the upgrade so whole frames can be dropped. */
  const fromServer = (c: Conn, chunk: Buffer): void => {
    const st = c.down;
    if (st.phase === 'raw') return forward(c, 'down', chunk);
    st.buf = st.buf.length ? Buffer.concat([st.buf, chunk]) : chunk;
    if (st.phase === 'http') {
      const start = st.buf.subarray(0, UPGRADE.length).toString('latin1');
      const end = st.buf.indexOf('\r\n\r\n');
      if (!UPGRADE.startsWith(start) || (end < 0 && st.buf.length > 16_384)) {
        // Not a WebSocket upgrade (plain TCP, HTTP polling): pass everything through as is.
        st.phase = 'raw';
        const all = st.buf;
        st.buf = Buffer.alloc(0);
        return forward(c, 'down', all);
      }
      if (end < 0) return;
      const head = st.buf.subarray(0, end + 4);
      st.phase = /^HTTP\/1\.1 101/.test(head.toString('latin1')) ? 'ws' : 'raw';
      st.buf = st.buf.subarray(end + 4);
      forward(c, 'down', head);
      if (st.phase === 'raw') {
        const rest = st.buf;
        st.buf = Buffer.alloc(0);
        if (rest.length) forward(c, 'down', rest);
        return;
      }
    }
    // WebSocket frames.
    const out: Buffer[] = [];
    for (;;) {
      const b = st.buf;
      if (b.length < 2) break;
      const masked = (b[1]! & 0x80) !== 0;
      let len = b[1]! & 0x7f;
      let off = 2;
      if (len === 126) {
        if (b.length < 4) break;
        len = b.readUInt16BE(2);
        off = 4;
      } else if (len === 127) {
        if (b.length < 10) break;
        len = Number(b.readBigUInt64BE(2));
        off = 10;
      }
      if (masked) off += 4;
      if (b.length < off + len) break;
      const frame = b.subarray(0, off + len);
      st.buf = b.subarray(off + len);
      stats.framesDown += 1;
      const fin = (b[0]! & 0x80) !== 0;
      const rsv1 = (b[0]! & 0x40) !== 0;
      const opcode = b[0]! & 0x0f;
      let drop = false;
      if (fin && !rsv1 && opcode === 1 && drops.length > 0) {
        let payload = Buffer.from(frame.subarray(off));
        if (masked) {
          const key = frame.subarray(off - 4, off);
          for (let i = 0; i < payload.length; i++) payload[i]! ^= key[i % 4]!;
        }
        const text = payload.toString('utf8');
        const rule = drops.find((d) => d.times > 0 && d.match(text));
        if (rule) {
          rule.times -= 1;
          if (rule.times <= 0) drops = drops.filter((d) => d !== rule);
          stats.droppedFrames += 1;
          stats.dropped.push(text);
          drop = true;
        }
        payload = Buffer.alloc(0);
      }
      if (!drop) out.push(frame);
    }
    if (out.length) forward(c, 'down', out.length === 1 ? out[0]! : Buffer.concat(out));
  };

  /** Blackhole = stalled TCP: stop reading both sides (bytes wait, as in retransmission), resume on heal. */
  const setHole = (on: boolean): void => {
    holed = on;
    for (const c of conns) {
      for (const sock of [c.client, c.server]) {
        if (on) sock.pause();
        else sock.resume();
      }
    }
  };

  const server: Server = createServer((client) => {
    stats.connections += 1;
    if (refusing) {
      stats.refused += 1;
      client.on('error', () => {});
      client.resetAndDestroy();
      return;
    }
    const upstream = connect({ host, port: target.port });
    const c: Conn = { client, server: upstream, nextAt: { up: 0, down: 0 }, down: { phase: 'http', buf: Buffer.alloc(0) }, dead: false };
    conns.add(c);
    stats.active += 1;
    client.setNoDelay(true);
    upstream.setNoDelay(true);
    if (holed) {
      client.pause();
      upstream.pause();
    }
    client.on('data', (d: Buffer) => {
      if (c.dead) return;
      stats.bytesUp += d.length;
      forward(c, 'up', d);
    });
    upstream.on('data', (d: Buffer) => {
      if (c.dead) return;
      stats.bytesDown += d.length;
      fromServer(c, d);
    });
    const done = (): void => {
      if (!conns.has(c)) return;
      conns.delete(c);
      stats.active -= 1;
      if (!c.dead) {
        c.dead = true;
        client.destroy();
        upstream.destroy();
      }
    };
    // A peer's FIN or RST ends the other side the same way.
    client.on('end', () => !c.dead && upstream.end());
    upstream.on('end', () => !c.dead && client.end());
    client.on('error', () => {
      if (!c.dead) {
        c.dead = true;
        upstream.resetAndDestroy();
      }
    });
    upstream.on('error', () => {
      if (!c.dead) {
        c.dead = true;
        client.resetAndDestroy();
      }
    });
    client.on('close', done);
    upstream.on('close', done);
  });
  server.on('error', () => {});
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;

  return {
    port,
    url: `http://127.0.0.1:${port}`,
    stats,
    setLatency(ms, direction = 'both') {
      if (direction === 'both' || direction === 'up') latency.up = ms;
      if (direction === 'both' || direction === 'down') latency.down = ms;
    },
    blackhole(on) {
      setHole(on);
    },
    refuse(on) {
      refusing = on;
    },
    resetAll() {
      let n = 0;
      for (const c of [...conns]) {
        if (c.dead) continue;
        kill(c, 'reset');
        n += 1;
      }
      stats.resets += n;
      return n;
    },
    resetAfter(afterBytes, direction = 'down', times = 1) {
      triggers.push({ direction, afterBytes, remaining: afterBytes, times, mode: 'reset' });
    },
    cutAfter(afterBytes, direction = 'down', times = 1) {
      triggers.push({ direction, afterBytes, remaining: afterBytes, times, mode: 'cut' });
    },
    dropFrames(match, times = 1) {
      drops.push({ match, times });
    },
    heal() {
      latency.up = 0;
      latency.down = 0;
      setHole(false);
      refusing = false;
      triggers = [];
      drops = [];
    },
    async close() {
      for (const c of [...conns]) kill(c, 'reset');
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
