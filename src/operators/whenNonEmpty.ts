/**
 * `whenNonEmpty`: wait until a family has something in it.
 * @module
 */
import { Observable, type OperatorFunction } from 'rxjs';
import { applyDelta, type FamilyDelta } from '../db/index.js';

/**
 * Emits the family's contents (a `ReadonlyMap`) once, as soon as the
 * `db.mon` deltas make it non-empty — at once if the first event already
 * holds something — then completes and unsubscribes the monitor. If the
 * source ends first, the output ends the same way without a value.
 *
 * ```text
 * deltas:          --{}--{+a:1}--{+b:2}--
 * whenNonEmpty():  ------({a:1}|)
 * ```
 *
 * @example
 * ```ts
 * // wait (at most 5 s) until some worker has registered
 * const workers = await firstValueFrom(node.db.mon('workers').pipe(whenNonEmpty(), timeout(5000)));
 * ```
 */
export function whenNonEmpty<V = unknown>(): OperatorFunction<FamilyDelta<V>, ReadonlyMap<string, V>> {
  return (source) =>
    new Observable<ReadonlyMap<string, V>>((subscriber) => {
      const current = new Map<string, V>();
      return source.subscribe({
        next: (d) => {
          if (subscriber.closed) return;
          applyDelta(current, d);
          if (current.size > 0) {
            subscriber.next(current);
            subscriber.complete();
          }
        },
        error: (err: unknown) => subscriber.error(err),
        complete: () => subscriber.complete(),
      });
    });
}
