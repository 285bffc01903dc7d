/**
 * `db.mon` on a node: one {@link FamilyWatch} per monitored family, shared
 * by its local subscribers, with one upstream monitor at the master
 * (`g_mon1 F` for the first subscriber, `g_mon0 F` after the last), fed by
 * the master's `g_chg1` / `g_chg2` — a snapshot in parts collected first
 * ({@link PartialSnapshots}).
 * @module
 */
import { Observable, type Subscriber } from 'rxjs';
import type { FamilyDelta } from './delta.js';
import { NOT_PART, PartialSnapshots } from './partial.js';
import type { FamilyRecord } from './value.js';
import { FamilyWatch } from './watch.js';

export class Watches {
  readonly #watches = new Map<string, FamilyWatch>();
  readonly #partial = new PartialSnapshots();
  #closed = false;

  /** `toMaster` sends a message to the current master (nothing while there is none). */
  constructor(private readonly toMaster: (msg: readonly unknown[]) => void) {}

  /** The deltas of `family` (see `Database.mon`). */
  mon(family: string): Observable<FamilyDelta> {
    return new Observable<FamilyDelta>((subscriber) => {
      if (this.#closed) {
        subscriber.complete();
        return;
      }
      let watch = this.#watches.get(family);
      if (watch === undefined) {
        this.#watches.set(family, (watch = new FamilyWatch(family)));
        this.toMaster(['g_mon1', family]);
      }
      const w = watch;
      w.add(subscriber);
      return () => this.#unwatch(w, subscriber);
    });
  }

  /** `g_chg1 F HASH [MORE]` from the master: the whole family, or the first part of it. */
  chg1(family: string, contents: FamilyRecord | null, more: unknown): void {
    const whole = this.#partial.first(family, contents, more);
    if (whole !== undefined) this.#watches.get(family)?.full(whole);
  }

  /** `g_chg2 F SET DEL [MORE]` from the master: a change, or a further part of a snapshot. */
  chg2(family: string, set: FamilyRecord | null, del: readonly string[] | null, more: unknown): void {
    const whole = this.#partial.next(family, set, del, more);
    if (whole === NOT_PART) this.#watches.get(family)?.change(set, del);
    else if (whole !== undefined) this.#watches.get(family)?.full(whole);
  }

  /** A new master: snapshots in parts are forgotten; it is told every family watched. */
  newMaster(): void {
    this.#partial.clear();
  }

  /** Asks the (new) master to monitor every family watched. */
  resend(): void {
    for (const family of this.#watches.keys()) this.toMaster(['g_mon1', family]);
  }

  /** The node closes: every subscriber completes. */
  close(): void {
    this.#closed = true;
    const watches = [...this.#watches.values()];
    this.#watches.clear();
    for (const w of watches) w.complete();
  }

  #unwatch(w: FamilyWatch, subscriber: Subscriber<FamilyDelta>): void {
    if (w.remove(subscriber) || this.#watches.get(w.family) !== w) return;
    this.#watches.delete(w.family);
    this.toMaster(['g_mon0', w.family]);
  }
}
