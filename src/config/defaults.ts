/**
 * The built-in defaults: AnyEvent::MP's, except that we never offer the
 * Perl-only `storable` framing.
 * @module
 */

/** The defaults every resolution starts from (`nodeid` is `"<profile>/"`, computed). */
export const DEFAULTS = Object.freeze({
  binds: Object.freeze(['*']),
  seeds: Object.freeze([] as string[]),
  framingFormat: Object.freeze(['cbor', 'json']),
  authOffer: Object.freeze(['tls_sha3_512', 'hmac_sha3_512']),
  authAccept: Object.freeze(['tls_sha3_512', 'hmac_sha3_512', 'tls_anon', 'cleartext']),
  monitorTimeout: 30,
  connectInterval: 2,
  autocork: false,
  nodelay: true,
  secure: false,
  services: Object.freeze([] as string[]),
  maxFrameBytes: 16 * 1024 * 1024,
  maxLineBytes: 4096,
  global: false,
  addresses: Object.freeze(Object.create(null) as Record<string, readonly string[]>),
});

/** The default node id template for a profile: `"<profile>/"`. */
export function defaultNodeIdTemplate(profile: string): string {
  return `${profile}/`;
}
