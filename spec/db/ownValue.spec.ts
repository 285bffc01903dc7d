/**
 * What `db.set` keeps of a value: one private copy (the caller's later
 * mutation changes nothing), byte arrays as Buffers, Ports as their ids,
 * `__proto__` keys as own keys — the same as the former
 * check + structuredClone + check did.
 */
import { Buffer } from 'node:buffer';
import { describe, expect, it } from 'vitest';
import { Kernel } from '../../src/kernel/index.js';
import { ownValue } from '../../src/db/value.js';

describe('ownValue (what db.set keeps)', () => {
  it('copies deeply: later mutation of the argument does not reach the kept value', () => {
    const v = { a: { b: [1, { c: 2 }] } };
    const kept = ownValue(v, 'db.set: value') as typeof v;
    expect(kept).toEqual(v);
    (v.a.b[1] as { c: number }).c = 3;
    v.a.b.push(4);
    expect(kept).toEqual({ a: { b: [1, { c: 2 }] } });
  });

  it('keeps byte arrays as Buffers over fresh memory', () => {
    const u = new Uint8Array([1, 2, 3]);
    const kept = ownValue({ u, b: Buffer.from('hi') }, 'db.set: value') as { u: Buffer; b: Buffer };
    expect(Buffer.isBuffer(kept.u) && Buffer.isBuffer(kept.b)).toBe(true);
    u[0] = 9;
    expect([...kept.u]).toEqual([1, 2, 3]);
    expect(kept.b.toString()).toBe('hi');
  });

  it('turns a Port into its id, keeps __proto__ as an own key, undefined as null at the top', () => {
    const k = new Kernel({ id: 'n', uniq: '', runiq: 'R0JxsSRoSQ' });
    const p = k.port(() => {});
    const kept = ownValue(JSON.parse('{"__proto__": {"x": 1}}'), 'db.set: value') as Record<string, unknown>;
    expect(Object.hasOwn(kept, '__proto__')).toBe(true);
    expect(Object.getPrototypeOf(kept)).toBe(Object.prototype);
    expect(ownValue([p], 'db.set: value')).toEqual([p.id]);
    expect(ownValue(undefined, 'db.set: value')).toBeNull();
    expect(() => ownValue({ f: () => 1 }, 'db.set: value')).toThrow(/db\.set: value\.f must be plain data/);
  });
});
