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

/**
 * Machine-readable detail of some `conflict` failures, so clients can explain them in the user's
 * language (the `message` is for developers and logs). Open set: clients MUST treat unknown reasons
 * as absent.
 */
export type ErrorReason =
  | 'slot_full'
  | 'reservation_state'
  | 'coupon_claimed'
  | 'coupon_expired'
  | 'coupon_exhausted'
  | (string & {});

/** The error object carried by a failed ack and by `connect_error.data`. */
export interface ProtocolError {
  code: ErrorCode;
  message: string;
  /** Optional detail of the failure (see {@link ErrorReason}). */
  reason?: ErrorReason;
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
  readonly reason: ErrorReason | undefined;
  constructor(code: ErrorCode, message: string, reason?: ErrorReason) {
    super(message);
    this.name = 'VitrineError';
    this.code = code;
    this.reason = reason;
  }
  /** The wire shape of this error. */
  toJSON(): ProtocolError {
    return this.reason ? { code: this.code, message: this.message, reason: this.reason } : { code: this.code, message: this.message };
  }
}
