/**
 * The exact handshake error texts (PROTOCOL.md §2.3, §2.4, §2.6, §2.7), plus
 * the few of our own where we are stricter than Perl.
 * @module
 */
import type { AdmitRefusal } from './handshake-error.js';

/** Peer speaks another protocol. */
export const unparsableGreeting = (expected: string, got: string): string =>
  `unparsable greeting, expected '${expected}', got '${got}'`;
/** Peer's version field is not numerically 1. */
export const versionMismatch = (we: number, they: string): string =>
  `version mismatch (we: ${we}, they: ${they})`;
/** Peer announced our own node id. */
export const TALK_TO_MYSELF = 'I refuse to talk to myself';
/** The kernel's refusal of a second transport to a node (the text of {@link refuseDuplicate}). */
export const alreadyConnected = (node: string): string => `${node} already connected, not connecting again.`;
/** The refusal `admit` returns for a node already connected (or being connected). */
export const refuseDuplicate = (node: string): AdmitRefusal => ({ kind: 'duplicate', text: alreadyConnected(node) });
/** The refusal `admit` returns while the node closes. */
export const refuseClosing = (): AdmitRefusal => ({ kind: 'closing', text: 'node closing' });
/** Peer's two greeting lines are byte-identical to ours. */
export const ECHO_ATTACK = 'authentication error, echo attack?';
/** No auth method of the peer's list is in our offer (and usable). */
export const noCommonAuth = (list: string): string => `${list}: no common auth type supported`;
/** No framing of the peer's list is in ours. */
export const noCommonFraming = (list: string): string => `${list}: no common framing method supported`;
/** Neither TLS nor a secret. */
export const NO_TLS_NO_SECRET = 'unable to handshake TLS and no shared secret configured';
/** We chose a method we cannot compute. */
export const unsupportedSndAuth = (m: string): string => `${m}: fatal, selected unsupported snd auth method`;
/** Peer's auth line names a method we do not know. */
export const unsupportedRcvAuth = (m: string): string => `${m}: fatal, selected unsupported rcv auth method`;
/** Wrong secret, wrong hash, or a TLS-only method outside TLS. */
export const AUTH_FAILURE = 'authentication failure/shared secret mismatch';
/** Peer announced a framing we cannot decode. */
export const unusableRemoteFraming = (f: string): string => `${f}: unusable remote framing`;

/** Ours (strict): the peer used a method that is not in our `authAccept`. */
export const authNotAccepted = (m: string): string => `${m}: auth method not in our auth_accept list`;
/** Ours (strict): a handshake line longer than the limit. */
export const lineTooLong = (max: number): string => `handshake line too long (limit ${max} bytes)`;
/** Ours (strict): the greeting has no usable node id. */
export const badNodeId = (id: string): string => `unparsable greeting, invalid node id '${id}'`;
/** Ours: the handshake did not complete within the read timeout. */
export const handshakeTimeout = (seconds: number): string =>
  `Connection timed out (no complete handshake within ${seconds}s)`;
