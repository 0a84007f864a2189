/**
 * Every failure on the wire carries one of these codes and a human-readable message.
 * The set is closed for protocol v1: clients may switch on it exhaustively.
 */
export const ERROR_CODES = [
  'invalid_payload',
  'unauthorized',
  'forbidden',
  'not_found',
  'rate_limited',
  'too_large',
  'conflict',
  'unavailable',
  'internal',
] as const;

/** One of {@link ERROR_CODES}. */
export type ErrorCode = (typeof ERROR_CODES)[number];

/** The error object carried by a failed ack and by `connect_error.data`. */
export interface ProtocolError {
  code: ErrorCode;
  message: string;
}

/** A failed ack: `{ ok: false, error }`. */
export interface AckFailure {
  ok: false;
  error: ProtocolError;
}

/** A successful ack: `{ ok: true, ...payload }`. */
export type AckSuccess<T extends object = object> = { ok: true } & T;

/** What every client->server request receives through its acknowledgement callback. */
export type Ack<T extends object = object> = AckSuccess<T> | AckFailure;

/** True when `code` is one of the protocol's error codes. */
export function isErrorCode(code: unknown): code is ErrorCode {
  return typeof code === 'string' && (ERROR_CODES as readonly string[]).includes(code);
}

/** Builds a failed ack. */
export function fail(code: ErrorCode, message: string): AckFailure {
  return { ok: false, error: { code, message } };
}

/**
 * An error that carries a protocol code. Thrown by server handlers and by the client
 * when an ack fails, so callers can branch on `code`.
 */
export class VitrineError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string) {
    super(message);
    this.name = 'VitrineError';
    this.code = code;
  }
  /** The wire shape of this error. */
  toJSON(): ProtocolError {
    return { code: this.code, message: this.message };
  }
}
