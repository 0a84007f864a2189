/** The protocol version this code speaks. Sent in the handshake as `auth.protocol`. */
export const PROTOCOL_VERSION = 1 as const;

/** Socket.IO namespace every Vitrine server listens on. */
export const NAMESPACE = '/vitrine' as const;
