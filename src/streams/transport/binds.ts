/**
 * Turning `binds` specs into listen addresses (PROTOCOL.md §11.3).
 * @module
 */
import { hostname, networkInterfaces } from 'node:os';
import { parseHostPort, parsePort, type HostPort } from './address.js';

/**
 * Every address `*` stands for: the IPv4 addresses of all interfaces except
 * 127/8, plus global (2000::/3) and unique-local (fc00::/7) IPv6 addresses.
 */
export function wildcardAddresses(): string[] {
  const out: string[] = [];
  for (const list of Object.values(networkInterfaces())) {
    for (const a of list ?? []) {
      if (a.family === 'IPv4' && !a.address.startsWith('127.')) out.push(a.address);
      // 2000::/3 starts with 2 or 3; fc00::/7 with fc or fd.
      else if (a.family === 'IPv6' && /^([23]|f[cd])/i.test(a.address)) out.push(a.address);
    }
  }
  return out;
}

/**
 * Expands one bind spec: `host:port`, `[v6]:port`, `*:port` (every
 * interface, see {@link wildcardAddresses}), bare `port` (`<hostname>:port`),
 * `*` or empty (`<hostname>`/every interface, ephemeral port). Port `*` or
 * `0` = ephemeral. Returns `undefined` for a spec that cannot be parsed.
 */
export function expandBind(spec: string): HostPort[] | undefined {
  let hp: HostPort | undefined;
  const s = spec.trim();
  if (s === '') hp = { host: hostname(), port: 0 };
  else if (/^\d+$/.test(s)) {
    const port = parsePort(s);
    hp = port === undefined ? undefined : { host: hostname(), port };
  } else hp = parseHostPort(s, 0);
  if (!hp) return undefined;
  if (hp.host === '*') return wildcardAddresses().map((host) => ({ host, port: hp.port }));
  return [hp];
}
