/**
 * Messages of the fan-out benchmark (bench/broadcast-fanout.ts) between the parent, the server child
 * (fanout-server.ts) and the client children (fanout-clients.ts). Times are `process.hrtime` (the
 * system-wide monotonic clock on Linux) in milliseconds, so they compare across processes.
 */

/** The shop and agent the server child creates. */
export const FANOUT_SHOP = 'bench';
export const FANOUT_AGENT = { email: 'bench@bench.shop', password: 'bench-password', name: 'Bench' };

/** How a bench-only emit reaches the recipients (all bypass the database). */
export type EmitVariant =
  /** One emit to one room the recipients joined beforehand (the bare Socket.IO baseline). */
  | 'room'
  /** One emit to the list of the recipients' own rooms (`nsp.to([...10k rooms]).emit`): what the real delivery does, without the database. */
  | 'rooms'
  /** One `socket.emit` per recipient with its own rendered payload (title/body rendered per customer). */
  | 'per-socket'
  /** `nsp.in(rooms).socketsJoin(tmp)`, one emit to `tmp`, then `socketsLeave`: timed as a whole. */
  | 'join'
  /** The recipients' rooms in chunks (`chunk` rooms per emit, default 500), `setImmediate` between chunks. */
  | 'chunked'
  /** Like `chunked`, but a timer of `pace` ms between chunks (the event loop gets idle time, not just a turn). */
  | 'paced';

export const EMIT_VARIANTS: readonly EmitVariant[] = ['room', 'rooms', 'per-socket', 'join', 'chunked', 'paced'];

/** Server child -> parent. */
export type ServerChildMessage =
  | { type: 'ready'; url: string; shop: string; agent: { email: string; password: string } }
  | { type: 'prepared'; sockets: number; rooms: number }
  /** `syncMs`: time the server spent in the emit call(s) (for `chunked`: summed over chunks, without the turns between them). */
  | { type: 'emitted'; key: string; syncMs: number; recipients: number; bytes: number }
  | { type: 'stats'; mem: NodeJS.MemoryUsage; cpu: NodeJS.CpuUsage; sockets: number }
  /** Longest event-loop block of the server process since the last `lag` request, ms (10 ms interval timer). */
  | { type: 'lag'; max: number }
  | { type: 'closed' }
  | { type: 'error'; message: string };

/** Parent -> server child. */
export type ServerParentMessage =
  /** The recipients: these visitor ids join the baseline room; their own (visitor) rooms are remembered. */
  | { type: 'prepare'; userIds: string[] }
  /** Emit `feed:new` with `item` (its id set to `key`) to the prepared recipients. */
  | { type: 'emit'; variant: EmitVariant; key: string; item: Record<string, unknown> | null; chunk: number; pace: number }
  | { type: 'stats' }
  /** Reports the longest event-loop block since the previous `lag`, then starts over. */
  | { type: 'lag' }
  | { type: 'close' };

/** One connected bench visitor as a client child reports it. */
export interface ClientVisitor {
  userId: string;
  conversationId: string;
  token: string;
}

/** Client child -> parent. */
export type ClientChildMessage =
  | { type: 'connected'; visitors: ClientVisitor[]; ms: number; failed: number }
  | { type: 'received'; key: string; count: number; first: number; last: number; sample: string | null }
  | { type: 'stats'; cpu: NodeJS.CpuUsage }
  | { type: 'closed' }
  | { type: 'error'; message: string };

/** Parent -> client child. */
export type ClientParentMessage =
  | { type: 'connect'; url: string; shop: string; n: number; concurrency: number }
  /** Report once `count` `feed:new` packets with `item.id === key` arrived (or after `timeoutMs`). */
  | { type: 'expect'; key: string; count: number; timeoutMs: number }
  | { type: 'stats' }
  | { type: 'close' };

/** Monotonic time in ms, comparable across processes of one machine. */
export const now = (): number => Number(process.hrtime.bigint()) / 1e6;
