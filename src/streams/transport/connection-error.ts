/**
 * The error of a failed or broken connection, and the failure kinds a
 * program tells apart (never by the text).
 * @module
 */
import type { HandshakeFailureKind } from '../handshake/index.js';

/** What kind of failure a {@link ConnectionError} is, coarsely (documented in the README; stable). */
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
 * What exactly failed: the handshake's kinds (see {@link HandshakeFailureKind}:
 * `self-connect`, `duplicate`, `closing`, `protocol`, `negotiation`, `auth`,
 * `internal`) and the transport's own. Every {@link ConnectionErrorCode} is a
 * kind too, so `new ConnectionError(text, code)` keeps working.
 */
export type ConnectionFailureKind =
  | HandshakeFailureKind
  /** The handshake failed, no finer kind given (what `new ConnectionError(text, 'handshake')` made before kinds). */
  | 'handshake'
  /** TLS could not be established or the peer's certificate was refused. */
  | 'tls'
  /** A deadline passed. */
  | 'timeout'
  /** The peer closed the connection in the middle of something (handshake, a frame). */
  | 'eof'
  /** The peer's address refused the TCP connection (`ECONNREFUSED`). */
  | 'refused'
  /** The peer dropped the connection (`ECONNRESET`, `EPIPE`). */
  | 'reset'
  /** Any other socket error (unreachable, address in use, bind failure …). */
  | 'socket'
  /** An address or bind that cannot be parsed. */
  | 'address'
  /** Undecodable data after authentication (bad JSON/CBOR, non-array, too big). */
  | 'framing'
  /** The attempt was aborted by the caller. */
  | 'aborted';

const CODE_OF: { readonly [K in ConnectionFailureKind]: ConnectionErrorCode } = {
  'self-connect': 'handshake',
  duplicate: 'handshake',
  closing: 'handshake',
  protocol: 'handshake',
  negotiation: 'handshake',
  auth: 'handshake',
  internal: 'handshake',
  handshake: 'handshake',
  tls: 'tls',
  timeout: 'timeout',
  eof: 'eof',
  refused: 'socket',
  reset: 'socket',
  socket: 'socket',
  address: 'socket',
  framing: 'framing',
  aborted: 'aborted',
};

/** The coarse {@link ConnectionErrorCode} of a failure kind. */
export function codeOfKind(kind: ConnectionFailureKind): ConnectionErrorCode {
  return CODE_OF[kind];
}

/** The kinds that are routine refusals, not faults: the self check and `admit`'s refusals. */
export function isRefusal(kind: ConnectionFailureKind): boolean {
  return kind === 'self-connect' || kind === 'duplicate' || kind === 'closing';
}

/**
 * A connection failed or broke. `message` is the AEMP error text a Perl node
 * would use where there is one (`authentication failure/shared secret mismatch`,
 * `Connection refused`, `Unexpected end-of-file` …), so the kernel can put it
 * into `['transport_error', node, message]` as it is: text for logs and the
 * wire only. Programs tell failures apart by {@link kind} (or the coarser
 * {@link code}).
 */
export class ConnectionError extends Error {
  override readonly name = 'ConnectionError';
  /** The coarse kind of failure (stable, documented). */
  readonly code: ConnectionErrorCode;
  constructor(
    message: string,
    /** What exactly failed. */
    readonly kind: ConnectionFailureKind,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.code = codeOfKind(kind);
  }
}

/** The {@link ConnectionFailureKind} of an error, when it carries one (`undefined` otherwise). */
export function failureKind(e: unknown): ConnectionFailureKind | undefined {
  if (e instanceof ConnectionError) return e.kind;
  if (typeof e === 'object' && e !== null && 'kind' in e) {
    const k = (e as { kind: unknown }).kind;
    if (typeof k === 'string' && Object.hasOwn(CODE_OF, k)) return k as ConnectionFailureKind;
  }
  return undefined;
}
