/**
 * The error of a failed or broken connection.
 * @module
 */

/** What kind of failure a {@link ConnectionError} is. */
export type ConnectionErrorCode =
  /** The AEMP handshake failed (bad greeting, auth, framing choice …). */
  | 'handshake'
  /** TLS could not be established or the peer's certificate was refused. */
  | 'tls'
  /** A deadline passed (connect deadline, handshake read timeout, a peer silent for `monitorTimeout`). */
  | 'timeout'
  /** The peer closed the connection in the middle of something (handshake, a frame). */
  | 'eof'
  /** A socket error (refused, reset, broken pipe …). */
  | 'socket'
  /** Undecodable data after authentication (bad JSON/CBOR, non-array, too big). */
  | 'framing'
  /** The attempt was aborted by the caller. */
  | 'aborted';

/**
 * A connection failed or broke. `message` is the AEMP error text a Perl node
 * would use where there is one (`authentication failure/shared secret mismatch`,
 * `Connection refused`, `Unexpected end-of-file` …), so the kernel can put it
 * into `['transport_error', node, message]` as it is.
 */
export class ConnectionError extends Error {
  override readonly name = 'ConnectionError';
  constructor(
    message: string,
    /** The kind of failure. */
    readonly code: ConnectionErrorCode,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}
