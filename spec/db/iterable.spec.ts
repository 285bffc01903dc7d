/**
 * The pull face of db.mon: a bounded async iterable with a coalescing (or
 * failing) overflow policy.
 */
import { describe, expect, it } from 'vitest';
import { Subject } from 'rxjs';
import { toArray } from 'ix/asynciterable';
import { take } from 'ix/asynciterable/operators';
import { applyDelta, deltaIterable, DeltaBufferOverflow, type FamilyDelta } from '../../src/db/index.js';
import { stubNode } from './helpers/stub.js';

const D = (added = {}, changed = {}, deleted = {}): FamilyDelta => ({ family: 'f', added, changed, deleted });

describe('deltaIterable', () => {
  it('yields deltas in order and ends when the source completes', async () => {
    const src = new Subject<FamilyDelta>();
    const it = deltaIterable(src)[Symbol.asyncIterator]();
    const first = it.next();
    src.next(D({ a: 1 }));
    src.next(D({ b: 2 }));
    src.complete();
    expect(await first).toEqual({ value: D({ a: 1 }), done: false });
    expect(await it.next()).toEqual({ value: D({ b: 2 }), done: false });
    expect(await it.next()).toEqual({ value: undefined, done: true });
  });

  it('coalesces what does not fit into the last buffered delta: bounded, and nothing lost', async () => {
    const src = new Subject<FamilyDelta>();
    const it = deltaIterable(src, { bufferSize: 2 })[Symbol.asyncIterator]();
    const first = it.next(); // subscribes
    src.next(D()); // taken by the waiting next()
    const truth = new Map<string, unknown>();
    const pushed = [
      D({ a: 1 }),
      D({ b: 2 }),
      D({}, { a: 3 }),
      D({}, {}, { b: 2 }),
      D({ c: 4 }),
      D({}, {}, { c: 4 }),
    ];
    for (const d of pushed) {
      applyDelta(truth, d);
      src.next(d);
    }
    src.complete();
    expect((await first).value).toEqual(D());
    const got: FamilyDelta[] = [];
    for (let r = await it.next(); !r.done; r = await it.next()) got.push(r.value);
    expect(got).toEqual([D({ a: 1 }), D({}, { a: 3 })]); // b and c: added then deleted, cancelled out
    const seen = new Map<string, unknown>();
    for (const d of got) applyDelta(seen, d);
    expect(seen).toEqual(truth);
    expect(pushed[1]).toEqual(D({ b: 2 })); // the deltas pushed were not touched
  });

  it("overflow: 'error' yields what was buffered, then throws DeltaBufferOverflow, and unsubscribes", async () => {
    const src = new Subject<FamilyDelta>();
    const it = deltaIterable(src, { bufferSize: 1, overflow: 'error' })[Symbol.asyncIterator]();
    const first = it.next();
    src.next(D({ a: 1 }));
    src.next(D({ b: 1 }));
    src.next(D({ c: 1 }));
    expect(src.observed).toBe(false);
    expect((await first).value).toEqual(D({ a: 1 }));
    expect((await it.next()).value).toEqual(D({ b: 1 }));
    await expect(it.next()).rejects.toBeInstanceOf(DeltaBufferOverflow);
    expect(await it.next()).toEqual({ value: undefined, done: true });
  });

  it('break (return) unsubscribes; a source error is thrown after the buffered deltas', async () => {
    const src = new Subject<FamilyDelta>();
    const loop = (async () => {
      for await (const d of deltaIterable(src)) {
        expect(d).toEqual(D({ a: 1 }));
        break;
      }
    })();
    src.next(D({ a: 1 })); // the loop subscribed on its first next()
    await loop;
    const src2 = new Subject<FamilyDelta>();
    const it = deltaIterable(src2)[Symbol.asyncIterator]();
    const p = it.next();
    src2.next(D({ a: 1 }));
    src2.next(D({ b: 1 }));
    src2.error(new Error('boom'));
    expect((await p).value).toEqual(D({ a: 1 }));
    expect((await it.next()).value).toEqual(D({ b: 1 }));
    await expect(it.next()).rejects.toThrow('boom');
    expect(src.observed).toBe(false);
  }, 1000);

  it('an abort signal ends it with an AbortError', async () => {
    const src = new Subject<FamilyDelta>();
    const ac = new AbortController();
    const it = deltaIterable(src)[Symbol.asyncIterator](ac.signal);
    const p = it.next();
    ac.abort();
    await expect(p).rejects.toMatchObject({ name: 'AbortError' });
    expect(src.observed).toBe(false);
  });

  it('checks its options', () => {
    expect(() => deltaIterable(new Subject<FamilyDelta>(), { bufferSize: 0 })).toThrow(TypeError);
    expect(() => deltaIterable(new Subject<FamilyDelta>(), { overflow: 'drop' as 'error' })).toThrow(
      TypeError,
    );
  });

  it('db.iterate: for await over a family of a global node (ix operators available)', async () => {
    const g = stubNode('g', { global: true });
    const seen: FamilyDelta[] = [];
    const loop = (async () => {
      for await (const d of g.db.iterate('f')) {
        seen.push(d);
        if (Object.hasOwn(d.deleted, 'x')) break;
      }
    })();
    await new Promise((r) => setImmediate(r));
    g.db.set('f', 'x', 1);
    g.db.del('f', 'x');
    await loop;
    expect(seen).toEqual([D(), D({ x: 1 }), D({}, {}, { x: 1 })]);
    const first = await toArray(g.db.iterate('f').pipe(take(1)));
    expect(first).toEqual([D({}, {}, {})]);
  });
});
