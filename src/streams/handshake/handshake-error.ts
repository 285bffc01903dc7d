/**
 * The typed error of the pure handshake code.
 * @module
 */

/**
 * A handshake step failed; `message` is the AEMP error text (the one a Perl
 * node would log, e.g. `I refuse to talk to myself`).
 */
export class HandshakeError extends Error {
  override readonly name = 'HandshakeError';
}
