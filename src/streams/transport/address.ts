/**
 * `host:port` strings: parsing and formatting (`[v6]:port` for IPv6).
 * @module
 */
import { isIPv6 } from 'node:net';

/** A host and a port. */
export interface HostPort {
  /** Host name or address (IPv6 without brackets). */
  readonly host: string;
  /** Port number; 0 = ephemeral. */
  readonly port: number;
}

/** Formats `host:port`, bracketing IPv6 addresses: `[::1]:4040`. */
export function formatHostPort(host: string, port: number): string {
  return isIPv6(host) || host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/** Parses a port: digits 0…65535, or `*` for 0 (ephemeral). */
export function parsePort(s: string): number | undefined {
  if (s === '*') return 0;
  if (!/^\d{1,5}$/.test(s)) return undefined;
  const n = Number(s);
  return n <= 65535 ? n : undefined;
}

/**
 * Parses `host:port`, `[v6]:port`, `[v6]`, a bare IPv6 address or a bare
 * host; a missing port is `defaultPort` (none given: the port is required).
 */
export function parseHostPort(s: string, defaultPort?: number): HostPort | undefined {
  let host: string;
  let port: string | undefined;
  const bracket = /^\[([^\]]*)\](?::(.*))?$/.exec(s);
  if (bracket) {
    host = bracket[1]!;
    port = bracket[2];
  } else {
    const colons = s.split(':').length - 1;
    if (colons === 1) [host, port] = s.split(':') as [string, string];
    else host = s; // bare host or bare IPv6 address
  }
  if (host === '') return undefined;
  if (port === undefined) return defaultPort === undefined ? undefined : { host, port: defaultPort };
  const p = parsePort(port);
  return p === undefined ? undefined : { host, port: p };
}
