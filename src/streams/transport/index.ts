/**
 * Connections between nodes over TCP (and TLS): `connect`, `listen`, and the
 * authenticated {@link Connection} they produce — a socket after the
 * handshake (driven here over the pure `handshake` machine), carrying frames
 * through a `framing` codec, with liveness probes and typed failures
 * (`ConnectionError`).
 * @module
 */
export { connect } from './connect.js';
export { listen, type Listener } from './listen.js';
export { Connection, type ConnectionState, type LocalSide, type RemoteSide } from './connection.js';
export {
  ConnectionError,
  codeOfKind,
  failureKind,
  isRefusal,
  type ConnectionErrorCode,
  type ConnectionFailureKind,
} from './connection-error.js';
export { type AdmitAnswer, type TransportOptions } from './options.js';
export { formatHostPort, parseHostPort, parsePort, type HostPort } from './address.js';
export { expandBind, wildcardAddresses } from './binds.js';
export { socketErrorText } from './errno.js';
export { tlsMaterial, type TlsMaterial } from './tls-material.js';
