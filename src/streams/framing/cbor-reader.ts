/**
 * Decodes one complete CBOR data item into plain JS values.
 *
 * (About 300 lines, kept in one file on purpose: the reader's state lives in
 * module variables shared by every major type's reader, for speed on the
 * per-frame path; split across modules it would need exported mutable state.)
 *
 * The value model (what Perl's CBOR::XS sends, see PROTOCOL.md §3.3):
 *
 * - unsigned/negative integers → `number`; beyond ±(2^53−1) → `bigint`,
 *   exact (a Perl node's 64-bit integers pass through a relay unchanged);
 * - byte strings → `string`, one character per octet ({@link bytesToString}:
 *   Perl sends every ordinary string, port names and map keys included, as a
 *   byte string); text strings → `string` by {@link octetsToString}: they
 *   must be valid UTF-8, else the frame is refused ({@link FramingError}),
 *   as the JSON framing refuses a frame that is not UTF-8;
 * - arrays → arrays; maps → plain objects (`{}`), keys being strings or numbers
 *   (numbers are stringified; any other key type is a {@link FramingError}); a
 *   `__proto__` key becomes an own property, as with `JSON.parse`;
 * - float16/32/64 → `number`; `false`/`true` → booleans; `null` and `undefined`
 *   → `null` (Perl has only `undef`);
 * - indefinite-length strings, arrays and maps are accepted;
 * - tags: only what CBOR::XS writes for plain Perl data is read (see
 *   {@link readTagged}): bignums (2, 3) → `number` or `bigint` like any
 *   integer (±Infinity beyond {@link MAX_BIGNUM_BYTES}), decimal fractions and bigfloats (4, 5; Math::BigFloat) →
 *   `number`, self-describe (55799) → its content. Any other tag refuses the
 *   frame ({@link FramingError}: the connection closes with that reason):
 *   its meaning (a Perl object, a shared reference, a date) cannot be kept,
 *   and dropping it silently would hand the receiver a different value;
 * - other simple values and reserved encodings → {@link FramingError}.
 *
 * Running out of bytes throws the {@link INCOMPLETE} sentinel (not an Error),
 * so the caller can wait for more. State lives in module variables for speed;
 * a decode never calls out, so this is safe across decoders.
 *
 * @module
 */
import { Buffer } from 'node:buffer';
import { FramingError } from './framing-error.js';
import { MAX_NESTING_DEPTH } from './limits.js';
import { bytesToString, octetsToString } from './octets.js';

/** Thrown (compare by identity) when the item extends past the available bytes. */
export const INCOMPLETE: unique symbol = Symbol('cbor: incomplete item');

/** Arrays announced this long or longer grow as they fill instead of being preallocated. */
const PREALLOCATE_LIMIT = 1024;
/** The self-describe tag, which carries no meaning and is skipped. */
export const SELF_DESCRIBE_TAG = 55799;

let src: Buffer;
let pos = 0;
let end = 0;
let itemStart = 0;

const scratch = new DataView(new ArrayBuffer(8));

/**
 * Decode the item starting at `start`, reading no further than `limit`.
 * Returns the value; {@link readEnd} then gives the offset just past it.
 * Throws {@link INCOMPLETE} if the bytes end first, {@link FramingError} if malformed.
 */
export function readItem(source: Buffer, start: number, limit: number): unknown {
  src = source;
  pos = start;
  end = limit;
  itemStart = start;
  return readValue(1);
}

/** Offset just past the item of the last successful {@link readItem}. */
export function readEnd(): number {
  return pos;
}

function malformed(what: string, at = pos): FramingError {
  return new FramingError(`cbor: malformed data: ${what} at byte ${at - itemStart} of the frame`);
}

function tooDeep(): FramingError {
  return new FramingError(`cbor: frame nested deeper than ${MAX_NESTING_DEPTH} levels`);
}

function float16(half: number): number {
  const exp = (half >> 10) & 0x1f;
  const mant = half & 0x3ff;
  let value: number;
  if (exp === 0) value = mant * 2 ** -24;
  else if (exp !== 31) value = (mant + 1024) * 2 ** (exp - 25);
  else value = mant === 0 ? Infinity : NaN;
  return half & 0x8000 ? -value : value;
}

function uint32At(at: number): number {
  return src[at]! * 0x1000000 + ((src[at + 1]! << 16) | (src[at + 2]! << 8) | src[at + 3]!);
}

function readValue(depth: number): unknown {
  if (pos >= end) throw INCOMPLETE;
  const at = pos;
  const initial = src[pos++]!;
  const major = initial >> 5;
  let arg = initial & 0x1f;
  if (arg >= 24) {
    if (arg === 24) {
      if (pos >= end) throw INCOMPLETE;
      arg = src[pos++]!;
      if (major === 7) throw malformed(`unsupported simple value ${arg}`, pos - 2);
    } else if (arg === 25) {
      if (pos + 2 > end) throw INCOMPLETE;
      arg = (src[pos]! << 8) | src[pos + 1]!;
      pos += 2;
      if (major === 7) return float16(arg);
    } else if (arg === 26) {
      if (pos + 4 > end) throw INCOMPLETE;
      arg = uint32At(pos);
      pos += 4;
      if (major === 7) {
        scratch.setUint32(0, arg);
        return scratch.getFloat32(0);
      }
    } else if (arg === 27) {
      if (pos + 8 > end) throw INCOMPLETE;
      const hi = uint32At(pos);
      const lo = uint32At(pos + 4);
      pos += 8;
      if (major === 7) {
        scratch.setUint32(0, hi);
        scratch.setUint32(4, lo);
        return scratch.getFloat64(0);
      }
      // beyond the safe range (n ≥ 2^53, or -1 - n = -2^53): an exact bigint
      if (major < 2 && (hi >= 0x200000 || (major === 1 && hi === 0x1fffff && lo === 0xffffffff))) {
        const n = (BigInt(hi) << 32n) | BigInt(lo);
        return major === 0 ? n : -1n - n;
      }
      arg = hi * 0x100000000 + lo;
    } else if (arg === 31) {
      return readIndefinite(major, depth);
    } else {
      throw malformed(`reserved additional information ${arg}`, pos - 1);
    }
  }
  switch (major) {
    case 0:
      return arg;
    case 1:
      return -1 - arg;
    case 2:
    case 3: {
      if (arg > end - pos) throw INCOMPLETE;
      const start = pos;
      pos += arg;
      return major === 2 ? bytesToString(src, start, pos) : octetsToString(src, start, pos);
    }
    case 4: {
      if (arg > end - pos) throw INCOMPLETE;
      if (depth > MAX_NESTING_DEPTH) throw tooDeep();
      const array = new Array<unknown>(arg < PREALLOCATE_LIMIT ? arg : 0);
      for (let i = 0; i < arg; i++) array[i] = readValue(depth + 1);
      return array;
    }
    case 5: {
      if (arg > (end - pos) / 2) throw INCOMPLETE;
      if (depth > MAX_NESTING_DEPTH) throw tooDeep();
      const object: Record<string, unknown> = {};
      for (let i = 0; i < arg; i++) setEntry(object, readKey(depth + 1), readValue(depth + 1));
      return object;
    }
    case 6:
      if (depth > MAX_NESTING_DEPTH) throw tooDeep();
      return readTagged(arg, at, depth + 1);
    default:
      switch (arg) {
        case 20:
          return false;
        case 21:
          return true;
        case 22:
        case 23:
          return null;
        default:
          throw malformed(`unsupported simple value ${arg}`, pos - 1);
      }
  }
}

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/**
 * Bignums longer than this (after leading zero bytes) are read as ±Infinity,
 * not as a `bigint`: their decimal digits (JSON, logs) cost time quadratic in
 * their length, and a peer must not make us spend seconds on one value.
 * 1786 bytes ≈ 4300 decimal digits, the JSON framing's limit.
 */
export const MAX_BIGNUM_BYTES = 1786;

/**
 * The value of a tagged item (its tag number read, its content next). Read
 * are what CBOR::XS writes for plain Perl data: bignums (2, 3: a byte
 * string, Math::BigInt) as integers — `number` within ±(2^53−1), else
 * `bigint` —, decimal fractions and bigfloats (4, 5: `[exponent, mantissa]`,
 * Math::BigFloat) as the nearest `number`, and the self-describe tag (55799)
 * as its content. Any other tag, or a tag on the wrong content, refuses the
 * frame with a {@link FramingError} naming it.
 */
function readTagged(tag: number, at: number, depth: number): unknown {
  if (tag === SELF_DESCRIBE_TAG) return readValue(depth);
  if (tag === 2 || tag === 3) {
    if (pos >= end) throw INCOMPLETE;
    if (src[pos]! >> 5 !== 2) throw malformed(`bignum (tag ${tag}) on something other than a byte string`, at);
    const octets = readValue(depth) as string; // a byte string: one character per octet
    let lead = 0;
    while (lead < octets.length && octets.charCodeAt(lead) === 0) lead++;
    // as the JSON framing does beyond MAX_BIGINT_DIGITS: a number (here ±Infinity, far beyond 2^1024)
    if (octets.length - lead > MAX_BIGNUM_BYTES) return tag === 2 ? Infinity : -Infinity;
    const magnitude = lead === octets.length ? 0n : BigInt('0x' + Buffer.from(octets.slice(lead), 'latin1').toString('hex'));
    if (magnitude < MAX_SAFE || (tag === 2 && magnitude === MAX_SAFE)) {
      const n = Number(magnitude);
      return tag === 2 ? n : -1 - n;
    }
    return tag === 2 ? magnitude : -1n - magnitude;
  }
  if (tag === 4 || tag === 5) {
    const content = readValue(depth);
    if (Array.isArray(content) && content.length === 2) {
      const [e, m] = content as [unknown, unknown];
      if (Number.isInteger(e) && (Number.isInteger(m) || typeof m === 'bigint')) return Number(m) * (tag === 4 ? 10 : 2) ** (e as number);
    }
    throw malformed(`${tag === 4 ? 'decimal fraction' : 'bigfloat'} (tag ${tag}) that is not [exponent, mantissa] as integers`, at);
  }
  throw new FramingError(
    `cbor: unsupported tag ${tag} at byte ${at - itemStart} of the frame ` +
      '(read are 2/3 bignums, 4 decimal fractions, 5 bigfloats, 55799 self-describe: what CBOR::XS writes for plain Perl data)',
  );
}

function readKey(depth: number): string {
  const key = readValue(depth);
  if (typeof key === 'string') return key;
  if (typeof key === 'number') return String(key);
  throw new FramingError(`cbor: map key must be a string or a number, got ${Array.isArray(key) ? 'an array' : key === null ? 'null' : typeof key}`);
}

function setEntry(object: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(object, key, { value, enumerable: true, writable: true, configurable: true });
  else object[key] = value;
}

/** Reads the length of one definite chunk of an indefinite-length string. */
function readChunkLength(major: number): number {
  const initial = src[pos]!;
  if (initial >> 5 !== major) throw malformed('indefinite-length string holds a chunk of another type');
  const ai = initial & 0x1f;
  if (ai < 24) {
    pos += 1;
    return ai;
  }
  if (ai > 27) throw malformed('nested indefinite-length string chunk');
  const size = 1 << (ai - 24);
  if (pos + 1 + size > end) throw INCOMPLETE;
  let n = 0;
  for (let i = 1; i <= size; i++) n = n * 256 + src[pos + i]!;
  pos += 1 + size;
  return n;
}

function atBreak(): boolean {
  if (pos >= end) throw INCOMPLETE;
  if (src[pos] !== 0xff) return false;
  pos++;
  return true;
}

function readIndefinite(major: number, depth: number): unknown {
  switch (major) {
    case 2:
    case 3: {
      const ranges: number[] = [];
      let total = 0;
      while (!atBreak()) {
        const n = readChunkLength(major);
        if (n > end - pos) throw INCOMPLETE;
        ranges.push(pos, pos + n);
        total += n;
        pos += n;
      }
      const joined = Buffer.allocUnsafe(total);
      for (let i = 0, at = 0; i < ranges.length; i += 2) {
        src.copy(joined, at, ranges[i]!, ranges[i + 1]!);
        at += ranges[i + 1]! - ranges[i]!;
      }
      return major === 2 ? bytesToString(joined, 0, total) : octetsToString(joined, 0, total);
    }
    case 4: {
      if (depth > MAX_NESTING_DEPTH) throw tooDeep();
      const array: unknown[] = [];
      while (!atBreak()) array.push(readValue(depth + 1));
      return array;
    }
    case 5: {
      if (depth > MAX_NESTING_DEPTH) throw tooDeep();
      const object: Record<string, unknown> = {};
      while (!atBreak()) setEntry(object, readKey(depth + 1), readValue(depth + 1));
      return object;
    }
    case 7:
      throw malformed('break code outside an indefinite-length item', pos - 1);
    default:
      throw malformed(`indefinite length on major type ${major}`, pos - 1);
  }
}
