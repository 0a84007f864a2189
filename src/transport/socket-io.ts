/**
 * Socket.IO transport: the only file in the core that imports socket.io-client.
 * Reconnects by itself with backoff; a handshake refused by the server (bad shop, bad token)
 * is reported once through `onRefused` and not retried.
 */
import { io, type ManagerOptions, type Socket, type SocketOptions } from 'socket.io-client';
import {
  isErrorCode,
  NAMESPACE,
  VitrineError,
  type ClientToServerEvents,
  type HandshakeAuth,
  type ProtocolError,
  type ServerToClientEvents,
} from '../protocol/index.js';
import type { ServerEventName, Transport, TransportFactory, TransportStatus } from './transport.js';

/** Options of {@link socketIoTransport}. */
export interface SocketIoTransportOptions {
  /** Extra socket.io-client options (e.g. `transports` for the mini-program's wx WebSocket class). */
  socket?: Partial<ManagerOptions & SocketOptions>;
  /** Default ack timeout of requests, in milliseconds (default 10 s). */
  requestTimeoutMs?: number;
}

/** Handshake errors that retrying cannot fix. */
const FATAL_HANDSHAKE = new Set(['invalid_payload', 'unauthorized', 'forbidden', 'not_found']);

type AnySocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** Creates the default transport factory. */
export function socketIoTransport(options: SocketIoTransportOptions = {}): TransportFactory {
  return (url) => new SocketIoTransport(url, options);
}

class SocketIoTransport implements Transport {
  private socket: AnySocket | null = null;
  private readonly statusListeners = new Set<(s: TransportStatus) => void>();
  private readonly refusedListeners = new Set<(e: ProtocolError) => void>();
  private readonly eventListeners = new Map<string, Set<(...args: never[]) => void>>();
  private closed = false;
  private retries = 0;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private readonly url: string,
    private readonly options: SocketIoTransportOptions,
  ) {}

  open(auth: () => HandshakeAuth): void {
    if (this.socket) return;
    this.closed = false;
    const base = this.url.replace(/\/+$/, '');
    const socket: AnySocket = io(`${base}${NAMESPACE}`, {
      autoConnect: false,
      transports: ['websocket', 'polling'],
      reconnectionDelay: 500,
      reconnectionDelayMax: 5000,
      randomizationFactor: 0.5,
      ...this.options.socket,
      auth: (cb) => cb({ ...auth() }),
    });
    this.socket = socket;
    for (const [event, listeners] of this.eventListeners) {
      for (const listener of listeners) socket.on(event as ServerEventName, listener as never);
    }
    socket.on('connect', () => this.emitStatus('connected'));
    socket.on('disconnect', (reason) => {
      this.emitStatus('disconnected');
      // The server closed this socket on purpose (e.g. a restart): come back after a pause.
      if (reason === 'io server disconnect' && !this.closed) {
        setTimeout(() => {
          if (!this.closed && this.socket === socket) socket.connect();
        }, 1000);
      }
    });
    socket.on('connect_error', (err: Error & { data?: { code?: unknown; message?: unknown } }) => {
      const code = err.data?.code;
      if (isErrorCode(code) && FATAL_HANDSHAKE.has(code)) {
        const error: ProtocolError = { code, message: typeof err.data?.message === 'string' ? err.data.message : err.message };
        socket.disconnect();
        this.emitStatus('disconnected');
        for (const listener of this.refusedListeners) listener(error);
        return;
      }
      this.emitStatus('connecting');
      // A refusal by a server middleware (e.g. `unavailable` while it starts) is not retried by
      // socket.io-client itself (`socket.active` is false): retry with backoff here.
      if (!socket.active && !this.closed) this.retryLater(socket);
    });
    socket.on('connect', () => {
      this.retries = 0;
    });
    this.emitStatus('connecting');
    socket.connect();
  }

  close(): void {
    this.closed = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.socket?.disconnect();
    this.socket?.removeAllListeners();
    this.socket = null;
  }

  request<E extends keyof ClientToServerEvents>(
    event: E,
    payload: Parameters<ClientToServerEvents[E]>[0],
    timeoutMs = this.options.requestTimeoutMs ?? 10_000,
  ): Promise<Parameters<Parameters<ClientToServerEvents[E]>[1]>[0]> {
    const socket = this.socket;
    if (!socket?.connected) return Promise.reject(new VitrineError('unavailable', 'Not connected'));
    return new Promise((resolve, reject) => {
      type Reply = Parameters<Parameters<ClientToServerEvents[E]>[1]>[0];
      const timed = socket.timeout(timeoutMs) as unknown as {
        emit(ev: string, data: unknown, cb: (err: Error | null, res: Reply) => void): void;
      };
      timed.emit(event, payload, (err, res) => {
        if (err) reject(new VitrineError('unavailable', `No answer to ${event} within ${timeoutMs} ms`));
        else resolve(res);
      });
    });
  }

  on<E extends ServerEventName>(event: E, listener: ServerToClientEvents[E]): () => void {
    let set = this.eventListeners.get(event);
    if (!set) this.eventListeners.set(event, (set = new Set()));
    set.add(listener as (...args: never[]) => void);
    this.socket?.on(event, listener as never);
    return () => {
      set.delete(listener as (...args: never[]) => void);
      this.socket?.off(event, listener as never);
    };
  }

  onStatus(listener: (status: TransportStatus) => void): () => void {
    this.statusListeners.add(listener);
    return () => this.statusListeners.delete(listener);
  }

  onRefused(listener: (error: ProtocolError) => void): () => void {
    this.refusedListeners.add(listener);
    return () => this.refusedListeners.delete(listener);
  }

  private retryLater(socket: AnySocket): void {
    if (this.retryTimer) return;
    const base = Math.min(5000, 500 * 2 ** this.retries);
    this.retries += 1;
    const delay = base / 2 + Math.random() * (base / 2);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      if (!this.closed && this.socket === socket && !socket.connected && !socket.active) socket.connect();
    }, delay);
  }

  private emitStatus(status: TransportStatus): void {
    for (const listener of this.statusListeners) listener(status);
  }
}
