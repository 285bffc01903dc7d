/**
 * Transport options (the settings the transport uses, named and typed as
 * in the resolved configuration) and their checked, defaulted form. The
 * defaults are the configuration's (`DEFAULTS`, from the settings table);
 * the checks here are the transport's own (what may go on the wire), for
 * callers that do not come through the configuration.
 * @module
 */
import { DEFAULTS, type ResolvedConfig } from '../../config/index.js';
import type { LogFn } from '../../log/index.js';
import { SUPPORTED_FRAMINGS } from '../framing/index.js';
import { isValidNodeId } from '../handshake/index.js';
import type { AdmitRefusal } from '../handshake/index.js';
import { tlsMaterial, type TlsMaterial } from './tls-material.js';

/** What `admit` answers: a refusal, `undefined` (let in), or a promise of either (decided later). */
export type AdmitAnswer = AdmitRefusal | undefined | Promise<AdmitRefusal | undefined>;

/** How a node's transport behaves; every field but `nodeId` has Perl's default. */
export interface TransportOptions {
  /** Our node id. */
  readonly nodeId: string;
  /** Shared secret (the HMAC key: its octets as Perl takes them, see {@link secretOctets}). */
  readonly secret?: ResolvedConfig['secret'];
  /** PEM with certificate(s) and private key, like Perl's `cert`; enables TLS. Also the CA list. */
  readonly cert?: ResolvedConfig['cert'];
  /** Auth methods we may send; default `tls_sha3_512,hmac_sha3_512`. */
  readonly authOffer?: ResolvedConfig['authOffer'] | undefined;
  /** Auth methods we advertise and verify (strict: others are refused); default all four. */
  readonly authAccept?: ResolvedConfig['authAccept'] | undefined;
  /** Framings in preference order; default `cbor,json`. Ones we cannot speak (`storable`) are dropped. */
  readonly framingFormat?: ResolvedConfig['framingFormat'] | undefined;
  /**
   * Seconds; default 30. The handshake read timeout, and after it the
   * liveness limit: a connection with no data from the peer for this long
   * while inside a frame is closed, and so is one with no data at all when
   * {@link probe} is set (see `liveness.ts`).
   */
  readonly monitorTimeout?: ResolvedConfig['monitorTimeout'] | undefined;
  /**
   * A frame the peer must answer, sent when the link has been quiet for a
   * quarter of {@link monitorTimeout} (a node sends the node-port request
   * `["", "time", "<own id>#", "devnull"]`, which every AEMP node answers).
   * With it a peer that sends nothing for `monitorTimeout` is given up;
   * without it (the default) only a stall inside a frame is.
   */
  readonly probe?: readonly unknown[] | undefined;
  /** Deadline of {@link connect} in seconds (TCP connect + handshake); default 2. */
  readonly connectInterval?: ResolvedConfig['connectInterval'] | undefined;
  /** Longest handshake line in bytes, LF included; default 4096. */
  readonly maxLineBytes?: ResolvedConfig['maxLineBytes'] | undefined;
  /** Largest data frame accepted, in bytes; default the framing's 16 MiB. */
  readonly maxFrameBytes?: ResolvedConfig['maxFrameBytes'] | undefined;
  /** TCP_NODELAY; default true. */
  readonly nodelay?: ResolvedConfig['nodelay'] | undefined;
  /** Where transport events are logged (context `transport`). */
  readonly log?: LogFn | undefined;
  /**
   * Called once the peer's greeting line 1 is parsed (after the protocol,
   * version and self checks); return a refusal (kind and text) to refuse the
   * connection (the kernel uses `refuseDuplicate(node)`: `<node> already
   * connected, not connecting again.`). A promise holds the handshake (no
   * auth line of ours goes out) until it settles with the decision; the
   * handshake timeout still runs meanwhile. A held connection counts as let
   * in: `abandoned` is told if it then fails or is refused.
   */
  admit?(remoteNodeId: string): AdmitAnswer;
  /**
   * Called when a handshake that `admit` let in fails before it is
   * established (so the kernel knows that connection from the node is no
   * longer on its way). Not called for established connections.
   */
  abandoned?(remoteNodeId: string): void;
}

/** {@link TransportOptions} checked and defaulted (not public API; kept in the declarations, which name it). */
export interface ResolvedOptions {
  readonly nodeId: string;
  readonly secret: Uint8Array | undefined;
  readonly tls: TlsMaterial | undefined;
  readonly authOffer: readonly string[];
  readonly authAccept: readonly string[];
  readonly framings: readonly string[];
  readonly monitorTimeout: number;
  readonly probe: readonly unknown[] | undefined;
  readonly connectInterval: number;
  readonly maxLineBytes: number;
  readonly maxFrameBytes: number;
  readonly nodelay: boolean;
  readonly log: LogFn;
  readonly admit: ((remoteNodeId: string) => AdmitAnswer) | undefined;
  readonly abandoned: ((remoteNodeId: string) => void) | undefined;
}

const noLog: LogFn = () => {};

function list(
  name: string,
  value: readonly string[] | undefined,
  dflt: readonly string[],
): readonly string[] {
  const l = value ?? dflt;
  if (!Array.isArray(l)) throw new TypeError(`${name}: expected a list of strings`);
  for (const s of l)
    if (typeof s !== 'string' || s === '' || /[,;\r\n]/.test(s))
      throw new TypeError(`${name}: invalid entry ${JSON.stringify(s)}`);
  return [...l];
}

function positive(name: string, value: number | undefined, dflt: number): number {
  if (value === undefined) return dflt;
  const n = Number(value);
  if (!(n > 0) || !Number.isFinite(n))
    throw new TypeError(`${name}: expected a positive number, got ${String(value)}`);
  return n;
}

function probeFrame(p: readonly unknown[] | undefined): readonly unknown[] | undefined {
  if (p === undefined) return undefined;
  if (!Array.isArray(p) || p.length === 0)
    throw new TypeError('probe: expected a non-empty frame (an array)');
  return [...(p as unknown[])];
}

/**
 * Checks and defaults the options.
 * @throws {TypeError} on an invalid node id, list entry, number or certificate.
 */
export function resolveOptions(o: TransportOptions): ResolvedOptions {
  if (typeof o.nodeId !== 'string' || !isValidNodeId(o.nodeId))
    throw new TypeError(`nodeId: invalid node id ${JSON.stringify(o.nodeId)}`);
  const framings = list('framingFormat', o.framingFormat, DEFAULTS.framingFormat).filter((f) =>
    (SUPPORTED_FRAMINGS as readonly string[]).includes(f),
  );
  if (framings.length === 0)
    throw new TypeError(
      `framingFormat: none of ${SUPPORTED_FRAMINGS.join(',')} in ${String(o.framingFormat)}`,
    );
  const secret = o.secret === undefined || o.secret === '' ? undefined : secretOctets(String(o.secret));
  return {
    nodeId: o.nodeId,
    secret,
    tls: o.cert ? tlsMaterial(o.cert) : undefined,
    authOffer: list('authOffer', o.authOffer, DEFAULTS.authOffer),
    authAccept: list('authAccept', o.authAccept, DEFAULTS.authAccept),
    framings,
    monitorTimeout: positive('monitorTimeout', o.monitorTimeout, DEFAULTS.monitorTimeout),
    probe: probeFrame(o.probe),
    connectInterval: positive('connectInterval', o.connectInterval, DEFAULTS.connectInterval),
    maxLineBytes: Math.floor(positive('maxLineBytes', o.maxLineBytes, DEFAULTS.maxLineBytes)),
    maxFrameBytes: Math.floor(positive('maxFrameBytes', o.maxFrameBytes, DEFAULTS.maxFrameBytes)),
    nodelay: o.nodelay ?? DEFAULTS.nodelay,
    log: o.log ?? noLog,
    admit: o.admit?.bind(o),
    abandoned: o.abandoned?.bind(o),
  };
}

/**
 * The octets of a secret as a Perl node keys its HMAC with them: Perl reads
 * the rc file into a character string and Digest::HMAC takes each character
 * below 256 as one octet (latin1). Beyond that Perl would refuse ("wide
 * character"); we use UTF-8 there. For ASCII secrets both are the same.
 */
export function secretOctets(secret: string): Buffer {
  // eslint-disable-next-line no-control-regex -- the test is for code points above U+00FF
  return /[^\u0000-\u00ff]/.test(secret) ? Buffer.from(secret, 'utf8') : Buffer.from(secret, 'latin1');
}
