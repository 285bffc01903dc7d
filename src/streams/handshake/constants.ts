/**
 * Fixed values of the AEMP handshake (PROTOCOL.md §2).
 * @module
 */
import { DEFAULTS } from '../../config/index.js';

/** The protocol name of node connections. */
export const PROTOCOL = 'aemp';
/** The protocol name of data connections (tolerated, not implemented; §9). */
export const DATACONN_PROTOCOL = 'aemp-dataconn';
/** The protocol version: AEMP 2.x still sends `1`. */
export const PROTOCOL_VERSION = 1;
/** Our `provider=` value, the same as Perl AnyEvent::MP 2.02 sends. */
export const PROVIDER = 'AE-2.02';
/** Node protocol version (`mproto=`). */
export const MPROTO = '1';
/** Global protocol version (`gproto=`). */
export const GPROTO = '1';
/** The `tls=` value announced when a certificate is configured. */
export const TLS_VERSION = '1.0';

/** Every auth method this implementation can send and verify. */
export const AUTH_METHODS = ['tls_sha3_512', 'hmac_sha3_512', 'tls_anon', 'cleartext'] as const;
/** One of {@link AUTH_METHODS}. */
export type AuthMethod = (typeof AUTH_METHODS)[number];

/** AnyEvent::MP's default `auth_offer`: the methods we may send (the settings table's default). */
export const DEFAULT_AUTH_OFFER: readonly string[] = DEFAULTS.authOffer;
/** AnyEvent::MP's default `auth_accept`: the methods we advertise and verify (the settings table's default). */
export const DEFAULT_AUTH_ACCEPT: readonly string[] = DEFAULTS.authAccept;

/** Handshake line limit (bytes, including the LF) while handshaking (the settings table's `maxLineBytes`). */
export const DEFAULT_MAX_LINE_BYTES: number = DEFAULTS.maxLineBytes;

/** Whether `m` is one of {@link AUTH_METHODS}. */
export function isAuthMethod(m: string): m is AuthMethod {
  return (AUTH_METHODS as readonly string[]).includes(m);
}
