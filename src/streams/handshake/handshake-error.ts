/**
 * The typed error of the pure handshake code, and its failure kinds.
 * @module
 */

/**
 * What made a handshake fail, as a program tells it apart (the text is for
 * logs and the wire only).
 */
export type HandshakeFailureKind =
  /** The peer announced our own node id (`I refuse to talk to myself`). */
  | 'self-connect'
  /** `admit` refused: that node is already connected (or being connected). */
  | 'duplicate'
  /** `admit` refused: this node is closing. */
  | 'closing'
  /** The peer does not speak AEMP as we do: unparsable greeting, version, node id, line too long, data connections. */
  | 'protocol'
  /** No common auth method or framing, or neither TLS nor a secret. */
  | 'negotiation'
  /** Authentication failed: wrong secret or hash, a method we do not accept, an echo. */
  | 'auth'
  /** Our own setup failed (a bug, not the peer). */
  | 'internal';

/** The refusals `admit` may return: a kind and the text logged (and told to the peer's log). */
export interface AdmitRefusal {
  /** Why: `duplicate` (already connected) or `closing`. */
  readonly kind: 'duplicate' | 'closing';
  /** The human text (logs only). */
  readonly text: string;
}

/**
 * A handshake step failed; `message` is the AEMP error text (the one a Perl
 * node would log, e.g. `I refuse to talk to myself`), {@link kind} what failed.
 */
export class HandshakeError extends Error {
  override readonly name = 'HandshakeError';
  constructor(
    message: string,
    /** What failed. */
    readonly kind: HandshakeFailureKind,
  ) {
    super(message);
  }
}
