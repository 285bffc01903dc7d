/**
 * The auth line (PROTOCOL.md §2.6): format, parse, compute and verify.
 * @module
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { perlSplit } from './perl.js';

/** One side's two greeting lines, as sent (bytes, without terminators). */
export interface GreetingLines {
  /** Greeting line 1. */
  readonly line1: Uint8Array;
  /** Greeting line 2 (the nonce). */
  readonly line2: Uint8Array;
}

/** A parsed auth line `<method>;<data>;<framing>`. */
export interface AuthLine {
  /** The auth method name. */
  readonly method: string;
  /** The auth data (hex, or empty). */
  readonly data: string;
  /** The framing the sender will send. */
  readonly framing: string;
}

const LF = Buffer.from([0x0a]);

/** `a.line1 LF a.line2 LF b.line1 LF b.line2 LF`: the hashed text, first side first. */
export function authInput(first: GreetingLines, second: GreetingLines): Buffer {
  return Buffer.concat([first.line1, LF, first.line2, LF, second.line1, LF, second.line2, LF]);
}

/** What an auth value is computed from. */
export interface AuthContext {
  /** The shared secret's octets, if configured. */
  readonly secret?: Uint8Array | undefined;
  /** TLS is in use on this connection. */
  readonly tls: boolean;
}

/**
 * The auth data `sender` sends for `method`, where `sender` is the side
 * whose lines come first and `receiver` the other. Use `(own, peer)` to
 * compute what we send and `(peer, own)` for what we expect from the peer.
 * Returns `undefined` when it cannot be computed here (unknown method,
 * `tls_*` outside TLS, secret-based method without a secret).
 */
export function authData(
  method: string,
  sender: GreetingLines,
  receiver: GreetingLines,
  ctx: AuthContext,
): string | undefined {
  switch (method) {
    case 'hmac_sha3_512':
      if (!ctx.secret) return undefined;
      return createHmac('sha3-512', ctx.secret).update(authInput(sender, receiver)).digest('hex');
    case 'cleartext':
      if (!ctx.secret) return undefined;
      return Buffer.from(ctx.secret).toString('hex');
    case 'tls_sha3_512':
      if (!ctx.tls) return undefined;
      return createHash('sha3-512').update(authInput(sender, receiver)).digest('hex');
    case 'tls_anon':
      return ctx.tls ? '' : undefined;
    default:
      return undefined;
  }
}

/** Formats an auth line (without LF): `<method>;<data>;<framing>`. */
export function formatAuthLine(a: AuthLine): string {
  return `${a.method};${a.data};${a.framing}`;
}

/** Parses an auth line (without terminator) like Perl's `split /;/`: missing fields are empty, extra ones ignored. Never throws. */
export function parseAuthLine(line: string): AuthLine {
  const [method = '', data = '', framing = ''] = perlSplit(line, ';');
  return { method, data, framing };
}

/** Constant-time string comparison (length leaks, content does not). */
export function sameAuthData(a: string, b: string): boolean {
  const x = Buffer.from(a, 'latin1');
  const y = Buffer.from(b, 'latin1');
  return x.length === y.length && timingSafeEqual(x, y);
}
