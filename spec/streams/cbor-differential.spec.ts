/**
 * Our CBOR framing against cbor-x, the reference (a dev dependency): a seeded
 * slice of the differential test, ~21k frames in three directions (ours →
 * cbor-x, cbor-x → ours, Perl's shapes → both). `npm run fuzz:cbor` runs the
 * full million. The intended differences are named in
 * spec/helpers/cborDifferential.ts and shown one by one here.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  LONE_SURROGATE,
  PROTO_KEY,
  cborxDecoder,
  cborxEncoder,
  cborxToOurs,
  ourDecode,
  ourEncode,
  oursToCborx,
  perlToBoth,
  writePerl,
} from '../helpers/cborDifferential.js';

const SEED = 20261203;
const RUNS = 7000;

describe('CBOR: our codec against cbor-x (differential, seeded)', () => {
  it(`ours → cbor-x: ${RUNS} generated frames read back as written`, () => {
    fc.assert(oursToCborx, { seed: SEED, numRuns: RUNS });
  });

  it(`cbor-x → ours: ${RUNS} generated frames read back as written`, () => {
    fc.assert(cborxToOurs, { seed: SEED + 1, numRuns: RUNS });
  });

  it(`Perl's shapes → ours and cbor-x: ${RUNS} frames read alike`, () => {
    fc.assert(perlToBoth, { seed: SEED + 2, numRuns: RUNS });
  });
});

describe('CBOR: the intended differences from cbor-x, one by one', () => {
  it('1, 5: a Perl map with byte-string keys — cbor-x (objects) throws, we give an object of one char per octet', () => {
    const bytes = new Uint8Array(
      writePerl([
        { bytes: Buffer.from('port') },
        { map: [[Buffer.from([0x6b, 0xe9]), { bytes: Buffer.from('v') }]] },
      ]),
    );
    expect(() => cborxDecoder.decode(bytes)).toThrow(/Invalid property name/);
    expect(ourDecode(bytes)).toEqual(['port', { 'k\u00e9': 'v' }]);
  });

  it('2: a lone surrogate — we write U+FFFD, cbor-x writes invalid UTF-8 (which our decoder refuses)', () => {
    expect(cborxDecoder.decode(ourEncode([LONE_SURROGATE]))).toEqual(['a\ufffdb']);
    expect(() => ourDecode(cborxEncoder.encode([LONE_SURROGATE]))).toThrow(/not valid UTF-8/);
  });

  it('3: -0 — we keep it, cbor-x writes the integer 0', () => {
    expect(Object.is((cborxDecoder.decode(ourEncode([-0])) as number[])[0], -0)).toBe(true);
    expect(Object.is(ourDecode(cborxEncoder.encode([-0]))[0], 0)).toBe(true);
  });

  it('4: a 64-bit integer head — cbor-x reads a bigint, we read a number (or a bigint beyond 2^53)', () => {
    expect(cborxDecoder.decode(ourEncode([2 ** 40]))).toEqual([2n ** 40n]);
    expect(ourDecode(cborxEncoder.encode([2n ** 40n]))).toEqual([2 ** 40]);
  });

  it('6: undefined — we write null (arrays) or leave the key out, cbor-x writes undefined, which we read as null', () => {
    expect(cborxDecoder.decode(ourEncode([undefined, { a: undefined, b: 1 }]))).toEqual([null, { b: 1 }]);
    expect(ourDecode(cborxEncoder.encode([undefined, { a: undefined }]))).toEqual([null, { a: null }]);
  });

  it('7: a __proto__ key — we keep it as an own key, cbor-x renames it', () => {
    const back = ourDecode(ourEncode([PROTO_KEY]))[0] as Record<string, unknown>;
    expect(Object.hasOwn(back, '__proto__')).toBe(true);
    expect(Object.getPrototypeOf(back)).toBe(Object.prototype);
    const theirs = (cborxDecoder.decode(ourEncode([PROTO_KEY])) as Record<string, unknown>[])[0]!;
    expect(Object.hasOwn(theirs, '__proto__')).toBe(false);
    expect(Object.keys(theirs)).toEqual(['__proto_', 'a']);
  });
});
