/**
 * The AEMP handshake (PROTOCOL.md §2), pure: greeting, nonce, negotiation of
 * framing and auth, the auth lines, and the state machine (`Handshake`) that
 * strings them together — lines in, actions out. No I/O; the transport
 * drives it over a socket.
 * @module
 */
export * from './constants.js';
export * from './texts.js';
export { HandshakeError, type HandshakeFailureKind, type AdmitRefusal } from './handshake-error.js';
export { perlNumber, perlInt, perlSplit } from './perl.js';
export {
  formatGreeting,
  parseGreeting,
  checkGreeting,
  isValidNodeId,
  type Greeting,
  type GreetingSpec,
} from './greeting.js';
export { createNonce, NONCE_BYTES } from './nonce.js';
export { chooseAuthMethod, chooseFraming, tlsRole, type AuthChoiceContext } from './negotiate.js';
export {
  authData,
  authInput,
  formatAuthLine,
  parseAuthLine,
  sameAuthData,
  type AuthContext,
  type AuthLine,
  type GreetingLines,
} from './auth.js';
export { LineReader } from './line-reader.js';
export { Handshake } from './machine.js';
export type { HandshakeAction, HandshakeConfig, HandshakeResult, HandshakeState, TlsRole } from './types.js';
