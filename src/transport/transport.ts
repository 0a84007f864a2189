/**
 * The transport seam: the core speaks protocol v1 through this interface only.
 * `socket-io.ts` is the default implementation; the mini-program passes its own.
 */
import type { ClientToServerEvents, HandshakeAuth, ProtocolError, ServerToClientEvents } from '../protocol/index.js';

/** Connection lifecycle as a transport reports it. */
export type TransportStatus = 'connecting' | 'connected' | 'disconnected';

/** Listener signatures for server events. */
export type ServerEventName = keyof ServerToClientEvents;

export interface TransportEvents {
  status: (status: TransportStatus) => void;
  /** The server refused the handshake (`unauthorized`, `forbidden`, ...) — do not retry blindly. */
  refused: (error: ProtocolError) => void;
}

/** A bidirectional, reconnecting channel to a Vitrine server. */
export interface Transport {
  /** Opens the connection (and keeps reconnecting until `close`). `auth` is read on every attempt. */
  open(auth: () => HandshakeAuth): void;
  close(): void;
  /**
   * Sends a request and resolves with its ack payload. Rejects with a `VitrineError`
   * (`unavailable` when not connected or no ack arrived within `timeoutMs`).
   */
  request<E extends keyof ClientToServerEvents>(
    event: E,
    payload: Parameters<ClientToServerEvents[E]>[0],
    timeoutMs?: number,
  ): Promise<Parameters<Parameters<ClientToServerEvents[E]>[1]>[0]>;
  /** Subscribes to a server event; returns an unsubscribe function. */
  on<E extends ServerEventName>(event: E, listener: ServerToClientEvents[E]): () => void;
  onStatus(listener: TransportEvents['status']): () => void;
  onRefused(listener: TransportEvents['refused']): () => void;
}

/** Builds a transport for a server origin (e.g. `http://127.0.0.1:8787`). */
export type TransportFactory = (url: string) => Transport;
