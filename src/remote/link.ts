/**
 * What the remote kernel needs of a connection: the shape of
 * `streams`' `Connection`, kept structural so the kernel can be tested and
 * reasoned about apart from sockets.
 * @module
 */
import type { Observable } from 'rxjs';

/** An authenticated connection to one other node. */
export interface Link {
  /** The peer's node id (from its greeting). */
  readonly remoteNodeId: string;
  /** Whether we opened it. */
  readonly initiator: boolean;
  /** Sets the one handler of incoming frames (`[portname, ...args]`). */
  onFrame(handler: (frame: unknown[]) => void): void;
  /** Queues one frame; frames written in one tick leave in one socket write. */
  write(frame: readonly unknown[]): void;
  /** Completes on a clean close, errors with the reason otherwise. */
  readonly closed$: Observable<never>;
  /** Closes it. */
  close(reason?: string): void;
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
