/**
 * A node's master: the global node its database writes to and asks — the
 * first seed that came up, or another global that announced itself, or
 * the node itself when it is global. This file holds who it is, the
 * sending to it, the check that an answer comes from it, and the choice
 * of the next one after it is lost (seeds in the order of the seeds list,
 * then globals known to be up).
 * @module
 */
import type { Kernel } from '../kernel/index.js';
import type { LogFn } from '../log/index.js';

/** What the master choice needs to know of the network. */
export interface SeedView {
  /** Seed address → node id, for the seeds we connected to. */
  readonly seedIds: ReadonlyMap<string, string>;
  /** Whether a node is connected now. */
  isUp(node: string): boolean;
}

export class Master {
  /** The current master's node id, if any. */
  node: string | undefined;
  #closed = false;

  constructor(
    private readonly kernel: Kernel,
    private readonly log: LogFn,
    private readonly net: SeedView,
    private readonly seeds: readonly string[],
  ) {}

  /** Sends one message to the master's node port (nothing while there is none, or after close). */
  send(msg: readonly unknown[]): void {
    if (this.node !== undefined && !this.#closed) this.kernel.sndMessage(this.node + '#', msg);
  }

  /** Sends several messages in order. */
  sendAll(msgs: Iterable<readonly unknown[]>): void {
    if (this.node === undefined || this.#closed) return;
    for (const msg of msgs) this.kernel.sndMessage(this.node + '#', msg);
  }

  /** Whether `from` is our master; logs (debug) and says no otherwise. */
  isFrom(from: string, tag: string): boolean {
    if (from === this.node) return true;
    this.log('debug', 'db', `${tag} from ${from}, which is not our master (${this.node ?? 'none'}): ignored`);
    return false;
  }

  /** Whether `node` is one of our seeds (its id learned). */
  isSeed(node: string): boolean {
    for (const id of this.net.seedIds.values()) if (id === node) return true;
    return false;
  }

  /** The next master after a loss: the first seed up (seeds list order), else a known global that is up. */
  next(knownGlobals: Iterable<string>): string | undefined {
    for (const address of this.seeds) {
      const id = this.net.seedIds.get(address);
      if (id !== undefined && id !== this.kernel.id && this.net.isUp(id)) return id;
    }
    for (const g of knownGlobals) if (this.net.isUp(g)) return g;
    return undefined;
  }

  /** No more sending. */
  close(): void {
    this.#closed = true;
  }
}
