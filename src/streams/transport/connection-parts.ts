/**
 * What a {@link Connection} is made of and tells about its two sides: the
 * framings and auth methods each side uses, the peer's greeting, its state.
 * @module
 */
import type { Socket } from 'node:net';
import type { Greeting, HandshakeResult } from '../handshake/index.js';
import type { ResolvedOptions } from './options.js';

/** What we send: our chosen framing and the auth method we used. */
export interface LocalSide {
  /** The framing we write (chosen from the peer's list). */
  readonly framing: string;
  /** The auth method of our auth line. */
  readonly authMethod: string;
}

/** What the peer sends: its framing and auth method, and its greeting. */
export interface RemoteSide {
  /** The framing the peer writes (announced in its auth line); our decoder. */
  readonly framing: string;
  /** The auth method of the peer's auth line. */
  readonly authMethod: string;
  /** The peer's parsed greeting line 1. */
  readonly greeting: Greeting;
}

/** Where a connection stands. */
export type ConnectionState = 'open' | 'closed' | 'failed';

/** Everything a {@link Connection} is made from (the transport's `connect` and `listen` make them). */
export interface ConnectionParts {
  /** The stream frames travel on (the TLS socket under TLS). */
  readonly stream: Socket;
  /** The TCP socket underneath (the same as `stream` without TLS). */
  readonly raw: Socket;
  /** The handshake's outcome. */
  readonly result: HandshakeResult;
  /** Bytes received right after the peer's auth line: the first frames. */
  readonly rest: Uint8Array;
  /** Whether we opened the connection. */
  readonly initiator: boolean;
  /** The peer's address, `host:port`. */
  readonly peerAddress: string;
  /** The resolved transport options. */
  readonly opts: ResolvedOptions;
}

/** The text of a reason given to `Connection.error()` (a string, an Error's message, or its `String()`). */
export function reasonText(reason: unknown): string {
  if (typeof reason === 'string') return reason;
  if (reason instanceof Error) return reason.message;
  return reason === undefined ? 'closed' : String(reason);
}
