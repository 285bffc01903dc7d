/**
 * Differential testing of our CBOR framing against cbor-x (a dev dependency,
 * the reference), in three directions:
 *
 * - **ours → cbor-x**: values of our value model, encoded by our encoder,
 *   decoded by cbor-x;
 * - **cbor-x → ours**: the same kind of values encoded by cbor-x, decoded by us;
 * - **Perl → both**: frames shaped as Perl's CBOR::XS writes them (every
 *   string a byte string, map keys too; integers in the shortest head up to
 *   64 bits; floats as float64; undef, true, false), written by the small
 *   independent writer below, decoded by us and by cbor-x.
 *
 * Each direction compares with an expected value computed from the generated
 * one. The differences we intend are named, each in one place:
 *
 * 1. **byte strings → one char per octet.** We read a CBOR byte string as a JS
 *    string of code points 0–255 (what Perl means by it); cbor-x gives a Buffer.
 * 2. **lone surrogates.** We write them as U+FFFD (valid UTF-8, like
 *    `JSON.stringify` → UTF-8); cbor-x writes their WTF-8 bytes, invalid UTF-8,
 *    which our decoder refuses (the frame, and its connection). Generated strings in cbor-x → ours are
 *    well-formed; {@link LONE_SURROGATE} shows the difference on its own.
 * 3. **-0.** We keep it (a float); cbor-x writes it as the integer 0.
 * 4. **64-bit integers.** cbor-x reads every 64-bit integer head as a `bigint`;
 *    we read it as a number within ±(2^53−1) and as an exact `bigint` beyond.
 *    The comparison accepts a `bigint` for an integer only when it is exactly
 *    that integer.
 * 5. **Perl maps.** cbor-x cannot read a map with byte-string keys into an
 *    object (it throws `Invalid property name type object`); with
 *    `mapsAsObjects: false` it gives a `Map` keyed by Buffers, which we turn
 *    into an object to compare. We give an object keyed by the octets' chars.
 * 6. **`undefined`.** Our encoder writes `undefined` in an array as `null` and
 *    leaves `undefined`-valued keys out (as `JSON.stringify`); cbor-x writes
 *    CBOR `undefined`, which we read as `null` (Perl has only `undef`).
 * 7. **`__proto__` keys.** We keep a `__proto__` key as an own property; cbor-x
 *    renames it `__proto_`. Generated maps have no such key;
 *    {@link PROTO_KEY} shows the difference on its own.
 * @module
 */
import { Buffer } from 'node:buffer';
import { Decoder, Encoder } from 'cbor-x';
import fc from 'fast-check';
import { getFraming, type Frame } from '../../src/streams/framing/index.js';

const cbor = getFraming('cbor')!;

/** cbor-x as a plain CBOR codec: no records (a cbor-x extension), plain byte strings. */
export const cborxEncoder = new Encoder({ useRecords: false, tagUint8Array: false } as ConstructorParameters<
  typeof Encoder
>[0]);
/** cbor-x decoding maps as objects (its default). */
export const cborxDecoder = new Decoder({ useRecords: false, mapsAsObjects: true });
/** cbor-x decoding maps as `Map`s (what it needs for Perl's byte-string keys). */
export const cborxMapDecoder = new Decoder({ useRecords: false, mapsAsObjects: false });

/** Our encoder, one frame. */
export function ourEncode(frame: Frame): Uint8Array {
  const encoder = cbor.createEncoder();
  encoder.write(frame);
  return encoder.flush();
}

/** Our decoder, exactly one frame. */
export function ourDecode(bytes: Uint8Array): Frame {
  const frames: Frame[] = [];
  cbor.createDecoder().push(bytes, (frame) => frames.push(frame));
  if (frames.length !== 1) throw new Error(`expected one frame, got ${frames.length}`);
  return frames[0]!;
}

// ---------------------------------------------------------------- comparison

/** Where two values differ, or `null` if they are equal (numbers by `Object.is`, see difference 4 for bigints). */
export function difference(actual: unknown, expected: unknown, at = '$'): string | null {
  if (typeof expected === 'number') {
    if (typeof actual === 'bigint') {
      // difference 4: a bigint is accepted for an integer only if it is exactly that integer
      return Number.isInteger(expected) && BigInt(expected) === actual
        ? null
        : `${at}: ${actual}n ≠ ${expected}`;
    }
    return Object.is(actual, expected) ? null : `${at}: ${show(actual)} ≠ ${show(expected)}`;
  }
  if (typeof expected === 'bigint') {
    if (typeof actual === 'bigint') return actual === expected ? null : `${at}: ${actual}n ≠ ${expected}n`;
    // difference 4: the nearest double of a 64-bit integer
    return actual === Number(expected) ? null : `${at}: ${String(actual)} ≠ ${expected}n`;
  }
  if (expected instanceof Uint8Array) {
    return actual instanceof Uint8Array && Buffer.compare(actual, expected) === 0
      ? null
      : `${at}: bytes differ`;
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return `${at}: not an array`;
    if (actual.length !== expected.length) return `${at}: length ${actual.length} ≠ ${expected.length}`;
    for (let i = 0; i < expected.length; i++) {
      const d = difference(actual[i], expected[i], `${at}[${i}]`);
      if (d !== null) return d;
    }
    return null;
  }
  if (expected !== null && typeof expected === 'object') {
    if (actual === null || typeof actual !== 'object' || Array.isArray(actual)) return `${at}: not an object`;
    const a = Object.keys(actual);
    const e = Object.keys(expected);
    if (a.join('\0') !== e.join('\0')) return `${at}: keys ${JSON.stringify(a)} ≠ ${JSON.stringify(e)}`;
    for (const k of e) {
      const d = difference(
        (actual as Record<string, unknown>)[k],
        (expected as Record<string, unknown>)[k],
        `${at}.${k}`,
      );
      if (d !== null) return d;
    }
    return null;
  }
  return Object.is(actual, expected) ? null : `${at}: ${show(actual)} ≠ ${show(expected)}`;
}

function show(v: unknown): string {
  return Object.is(v, -0) ? '-0' : typeof v === 'string' ? JSON.stringify(v) : String(v);
}

/** Throws with the path of the first difference. */
export function assertSame(actual: unknown, expected: unknown, what: string): void {
  const d = difference(actual, expected);
  if (d !== null) throw new Error(`${what}: ${d}`);
}

// ---------------------------------------------------------- JS value model

/** A string made of the UTF-8 round trip of `s`: lone surrogates become U+FFFD (difference 2). */
function wellFormed(s: string): string {
  return Buffer.from(s, 'utf8').toString('utf8');
}

/** Code points 0–255, one per octet (difference 1). */
export function latin1(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
}

const key = fc
  .oneof(fc.string({ maxLength: 8 }), fc.string({ unit: 'binary', maxLength: 6 }))
  .filter((k) => k !== '__proto__');

/** Numbers: small and large integers, integers beyond 2^53, every double (NaN, ±Infinity, -0 included). */
const number = fc.oneof(
  fc.integer({ min: -100, max: 100 }),
  fc.integer(),
  fc.maxSafeInteger(),
  fc.bigInt({ min: -(2n ** 63n), max: 2n ** 64n - 1n }).map(Number),
  fc.double(),
  fc.constantFrom(-0, 0.5, 0.1, 2 ** 53, -(2 ** 53), 2 ** 64, -(2 ** 64)),
);

/**
 * Values of our value model (the frame's arguments), `undefined` and byte
 * arrays included; `wellFormedOnly` keeps lone surrogates out.
 */
function jsValue(wellFormedOnly: boolean): fc.Arbitrary<unknown> {
  const text = wellFormedOnly
    ? fc.oneof(fc.string(), fc.string({ unit: 'grapheme', maxLength: 8 }))
    : fc.oneof(
        fc.string(),
        fc.string({ unit: 'binary', maxLength: 8 }),
        fc.constantFrom('\ud800', 'a\udc00b', '\udbff\udfff'),
      );
  return fc.letrec((tie) => ({
    value: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      text,
      number,
      fc.boolean(),
      fc.constant(null),
      fc.constant(undefined),
      fc.uint8Array({ maxLength: 12 }),
      tie('array'),
      tie('object'),
    ),
    array: fc.array(tie('value'), { maxLength: 5 }),
    object: fc
      .uniqueArray(fc.tuple(key, tie('value')), { maxLength: 5, selector: ([k]) => k })
      .map((entries) => Object.fromEntries(entries)),
  })).value;
}

/** A frame: a port name, then up to 4 values. */
function jsFrame(wellFormedOnly: boolean): fc.Arbitrary<Frame> {
  return fc
    .tuple(fc.string({ minLength: 1, maxLength: 12 }), fc.array(jsValue(wellFormedOnly), { maxLength: 4 }))
    .map(([port, args]) => [port, ...args]);
}

/** What cbor-x reads from our encoding of `v`. */
function expectOursToCborx(v: unknown, inArray: boolean): unknown {
  if (typeof v === 'string') return wellFormed(v); // difference 2
  if (v === undefined) return inArray ? null : undefined; // difference 6
  if (
    typeof v === 'number' &&
    Number.isInteger(v) &&
    Math.abs(v) >= 2 ** 32 &&
    Math.abs(v) < 2 ** 64 &&
    !Object.is(v, -0)
  )
    return BigInt(v); // difference 4
  if (v instanceof Uint8Array || v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) return v.map((x) => expectOursToCborx(x, true));
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) if (x !== undefined) out[k] = expectOursToCborx(x, false); // difference 6
  return out;
}

/** What we read from cbor-x's encoding of `v`. */
function expectCborxToOurs(v: unknown): unknown {
  if (v === undefined) return null; // difference 6
  if (Object.is(v, -0)) return 0; // difference 3
  if (v instanceof Uint8Array) return latin1(v); // difference 1
  if (v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) return v.map(expectCborxToOurs);
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) out[k] = expectCborxToOurs(x);
  return out;
}

/** Property: our encoding of a frame reads back in cbor-x as the expected value. */
export const oursToCborx = fc.property(jsFrame(false), (frame) => {
  assertSame(cborxDecoder.decode(ourEncode(frame)), expectOursToCborx(frame, true), 'ours → cbor-x');
});

/** Property: cbor-x's encoding of a frame reads back in our decoder as the expected value. */
export const cborxToOurs = fc.property(jsFrame(true), (frame) => {
  assertSame(ourDecode(cborxEncoder.encode(frame)), expectCborxToOurs(frame), 'cbor-x → ours');
});

// ---------------------------------------------------------------- Perl shapes

/** A value as Perl's CBOR::XS sends it. */
export type PerlValue =
  | { bytes: Uint8Array }
  | { text: string }
  | { int: bigint }
  | { float: number }
  | boolean
  | null
  | PerlValue[]
  | { map: [Uint8Array, PerlValue][] };

function head(out: number[], major: number, n: bigint): void {
  const mt = major << 5;
  if (n < 24n) out.push(mt | Number(n));
  else if (n < 0x100n) out.push(mt | 24, Number(n));
  else if (n < 0x10000n) out.push(mt | 25, Number(n >> 8n), Number(n & 0xffn));
  else if (n < 0x100000000n) out.push(mt | 26, ...[24n, 16n, 8n, 0n].map((s) => Number((n >> s) & 0xffn)));
  else out.push(mt | 27, ...[56n, 48n, 40n, 32n, 24n, 16n, 8n, 0n].map((s) => Number((n >> s) & 0xffn)));
}

/** Writes `v` as CBOR::XS does (shortest heads, float64, no tags): an independent reference writer. */
export function writePerl(v: PerlValue, out: number[] = []): number[] {
  if (v === null) out.push(0xf6);
  else if (v === true) out.push(0xf5);
  else if (v === false) out.push(0xf4);
  else if (Array.isArray(v)) {
    head(out, 4, BigInt(v.length));
    for (const x of v) writePerl(x, out);
  } else if ('bytes' in v) {
    head(out, 2, BigInt(v.bytes.length));
    out.push(...v.bytes);
  } else if ('text' in v) {
    const b = Buffer.from(v.text, 'utf8');
    head(out, 3, BigInt(b.length));
    out.push(...b);
  } else if ('int' in v) {
    if (v.int >= 0n) head(out, 0, v.int);
    else head(out, 1, -1n - v.int);
  } else if ('float' in v) {
    const b = Buffer.alloc(8);
    b.writeDoubleBE(v.float);
    out.push(0xfb, ...b);
  } else {
    head(out, 5, BigInt(v.map.length));
    for (const [k, x] of v.map) {
      head(out, 2, BigInt(k.length));
      out.push(...k);
      writePerl(x, out);
    }
  }
  return out;
}

/** What our decoder makes of a Perl value. */
export function expectPerl(v: PerlValue): unknown {
  if (v === null || typeof v === 'boolean') return v;
  if (Array.isArray(v)) return v.map(expectPerl);
  if ('bytes' in v) return latin1(v.bytes); // difference 1
  if ('text' in v) return v.text;
  if ('int' in v) return v.int >= -(2n ** 53n - 1n) && v.int <= 2n ** 53n - 1n ? Number(v.int) : v.int; // difference 4
  if ('float' in v) return v.float;
  const out: Record<string, unknown> = {};
  for (const [k, x] of v.map) out[latin1(k)] = expectPerl(x);
  return out;
}

/** cbor-x's reading (maps as `Map`s) turned into our value model, to compare with ours. */
export function fromCborx(v: unknown): unknown {
  if (v instanceof Uint8Array) return latin1(v); // difference 1
  if (v instanceof Map) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of v) out[k instanceof Uint8Array ? latin1(k) : String(k)] = fromCborx(x); // difference 5
    return out;
  }
  if (Array.isArray(v)) return v.map(fromCborx);
  return v;
}

/** Whether `v` holds a map with at least one key (cbor-x's object mode throws on those: difference 5). */
export function hasKeyedMap(v: PerlValue): boolean {
  if (v === null || typeof v === 'boolean') return false;
  if (Array.isArray(v)) return v.some(hasKeyedMap);
  if ('map' in v) return v.map.length > 0;
  return false;
}

const perlBytes = fc.oneof(
  fc.uint8Array({ maxLength: 12 }),
  fc.string({ maxLength: 12 }).map((s) => new Uint8Array(Buffer.from(s, 'latin1'))),
  fc.string({ unit: 'grapheme', maxLength: 6 }).map((s) => new Uint8Array(Buffer.from(s, 'utf8'))), // a UTF-8 encoded Perl string
);

/** Perl's shapes: byte strings (and some text strings), IV/UV integers, NV floats, undef/true/false, arrays, byte-keyed maps. */
export const perlValue: fc.Arbitrary<PerlValue> = fc.letrec<{
  value: PerlValue;
  array: PerlValue[];
  map: PerlValue;
}>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    perlBytes.map((bytes) => ({ bytes })),
    fc.string({ unit: 'grapheme', maxLength: 8 }).map((text) => ({ text })),
    fc
      .oneof(fc.bigInt({ min: -(2n ** 63n), max: 2n ** 64n - 1n }), fc.bigInt({ min: -70000n, max: 70000n }))
      .map((int) => ({ int })),
    fc.double().map((float) => ({ float })),
    fc.boolean(),
    fc.constant(null),
    tie('array'),
    tie('map'),
  ),
  array: fc.array(tie('value'), { maxLength: 5 }),
  map: fc
    .uniqueArray(fc.tuple(perlBytes, tie('value')), { maxLength: 5, selector: ([k]) => latin1(k) })
    .filter((entries) => entries.every(([k]) => latin1(k) !== '__proto__'))
    .map((map) => ({ map })),
})).value;

/** A Perl frame: a byte-string port name, then up to 4 values. */
export const perlFrame: fc.Arbitrary<PerlValue[]> = fc
  .tuple(
    perlBytes.filter((b) => b.length > 0),
    fc.array(perlValue, { maxLength: 4 }),
  )
  .map(([port, args]) => [{ bytes: port }, ...args]);

/**
 * Property: a Perl frame reads back in our decoder as expected, and cbor-x
 * (maps as `Map`s) reads the same; cbor-x in object mode throws exactly when
 * the frame holds a byte-keyed map (difference 5).
 */
export const perlToBoth = fc.property(perlFrame, (frame) => {
  const bytes = new Uint8Array(writePerl(frame));
  const ours = ourDecode(bytes);
  assertSame(ours, expectPerl(frame), 'Perl → ours');
  assertSame(ours, fromCborx(cborxMapDecoder.decode(bytes)), 'Perl → ours vs cbor-x (maps as Map)');
  let threw = false;
  try {
    cborxDecoder.decode(bytes);
  } catch {
    threw = true;
  }
  if (threw !== frame.some(hasKeyedMap))
    throw new Error(
      `cbor-x object mode ${threw ? 'threw' : 'did not throw'} on ${JSON.stringify(expectPerl(frame as PerlValue))}`,
    );
});

/** Difference 2 on its own: a lone surrogate, written by cbor-x and by us. */
export const LONE_SURROGATE = 'a\ud800b';
/** Difference 7 on its own: a map with a `__proto__` key. */
export const PROTO_KEY: Record<string, unknown> = JSON.parse('{"__proto__":{"x":1},"a":2}') as Record<
  string,
  unknown
>;
