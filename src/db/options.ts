/**
 * What a node's database needs of the network part of its node, and its
 * settings.
 * @module
 */
import type { Observable, Unsubscribable } from 'rxjs';
import type { AddressLookup, NodeEvent } from '../remote/index.js';

/** What the database needs of the network part of its node (the remote room's `Network` fits). */
export interface DbNetwork {
  /** Up/down events of other nodes. */
  readonly nodes$: Observable<NodeEvent>;
  /** Seed addresses that are this node itself (the database becomes global). */
  readonly selfSeed$: Observable<string>;
  /** Seed node ids learned while already up (the database treats each as a seed that came up). */
  readonly seedKnown$: Observable<string>;
  /** Our listen addresses (our `'l` entry). */
  readonly addresses: readonly string[];
  /** Seed address → node id, for the seeds we connected to. */
  readonly seedIds: ReadonlyMap<string, string>;
  /** Whether a node is connected now. */
  isUp(node: string): boolean;
  /** Nodes connected now. */
  upNodes(): string[];
  /** Registers the database's address lookup; unsubscribing removes it. */
  addLookup(lookup: AddressLookup): Unsubscribable;
}

/** Settings of a node's database. */
export interface DatabaseOptions {
  /** Seed addresses, in order of preference for the master. */
  readonly seeds: readonly string[];
  /** Start as a global node. */
  readonly global: boolean;
  /** Seconds: the back-off cap of the global mesh's reconnects. */
  readonly monitorTimeout: number;
  /**
   * The largest frame this node accepts (default 16 MiB), taken as what
   * peers accept too: bigger database messages go out in parts, and an
   * entry too big for any frame is not sent (logged).
   */
  readonly maxFrameBytes?: number | undefined;
}
