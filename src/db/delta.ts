/**
 * Family deltas: what `db.mon` emits, how they are computed from the wire
 * (`g_chg1` full contents, `g_chg2` incremental changes) against a cached
 * copy of the family, and how two of them compose into one.
 * @module
 */
import { deepEqual } from '../config/index.js';
import { emptyRecord, ownRecord, putOwn, recordOf, type FamilyRecord } from './value.js';

/**
 * One change of a family, as `db.mon(family)` emits it.
 *
 * - `added`: keys that appeared → their values;
 * - `changed`: keys that were there and now hold a different value → the new values;
 * - `deleted`: keys that disappeared → the values they last had.
 *
 * The first event a subscriber gets holds the whole family in `added` (all
 * three empty for an empty family). Every later event is non-empty. A key
 * is in at most one of the three. Records are plain objects (a `__proto__`
 * key is an own property); treat them and the values as read-only — on a
 * global node they are shared with the database itself.
 *
 * Perl's `db_mon` callback gets `(familyhash, added_keys, changed_keys,
 * deleted_keys)`: the key lists are `Object.keys` of these records, and the
 * family hash is what the `familyMap()` operator keeps.
 */
export interface FamilyDelta<V = unknown> {
  /** The family this event is about. */
  readonly family: string;
  /** Keys that appeared, with their values. */
  readonly added: Readonly<Record<string, V>>;
  /** Keys whose value changed, with their new values. */
  readonly changed: Readonly<Record<string, V>>;
  /** Keys that disappeared, with the values they last had. */
  readonly deleted: Readonly<Record<string, V>>;
}

/** One key's change, as {@link flattenDeltas} emits it (`value`: the new value, or the last one for `del`). */
export interface FamilyChange<V = unknown> {
  readonly type: 'add' | 'change' | 'del';
  readonly family: string;
  readonly key: string;
  readonly value: V;
}

/** A delta whose records may still be filled in. */
interface MutableDelta<V = unknown> {
  family: string;
  added: Record<string, V>;
  changed: Record<string, V>;
  deleted: Record<string, V>;
}

/** A delta with nothing in it (what an empty family's first event looks like). */
export function emptyDelta<V = unknown>(family: string): FamilyDelta<V> {
  return { family, added: emptyRecord(), changed: emptyRecord(), deleted: emptyRecord() };
}

/** True when nothing was added, changed or deleted. */
export function isEmptyDelta(d: FamilyDelta): boolean {
  return isEmptyRecord(d.added) && isEmptyRecord(d.changed) && isEmptyRecord(d.deleted);
}

/** The delta that brings an empty family to `contents`: everything added. */
export function initialDelta<V>(family: string, contents: ReadonlyMap<string, V>): FamilyDelta<V> {
  return { family, added: recordOf(contents), changed: emptyRecord(), deleted: emptyRecord() };
}

/** Applies a delta to a family held as a Map (in place). */
export function applyDelta<V>(map: Map<string, V>, d: FamilyDelta<V>): void {
  for (const k of Object.keys(d.deleted)) map.delete(k);
  for (const k of Object.keys(d.added)) map.set(k, d.added[k] as V);
  for (const k of Object.keys(d.changed)) map.set(k, d.changed[k] as V);
}

/**
 * One delta with the effect of `a` followed by `b` (same family): an add
 * then a delete cancel out, a delete then an add of an equal value cancel
 * out (of a different value: a change), an add then a change stay an add
 * with the newer value, and so on. A deletion carries the latest value.
 * One imprecision: a change and a change back to the original value stay a
 * change (to the value the consumer already has), since deltas carry no
 * old values of changed keys. Neither argument is changed.
 */
export function composeDeltas<V>(a: FamilyDelta<V>, b: FamilyDelta<V>): FamilyDelta<V> {
  const out: MutableDelta<V> = {
    family: a.family,
    added: ownRecord(a.added),
    changed: ownRecord(a.changed),
    deleted: ownRecord(a.deleted),
  };
  composeInto(out, b);
  return out;
}

/**
 * Like {@link composeDeltas}, but folds `b` into `target`, which must be a
 * delta nobody else holds (the bounded iterable's coalescing uses it so a
 * long overflow costs O(size of b) per event, not O(size of target)).
 * @internal
 */
export function composeInto<V>(target: MutableDelta<V>, b: FamilyDelta<V>): void {
  const { added, changed, deleted } = target;
  for (const k of Object.keys(b.added)) {
    const v = b.added[k] as V;
    if (Object.hasOwn(deleted, k)) {
      const old = deleted[k] as V;
      delete deleted[k];
      if (!deepEqual(old, v)) putOwn(changed, k, v);
    } else if (Object.hasOwn(changed, k)) putOwn(changed, k, v);
    else putOwn(added, k, v);
  }
  for (const k of Object.keys(b.changed)) {
    const v = b.changed[k] as V;
    if (Object.hasOwn(added, k)) putOwn(added, k, v);
    else {
      if (Object.hasOwn(deleted, k)) delete deleted[k];
      putOwn(changed, k, v);
    }
  }
  for (const k of Object.keys(b.deleted)) {
    const v = b.deleted[k] as V;
    if (Object.hasOwn(added, k)) {
      delete added[k];
      continue;
    }
    if (Object.hasOwn(changed, k)) delete changed[k];
    if (!Object.hasOwn(deleted, k)) putOwn(deleted, k, v);
  }
}

/** A private, fillable copy of a delta. @internal */
export function copyDelta<V>(d: FamilyDelta<V>): MutableDelta<V> {
  return { family: d.family, added: { ...d.added }, changed: { ...d.changed }, deleted: { ...d.deleted } };
}

/**
 * What a monitoring node knows of one family: a cached copy, filled by the
 * master's `g_chg1` and kept current by its `g_chg2`, and the deltas those
 * messages amount to.
 */
export class WatchState<V = unknown> {
  #cache: Map<string, V> | undefined;

  constructor(readonly family: string) {}

  /** Whether a `g_chg1` has arrived (the cache holds the family). */
  get synced(): boolean {
    return this.#cache !== undefined;
  }

  /** The cached family (read-only view), if synced. */
  get contents(): ReadonlyMap<string, V> | undefined {
    return this.#cache;
  }

  /** The first event of a subscriber that arrives while synced: everything added. */
  snapshot(): FamilyDelta<V> {
    return initialDelta(this.family, this.#cache ?? new Map());
  }

  /**
   * `g_chg1`: the full contents (`null` = empty). The first one yields the
   * initial delta (always, even empty); a later one (a new master after a
   * fail-over) yields the difference to the cache, or `null` when there is
   * none.
   */
  full(contents: FamilyRecord<V> | null): FamilyDelta<V> | null {
    const next = new Map<string, V>();
    const keys = contents === null ? [] : Object.keys(contents);
    const old = this.#cache;
    this.#cache = next;
    if (old === undefined) {
      // a record without a prototype is already what a delta holds (the global's own snapshot, made
      // for this message alone): it becomes the first event as it is, not copied once more
      const added: Record<string, V> =
        contents === null ? emptyRecord() : Object.getPrototypeOf(contents) === null ? contents : ownRecord(contents);
      for (const k of keys) next.set(k, added[k] as V);
      return { family: this.family, added, changed: emptyRecord(), deleted: emptyRecord() };
    }
    const d: MutableDelta<V> = { family: this.family, added: emptyRecord(), changed: emptyRecord(), deleted: emptyRecord() };
    let any = false;
    for (const k of keys) {
      const v = (contents as FamilyRecord<V>)[k] as V;
      next.set(k, v);
      if (!old.has(k)) {
        putOwn(d.added, k, v);
        any = true;
      } else if (!deepEqual(old.get(k), v)) {
        putOwn(d.changed, k, v);
        any = true;
      }
    }
    for (const [k, v] of old) {
      if (!next.has(k)) {
        putOwn(d.deleted, k, v);
        any = true;
      }
    }
    return any ? d : null;
  }

  /**
   * `g_chg2`: `set` keys take these values, then `del` keys go. Yields the
   * delta, or `null` when nothing visible changed (or before the first
   * `g_chg1`, when the cache is not there to change).
   */
  change(set: FamilyRecord<V> | null, del: readonly string[] | null): FamilyDelta<V> | null {
    const cache = this.#cache;
    if (cache === undefined) return null;
    let d: MutableDelta<V> | undefined;
    const delta = (): MutableDelta<V> =>
      (d ??= { family: this.family, added: emptyRecord(), changed: emptyRecord(), deleted: emptyRecord() });
    if (set !== null) {
      for (const k of Object.keys(set)) {
        const v = set[k] as V;
        if (cache.has(k)) {
          const old = cache.get(k);
          if (deepEqual(old, v)) continue;
          const x = delta();
          // first change of this key in this message: remember its old value in case it is deleted below
          if (!Object.hasOwn(x.added, k) && !Object.hasOwn(x.changed, k)) prior.set(k, old);
          if (Object.hasOwn(x.added, k)) putOwn(x.added, k, v);
          else putOwn(x.changed, k, v);
        } else putOwn(delta().added, k, v);
        cache.set(k, v);
      }
    }
    if (del !== null) {
      for (const k of del) {
        if (!cache.has(k)) continue;
        const x = delta();
        const last = cache.get(k) as V;
        cache.delete(k);
        if (Object.hasOwn(x.added, k)) delete x.added[k];
        else if (Object.hasOwn(x.changed, k)) {
          delete x.changed[k];
          putOwn(x.deleted, k, prior.get(k) as V);
        } else putOwn(x.deleted, k, last);
      }
    }
    prior.clear();
    return d === undefined || isEmptyDelta(d) ? null : d;
  }
}

/** Old values of keys changed earlier in the same `g_chg2` (scratch space, cleared after each). */
const prior = new Map<string, unknown>();

function isEmptyRecord(r: object): boolean {
  for (const k in r) if (Object.hasOwn(r, k)) return false;
  return true;
}
