/**
 * The receiving side of big database messages sent in parts (see
 * `chunks.ts`): a family snapshot (`g_chg1 F PART 1`, `g_chg2 F PART [] 1`
 * … `g_chg2 F PART [] 0`) is collected here until its last part, so that
 * `db.mon` subscribers get the whole family as one first event, as they
 * would from a single `g_chg1`.
 *
 * The markers are the trailing elements a Perl node neither sends nor
 * reads; a `g_chg1` without one is a whole snapshot.
 * @module
 */
import { putOwn, type FamilyRecord } from './value.js';

/** What {@link PartialSnapshots.next} says of a `g_chg2` that is not a part of a snapshot. */
export const NOT_PART: unique symbol = Symbol('not a part');

/** Family snapshots being received in parts, by family. */
export class PartialSnapshots {
  readonly #pending = new Map<string, FamilyRecord>();

  /**
   * `g_chg1 F PART MORE`: `undefined` when more parts follow (`MORE` is 1),
   * else the snapshot to deliver now.
   */
  first(family: string, part: FamilyRecord | null, more: unknown): FamilyRecord | null | undefined {
    if (more !== 1) {
      this.#pending.delete(family);
      return part;
    }
    // the decoded part is ours to fill: the rest is merged into it
    this.#pending.set(family, part ?? {});
    return undefined;
  }

  /**
   * `g_chg2 F SET DEL MORE` while a snapshot of `F` is being received: the
   * change goes into it; returns `undefined` while more parts follow (a
   * change without a marker does not end it), the whole snapshot after the
   * last part (`MORE` 0). {@link NOT_PART} when no snapshot of `F` is pending.
   */
  next(
    family: string,
    set: FamilyRecord | null,
    del: readonly string[] | null,
    more: unknown,
  ): FamilyRecord | undefined | typeof NOT_PART {
    const whole = this.#pending.get(family);
    if (whole === undefined) return NOT_PART;
    if (set !== null) merge(whole, set);
    if (del !== null) for (const k of del) delete whole[k];
    if (more !== 0) return undefined;
    this.#pending.delete(family);
    return whole;
  }

  /** Forgets everything (a new master sends new snapshots). */
  clear(): void {
    this.#pending.clear();
  }
}

function merge(into: FamilyRecord, part: FamilyRecord): void {
  for (const k of Object.keys(part)) putOwn(into, k, part[k]);
}
