/**
 * Property tests of the framings (fast-check): random frames survive
 * encode → random chunking → decode; hostile bytes only ever produce a
 * FramingError; how a stream is cut never changes what is delivered.
 */
import { Encoder as CborxEncoder } from 'cbor-x';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FramingError, cborFraming, encodeFrames, jsonFraming, type Frame, type Framing } from '../../src/streams/framing/index.js';

/** Cases per property in the normal run (raise with FRAMING_FUZZ_RUNS). */
const RUNS = Number(process.env['FRAMING_FUZZ_RUNS'] ?? 10_000);

/** Cut `bytes` at the given positions (taken modulo its length). */
function cut(bytes: Uint8Array, cuts: readonly number[]): Uint8Array[] {
  const points = [...new Set(cuts.map((c) => (bytes.length === 0 ? 0 : c % (bytes.length + 1))))].sort((a, b) => a - b);
  const pieces: Uint8Array[] = [];
  let from = 0;
  for (const point of points) {
    pieces.push(bytes.subarray(from, point));
    from = point;
  }
  pieces.push(bytes.subarray(from));
  return pieces;
}

interface Outcome {
  frames: Frame[];
  error: unknown;
}

function run(framing: Framing, pieces: readonly Uint8Array[], maxFrameBytes?: number): Outcome {
  const decoder = framing.createDecoder(maxFrameBytes === undefined ? undefined : { maxFrameBytes });
  const frames: Frame[] = [];
  let error: unknown;
  for (const piece of pieces) {
    try {
      decoder.push(piece, (frame) => frames.push(frame));
    } catch (e) {
      error = e;
      break;
    }
  }
  if (error !== undefined) {
    // stays broken: the same error again, nothing delivered
    let again: unknown;
    try {
      decoder.push(new Uint8Array([0x5b, 0x5d, 0x80]), (frame) => frames.push(frame));
    } catch (e) {
      again = e;
    }
    expect(again).toBe(error);
  }
  return { frames, error };
}

const cuts = fc.array(fc.nat(), { maxLength: 8 });

/**
 * String units biased towards what trips framers: the JSON structural and
 * escape characters, control characters, multi-byte UTF-8, plus anything.
 */
const trickyUnit = (anything: 'binary' | 'grapheme'): fc.Arbitrary<string> =>
  fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom('"', '\\', '[', ']', '{', '}', ',', ':', ' ', '\n', '\u0000', '\u001f', 'é', 'ÿ', '日', '😀', '\u2028', 'a', 'Z', '0') },
    { weight: 1, arbitrary: fc.string({ unit: anything, minLength: 1, maxLength: 1 }) },
  );

/** A frame: a port name, then JSON-able values (strings of any Unicode, lone surrogates included). */
const jsonFrame: fc.Arbitrary<Frame> = fc
  .tuple(fc.string({ unit: trickyUnit('binary') }), fc.array(fc.jsonValue({ maxDepth: 3, stringUnit: trickyUnit('binary') }), { maxLength: 5 }))
  .map(([port, args]) => [port, ...args]);

/** A scalar CBOR says exactly: any double (NaN, ±0, ±∞), integers of every width, well-formed strings. */
const cborScalar = fc.oneof(
  fc.double(),
  fc.float().map(Math.fround),
  fc.integer({ min: -(2 ** 31), max: 2 ** 31 }),
  fc.maxSafeInteger(),
  fc.string({ unit: trickyUnit('grapheme') }),
  fc.string({ unit: 'binary-ascii', maxLength: 80 }),
  fc.constantFrom(true, false, null),
);
const { cborValue } = fc.letrec<{ cborValue: unknown }>((tie) => ({
  cborValue: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    cborScalar,
    fc.array(tie('cborValue'), { maxLength: 4 }),
    fc.dictionary(fc.string({ unit: trickyUnit('grapheme'), maxLength: 8 }), tie('cborValue'), { maxKeys: 4, noNullPrototype: true }),
  ),
}));
const cborFrame: fc.Arbitrary<Frame> = fc
  .tuple(fc.string({ unit: trickyUnit('grapheme') }), fc.array(cborValue, { maxLength: 5 }))
  .map(([port, args]) => [port, ...args]);

/** cbor-x writes -0 as the integer 0 (its quirk, not ours): what it sends is what we must read. */
function negativeZeroAsZero<T>(value: T): T {
  if (Object.is(value, -0)) return 0 as T;
  if (Array.isArray(value)) return value.map(negativeZeroAsZero) as T;
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, negativeZeroAsZero(v)])) as T;
  return value;
}

/**
 * What an integer-valued number beyond ±(2^53−1) comes back as: a bigint, when the framing writes
 * it as an integer (JSON: plain digits below 1e21, CBOR: an integer head below 2^64), as a Perl
 * peer's 64-bit integers do. JSON writes the shortest digits that give the double back, CBOR the
 * double's exact value: either bigint converts back to the same number.
 */
function unsafeIntegersAsBigInts<T>(value: T, framing: 'json' | 'cbor'): T {
  if (typeof value === 'number') {
    const limit = framing === 'json' ? 1e21 : 2 ** 64;
    if (!Number.isInteger(value) || Number.isSafeInteger(value) || Math.abs(value) >= limit) return value;
    return (framing === 'json' ? BigInt(String(value)) : BigInt(value)) as T;
  }
  if (Array.isArray(value)) return value.map((v) => unsafeIntegersAsBigInts(v, framing)) as T;
  if (value !== null && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, unsafeIntegersAsBigInts(v, framing)])) as T;
  return value;
}

describe('json framing properties', () => {
  it('random frames survive encode → random cuts → decode, with pending back to 0', () => {
    fc.assert(
      fc.property(fc.array(jsonFrame, { minLength: 1, maxLength: 4 }), cuts, (frames, at) => {
        const pieces = cut(encodeFrames(jsonFraming, frames), at);
        const decoder = jsonFraming.createDecoder();
        const out: Frame[] = [];
        for (const piece of pieces) decoder.push(piece, (frame) => out.push(frame));
        expect(out).toEqual(unsafeIntegersAsBigInts(JSON.parse(JSON.stringify(frames)), 'json'));
        expect(decoder.pending).toBe(0);
      }),
      { numRuns: RUNS },
    );
  });

  it('random JSON whitespace between frames changes nothing', () => {
    const ws = fc.string({ unit: fc.constantFrom(' ', '\n', '\r', '\t'), maxLength: 4 });
    fc.assert(
      fc.property(fc.array(fc.tuple(ws, jsonFrame), { minLength: 1, maxLength: 5 }), ws, cuts, (items, tail, at) => {
        const text = items.map(([space, frame]) => space + JSON.stringify(frame)).join('') + tail;
        const { frames, error } = run(jsonFraming, cut(new Uint8Array(Buffer.from(text)), at));
        expect(error).toBeUndefined();
        expect(frames).toEqual(items.map(([, frame]) => unsafeIntegersAsBigInts(JSON.parse(JSON.stringify(frame)), 'json')));
      }),
      { numRuns: Math.ceil(RUNS / 5) },
    );
  });
});

describe('cbor framing properties', () => {
  it('random frames survive encode → random cuts → decode exactly (floats, -0 and NaN included)', () => {
    fc.assert(
      fc.property(fc.array(cborFrame, { minLength: 1, maxLength: 4 }), cuts, (frames, at) => {
        const pieces = cut(encodeFrames(cborFraming, frames), at);
        const decoder = cborFraming.createDecoder();
        const out: Frame[] = [];
        for (const piece of pieces) decoder.push(piece, (frame) => out.push(frame));
        expect(out).toEqual(unsafeIntegersAsBigInts(frames, 'cbor'));
        expect(decoder.pending).toBe(0);
      }),
      { numRuns: RUNS },
    );
  });

  it('decodes what an independent encoder (cbor-x) writes', () => {
    const cborx = new CborxEncoder({ useRecords: false, tagUint8Array: false });
    fc.assert(
      fc.property(fc.array(cborFrame, { minLength: 1, maxLength: 4 }), cuts, (frames, at) => {
        const stream = Buffer.concat(frames.map((frame) => Buffer.from(cborx.encode(frame))));
        const { frames: out, error } = run(cborFraming, cut(stream, at));
        expect(error).toBeUndefined();
        expect(out).toEqual(frames.map(negativeZeroAsZero));
      }),
      { numRuns: Math.ceil(RUNS / 5) },
    );
  });
});

/** Bytes a hostile or broken peer might send: noise, or a valid stream with damage. */
function hostile(framing: Framing, frame: fc.Arbitrary<Frame>): fc.Arbitrary<Uint8Array> {
  const damaged = fc
    .tuple(
      fc.array(frame, { minLength: 1, maxLength: 3 }),
      fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 }), fc.constantFrom('set', 'insert', 'delete')), { minLength: 1, maxLength: 4 }),
    )
    .map(([frames, edits]) => {
      const bytes = [...encodeFrames(framing, frames)];
      for (const [at, value, kind] of edits) {
        const i = at % (bytes.length + 1);
        if (kind === 'insert') bytes.splice(i, 0, value);
        else if (kind === 'delete') bytes.splice(i, 1);
        else if (i < bytes.length) bytes[i] = value;
      }
      return new Uint8Array(bytes);
    });
  const noise = fc.uint8Array({ maxLength: 200 });
  const structural =
    framing.name === 'json'
      ? fc.string({ unit: fc.constantFrom('[', ']', '{', '}', '"', '\\', ',', ':', '1', 'é', ' ', 'a') }).map((s) => new Uint8Array(Buffer.from(s)))
      : fc.array(fc.constantFrom(0x5f, 0x7f, 0x9f, 0xbf, 0xff, 0x81, 0x82, 0xa1, 0x41, 0x61, 0x01, 0x18, 0x19, 0x1b, 0xd9, 0xf9, 0xfb, 0xf7, 0x00), { maxLength: 60 }).map((b) => new Uint8Array(b));
  return fc.oneof(noise, damaged, structural);
}

describe.each([
  [jsonFraming, jsonFrame],
  [cborFraming, cborFrame],
] as const)('$name decoder against hostile input', (framing, frame) => {
  it('never throws anything but a FramingError, and never delivers a non-array', () => {
    fc.assert(
      fc.property(hostile(framing, frame), cuts, fc.option(fc.integer({ min: 1, max: 300 }), { nil: undefined }), (bytes, at, max) => {
        const { frames, error } = run(framing, cut(bytes, at), max);
        if (error !== undefined) {
          expect(error).toBeInstanceOf(FramingError);
          expect((error as Error).message.startsWith(`${framing.name}: `)).toBe(true);
        }
        for (const f of frames) expect(Array.isArray(f)).toBe(true);
      }),
      { numRuns: RUNS },
    );
  });

  it('delivers the same frames however the stream is cut', () => {
    fc.assert(
      fc.property(hostile(framing, frame), cuts, (bytes, at) => {
        const whole = run(framing, [bytes]);
        const pieces = run(framing, cut(bytes, at));
        expect(pieces.frames).toEqual(whole.frames);
        const bytewise = run(framing, Array.from(bytes, (_, i) => bytes.subarray(i, i + 1)));
        expect(bytewise.frames).toEqual(whole.frames);
      }),
      { numRuns: Math.ceil(RUNS / 3) },
    );
  });
});
