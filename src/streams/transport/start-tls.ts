/**
 * Upgrading a connected socket to TLS in the middle of the AEMP handshake
 * (PROTOCOL.md §2.5): mutual verification against the node's own PEM as CA,
 * no host-name check.
 * @module
 */
import type { Socket } from 'node:net';
import { connect as tlsConnect, createServer, type TLSSocket } from 'node:tls';
import type { TlsRole } from '../handshake/index.js';
import type { TlsMaterial } from './tls-material.js';

/** Callbacks of {@link startTls}; exactly one of them is called, once. */
export interface TlsStartHandlers {
  /** TLS is up and the peer's certificate verified. */
  ready(socket: TLSSocket): void;
  /** TLS failed; `text` says why. */
  fail(text: string): void;
}

/** The text of a TLS failure, with the verification error when there is one. */
function tlsFailureText(err: unknown, authorizationError?: unknown): string {
  if (authorizationError) return `TLS handshake failed: ${String(authorizationError)}`;
  // OpenSSL errors carry a short `reason` ('wrong version number'); their message wraps it in internal codes.
  const reason = (err as { reason?: unknown } | null)?.reason;
  const why =
    typeof reason === 'string' && reason ? reason : err instanceof Error ? err.message : String(err);
  return `TLS handshake failed: ${why}`;
}

/**
 * Starts TLS on `raw` in `role`. `rest` are bytes already read from `raw`
 * past the greeting: they are the start of the peer's TLS stream and are
 * handed to TLS first. `raw` must have no `data` listener left.
 */
export function startTls(
  raw: Socket,
  role: TlsRole,
  material: TlsMaterial,
  rest: Uint8Array,
  handlers: TlsStartHandlers,
): void {
  let done = false;
  const ready = (s: TLSSocket) => {
    if (done) return;
    done = true;
    handlers.ready(s);
  };
  const fail = (text: string) => {
    if (done) return;
    done = true;
    handlers.fail(text);
  };
  raw.pause();
  // TLSSocket reads what is buffered in the socket before its handle.
  if (rest.length > 0) raw.unshift(Buffer.from(rest.buffer, rest.byteOffset, rest.length));
  if (role === 'client') {
    const s = tlsConnect({
      socket: raw,
      secureContext: material.context,
      rejectUnauthorized: true,
      checkServerIdentity: () => undefined,
    });
    s.once('secureConnect', () => ready(s));
    s.on('error', (e) => fail(tlsFailureText(e, s.authorizationError)));
    s.once('close', () => fail(tlsFailureText('connection closed during TLS handshake')));
  } else {
    // A never-listening tls.Server runs Node's own server-side verification
    // (requestCert + rejectUnauthorized) for this one socket.
    const server = createServer({
      key: material.key,
      cert: material.cert,
      ca: [...material.ca],
      requestCert: true,
      rejectUnauthorized: true,
    });
    server.once('secureConnection', (s: TLSSocket) => ready(s));
    server.on('tlsClientError', (e: Error, s: TLSSocket) => {
      fail(tlsFailureText(e, s.authorizationError));
      s.destroy();
    });
    server.emit('connection', raw);
  }
}
