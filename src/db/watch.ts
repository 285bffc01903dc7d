/**
 * One monitored family on a node: the {@link WatchState} fed by the master's
 * `g_chg1`/`g_chg2`, shared by every local `db.mon` subscriber of that
 * family (one upstream `g_mon1` for all of them).
 * @module
 */
import type { Subscriber } from 'rxjs';
import { WatchState, type FamilyDelta } from './delta.js';
import type { FamilyRecord } from './value.js';

export class FamilyWatch {
  readonly state: WatchState;
  #subscribers: Subscriber<FamilyDelta>[] = [];

  constructor(readonly family: string) {
    this.state = new WatchState(family);
  }

  /** Number of local subscribers. */
  get size(): number {
    return this.#subscribers.length;
  }

  /**
   * Adds a subscriber. If the family is already known it gets the whole
   * family at once (as its first, all-`added` event); otherwise its first
   * event comes with the master's `g_chg1`.
   */
  add(subscriber: Subscriber<FamilyDelta>): void {
    if (this.state.synced) subscriber.next(this.state.snapshot());
    if (!subscriber.closed) this.#subscribers = [...this.#subscribers, subscriber];
  }

  /** Removes a subscriber; returns whether any are left. */
  remove(subscriber: Subscriber<FamilyDelta>): boolean {
    this.#subscribers = this.#subscribers.filter((s) => s !== subscriber);
    return this.#subscribers.length > 0;
  }

  /** `g_chg1` from the master. */
  full(contents: FamilyRecord | null): void {
    const d = this.state.full(contents);
    if (d !== null) this.#emit(d);
  }

  /** `g_chg2` from the master. */
  change(set: FamilyRecord | null, del: readonly string[] | null): void {
    const d = this.state.change(set, del);
    if (d !== null) this.#emit(d);
  }

  /** Completes every subscriber (the node closes). */
  complete(): void {
    const subs = this.#subscribers;
    this.#subscribers = [];
    for (const s of subs) s.complete();
  }

  #emit(d: FamilyDelta): void {
    // the array is replaced, never mutated, so (un)subscribing inside next() is safe
    for (const s of this.#subscribers) if (!s.closed) s.next(d);
  }
}
