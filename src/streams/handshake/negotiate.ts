/**
 * Choosing the auth method and the framing we send (PROTOCOL.md §2.4).
 * @module
 */
import { isAuthMethod } from './constants.js';

/** What the auth choice depends on besides the two lists. */
export interface AuthChoiceContext {
  /** TLS is in use on this connection. */
  readonly tls: boolean;
  /** We have a shared secret. */
  readonly secret: boolean;
}

/**
 * Walks the PEER's accept list in its order and takes the first method that
 * is in our offer and that we can compute: `tls_*` only under TLS. Under TLS
 * the secret-based methods are skipped when we have no secret (outside TLS
 * they stay eligible, so the missing secret is reported with Perl's text).
 */
export function chooseAuthMethod(
  peerAccept: readonly string[],
  ourOffer: readonly string[],
  ctx: AuthChoiceContext,
): string | undefined {
  for (const m of peerAccept) {
    if (!ourOffer.includes(m) || !isAuthMethod(m)) continue;
    if (m.startsWith('tls_') ? ctx.tls : !ctx.tls || ctx.secret) return m;
  }
  return undefined;
}

/** Walks the PEER's framing list in its order and takes the first that is in ours. */
export function chooseFraming(
  peerFramings: readonly string[],
  ourFramings: readonly string[],
): string | undefined {
  for (const f of peerFramings) if (ourFramings.includes(f)) return f;
  return undefined;
}

/** TLS role (§2.5): the side with the bytewise smaller nonce line is the TLS client. */
export function tlsRole(ownNonce: Uint8Array, peerNonce: Uint8Array): 'client' | 'server' {
  return Buffer.compare(ownNonce, peerNonce) < 0 ? 'client' : 'server';
}
