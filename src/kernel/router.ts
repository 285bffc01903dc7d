/**
 * The seam between the local kernel and other nodes, both ways, and all of
 * it: the kernel imports nothing of the remote room.
 *
 * - Down: the kernel routes everything not addressed to this node through
 *   a {@link RemoteRouter} (`snd`, `kil`, `mon` at node X; a `spawn` there is
 *   a `snd` of `AnyEvent::MP::_spawn` to X's node port). Until one is
 *   installed (`Kernel.setRouter`), {@link unreachableRouter} answers.
 * - Up: the remote side uses only what {@link RouterHost} lists of the
 *   kernel — hand a frame that arrived to a local port, watch a local port
 *   for another node, add node-port services (`mon1`, `mon0`, `kil0`), log.
 * @module
 */
import type { LogFn } from '../log/index.js';
import type { Reason } from './errors.js';
import type { Message } from './message.js';
import type { MonitorFn, Port } from './port.js';
import type { NodeService } from './nodePort.js';

/** What the local kernel asks of the remote side (the remote room's `Network` implements it). */
export interface RemoteRouter {
  /** Sends `msg` to port `name` on `node` (name `''` = node port). Never throws. */
  snd(node: string, name: string, msg: Message): void;
  /** Kills port `name` on `node`. */
  kil(node: string, name: string, reason: Reason): void;
  /** Monitors port `name` on `node`; `fn` runs once with the reason. Returns the remover. */
  mon(node: string, name: string, fn: MonitorFn): () => void;
  /** Releases everything. */
  close(): Promise<void>;
}

/** What the remote side may use of the local kernel (the `Kernel` is one). */
export interface RouterHost {
  /** This node's id. */
  readonly id: string;
  /** Logs through the node's log stream. */
  readonly log: LogFn;
  /** Node-port services by tag: the remote side adds the monitoring protocol's. */
  readonly services: Map<string, NodeService>;
  /** Delivers a message from node `from` to local port `name` (`''`: the node port). */
  deliverLocal(name: string, msg: Message, from: string): void;
  /** The live local port with this id, if any. */
  getPort(id: string): Port | undefined;
  /** Monitors a local port (`fn` runs once with the reason); returns the remover. */
  monitor(id: string, fn: MonitorFn): () => void;
}

/**
 * The router of a node that cannot reach anyone (no network configured):
 * sends are dropped, monitors fire `['transport_error', node, 'no known address']`
 * as AnyEvent::MP does for a node it has no address for.
 */
export function unreachableRouter(defer: (fn: () => void) => void): RemoteRouter {
  return {
    snd() {},
    kil() {},
    mon(node, _name, fn) {
      let live = true;
      defer(() => live && fn(['transport_error', node, 'no known address']));
      return () => {
        live = false;
      };
    },
    async close() {},
  };
}
