/**
 * Decodes one complete CBOR data item into plain JS values.
 *
 * The value model (what Perl's CBOR::XS sends, see PROTOCOL.md §3.3):
 *
 * - unsigned/negative integers → `number`; beyond ±2^53 the nearest double
 *   (AEMP never needs more, and `BigInt` would leak into user code);
 * - byte strings → `string`, one character per octet ({@link bytesToString}:
 *   Perl sends every ordinary string, port names and map keys included, as a
 *   byte string); text strings → `string` by {@link octetsToString} (UTF-8 if
 *   valid, else latin1);
 * - arrays → arrays; maps → plain objects (`{}`), keys being strings or numbers
 *   (numbers are stringified; any other key type is a {@link FramingError}); a
 *   `__proto__` key becomes an own property, as with `JSON.parse`;
 * - float16/32/64 → `number`; `false`/`true` → booleans; `null` and `undefined`
 *   → `null` (Perl has only `undef`);
 * - indefinite-length strings, arrays and maps are accepted;
 * - tags: bignums (2, 3), decimal fractions and bigfloats (4, 5) — what
 *   CBOR::XS writes for Math::BigInt/BigFloat — become numbers; any other tag
 *   (self-describe 55799 included) gives its content (see {@link untag});
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
      // -1 - n beyond 2^53 would round twice: once exactly, through a bigint
      if (major === 1 && hi >= 0x200000) return Number(-1n - ((BigInt(hi) << 32n) | BigInt(lo)));
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
      return untag(arg, readValue(depth + 1));
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

/**
 * The value of a tagged item. AEMP peers send no tags, but CBOR::XS does tag
 * some Perl values (Math::BigInt, Math::BigFloat): bignums (2, 3) become
 * numbers, decimal fractions and bigfloats (4, 5) their value; any other tag
 * (self-describe 55799 included) gives its content as it is.
 */
function untag(tag: number, content: unknown): unknown {
  if ((tag === 2 || tag === 3) && typeof content === 'string') {
    let n = 0;
    for (let i = 0; i < content.length; i++) n = n * 256 + content.charCodeAt(i); // a byte string: one char per octet
    return tag === 2 ? n : -1 - n;
  }
  if ((tag === 4 || tag === 5) && Array.isArray(content) && content.length === 2) {
    const [e, m] = content as [unknown, unknown];
    if (typeof e === 'number' && typeof m === 'number') return m * (tag === 4 ? 10 : 2) ** e;
  }
  return content;
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
