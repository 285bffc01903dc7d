/**
 * The liveness watch of one connection: is the peer still there?
 *
 * Traffic proves a peer alive: every chunk it sends, and (while we have
 * bytes queued for it) every write of ours that it takes in. A link that was
 * quiet for a quarter of `monitorTimeout` is probed once (the connection
 * sends something the peer must answer); quiet for three quarters of it
 * (and at most all of it, counting the tick in progress) the peer is given
 * up. One interval timer per connection, ticking every `monitorTimeout / 4`;
 * between ticks the cost is one boolean store per chunk received. A busy
 * link never sends a probe.
 *
 * Ticks only count, and each is judged after the next poll of I/O (in a
 * `setImmediate`): the verdict needs {@link QUIET_TICKS} ticks in a row
 * without a sign of life, so a process that was itself stalled (a long
 * synchronous job, a paused VM) neither probes nor condemns a peer whose
 * data is waiting in the socket.
 * @module
 */

/** Ticks per `monitorTimeout`. */
const TICKS = 4;
/** Quiet ticks in a row after which the peer is given up (3 of 4: between ¾ and all of `monitorTimeout`). */
export const QUIET_TICKS = 3;
/** The longest delay `setInterval` takes (a longer one would fire at once). */
const MAX_DELAY_MS = 2 ** 31 - 1;

/** What the watch asks of its connection. */
export interface LivenessHooks {
  /** The link is quiet: send something the peer must answer. */
  probe(): void;
  /**
   * Quiet for {@link QUIET_TICKS} ticks or more (called on each further
   * quiet tick too). The connection decides whether that ends it.
   */
  quiet(): void;
}

/** One connection's liveness watch. Made idle; {@link start} arms it, {@link stop} ends it. */
export class Liveness {
  #heard = false;
  #quiet = 0;
  #timer: NodeJS.Timeout | undefined;
  #judging: NodeJS.Immediate | undefined;
  readonly #periodMs: number;
  readonly #hooks: LivenessHooks;

  /** @param timeoutSeconds `monitorTimeout`: a silent peer is given up within it. */
  constructor(timeoutSeconds: number, hooks: LivenessHooks) {
    this.#periodMs = Math.min(Math.max((timeoutSeconds * 1000) / TICKS, 1), MAX_DELAY_MS);
    this.#hooks = hooks;
  }

  /** Starts ticking (once; later calls do nothing). */
  start(): void {
    if (this.#timer !== undefined) return;
    this.#timer = setInterval(this.#tick, this.#periodMs);
    this.#timer.unref();
  }

  /** A sign of life from the peer. Cheap: called for every chunk received. */
  heard(): void {
    this.#heard = true;
  }

  /** Stops for good. */
  stop(): void {
    if (this.#timer !== undefined) clearInterval(this.#timer);
    if (this.#judging !== undefined) clearImmediate(this.#judging);
    this.#timer = undefined;
    this.#judging = undefined;
  }

  /** The interval: judge after the I/O that waited behind this timer was read. */
  readonly #tick = (): void => {
    this.#judging ??= setImmediate(this.#judge);
  };

  readonly #judge = (): void => {
    this.#judging = undefined;
    if (this.#timer === undefined) return; // stopped
    if (this.#heard) {
      this.#heard = false;
      this.#quiet = 0;
      return;
    }
    this.#quiet++;
    if (this.#quiet === 1) this.#hooks.probe();
    else if (this.#quiet >= QUIET_TICKS) this.#hooks.quiet();
  };
}
