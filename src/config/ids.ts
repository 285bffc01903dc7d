/**
 * The process-unique strings of PROTOCOL.md §1.3: RUNIQ (the remote-spawn
 * port-name prefix and the `%u` value of node id templates) and UNIQ (the
 * local port-name prefix).
 * @module
 */
import { randomInt } from 'node:crypto';

/** The 62-symbol alphabet both use: `0-9A-Za-z`, in that order. */
export const ID_ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

function randomChars(n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += ID_ALPHABET[randomInt(ID_ALPHABET.length)];
  return s;
}

function symbol(n: number): string {
  return ID_ALPHABET[((Math.floor(n) % 62) + 62) % 62] as string;
}

/**
 * A fresh RUNIQ: 10 random characters of `0-9A-Za-z`, the last one
 * upper-cased (a digit stays a digit), so that a RUNIQ-prefixed port name
 * never collides with a UNIQ-prefixed one of the same length.
 */
export function makeRuniq(): string {
  const s = randomChars(10);
  return s.slice(0, 9) + s.slice(9).toUpperCase();
}

/**
 * A UNIQ (9 characters): 5 characters derived from `pid / 62 % 62`,
 * `pid % 62`, `int(now) % 62`, `int(now * 100) % 62`,
 * `int(now * 10000) % 62` (integer parts, as Perl's `%` takes them),
 * followed by 4 random characters.
 * @param pid the process id (default `process.pid`)
 * @param now the time in seconds, with fractions (default now)
 */
export function makeUniq(pid: number = process.pid, now: number = Date.now() / 1000): string {
  return (
    symbol(Math.floor(pid / 62)) +
    symbol(pid) +
    symbol(Math.floor(now)) +
    symbol(Math.floor(now * 100)) +
    symbol(Math.floor(now * 10000)) +
    randomChars(4)
  );
}
