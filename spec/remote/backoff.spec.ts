import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Backoff } from '../../src/remote/index.js';

/** The bases a run of `n` failures goes through from a fresh start. */
function bases(b: Backoff, n: number, from = 0): number[] {
  const out: number[] = [];
  let base = from;
  for (let i = 0; i < n; i++) out.push((base = b.grow(base)));
  return out;
}

describe('Backoff: the one reconnect schedule (PROTOCOL.md §4.2)', () => {
  it("a seed's: 0.6 s after the first failure, doubling, at most monitorTimeout", () => {
    expect(bases(new Backoff(0.6, 30), 8)).toEqual([0.6, 1.2, 2.4, 4.8, 9.6, 19.2, 30, 30]);
  });

  it('after a lost seed link (base 0.05): 0.1, 0.2, … doubling from there', () => {
    expect(bases(new Backoff(0.6, 30), 4, 0.05)).toEqual([0.1, 0.2, 0.4, 0.8]);
  });

  it("the global mesh's: 0.3 s, doubling, at most monitorTimeout", () => {
    expect(bases(new Backoff(0.3, 2), 5)).toEqual([0.3, 0.6, 1.2, 2, 2]);
  });

  it('the wait is base·(1+rand), capped: at once at base 0, never beyond the cap', () => {
    const b = new Backoff(0.6, 30);
    expect(b.wait(0)).toBe(0);
    expect(b.wait(0.6, () => 0)).toBe(0.6);
    expect(b.wait(0.6, () => 0.5)).toBeCloseTo(0.9);
    expect(b.wait(19.2, () => 0.9)).toBe(30);
    expect(b.wait(30, () => 0.99)).toBe(30);
  });

  it('property: any run of failures grows, stays within [first, cap], and each wait within [base, min(2·base, cap)]', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.01, max: 10, noNaN: true }),
        fc.double({ min: 0, max: 100, noNaN: true }),
        fc.integer({ min: 1, max: 40 }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (first, cap, n, r) => {
          const b = new Backoff(first, cap);
          let prev = 0;
          for (const base of bases(b, n)) {
            expect(base).toBeGreaterThanOrEqual(Math.min(prev, cap));
            expect(base).toBeLessThanOrEqual(cap);
            expect(base).toBeGreaterThanOrEqual(Math.min(first, cap));
            const w = b.wait(base, () => r);
            expect(w).toBeGreaterThanOrEqual(Math.min(base, cap));
            expect(w).toBeLessThanOrEqual(Math.min(2 * base, cap));
            prev = base;
          }
        },
      ),
    );
  });

  it('a wrong schedule throws a TypeError naming it', () => {
    expect(() => new Backoff(0, 30)).toThrow(/first/);
    expect(() => new Backoff(0.3, NaN)).toThrow(/cap/);
    expect(() => new Backoff(0.3, -1)).toThrow(TypeError);
  });
});
