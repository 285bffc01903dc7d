/**
 * The global mesh: a global node keeps a connection to every other global
 * node listed in `'g`. A node-port monitor makes the connection and tells
 * when it fails or is lost; the next attempt follows after the remote
 * room's {@link Backoff} (base 0.3 s doubling up to `monitorTimeout`,
 * PROTOCOL.md §4.2), until the node is no longer listed.
 * @module
 */
import type { Kernel } from '../kernel/index.js';
import { Backoff } from '../remote/index.js';

interface Keeper {
  backoff: number;
  timer: NodeJS.Timeout | undefined;
  stop: (() => void) | undefined;
}

export class GlobalMesh {
  readonly #keepers = new Map<string, Keeper>();
  readonly #schedule: Backoff;
  #closed = false;

  /**
   * @param kernel monitors node ports (which connects).
   * @param listed whether a node is still listed in `'g` (while it is, it is kept).
   * @param cap seconds: the back-off cap (`monitorTimeout`).
   */
  constructor(
    private readonly kernel: Kernel,
    private readonly listed: (node: string) => boolean,
    cap: number,
  ) {
    this.#schedule = new Backoff(0.3, cap);
  }

  /** Keeps a connection to `node` while it is listed (idempotent; never to this node). */
  keep(node: string): void {
    if (node === this.kernel.id || this.#keepers.has(node) || this.#closed) return;
    const k: Keeper = { backoff: 0, timer: undefined, stop: undefined };
    this.#keepers.set(node, k);
    const attempt = (): void => {
      k.timer = undefined;
      if (this.#closed) return;
      if (!this.listed(node)) {
        this.#keepers.delete(node);
        return;
      }
      k.stop = this.kernel.monitor(node + '#', () => {
        k.stop = undefined;
        k.backoff = this.#schedule.grow(k.backoff);
        if (!this.#closed) k.timer = setTimeout(attempt, this.#schedule.wait(k.backoff) * 1000);
      });
    };
    k.timer = setTimeout(attempt, 0);
  }

  /** `node` came up: its back-off starts over. */
  nodeUp(node: string): void {
    const keeper = this.#keepers.get(node);
    if (keeper !== undefined) keeper.backoff = 0;
  }

  /** Stops every attempt. */
  close(): void {
    this.#closed = true;
    for (const k of this.#keepers.values()) {
      if (k.timer !== undefined) clearTimeout(k.timer);
      k.stop?.();
    }
    this.#keepers.clear();
  }
}
