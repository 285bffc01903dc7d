/**
 * What the remote kernel needs of a connection: the shape of
 * `streams`' `Connection`, kept structural so the kernel can be tested and
 * reasoned about apart from sockets.
 * @module
 */
import type { Observable, Observer, Subscribable } from 'rxjs';

/**
 * An authenticated connection to one other node: an Observable of incoming
 * frames (`[portname, ...args]`; reading starts with the first subscription)
 * and an Observer of outgoing ones.
 */
export interface Link extends Subscribable<unknown[]>, Observer<readonly unknown[]> {
  /** The peer's node id (from its greeting). */
  readonly remoteNodeId: string;
  /** Whether we opened it. */
  readonly initiator: boolean;
  /** Queues one frame; frames sent in one tick leave in one socket write. Throws for an unencodable frame. */
  next(frame: readonly unknown[]): void;
  /** Closes it with a reason (logged). */
  error(reason: unknown): void;
  /** The end alone (without reading): completes on a clean close, errors with a typed `ConnectionError` otherwise. */
  readonly closed$: Observable<never>;
  /** Bytes written and not yet handed to the OS; emits on change. */
  readonly backlog$: Observable<number>;
  /** Resolves once everything written so far has left (or the link ended). */
  drained(): Promise<void>;
}

/** One up or down event of another node (AnyEvent::MP's `mon_nodes`). */
export interface NodeEvent {
  /** The other node's id. */
  readonly node: string;
  /** `true` when it came up, `false` when it went down. */
  readonly up: boolean;
  /** For a down event: `['transport_error', node, text]`. */
  readonly reason?: readonly unknown[];
}
