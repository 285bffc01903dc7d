/**
 * Messages and port ids: the words every part of the kernel uses. It
 * imports nothing (the handler type, which names a `Port`, lives with the
 * port in `port.ts`).
 * @module
 */

/** A message: an array of plain data (the rule: `Kernel.snd`, checked by `plainValues`); by convention `[tag, ...args]`. */
export type Message = readonly unknown[];

/** `nodeid#name` → `nodeid` (the whole string when there is no `#`). */
export function nodeOf(portId: string): string {
  const i = portId.indexOf('#');
  return i < 0 ? portId : portId.slice(0, i);
}

/** `nodeid#name` → `name` (`''` for a node port or a bare node id). */
export function portNameOf(portId: string): string {
  const i = portId.indexOf('#');
  return i < 0 ? '' : portId.slice(i + 1);
}

/** Text of a thrown value as AnyEvent::MP's `die` reason carries it: the message, no trailing newlines. */
export function dieText(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return text.replace(/\n+$/, '');
}

/**
 * JSON text of a value for logs and output: `JSON.stringify`, except that
 * bigints (integers beyond 2^53 from the wire) are written as their digits,
 * as the JSON framing writes them. Never throws: a value JSON cannot write
 * (a cycle) gives `String(value)`.
 */
export function jsonText(value: unknown, space?: number): string {
  try {
    return JSON.stringify(value, null, space) ?? String(value);
  } catch (error) {
    if (!(error instanceof TypeError && error.message.includes('BigInt'))) return String(value);
  }
  // bigints become marked strings, then the marks and quotes go: a random mark no string holds by chance
  const mark = `\u0001${Math.random().toString(36).slice(2)}:`;
  try {
    const text = JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? mark + v.toString() : v), space) ?? String(value);
    return text.split(`"\\u0001${mark.slice(1)}`).map((piece, i) => (i === 0 ? piece : piece.replace(/^(-?\d+)"/, '$1'))).join('');
  } catch {
    return String(value);
  }
}

/** `no callback found for message '<tag>'`: the first 30 characters, non-printables as `.`. */
export function unhandledText(tag: unknown): string {
  const s = typeof tag === 'string' ? tag : tag === undefined ? '' : jsonText(tag);
  // eslint-disable-next-line no-control-regex
  return `no callback found for message '${s.slice(0, 30).replace(/[\x00-\x1f\x7f]/g, '.')}'`;
}

/** Throws a TypeError naming `what` unless `v` is a non-empty string. */
export function assertPortId(v: unknown, what = 'port id'): asserts v is string {
  if (typeof v !== 'string' || v.length === 0) throw new TypeError(`${what} must be a non-empty string, got ${typeof v}`);
}
