/**
 * Perl's numeric reading of strings, as the handshake uses it
 * (`$version != 1`, `1 == int $greeting{tls}`).
 * @module
 */

const NUMERIC_PREFIX = /^\s*([+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?)/;

/** The number Perl sees in `s` (leading numeric prefix; none or absent = 0). */
export function perlNumber(s: string | undefined): number {
  if (s === undefined) return 0;
  const m = NUMERIC_PREFIX.exec(s);
  if (!m) return 0;
  const n = Number(m[1]);
  return Number.isFinite(n) ? n : 0;
}

/** Perl's `int $s`: the numeric value truncated toward zero. */
export function perlInt(s: string | undefined): number {
  return Math.trunc(perlNumber(s));
}

/**
 * Perl's `split /;/, $s` (and `/,/`): split on the separator and drop
 * trailing empty fields.
 */
export function perlSplit(s: string, sep: string): string[] {
  const parts = s.split(sep);
  while (parts.length > 0 && parts[parts.length - 1] === '') parts.pop();
  return parts;
}
