/**
 * The pure AEMP handshake: greeting, nonce, negotiation, auth lines and the
 * state machine that strings them together. No I/O.
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
