/**
 * A connection's outgoing backlog as seen from outside: `backlog$`
 * subscribers and `drained()` waiters, told after each socket write and its
 * completion (once per tick's flush, not per frame).
 * @module
 */
import { Observable, type Subscriber } from 'rxjs';

/** The watchers of one connection's backlog. @internal */
export class BacklogWatchers {
  /** {@link size} now and whenever it changes; completes when the connection ends. */
  readonly backlog$: Observable<number>;
  #subs: Set<Subscriber<number>> | undefined;
  #waiters: (() => void)[] | undefined;

  constructor(
    /** Bytes handed to the socket and not yet passed to the kernel. */
    private readonly size: () => number,
    /** The connection's end (`closed$`). */
    ended$: Observable<never>,
  ) {
    this.backlog$ = new Observable<number>((sub) => {
      const subs = (this.#subs ??= new Set());
      subs.add(sub);
      sub.next(this.size());
      const end = ended$.subscribe({ complete: () => sub.complete(), error: () => sub.complete() });
      return () => {
        subs.delete(sub);
        if (subs.size === 0) this.#subs = undefined;
        end.unsubscribe();
      };
    });
  }

  /** A promise resolved by the next {@link release}. */
  wait(): Promise<void> {
    return new Promise((resolve) => (this.#waiters ??= []).push(resolve));
  }

  /** After a socket write: tells `backlog$`. */
  written(): void {
    if (this.#subs) this.#emit();
  }

  /** After a write completed: tells `backlog$`, and the `drained()` waiters once nothing is left. */
  sent(): void {
    if (this.#subs) this.#emit();
    if (this.#waiters && this.size() === 0) this.release();
  }

  /** Resolves every `drained()` waiter (all sent, or the connection ended). */
  release(): void {
    const w = this.#waiters;
    this.#waiters = undefined;
    for (const resolve of w ?? []) resolve();
  }

  #emit(): void {
    const n = this.size();
    for (const s of this.#subs ?? []) s.next(n);
  }
}
