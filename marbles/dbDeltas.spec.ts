/**
 * Marble specs of the delta computation: the master's g_chg1/g_chg2 turned
 * into FamilyDelta events (WatchState), and `db.mon` itself on a global node
 * and on a slave, in virtual time.
 */
import { describe, it } from 'vitest';
import { filter, map, type Observable, type OperatorFunction } from 'rxjs';
import { WatchState, type FamilyDelta, type FamilyRecord } from '../src/db/index.js';
import { stubNode } from '../spec/db/helpers/stub.js';
import { testScheduler } from './helpers.js';

type Wire = ['g_chg1', FamilyRecord | null] | ['g_chg2', FamilyRecord | null, string[] | null];

/** The delta computation as an operator: a fresh WatchState per subscription. */
function deltasOf(family: string): OperatorFunction<Wire, FamilyDelta> {
  return (source: Observable<Wire>) => {
    const state = new WatchState(family);
    return source.pipe(
      map((w) => (w[0] === 'g_chg1' ? state.full(w[1]) : state.change(w[1], w[2]))),
      filter((d): d is FamilyDelta => d !== null),
    );
  };
}

const D = (added = {}, changed = {}, deleted = {}): FamilyDelta => ({ family: 'f', added, changed, deleted });

describe('delta computation (WatchState)', () => {
  it('g_chg1 null → empty first event; g_chg2 → added / changed / deleted; no-ops → nothing', () => {
    const wire: Record<string, Wire> = {
      n: ['g_chg1', null],
      a: ['g_chg2', { a: 1 }, []],
      b: ['g_chg2', { a: 2, b: 1 }, []],
      s: ['g_chg2', { a: 2 }, ['zz']],
      d: ['g_chg2', {}, ['a']],
    };
    testScheduler().run(({ hot, expectObservable }) => {
      expectObservable(hot('-n-a-b-s-d-|', wire).pipe(deltasOf('f'))).toBe('-N-A-B---X-|', {
        N: D(),
        A: D({ a: 1 }),
        B: D({ b: 1 }, { a: 2 }),
        X: D({}, {}, { a: 2 }),
      });
    });
  });

  it('g_chg2 before the first g_chg1 is dropped; a second g_chg1 (new master) is diffed', () => {
    const wire: Record<string, Wire> = {
      e: ['g_chg2', { early: 1 }, null],
      f: ['g_chg1', { a: 1, b: 2 }],
      g: ['g_chg1', { a: 1, b: 3, c: 4 }],
      h: ['g_chg1', { a: 1, b: 3, c: 4 }],
      i: ['g_chg1', null],
    };
    testScheduler().run(({ hot, expectObservable }) => {
      expectObservable(hot('-e-f-g-h-i|', wire).pipe(deltasOf('f'))).toBe('---F-G---I|', {
        F: D({ a: 1, b: 2 }),
        G: D({ c: 4 }, { b: 3 }),
        I: D({}, {}, { a: 1, b: 3, c: 4 }),
      });
    });
  });
});

describe('db.mon in virtual time', () => {
  it('on a global node: the first event at subscription, then one per change; a late subscriber gets the family', () => {
    const g = stubNode('g', { global: true });
    const ts = testScheduler();
    ts.run(({ cold, expectObservable }) => {
      cold('--a--b--c--d--e|', {
        a: () => g.db.set('f', 'x', 1),
        b: () => g.db.set('f', 'y', 2),
        c: () => g.db.set('f', 'x', 10),
        d: () => g.db.del('f', 'y'),
        e: () => g.db.del('f', 'x'),
      }).subscribe((act) => act());
      expectObservable(g.db.mon('f')).toBe('E-A--B--C--D--X', {
        E: D(),
        A: D({ x: 1 }),
        B: D({ y: 2 }),
        C: D({}, { x: 10 }),
        D: D({}, {}, { y: 2 }),
        X: D({}, {}, { x: 10 }),
      });
      expectObservable(g.db.mon('f'), '------^---').toBe('------S-C--D--X', {
        S: D({ x: 1, y: 2 }),
        C: D({}, { x: 10 }),
        D: D({}, {}, { y: 2 }),
        X: D({}, {}, { x: 10 }),
      });
    });
  });

  it('on a slave: nothing until the master’s g_chg1; changes as they arrive; other senders ignored', () => {
    const s = stubNode('s', { seeds: ['10.0.0.1:1'] });
    s.net.seedIds.set('10.0.0.1:1', 'm');
    s.net.nodeUp('m');
    testScheduler().run(({ cold, expectObservable }) => {
      cold('---a--b--c--d|', {
        a: () => s.receive('m', 'g_chg1', 'f', { k: 1 }),
        b: () => s.receive('other', 'g_chg2', 'f', { evil: 1 }, []),
        c: () => s.receive('m', 'g_chg2', 'f', { k: 2, l: 3 }, []),
        d: () => s.receive('m', 'g_chg2', 'f', {}, ['k']),
      }).subscribe((act) => act());
      expectObservable(s.db.mon('f')).toBe('---A-----C--D', {
        A: D({ k: 1 }),
        C: D({ l: 3 }, { k: 2 }),
        D: D({}, {}, { k: 2 }),
      });
    });
  });
});
