/**
 * `pipeToPort`: subscribe a stream into a port.
 * @module
 */
import type { Observable, Subscription } from 'rxjs';
import type { Killer, PortRef, Sender } from './nodeLike.js';
import { toPort, type ToPortOptions } from './toPort.js';

/**
 * Subscribes `source` into the port `port`: each value is sent as a message,
 * and by default the end of the stream ends the port (complete → normal
 * kill, error → abnormal kill); `source.subscribe(toPort(node, port, options))`.
 * The returned Subscription is the guard: unsubscribing stops the sending and
 * kills nothing.
 *
 * ```text
 * source:                                  --a--b--#     (# = Error('boom'))
 * pipeToPort(source, node, id, {prefix:['v']})
 * messages at id:                          --[v,a]--[v,b]
 * port id:                                 killed with ['die', 'boom'] at #
 * ```
 *
 * @example
 * ```ts
 * const guard = pipeToPort(interval(1000), node, monitorPortId, { prefix: ['tick'], kill: 'never' });
 * // later
 * guard.unsubscribe();
 * ```
 *
 * @param source The stream to pipe.
 * @param node Anything with `sndMessage` and `kil` (a node).
 * @param port The target port id (or a `Port`).
 * @param options `prefix` and `kill` as for {@link toPort}.
 * @returns The subscription.
 */
export function pipeToPort<T>(
  source: Observable<T>,
  node: Sender & Killer,
  port: PortRef,
  options?: ToPortOptions,
): Subscription {
  return source.subscribe(toPort<T>(node, port, options));
}
