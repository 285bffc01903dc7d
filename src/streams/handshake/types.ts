/**
 * The handshake's vocabulary: what it is given (our side), what it asks the
 * transport to do (actions), what it ends with (the result), its states.
 * @module
 */
import type { Greeting } from './greeting.js';
import type { AdmitRefusal, HandshakeFailureKind } from './handshake-error.js';

/** Everything the handshake needs to know about our side. */
export interface HandshakeConfig {
  /** Our node id. */
  readonly nodeId: string;
  /** The shared secret's octets (a string is taken as UTF-8). */
  readonly secret?: Uint8Array | string | undefined;
  /** We have a certificate: announce `tls=1.0` and use TLS if the peer does too. */
  readonly tls: boolean;
  /** Methods we may send (`auth_offer`), preference order irrelevant (the peer's order rules). */
  readonly authOffer: readonly string[];
  /** Methods we advertise and are willing to verify (`auth_accept`). Others are refused. */
  readonly authAccept: readonly string[];
  /** Our framings (`framing_format`), preference order: announced, and what we may send. */
  readonly framings: readonly string[];
  /** Framings we can decode; the peer's announced one must be among them. */
  readonly receivableFramings: readonly string[];
  /** `peeraddr=` value: the dialled address (connector) or the remote socket address (acceptor). */
  readonly peerAddr: string;
  /** Handshake line limit in bytes (LF included); default 4096. */
  readonly maxLineBytes?: number;
  /** Our nonce line; default a fresh {@link createNonce}. For tests and replaying captures. */
  readonly nonce?: string;
  /** Our greeting line 1 verbatim instead of the formatted one. For replaying captures only. */
  readonly greetingLine1?: string;
  /**
   * Called with the peer's node id once its greeting line 1 passed the
   * §2.3 checks (protocol `aemp` only). Return a refusal (its kind and
   * text, e.g. {@link refuseDuplicate}) to refuse, or `'hold'` to decide
   * later: the handshake then reads no further line (and sends no auth line)
   * until {@link Handshake.resume} gives the decision.
   */
  readonly admit?: ((remoteNodeId: string) => AdmitRefusal | undefined | 'hold') | undefined;
}

/** Which end of the TLS session this side is. */
export type TlsRole = 'client' | 'server';

/** The outcome of a successful handshake. */
export interface HandshakeResult {
  /** `aemp`, or `aemp-dataconn` when the peer opened a data connection. */
  readonly protocol: string;
  /** The peer's node id (from its greeting, now authenticated). */
  readonly remoteNodeId: string;
  /** The peer's parsed greeting line 1. */
  readonly remoteGreeting: Greeting;
  /** TLS is in use. */
  readonly tls: boolean;
  /** Our TLS role, when TLS is in use. */
  readonly tlsRole: TlsRole | undefined;
  /** What we send: the framing we chose and the auth method we used. */
  readonly local: { readonly framing: string; readonly authMethod: string };
  /** What the peer sends: its framing (our read side) and its auth method. */
  readonly remote: { readonly framing: string; readonly authMethod: string };
}

/** One thing the transport must do, in order. */
export type HandshakeAction =
  /** Write these bytes (to the TLS stream once TLS has been started). */
  | { readonly type: 'write'; readonly data: Uint8Array }
  /**
   * Start TLS in `role` on the raw stream now. `rest` holds bytes that came
   * after the nonce line: they are TLS bytes and belong to the TLS layer.
   * Feed everything read from the TLS stream to {@link Handshake.push}.
   */
  | { readonly type: 'starttls'; readonly role: TlsRole; readonly rest: Uint8Array }
  /** Authenticated. `rest` = bytes after the auth line's LF: the first data frames. */
  | { readonly type: 'established'; readonly result: HandshakeResult; readonly rest: Uint8Array }
  /**
   * Give up with this AEMP error text; close the connection. `kind` says what
   * failed (absent for {@link Handshake.abort}: the caller knows why).
   */
  | { readonly type: 'fail'; readonly reason: string; readonly kind?: HandshakeFailureKind };

/** The state of a {@link Handshake}. */
export type HandshakeState = 'new' | 'greeting' | 'nonce' | 'auth' | 'established' | 'failed';
