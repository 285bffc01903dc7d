/**
 * The one structural equality of the tree (`deepEqual`, used by the rc
 * file editor and by the database's "does this set change anything"):
 * the cases where its two former versions disagreed, pinned.
 */
import { Buffer } from 'node:buffer';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { deepEqual } from '../../src/config/index.js';

const nullProto = (o: Record<string, unknown>) => Object.assign(Object.create(null) as object, o);

describe('deepEqual', () => {
  it('treats a key holding undefined as absent (as JSON and the wire do)', () => {
    expect(deepEqual({ a: 1, b: undefined }, { a: 1 })).toBe(true);
    expect(deepEqual({ a: 1 }, { a: 1, b: undefined })).toBe(true);
    expect(deepEqual({ a: undefined }, { b: undefined })).toBe(true);
    expect(deepEqual({ a: undefined }, { a: null })).toBe(false);
    expect(deepEqual([undefined], [null])).toBe(false);
  });

  it('ignores the prototype of plain objects (null-prototype records equal {} ones)', () => {
    expect(deepEqual(nullProto({ x: [1, 2] }), { x: [1, 2] })).toBe(true);
    expect(deepEqual(nullProto({ x: 1 }), { x: 2 })).toBe(false);
  });

  it('compares bigints by value and never equal to a number', () => {
    expect(deepEqual(2n ** 64n, 2n ** 64n)).toBe(true);
    expect(deepEqual({ n: 1n }, { n: 1 })).toBe(false);
  });

  it('compares byte arrays byte-wise (Buffer and Uint8Array alike), never as arrays or objects', () => {
    expect(deepEqual(Buffer.from([1, 2, 3]), new Uint8Array([1, 2, 3]))).toBe(true);
    expect(deepEqual(Buffer.from([1, 2, 3]), Buffer.from([1, 2, 4]))).toBe(false);
    expect(deepEqual(Buffer.from([1, 2]), [1, 2])).toBe(false);
    expect(deepEqual(new Uint8Array([1]), { 0: 1 })).toBe(false);
  });

  it('takes NaN as equal to NaN, key order as irrelevant, arrays as ordered', () => {
    expect(deepEqual({ v: NaN }, { v: NaN })).toBe(true);
    expect(deepEqual({ a: 1, b: 2 }, { b: 2, a: 1 })).toBe(true);
    expect(deepEqual([1, 2], [2, 1])).toBe(false);
    expect(deepEqual([], {})).toBe(false);
  });

  it('agrees with comparing the JSON of key-sorted values, for JSON data', () => {
    const sorted = (v: unknown): unknown =>
      Array.isArray(v)
        ? v.map(sorted)
        : typeof v === 'object' && v !== null
          ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, sorted((v as Record<string, unknown>)[k])]))
          : v;
    const same = (a: unknown, b: unknown) => JSON.stringify(sorted(a)) === JSON.stringify(sorted(b));
    const json = fc.jsonValue({ maxDepth: 3 });
    fc.assert(fc.property(json, json, (a, b) => deepEqual(a, b) === same(a, b)));
    fc.assert(fc.property(json, (a) => deepEqual(a, JSON.parse(JSON.stringify(a)))));
  });
});
