/**
 * Writes JS values as plain CBOR into a {@link ByteSink}.
 *
 * Plain means what Perl's CBOR::XS expects from a peer: definite lengths,
 * shortest integer heads, and no tag but bignums (2, 3) for integers beyond
 * 64 bits (CBOR::XS reads them as Math::BigInt) — no records, no
 * self-describe, no shared references, no typed-array or date tags. Strings
 * go out as text strings, which Perl accepts.
 *
 * The value model follows `JSON.stringify`, so a message means the same in
 * either framing:
 *
 * - `string` → text string (lone surrogates become U+FFFD);
 * - `number` → the shortest integer head for safe integers (`-0` excepted),
 *   otherwise float32 when that is exact (as Perl itself does) or float64;
 *   unlike JSON, `NaN` and `±Infinity` survive;
 * - `boolean` → `true`/`false`; `null` → `null`;
 * - `bigint` → integer if it fits 64 bits, else a bignum (tag 2 or 3 on the
 *   big-endian magnitude); the JSON framing writes the same digits;
 * - `Uint8Array`/`Buffer` → byte string (Perl sees a string of those octets);
 * - arrays → arrays, with `undefined`, functions and symbols as `null`;
 * - objects with a `toJSON` method (e.g. `Date`) → whatever `toJSON()` returns;
 * - any other object → a map of its own enumerable string keys, skipping
 *   properties whose value is `undefined`, a function or a symbol;
 * - nesting deeper than {@link MAX_NESTING_DEPTH} (or a cycle) → {@link FramingError}.
 *
 * @module
 */
import { Buffer } from 'node:buffer';
import { utf8Write } from './buffer-text.js';
import type { ByteSink } from './byte-sink.js';
import { FramingError } from './framing-error.js';
import { MAX_NESTING_DEPTH } from './limits.js';

/** Strings up to this many UTF-16 units are written by a JS loop (ASCII fast path). */
const SHORT_STRING = 64;
const TWO_32 = 0x100000000;
const MAX_UINT64 = 0xffffffffffffffffn;

const scratch = new DataView(new ArrayBuffer(8));

/** Write a head: major type and argument `n` (0 ≤ n ≤ 2^53), shortest form. Room must be reserved. */
function writeHead(sink: ByteSink, major: number, n: number): void {
  const buf = sink.buf;
  let p = sink.pos;
  const mt = major << 5;
  if (n < 24) {
    buf[p++] = mt | n;
  } else if (n < 0x100) {
    buf[p++] = mt | 24;
    buf[p++] = n;
  } else if (n < 0x10000) {
    buf[p++] = mt | 25;
    buf[p++] = n >> 8;
    buf[p++] = n & 0xff;
  } else if (n < TWO_32) {
    buf[p++] = mt | 26;
    buf[p++] = n >>> 24;
    buf[p++] = (n >> 16) & 0xff;
    buf[p++] = (n >> 8) & 0xff;
    buf[p++] = n & 0xff;
  } else {
    const hi = Math.floor(n / TWO_32);
    buf[p++] = mt | 27;
    buf[p++] = hi >>> 24;
    buf[p++] = (hi >> 16) & 0xff;
    buf[p++] = (hi >> 8) & 0xff;
    buf[p++] = hi & 0xff;
    buf[p++] = n >>> 24;
    buf[p++] = (n >> 16) & 0xff;
    buf[p++] = (n >> 8) & 0xff;
    buf[p++] = n & 0xff;
  }
  sink.pos = p;
}

function writeString(sink: ByteSink, text: string): void {
  const n = text.length;
  if (n <= SHORT_STRING) {
    sink.reserve(n + 2);
    const buf = sink.buf;
    const head = sink.pos;
    let p = n < 24 ? head + 1 : head + 2;
    let i = 0;
    for (; i < n; i++) {
      const c = text.charCodeAt(i);
      if (c >= 0x80) break;
      buf[p++] = c;
    }
    if (i === n) {
      if (n < 24) {
        buf[head] = 0x60 | n;
      } else {
        buf[head] = 0x78;
        buf[head + 1] = n;
      }
      sink.pos = p;
      return;
    }
  }
  const bytes = Buffer.byteLength(text, 'utf8');
  sink.reserve(bytes + 9);
  writeHead(sink, 3, bytes);
  sink.pos += utf8Write(sink.buf, text, sink.pos);
}

/** 2^64: integers of smaller magnitude have a CBOR integer encoding. */
const TWO_64 = 2 ** 64;

function writeNumber(sink: ByteSink, n: number): void {
  sink.reserve(9);
  if (Number.isSafeInteger(n) && !(n === 0 && 1 / n < 0)) {
    if (n >= 0) writeHead(sink, 0, n);
    else writeHead(sink, 1, -1 - n);
    return;
  }
  if (Number.isInteger(n) && n !== 0 && n < TWO_64 && n >= -TWO_64) {
    // an integer beyond 2^53 is still an integer to Perl (JSON sends its digits): not a float
    writeBigInt(sink, BigInt(n));
    return;
  }
  const buf = sink.buf;
  const p = sink.pos;
  if (Math.fround(n) === n || n !== n) {
    scratch.setFloat32(0, n);
    buf[p] = 0xfa;
    buf[p + 1] = scratch.getUint8(0);
    buf[p + 2] = scratch.getUint8(1);
    buf[p + 3] = scratch.getUint8(2);
    buf[p + 4] = scratch.getUint8(3);
    sink.pos = p + 5;
  } else {
    scratch.setFloat64(0, n);
    buf[p] = 0xfb;
    for (let i = 0; i < 8; i++) buf[p + 1 + i] = scratch.getUint8(i);
    sink.pos = p + 9;
  }
}

function writeBigInt(sink: ByteSink, n: bigint): void {
  const negative = n < 0n;
  const magnitude = negative ? -1n - n : n;
  if (magnitude > MAX_UINT64) {
    // a bignum: tag 2 (n) or 3 (-1 - n) on the big-endian bytes of the magnitude
    let hex = magnitude.toString(16);
    if (hex.length & 1) hex = '0' + hex;
    sink.reserve(1);
    sink.buf[sink.pos++] = negative ? 0xc3 : 0xc2;
    writeBytes(sink, Buffer.from(hex, 'hex'));
    return;
  }
  sink.reserve(9);
  const major = negative ? 1 : 0;
  if (magnitude <= BigInt(Number.MAX_SAFE_INTEGER)) {
    writeHead(sink, major, Number(magnitude));
    return;
  }
  const buf = sink.buf;
  const p = sink.pos;
  scratch.setBigUint64(0, magnitude);
  buf[p] = (major << 5) | 27;
  for (let i = 0; i < 8; i++) buf[p + 1 + i] = scratch.getUint8(i);
  sink.pos = p + 9;
}

function writeNull(sink: ByteSink): void {
  sink.reserve(1);
  sink.buf[sink.pos++] = 0xf6;
}

function tooDeep(): FramingError {
  return new FramingError(`cbor: cannot encode a frame nested deeper than ${MAX_NESTING_DEPTH} levels (or a cyclic structure)`);
}

/** Write an array (the frame itself is `depth` 1). */
export function writeArray(sink: ByteSink, array: readonly unknown[], depth: number): void {
  if (depth > MAX_NESTING_DEPTH) throw tooDeep();
  const n = array.length;
  sink.reserve(9);
  writeHead(sink, 4, n);
  for (let i = 0; i < n; i++) writeValue(sink, array[i], depth + 1);
}

function isSkipped(value: unknown): boolean {
  const type = typeof value;
  return type === 'undefined' || type === 'function' || type === 'symbol';
}

function writeObject(sink: ByteSink, object: Record<string, unknown>, depth: number): void {
  if (depth > MAX_NESTING_DEPTH) throw tooDeep();
  const keys = Object.keys(object);
  let count = 0;
  for (const key of keys) if (!isSkipped(object[key])) count++;
  sink.reserve(9);
  writeHead(sink, 5, count);
  for (const key of keys) {
    const value = object[key];
    if (isSkipped(value)) continue;
    writeString(sink, key);
    writeValue(sink, value, depth + 1);
  }
}

function writeBytes(sink: ByteSink, bytes: Uint8Array): void {
  sink.reserve(bytes.length + 9);
  writeHead(sink, 2, bytes.length);
  sink.buf.set(bytes, sink.pos);
  sink.pos += bytes.length;
}

/** Write any value (see the module comment for the value model); `depth` is its nesting level. */
export function writeValue(sink: ByteSink, value: unknown, depth: number): void {
  switch (typeof value) {
    case 'string':
      writeString(sink, value);
      return;
    case 'number':
      writeNumber(sink, value);
      return;
    case 'boolean':
      sink.reserve(1);
      sink.buf[sink.pos++] = value ? 0xf5 : 0xf4;
      return;
    case 'bigint':
      writeBigInt(sink, value);
      return;
    case 'object':
      if (value === null) writeNull(sink);
      else if (Array.isArray(value)) writeArray(sink, value, depth);
      else if (value instanceof Uint8Array) writeBytes(sink, value);
      else if (typeof (value as { toJSON?: unknown }).toJSON === 'function') {
        if (depth > MAX_NESTING_DEPTH) throw tooDeep();
        writeValue(sink, (value as { toJSON(): unknown }).toJSON(), depth + 1);
      } else writeObject(sink, value as Record<string, unknown>, depth);
      return;
    default:
      writeNull(sink);
  }
}
