/**
 * Greeting line 1 (PROTOCOL.md §2.1): format, parse and the §2.3 checks.
 * @module
 */
import { HandshakeError } from './handshake-error.js';
import { DATACONN_PROTOCOL, PROTOCOL, PROTOCOL_VERSION } from './constants.js';
import { perlNumber, perlSplit } from './perl.js';
import { TALK_TO_MYSELF, badNodeId, unparsableGreeting, versionMismatch } from './texts.js';

/** A parsed greeting line 1. Parsing never fails; {@link checkGreeting} judges it. */
export interface Greeting {
  /** First field, e.g. `aemp` or `aemp-dataconn`. */
  readonly protocol: string;
  /** Second field, raw (compared numerically). */
  readonly version: string;
  /** Third field: the sender's node id (unauthenticated). */
  readonly nodeId: string;
  /** Fourth field split on `,`: the sender's `auth_accept`, in preference order. */
  readonly authAccept: readonly string[];
  /** Fifth field split on `,`: the sender's framings, in preference order. */
  readonly framings: readonly string[];
  /** The `KEY=VALUE` fields: key = text up to the first `=`, value = the rest (undefined without `=`). */
  readonly kv: Readonly<Record<string, string | undefined>>;
  /** The keys of {@link kv} in the order they appeared (first appearance). */
  readonly kvOrder: readonly string[];
  /** The raw `;`-separated fields (Perl `split`: trailing empty fields dropped). */
  readonly fields: readonly string[];
}

/** What goes into our own greeting line 1. */
export interface GreetingSpec {
  /** Protocol name; default `aemp`. */
  readonly protocol?: string;
  /** Our node id. */
  readonly nodeId: string;
  /** Our `auth_accept` list. */
  readonly authAccept: readonly string[];
  /** Our framing list. */
  readonly framings: readonly string[];
  /** The `KEY=VALUE` pairs, in the order to send them. */
  readonly kv: readonly (readonly [string, string])[];
}

/** Formats greeting line 1 (without its LF): `aemp;1;<node>;<auths>;<framings>[;K=V]...`. */
export function formatGreeting(spec: GreetingSpec): string {
  let line = `${spec.protocol ?? PROTOCOL};${PROTOCOL_VERSION};${spec.nodeId};${spec.authAccept.join(',')};${spec.framings.join(',')}`;
  for (const [k, v] of spec.kv) line += `;${k}=${v}`;
  return line;
}

/** Parses greeting line 1 (without its line terminator) the way Perl does. Never throws. */
export function parseGreeting(line: string): Greeting {
  const fields = perlSplit(line, ';');
  const kv: Record<string, string | undefined> = Object.create(null) as Record<string, string | undefined>;
  const kvOrder: string[] = [];
  for (let i = 5; i < fields.length; i++) {
    const f = fields[i]!;
    const eq = f.indexOf('=');
    // Perl: /^([^=]+)(?:=(.*))?/ — a field with an empty key is ignored.
    if (eq === 0 || f.length === 0) continue;
    const key = eq < 0 ? f : f.slice(0, eq);
    if (!(key in kv)) kvOrder.push(key);
    kv[key] = eq < 0 ? undefined : f.slice(eq + 1);
  }
  return {
    protocol: fields[0] ?? '',
    version: fields[1] ?? '',
    nodeId: fields[2] ?? '',
    authAccept: perlSplit(fields[3] ?? '', ','),
    framings: perlSplit(fields[4] ?? '', ','),
    kv,
    kvOrder,
    fields,
  };
}

/** Whether `id` is acceptable as a node id (non-empty, no `#`, `;`, CR, LF). */
export function isValidNodeId(id: string): boolean {
  return id.length > 0 && !/[#;\r\n]/.test(id);
}

/**
 * The §2.3 checks, in Perl's order: protocol adoption (`aemp` + `aemp-dataconn`),
 * protocol, version, then for `aemp` the node id (ours: must be valid) and
 * the self check. Returns the protocol of this connection.
 * @throws {HandshakeError} with the AEMP error text.
 */
export function checkGreeting(
  g: Greeting,
  own: { readonly nodeId: string; readonly protocol?: string },
): string {
  let protocol = own.protocol ?? PROTOCOL;
  // We adopt only the one sub-protocol we know to tolerate.
  if (protocol === PROTOCOL && g.protocol === DATACONN_PROTOCOL) protocol = g.protocol;
  if (g.protocol !== protocol && g.protocol !== PROTOCOL)
    throw new HandshakeError(unparsableGreeting(protocol, g.protocol), 'protocol');
  if (perlNumber(g.version) !== PROTOCOL_VERSION)
    throw new HandshakeError(versionMismatch(PROTOCOL_VERSION, g.version), 'protocol');
  if (!isValidNodeId(g.nodeId)) throw new HandshakeError(badNodeId(g.nodeId), 'protocol');
  if (protocol === PROTOCOL && g.nodeId === own.nodeId) throw new HandshakeError(TALK_TO_MYSELF, 'self-connect');
  return protocol;
}
