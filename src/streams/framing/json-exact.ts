/**
 * The exact JSON paths, for the few frames `JSON.parse`/`JSON.stringify`
 * cannot carry as Perl means them:
 *
 * - {@link parseExact}: integers beyond ±(2^53−1) become `BigInt`s (with
 *   their exact digits) instead of the nearest double, so that a Perl
 *   node's 64-bit integers (and Math::BigInt digits) pass through unchanged;
 * - {@link stringifyExact}: `BigInt`s as their digits, byte arrays as the
 *   string of one character per byte (what a Perl byte string is, and what
 *   the CBOR framing sends as a byte string), lone surrogates as U+FFFD
 *   (JSON::XS refuses their `\u` escapes).
 *
 * Everything else is exactly what `JSON.parse`/`JSON.stringify` make of it.
 * The framing uses these only when a cheap test says a frame needs them.
 *
 * @module
 */
import { Buffer } from 'node:buffer';
import { FramingError } from './framing-error.js';
import { MAX_NESTING_DEPTH } from './limits.js';

/**
 * Integers with more digits than this stay numbers (±Infinity or the nearest
 * double, as `JSON.parse` gives them): turning decimal digits into a BigInt
 * costs time quadratic in their length, and a peer must not be able to make
 * us spend seconds on one frame. 4300 is Python's limit for the same reason.
 */
export const MAX_BIGINT_DIGITS = 4300;

/** A run of this many digits is where an integer may leave the safe range (2^53 has 16 digits). */
const UNSAFE_DIGITS = 16;

const isDigit = (c: number): boolean => c - 0x30 >>> 0 < 10;

/**
 * Whether `text` holds a run of 16 digits, where an integer may leave the
 * safe range (digit runs inside strings count too: then the exact parser
 * finds there is nothing to do). Such a run covers two positions 8 apart
 * that are multiples of 8, so only every 8th character is looked at until
 * two digits 8 apart are found: ~10× faster than `/\d{16}/` on a run of
 * frames, which matters as this runs on every chunk.
 */
export function mayHoldBigInts(text: string): boolean {
  const n = text.length;
  for (let m = 0; m + 8 < n; m += 8) {
    if (!isDigit(text.charCodeAt(m)) || !isDigit(text.charCodeAt(m + 8))) continue;
    let a = m;
    while (a > 0 && isDigit(text.charCodeAt(a - 1))) a--;
    let b = m + 1;
    while (b < n && isDigit(text.charCodeAt(b))) b++;
    if (b - a >= UNSAFE_DIGITS) return true;
  }
  return false;
}

// ---- parsing -----------------------------------------------------------------

let s = '';
let i = 0;

/**
 * `JSON.parse(text)`, except that integers (no fraction, no exponent) beyond
 * ±(2^53−1) with at most {@link MAX_BIGINT_DIGITS} digits are `BigInt`s.
 * Throws `JSON.parse`'s `SyntaxError` on malformed text.
 */
export function parseExact(text: string): unknown {
  const plain: unknown = JSON.parse(text); // validates: the walk below may then trust the grammar
  if (!mayHoldBigInts(text)) return plain;
  s = text;
  i = 0;
  try {
    return value();
  } finally {
    s = '';
  }
}

function skipSpace(): void {
  for (;;) {
    const c = s.charCodeAt(i);
    if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) i++;
    else return;
  }
}

function value(): unknown {
  skipSpace();
  const c = s.charCodeAt(i);
  switch (c) {
    case 0x22:
      return string();
    case 0x5b: {
      i++;
      const array: unknown[] = [];
      skipSpace();
      if (s.charCodeAt(i) === 0x5d) {
        i++;
        return array;
      }
      for (;;) {
        array.push(value());
        skipSpace();
        if (s.charCodeAt(i++) === 0x5d) return array; // else a comma
      }
    }
    case 0x7b: {
      i++;
      const object: Record<string, unknown> = {};
      skipSpace();
      if (s.charCodeAt(i) === 0x7d) {
        i++;
        return object;
      }
      for (;;) {
        skipSpace();
        const key = string();
        skipSpace();
        i++; // the colon
        const v = value();
        if (key === '__proto__') Object.defineProperty(object, key, { value: v, enumerable: true, writable: true, configurable: true });
        else object[key] = v;
        skipSpace();
        if (s.charCodeAt(i++) === 0x7d) return object; // else a comma
      }
    }
    case 0x74:
      i += 4;
      return true;
    case 0x66:
      i += 5;
      return false;
    case 0x6e:
      i += 4;
      return null;
    default:
      return number();
  }
}

function string(): string {
  const start = i++;
  for (;;) {
    const c = s.charCodeAt(i++);
    if (c === 0x22) break;
    if (c === 0x5c) i++;
  }
  return JSON.parse(s.slice(start, i)) as string; // escapes exactly as JSON.parse reads them
}

function number(): number | bigint {
  const start = i;
  let integer = true;
  for (;;) {
    const c = s.charCodeAt(i);
    if ((c >= 0x30 && c <= 0x39) || c === 0x2d) i++;
    else if (c === 0x2e || c === 0x65 || c === 0x45 || c === 0x2b) {
      integer = false;
      i++;
    } else break;
  }
  const text = s.slice(start, i);
  const n = Number(text);
  const digits = text.charCodeAt(0) === 0x2d ? text.length - 1 : text.length;
  return integer && !Number.isSafeInteger(n) && digits <= MAX_BIGINT_DIGITS ? BigInt(text) : n;
}

// ---- writing -----------------------------------------------------------------

interface WellFormable {
  toWellFormed(): string;
}

const wellFormed = (text: string): string => (text as unknown as WellFormable).toWellFormed();

/**
 * `JSON.stringify(frame)`, except: bigints are written as their digits,
 * byte arrays as strings of one character per byte, lone surrogates (in
 * strings and keys) as U+FFFD. Throws {@link FramingError} on nesting deeper
 * than {@link MAX_NESTING_DEPTH} (or a cycle).
 */
export function stringifyExact(frame: readonly unknown[]): string {
  return write(frame, 1) ?? 'null';
}

function write(v: unknown, depth: number): string | undefined {
  switch (typeof v) {
    case 'string':
      return JSON.stringify(wellFormed(v));
    case 'number':
      return JSON.stringify(v); // NaN, ±Infinity → null
    case 'bigint':
      return v.toString();
    case 'boolean':
      return v ? 'true' : 'false';
    case 'object': {
      if (v === null) return 'null';
      if (depth > MAX_NESTING_DEPTH) {
        throw new FramingError(`json: cannot encode a frame nested deeper than ${MAX_NESTING_DEPTH} levels (or a cyclic structure)`);
      }
      if (v instanceof Uint8Array) return JSON.stringify(Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('latin1'));
      if (Array.isArray(v)) {
        const parts = new Array<string>(v.length);
        for (let k = 0; k < v.length; k++) parts[k] = write(v[k], depth + 1) ?? 'null';
        return `[${parts.join(',')}]`;
      }
      const toJSON = (v as { toJSON?: unknown }).toJSON;
      if (typeof toJSON === 'function') return write((toJSON as () => unknown).call(v), depth + 1);
      const record = v as Record<string, unknown>;
      const parts: string[] = [];
      for (const key of Object.keys(record)) {
        const text = write(record[key], depth + 1);
        if (text !== undefined) parts.push(`${JSON.stringify(wellFormed(key))}:${text}`);
      }
      return `{${parts.join(',')}}`;
    }
    default:
      return undefined; // undefined, functions, symbols: null in arrays, left out of objects
  }
}
