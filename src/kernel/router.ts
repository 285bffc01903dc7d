/**
 * The seam between the local kernel and other nodes. The local kernel
 * routes everything not addressed to this node through a {@link RemoteRouter};
 * the remote kernel (connections, queues, monitors across) implements it.
 * @module
 */
import type { Reason } from './errors.js';
import type { Message } from './message.js';
import type { MonitorFn } from './port.js';

/** What the local kernel asks of the remote side. */
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
