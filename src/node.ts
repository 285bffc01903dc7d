/**
 * The public node: the local kernel plus the network part (listeners,
 * connections, seeds) and the node-level streams.
 * @module
 */
import { EMPTY, map, merge, type Observable } from 'rxjs';
import type { ResolvedConfig } from './config/index.js';
import type { NodeEvent } from './remote/index.js';
import { Kernel, type KernelIdentity } from './kernel/index.js';
import type { Network } from './remote/index.js';
import type { Database } from './db/index.js';

/**
 * What happened to one of the configured seeds ({@link AempNode.seeds$}):
 * a connection to it came up (`up: true`, with the seed's node id), or an
 * attempt to reach it failed (`up: false`, with the reason as the
 * connection reported it, e.g. `Connection refused` or `connect timeout`;
 * the seed is tried again after a back-off).
 */
export type SeedEvent =
  | { readonly address: string; readonly up: true; readonly node: string }
  | { readonly address: string; readonly up: false; readonly reason: string };

/**
 * A node of an aemp network. Made by `createNode`. Everything of
 * {@link Kernel} (ports, `snd`, `kil`, `mon`, `spawn`, `cal`, `after`,
 * `log$`) plus its connections to other nodes.
 */
export class AempNode extends Kernel {
  #network: Network | undefined;
  #db: Database | undefined;

  /** @internal — use `createNode`. */
  constructor(
    identity: KernelIdentity,
    /** The effective configuration this node was made with. */
    readonly config: ResolvedConfig,
  ) {
    super(identity);
  }

  /** @internal */
  attachNetwork(network: Network): void {
    this.#network = network;
    this.setRouter(network);
  }

  /** @internal */
  attachDatabase(db: Database): void {
    this.#db = db;
  }

  /**
   * The distributed database (AnyEvent::MP's `db_set`, `db_del`, `db_reg`,
   * `db_family`, `db_keys`, `db_values`, `db_mon`): `family → key → value`,
   * each entry owned by the node that set it, merged on the global nodes.
   */
  get db(): Database {
    if (this.#db === undefined) throw new Error(`node ${this.id} has no database`);
    return this.#db;
  }

  /** Closes the database, then everything else (see {@link Kernel.close}). */
  override async close(): Promise<void> {
    this.#db?.close();
    await super.close();
  }

  /** The network part, if this node has one. @internal */
  get network(): Network | undefined {
    return this.#network;
  }

  /**
   * Up/down events of other nodes (AnyEvent::MP's `mon_nodes`): `{ node, up:
   * true }` when a connection is established, `{ node, up: false, reason }`
   * when it is lost; strictly alternating per node. Hot: only events after
   * subscription.
   */
  get nodes$(): Observable<NodeEvent> {
    return this.#network?.nodes$ ?? EMPTY;
  }

  /**
   * The configured seeds as they come up or fail to be reached, by address
   * (see {@link SeedEvent}). Hot: only events after subscription. Completes
   * when the node closes; at once for a node without a network part.
   *
   * @example
   * ```ts
   * // wait until a seed answers, or every seed failed once
   * const failed = new Set<string>();
   * await firstValueFrom(node.seeds$.pipe(
   *   filter((e) => e.up || (failed.add(e.address), failed.size === node.config.seeds.length)),
   * ));
   * ```
   */
  get seeds$(): Observable<SeedEvent> {
    const network = this.#network;
    if (network === undefined) return EMPTY;
    return merge(
      network.seedUp$.pipe(map(({ address, node }): SeedEvent => ({ address, up: true, node }))),
      network.seedFailed$.pipe(map(({ address, reason }): SeedEvent => ({ address, up: false, reason }))),
    );
  }

  /**
   * The seeds whose node id is known now (learned from their greeting):
   * seed address (`host:port`) → node id. A snapshot; a seed known once
   * stays in it.
   */
  seeds(): Map<string, string> {
    return new Map(this.#network?.seedIds);
  }

  /** Ids of the nodes connected now (`up_nodes`). */
  upNodes(): string[] {
    return this.#network?.upNodes() ?? [];
  }

  /** Whether a node is connected now (`node_is_up`). */
  isUp(node: string): boolean {
    return this.#network?.isUp(node) ?? false;
  }

  /**
   * Flow control: resolves once everything sent to `node` so far has left
   * this process, or can no longer leave: the connect attempt failed
   * (refused, no known address, timeout), the node went down, or this node
   * closed. It never rejects: what was lost is reported where it always
   * is, to the monitors of that node's ports (`transport_error`). `snd`
   * never blocks; a producer that sends a lot awaits this every few
   * thousand messages to keep memory bounded.
   *
   * @example
   * ```ts
   * for (let i = 0; i < 1e6; i++) {
   *   node.snd(remotePort, 'seq', i);
   *   if (i % 10_000 === 0) await node.drained(nodeOf(remotePort));
   * }
   * ```
   */
  drained(node: string): Promise<void> {
    return this.#network?.drained(node) ?? Promise.resolve();
  }

  /** Bytes written to `node`'s connection and not yet handed to the OS, as they change. */
  backlog$(node: string): Observable<number> {
    return this.#network?.backlog$(node) ?? EMPTY;
  }

  /** The `host:port` addresses this node listens on (its `'l` entry). */
  get addresses(): readonly string[] {
    return this.#network?.addresses ?? [];
  }
}
