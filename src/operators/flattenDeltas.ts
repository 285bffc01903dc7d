/**
 * `flattenDeltas`: one event per changed key.
 * @module
 */
import { mergeMap, type OperatorFunction } from 'rxjs';
import type { FamilyChange, FamilyDelta } from '../db/index.js';

/**
 * Turns each `db.mon` delta into one event per key:
 * `{ type: 'add' | 'change' | 'del', family, key, value }` — for `'del'`
 * the value the key last had. Within a delta: the additions, then the
 * changes, then the deletions, each in key order of the delta. An empty
 * delta (an empty family's first event) emits nothing.
 *
 * ```text
 * deltas:           --{+a:1,+b:2}--------{~a:5,-b}----|
 * flattenDeltas():  --(AB)---------------(CD)---------|
 *                     A = add a 1, B = add b 2, C = change a 5, D = del b 2
 * ```
 *
 * @example
 * ```ts
 * node.db.mon('workers').pipe(flattenDeltas()).subscribe(({ type, key }) => console.log(type, key));
 * ```
 */
export function flattenDeltas<V = unknown>(): OperatorFunction<FamilyDelta<V>, FamilyChange<V>> {
  return mergeMap((d) => {
    const out: FamilyChange<V>[] = [];
    const { family } = d;
    for (const key of Object.keys(d.added)) out.push({ type: 'add', family, key, value: d.added[key] as V });
    for (const key of Object.keys(d.changed))
      out.push({ type: 'change', family, key, value: d.changed[key] as V });
    for (const key of Object.keys(d.deleted))
      out.push({ type: 'del', family, key, value: d.deleted[key] as V });
    return out;
  });
}
