/**
 * The node certificate: one PEM holding certificate(s) and private key, like
 * Perl's `cert`; the same PEM is the CA list (PROTOCOL.md §2.5).
 * @module
 */
import { createSecureContext, type SecureContext } from 'node:tls';

/** What TLS needs, prepared once per PEM. */
export interface TlsMaterial {
  /** The private key PEM block. */
  readonly key: string;
  /** The certificate PEM blocks, in file order. */
  readonly cert: string;
  /** The CA list: every certificate of the PEM. */
  readonly ca: readonly string[];
  /** A secure context with key, cert and CA, for the TLS client role. */
  readonly context: SecureContext;
}

const CERT_RE = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g;
const KEY_RE = /-----BEGIN ((?:RSA |EC |DSA |ENCRYPTED )?PRIVATE KEY)-----[\s\S]*?-----END \1-----/;

let cached: { pem: string; material: TlsMaterial } | undefined;

/**
 * Splits the PEM and builds the secure context (cached for the last PEM).
 * @throws {TypeError} when the PEM lacks a certificate or a private key, or OpenSSL refuses them.
 */
export function tlsMaterial(pem: string): TlsMaterial {
  if (cached?.pem === pem) return cached.material;
  const certs = pem.match(CERT_RE) ?? [];
  const key = KEY_RE.exec(pem)?.[0];
  if (certs.length === 0) throw new TypeError('cert: no certificate found in the PEM');
  if (key === undefined) throw new TypeError('cert: no private key found in the PEM');
  const cert = certs.join('\n');
  let context: SecureContext;
  try {
    context = createSecureContext({ key, cert, ca: certs });
  } catch (e) {
    throw new TypeError(`cert: unusable certificate or key: ${e instanceof Error ? e.message : String(e)}`, {
      cause: e,
    });
  }
  const material: TlsMaterial = { key, cert, ca: certs, context };
  cached = { pem, material };
  return material;
}
