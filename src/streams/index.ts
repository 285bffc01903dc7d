/**
 * The streams room (above config): the stream primitives under a node, none
 * of which knows about ports or nodes' state —
 * - `framing/`: framings, pure codecs turning frames into bytes and back;
 * - `handshake/`: the AEMP handshake, a pure state machine (no I/O);
 * - `transport/`: sockets (TCP, TLS) turned into an authenticated `Connection`.
 * Imports only the log and config rooms; inside, framing and handshake import
 * nothing of transport. Other rooms import streams only through this file.
 * @module
 */
export * from './framing/index.js';
export * from './handshake/index.js';
export * from './transport/index.js';
