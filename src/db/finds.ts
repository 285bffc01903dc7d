/**
 * Address lookups on a slave: "where does node X listen" asked of the
 * master (`g_find X`, answered `g_found X ADDRS|null`), for the network's
 * dialing. One question per node at a time; without a master it waits for
 * one, as on a Perl node (the network's connect deadline bounds the wait).
 * @module
 */

interface Find {
  readonly promise: Promise<readonly string[] | null>;
  readonly resolve: (addrs: readonly string[] | null) => void;
}

export class Finds {
  readonly #finds = new Map<string, Find>();

  /** `toMaster` sends a message to the current master (nothing while there is none). */
  constructor(private readonly toMaster: (msg: readonly unknown[]) => void) {}

  /** The addresses of `node`, as the master knows them (`null`: none). */
  find(node: string): Promise<readonly string[] | null> {
    const pending = this.#finds.get(node);
    if (pending !== undefined) return pending.promise;
    let resolve!: (addrs: readonly string[] | null) => void;
    const promise = new Promise<readonly string[] | null>((r) => (resolve = r));
    this.#finds.set(node, { promise, resolve });
    this.toMaster(['g_find', node]);
    return promise;
  }

  /** `g_found NODE ADDRS` from the master. */
  found(node: string, addrs: readonly string[] | null): void {
    const f = this.#finds.get(node);
    if (f === undefined) return;
    this.#finds.delete(node);
    f.resolve(addrs);
  }

  /** A new master: every pending question is asked again. */
  resend(): void {
    for (const node of this.#finds.keys()) this.toMaster(['g_find', node]);
  }

  /** The node closes: pending questions get `null`. */
  close(): void {
    for (const f of this.#finds.values()) f.resolve(null);
    this.#finds.clear();
  }
}
