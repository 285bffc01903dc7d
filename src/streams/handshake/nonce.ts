/**
 * Greeting line 2 (PROTOCOL.md §2.2).
 * @module
 */
import { randomBytes } from 'node:crypto';

/** Octets of randomness in a nonce. */
export const NONCE_BYTES = 66;

/** A fresh nonce line: 66 random octets, standard base64 (88 characters). */
export function createNonce(): string {
  return randomBytes(NONCE_BYTES).toString('base64');
}
