/**
 * `takeUntilKilled`: a stream that lives as long as a port.
 * @module
 */
import { Observable, type MonoTypeOperatorFunction } from 'rxjs';
import { idOf, type Monitorer, type PortRef } from './nodeLike.js';

/**
 * Mirrors the source until the port `port` dies: the output **completes**
 * when the port is killed normally and **errors** with the monitor's
 * `PortKilled` (reason and all) when it dies abnormally, is cut off
 * (`transport_error`) or does not exist (`no_such_port`).
 *
 * The monitor (`node.mon(port)`) is subscribed first, then the source; it is
 * dropped when the output ends or is unsubscribed. A source that ends first
 * ends the output the same way.
 *
 * ```text
 * source:                       --a--b--c--d--
 * node.mon(port):               --------|              (normal kill)
 * takeUntilKilled(node, port):  --a--b--|
 *
 * source:                       --a--b--c--d--
 * node.mon(port):               -----#                 (# = PortKilled(port, ['die', 'x']))
 * takeUntilKilled(node, port):  --a--#
 * ```
 *
 * The kernel runs monitors after `kil` returns (in a microtask), so a value
 * the source emits in the same synchronous run as the kill still passes.
 *
 * @example
 * ```ts
 * // report progress to a worker while it lives
 * interval(1000).pipe(takeUntilKilled(node, workerId), sendTo(node, workerId, 'tick')).subscribe();
 * ```
 *
 * @param node Anything with the plain `mon(id)` form (a node).
 * @param port The port to watch, by id (or a `Port`).
 * @returns An operator that mirrors the source until the port dies.
 */
export function takeUntilKilled<T>(node: Monitorer, port: PortRef): MonoTypeOperatorFunction<T> {
  const id = idOf(port, 'takeUntilKilled');
  return (source) =>
    new Observable<T>((subscriber) => {
      const sub = node.mon(id).subscribe({
        error: (err: unknown) => subscriber.error(err),
        complete: () => subscriber.complete(),
      });
      if (!subscriber.closed) sub.add(source.subscribe(subscriber));
      return sub;
    });
}
