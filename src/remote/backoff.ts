/**
 * The one reconnect back-off of the tree: how long a node waits before it
 * tries again to reach a node it keeps a connection to (a seed, or another
 * global node of the mesh). AnyEvent::MP's schedule (PROTOCOL.md §4.2): a
 * base that is `first` seconds after the first failure and doubles after
 * each further one, at most `cap` (`monitorTimeout`); the wait itself is
 * `base·(1+rand)`, at most `cap` too (Perl caps the wait itself).
 *
 * | who | `first` | after a success |
 * | --- | --- | --- |
 * | a seed (`Network`) | 0.6 s | a lost seed link waits `0.05·(1+rand)` s |
 * | a global node of the mesh (the database) | 0.3 s | base back to 0 on node-up |
 *
 * A schedule, not a timer: the caller keeps the base (a number) with the
 * thing it reconnects and owns its timer, so that closing clears it.
 * @module
 */

/** A back-off schedule: `first` seconds, doubling, at most `cap` (see the module). */
export class Backoff {
  /**
   * @param first Seconds: the base after the first failure.
   * @param cap Seconds: the most the base and the wait ever are.
   */
  constructor(
    readonly first: number,
    readonly cap: number,
  ) {
    if (typeof first !== 'number' || !(first > 0)) throw new TypeError('Backoff: first must be a positive number of seconds');
    if (typeof cap !== 'number' || !(cap >= 0)) throw new TypeError('Backoff: cap must be a non-negative number of seconds');
  }

  /** The base after one more failure: `first` after none (base 0), else twice `base`; at most `cap`. */
  grow(base: number): number {
    return Math.min(base ? base * 2 : this.first, this.cap);
  }

  /** Seconds to wait at `base`: `base·(1+random())`, at most `cap` (0 at base 0: try at once). */
  wait(base: number, random: () => number = Math.random): number {
    return Math.min(base * (1 + random()), this.cap);
  }
}
