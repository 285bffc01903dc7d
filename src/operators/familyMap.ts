/**
 * `familyMap`: a family's current contents from its delta stream.
 * @module
 */
import { Observable, type OperatorFunction } from 'rxjs';
import { applyDelta, type FamilyDelta } from '../db/index.js';

/**
 * Folds `db.mon` deltas into the family's current contents and emits them,
 * as a fresh `ReadonlyMap` (key → value), after every delta — the first
 * emission is the family as the monitor started (possibly empty). Each map
 * is a snapshot that never changes later, so it can be kept, compared and
 * combined (`withLatestFrom`, `distinctUntilChanged`). Building it costs
 * O(family size) per delta.
 *
 * ```text
 * deltas:      --{+a:1}--{~a:2,+b:3}--{-a}--|
 * familyMap(): --{a:1}---{a:2,b:3}----{b:3}-|
 * ```
 *
 * Perl's `db_mon` callback gets this map (as a hash) as its first argument.
 *
 * @example
 * ```ts
 * node.db.mon('workers').pipe(familyMap()).subscribe((workers) => console.log([...workers.keys()]));
 * ```
 */
export function familyMap<V = unknown>(): OperatorFunction<FamilyDelta<V>, ReadonlyMap<string, V>> {
  return (source) =>
    new Observable<ReadonlyMap<string, V>>((subscriber) => {
      let current = new Map<string, V>();
      return source.subscribe({
        next: (d) => {
          current = new Map(current);
          applyDelta(current, d);
          subscriber.next(current);
        },
        error: (err: unknown) => subscriber.error(err),
        complete: () => subscriber.complete(),
      });
    });
}
