/**
 * Marble specs of the delta operators: familyMap, flattenDeltas, whenNonEmpty.
 */
import { describe, expect, it } from 'vitest';
import type { FamilyDelta } from '../src/db/index.js';
import { familyMap, flattenDeltas, whenNonEmpty } from '../src/operators/index.js';
import { testScheduler } from './helpers.js';

const delta = (
  added: Record<string, unknown> = {},
  changed: Record<string, unknown> = {},
  deleted: Record<string, unknown> = {},
): FamilyDelta => ({ family: 'f', added, changed, deleted });

const deltas: Record<string, FamilyDelta> = {
  e: delta(),
  a: delta({ a: 1 }),
  b: delta({ b: 3 }, { a: 2 }),
  x: delta({}, {}, { a: 2 }),
  y: delta({}, {}, { b: 3 }),
};

describe('familyMap', () => {
  it('emits the current contents after every delta, starting from the first event', () => {
    testScheduler().run(({ hot, expectObservable, expectSubscriptions }) => {
      const src = hot('--e--a--b--x--|', deltas);
      expectObservable(src.pipe(familyMap())).toBe('--E--A--B--X--|', {
        E: new Map(),
        A: new Map([['a', 1]]),
        B: new Map<string, unknown>([
          ['a', 2],
          ['b', 3],
        ]),
        X: new Map([['b', 3]]),
      });
      expectSubscriptions(src.subscriptions).toBe('^-------------!');
    });
  });

  it('each emission is a snapshot: later deltas do not change earlier maps', () => {
    const seen: ReadonlyMap<string, unknown>[] = [];
    testScheduler().run(({ cold, flush }) => {
      cold('a-b-x|', deltas)
        .pipe(familyMap())
        .subscribe((m) => seen.push(m));
      flush();
    });
    expect(seen.map((m) => Object.fromEntries(m))).toEqual([{ a: 1 }, { a: 2, b: 3 }, { b: 3 }]);
  });

  it('passes errors and unsubscription through', () => {
    const err = new Error('gone');
    testScheduler().run(({ hot, expectObservable, expectSubscriptions }) => {
      const src = hot('--a--#', deltas, err);
      expectObservable(src.pipe(familyMap())).toBe('--A--#', { A: new Map([['a', 1]]) }, err);
      const src2 = hot('--a--b--', deltas);
      expectObservable(src2.pipe(familyMap()), '^---!').toBe('--A--', { A: new Map([['a', 1]]) });
      expectSubscriptions(src2.subscriptions).toBe('^---!');
    });
  });
});

describe('flattenDeltas', () => {
  it('one event per key: additions, changes, deletions (with the last value); nothing for an empty delta', () => {
    testScheduler().run(({ hot, expectObservable }) => {
      const src = hot('--e--a--b----x--|', deltas);
      expectObservable(src.pipe(flattenDeltas())).toBe('-----A--(BC)-D--|', {
        A: { type: 'add', family: 'f', key: 'a', value: 1 },
        B: { type: 'add', family: 'f', key: 'b', value: 3 },
        C: { type: 'change', family: 'f', key: 'a', value: 2 },
        D: { type: 'del', family: 'f', key: 'a', value: 2 },
      });
    });
  });

  it('passes errors through', () => {
    const err = new Error('x');
    testScheduler().run(({ hot, expectObservable }) => {
      expectObservable(hot('-a-#', deltas, err).pipe(flattenDeltas())).toBe(
        '-A-#',
        { A: { type: 'add', family: 'f', key: 'a', value: 1 } },
        err,
      );
    });
  });
});

describe('whenNonEmpty', () => {
  it('waits while the family is empty, emits its contents once it is not, completes and unsubscribes', () => {
    testScheduler().run(({ hot, expectObservable, expectSubscriptions }) => {
      const src = hot('--e--a--b--|', deltas);
      expectObservable(src.pipe(whenNonEmpty())).toBe('-----(A|)', { A: new Map([['a', 1]]) });
      expectSubscriptions(src.subscriptions).toBe('^----!');
    });
  });

  it('emits at once when the first event already holds something', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      expectObservable(cold('a-b|', deltas).pipe(whenNonEmpty())).toBe('(A|)', { A: new Map([['a', 1]]) });
    });
  });

  it('deletions while empty change nothing: only a delta that leaves keys behind counts', () => {
    const d = { ...deltas, z: delta({ z: 0 }, {}, {}) };
    testScheduler().run(({ cold, expectObservable }) => {
      expectObservable(cold('e-y-z|', d).pipe(whenNonEmpty())).toBe('----(Z|)', { Z: new Map([['z', 0]]) });
    });
  });

  it('ends without a value when the source ends first, and passes errors', () => {
    const err = new Error('x');
    testScheduler().run(({ cold, expectObservable }) => {
      expectObservable(cold('e-e|', deltas).pipe(whenNonEmpty())).toBe('---|');
      expectObservable(cold('e-#', deltas, err).pipe(whenNonEmpty())).toBe('--#', undefined, err);
    });
  });
});
