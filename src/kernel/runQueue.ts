/**
 * Local delivery: a trampoline that keeps order and the stack flat.
 *
 * A send from outside any handler is delivered synchronously (as
 * AnyEvent::MP does). Sends made while a message is being handled are
 * appended to a FIFO and delivered by the outermost delivery loop after the
 * current handler returns, so a handler that sends to itself a million
 * times never grows the stack. After `budget` queued deliveries in a row the
 * loop yields to the event loop (setImmediate) so timers and I/O are not
 * starved; while anything is queued, every send queues, so order from one
 * sender to one port is kept.
 * @module
 */

/** Delivers one item. */
export type Deliver<T, M> = (target: T, msg: M) => void;

export class RunQueue<T, M> {
  // flat [target, msg, target, msg, …] to avoid a tuple per message
  #q: unknown[] = [];
  #head = 0;
  #running = false;
  #scheduled = false;

  constructor(
    private readonly deliver: Deliver<T, M>,
    private readonly budget = 10_000,
  ) {}

  /** Delivers now if idle, else queues behind what is pending. */
  push(target: T, msg: M): void {
    if (this.#running || this.#head !== this.#q.length) {
      this.#q.push(target, msg);
      return;
    }
    this.#running = true;
    try {
      this.deliver(target, msg);
    } finally {
      this.#running = false;
    }
    if (this.#head !== this.#q.length) this.#drain();
  }

  /** Messages waiting. */
  get size(): number {
    return (this.#q.length - this.#head) >> 1;
  }

  #drain = (): void => {
    this.#scheduled = false;
    if (this.#running) return;
    this.#running = true;
    const q = this.#q;
    let n = 0;
    try {
      while (this.#head !== q.length) {
        if (++n > this.budget) {
          if (!this.#scheduled) {
            this.#scheduled = true;
            setImmediate(this.#drain);
          }
          return;
        }
        const t = q[this.#head] as T;
        const m = q[this.#head + 1] as M;
        q[this.#head] = q[this.#head + 1] = undefined;
        this.#head += 2;
        this.deliver(t, m);
      }
      q.length = 0;
      this.#head = 0;
    } finally {
      this.#running = false;
      if (this.#head > 65536 && this.#head * 2 > q.length) {
        q.splice(0, this.#head);
        this.#head = 0;
      }
    }
  };
}
