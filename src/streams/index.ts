/**
 * The stream primitives of aemp: framings (frames ⇄ bytes), the AEMP
 * handshake, and authenticated connections over TCP/TLS.
 * @module
 */
export * from './framing/index.js';
export * from './handshake/index.js';
export * from './transport/index.js';
