/**
 * Turning the octets of a CBOR string into a JS string.
 *
 * - Byte strings ({@link bytesToString}): one code point U+0000–U+00FF per
 *   octet. Perl sends every ordinary string (no UTF-8 flag) as a byte string,
 *   and such a Perl string *is* a sequence of code points 0–255: JSON::XS
 *   sends the same string as exactly these code points, so both framings
 *   agree and what we echo back is `eq` to what Perl sent.
 * - Text strings ({@link octetsToString}): UTF-8, which they must be (RFC
 *   8949); anything else is a {@link FramingError} that refuses the frame,
 *   as the JSON framing refuses a frame that is not UTF-8. (CBOR::XS writes
 *   a text string only for a Perl string with the UTF-8 flag, which is
 *   valid UTF-8 unless it holds surrogates or code points beyond U+10FFFF —
 *   strings JSON::XS sends as bytes our JSON framing refuses just the same.)
 *
 * @module
 */
import { isAscii, isUtf8, type Buffer } from 'node:buffer';
import { latin1Slice, utf8Slice } from './buffer-text.js';
import { FramingError } from './framing-error.js';

const fromCharCode = String.fromCharCode;

/** Strings up to this many octets are built in JS (a native call costs more than the loop). */
const SHORT_STRING = 24;

/**
 * ASCII fast path for up to 8 octets: the string, or `null` if an octet is ≥ 0x80.
 * Unrolled so that short port names and tags cost one `fromCharCode` call.
 */
function ascii8(src: Uint8Array, at: number, n: number): string | null {
  const a = src[at]!;
  if (n === 1) return a < 0x80 ? fromCharCode(a) : null;
  const b = src[at + 1]!;
  if (n === 2) return (a | b) < 0x80 ? fromCharCode(a, b) : null;
  const c = src[at + 2]!;
  if (n === 3) return (a | b | c) < 0x80 ? fromCharCode(a, b, c) : null;
  const d = src[at + 3]!;
  if (n === 4) return (a | b | c | d) < 0x80 ? fromCharCode(a, b, c, d) : null;
  const e = src[at + 4]!;
  if (n === 5) return (a | b | c | d | e) < 0x80 ? fromCharCode(a, b, c, d, e) : null;
  const f = src[at + 5]!;
  if (n === 6) return (a | b | c | d | e | f) < 0x80 ? fromCharCode(a, b, c, d, e, f) : null;
  const g = src[at + 6]!;
  if (n === 7) return (a | b | c | d | e | f | g) < 0x80 ? fromCharCode(a, b, c, d, e, f, g) : null;
  const h = src[at + 7]!;
  return (a | b | c | d | e | f | g | h) < 0x80 ? fromCharCode(a, b, c, d, e, f, g, h) : null;
}

/** Decode octets that are not all ASCII (or are long): UTF-8, else a {@link FramingError}. */
function slowString(src: Buffer, start: number, end: number): string {
  const view = src.subarray(start, end);
  if (isAscii(view)) return latin1Slice(src, start, end);
  if (isUtf8(view)) return utf8Slice(src, start, end);
  throw new FramingError(`cbor: malformed data: a text string of ${end - start} bytes is not valid UTF-8`);
}

/**
 * The JS string for the UTF-8 octets `src[start, end)` of a text string.
 * Throws {@link FramingError} if they are not valid UTF-8.
 */
export function octetsToString(src: Buffer, start: number, end: number): string {
  const n = end - start;
  if (n <= 8) {
    if (n === 0) return '';
    const s = ascii8(src, start, n);
    return s === null ? slowString(src, start, end) : s;
  }
  if (n <= SHORT_STRING) {
    const head = ascii8(src, start, 8);
    if (head !== null) {
      const mid = n <= 16 ? ascii8(src, start + 8, n - 8) : ascii8(src, start + 8, 8);
      if (mid !== null) {
        if (n <= 16) return head + mid;
        const tail = ascii8(src, start + 16, n - 16);
        if (tail !== null) return head + mid + tail;
      }
    }
  }
  return slowString(src, start, end);
}

/**
 * The JS string for a CBOR byte string `src[start, end)`: one code point per
 * octet (latin1). A Perl string without the UTF-8 flag — what CBOR::XS sends
 * as a byte string — is exactly such a sequence of code points 0–255, and
 * JSON::XS sends the same string as those code points: both framings agree,
 * and a string echoed back to Perl is `eq` to what it sent.
 */
export function bytesToString(src: Buffer, start: number, end: number): string {
  const n = end - start;
  if (n <= 8) {
    if (n === 0) return '';
    const s = ascii8(src, start, n);
    if (s !== null) return s;
  }
  return latin1Slice(src, start, end);
}
