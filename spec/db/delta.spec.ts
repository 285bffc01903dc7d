/**
 * Delta computation (WatchState: g_chg1 / g_chg2 → FamilyDelta) and delta
 * composition, checked against plain state snapshots with random sequences.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  applyDelta,
  composeDeltas,
  isEmptyDelta,
  WatchState,
  type FamilyDelta,
  type FamilyRecord,
} from '../../src/db/index.js';

const key = fc.constantFrom('a', 'b', 'c', 'd', '__proto__');
const value = fc.oneof(fc.integer({ min: 0, max: 2 }), fc.constant(null), fc.constant([1, { x: 2 }]));
const hash: fc.Arbitrary<FamilyRecord> = fc.array(fc.tuple(key, value), { maxLength: 5 }).map((kv) => {
  const out: FamilyRecord = {};
  for (const [k, v] of kv)
    Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
  return out;
});
type Wire =
  { t: 'full'; hash: FamilyRecord | null } | { t: 'chg'; set: FamilyRecord | null; del: string[] | null };
const wire: fc.Arbitrary<Wire> = fc.oneof(
  {
    weight: 1,
    arbitrary: fc.record({ t: fc.constant('full' as const), hash: fc.option(hash, { nil: null }) }),
  },
  {
    weight: 4,
    arbitrary: fc.record({
      t: fc.constant('chg' as const),
      set: fc.option(hash, { nil: null }),
      del: fc.option(fc.array(key, { maxLength: 3 }), { nil: null }),
    }),
  },
);

const toMap = (r: FamilyRecord | null) => new Map(r ? Object.keys(r).map((k) => [k, r[k]] as const) : []);

/** Checks the invariants of one delta against the state before it. */
function checkDelta(d: FamilyDelta, before: Map<string, unknown>) {
  const a = Object.keys(d.added);
  const c = Object.keys(d.changed);
  const x = Object.keys(d.deleted);
  expect(new Set([...a, ...c, ...x]).size).toBe(a.length + c.length + x.length);
  for (const k of a) expect(before.has(k)).toBe(false);
  for (const k of c) expect(before.has(k)).toBe(true);
  for (const k of x) expect(d.deleted[k]).toEqual(before.get(k));
}

describe('WatchState', () => {
  it('the deltas it emits rebuild exactly the family the master describes', () => {
    fc.assert(
      fc.property(hash, fc.array(wire, { maxLength: 30 }), (first, events) => {
        const w = new WatchState('f');
        const truth = toMap(first);
        const seen = new Map<string, unknown>();
        const d0 = w.full(first);
        expect(d0).not.toBeNull();
        applyDelta(seen, d0!);
        expect(seen).toEqual(truth);
        for (const e of events) {
          const before = new Map(seen);
          let d: FamilyDelta | null;
          if (e.t === 'full') {
            truth.clear();
            for (const [k, v] of toMap(e.hash)) truth.set(k, v);
            d = w.full(e.hash);
          } else {
            if (e.set) for (const k of Object.keys(e.set)) truth.set(k, e.set[k]);
            if (e.del) for (const k of e.del) truth.delete(k);
            d = w.change(e.set, e.del);
          }
          if (d !== null) {
            expect(isEmptyDelta(d)).toBe(false);
            checkDelta(d, before);
            applyDelta(seen, d);
          }
          expect(seen).toEqual(truth);
          expect(w.contents).toEqual(truth);
        }
        expect(w.snapshot()).toEqual({
          family: 'f',
          added: Object.fromEntries(truth),
          changed: {},
          deleted: {},
        });
      }),
      { numRuns: 300 },
    );
  });

  it('the first g_chg1 is always an event, even empty (null)', () => {
    expect(new WatchState('f').full(null)).toEqual({ family: 'f', added: {}, changed: {}, deleted: {} });
  });

  it('a key set and deleted in one g_chg2 is reported by what the subscriber had', () => {
    const w = new WatchState('f');
    w.full({ old: 1 });
    expect(w.change({ new: 1, old: 2 }, ['new', 'old'])).toEqual({
      family: 'f',
      added: {},
      changed: {},
      deleted: { old: 1 },
    });
    expect(w.change({ x: 1 }, ['x'])).toBeNull();
  });

  it('g_chg2 before g_chg1 is ignored', () => {
    const w = new WatchState('f');
    expect(w.change({ a: 1 }, null)).toBeNull();
    expect(w.synced).toBe(false);
  });
});

describe('composeDeltas', () => {
  it('composing the deltas of s0→s1 and s1→s2 gives the delta of s0→s2 (deleted: the latest value)', () => {
    fc.assert(
      fc.property(hash, hash, hash, (s0, s1, s2) => {
        const w = new WatchState('f');
        w.full(s0);
        const d1 = w.full(s1) ?? { family: 'f', added: {}, changed: {}, deleted: {} };
        const d2 = w.full(s2) ?? { family: 'f', added: {}, changed: {}, deleted: {} };
        const direct = new WatchState('f');
        direct.full(s0);
        const d02 = direct.full(s2) ?? { family: 'f', added: {}, changed: {}, deleted: {} };
        const c = composeDeltas(d1, d2);
        expect(c.added).toEqual(d02.added);
        // a change and a change back cannot be told from two changes (deltas carry no old values):
        // such a key stays "changed", to the value the consumer already has
        for (const k of Object.keys(d02.changed)) expect(c.changed[k]).toEqual(d02.changed[k]);
        for (const k of Object.keys(c.changed))
          if (!Object.hasOwn(d02.changed, k)) expect(c.changed[k]).toEqual(s0[k]);
        expect(Object.keys(c.deleted).sort()).toEqual(Object.keys(d02.deleted).sort());
        for (const k of Object.keys(c.deleted))
          expect(c.deleted[k]).toEqual(Object.hasOwn(s1, k) ? s1[k] : s0[k]);
        const m = toMap(s0);
        applyDelta(m, c);
        expect(m).toEqual(toMap(s2));
      }),
      { numRuns: 500 },
    );
  });

  it('leaves its arguments alone', () => {
    const a = { family: 'f', added: { x: 1 }, changed: {}, deleted: {} };
    const b = { family: 'f', added: {}, changed: {}, deleted: { x: 1 } };
    expect(composeDeltas(a, b)).toEqual({ family: 'f', added: {}, changed: {}, deleted: {} });
    expect(a.added).toEqual({ x: 1 });
    expect(b.deleted).toEqual({ x: 1 });
  });
});
