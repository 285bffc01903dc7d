/**
 * `linkTo`: a stream's failure kills a port.
 * @module
 */
import { tap, type MonoTypeOperatorFunction } from 'rxjs';
import { idOf, reasonOf, type Killer, type PortRef } from './nodeLike.js';

/**
 * Mirrors the source — error included — and, when the source errors, first
 * kills the port `port` with the error's reason: a `PortKilled` keeps its
 * own reason, anything else becomes `['die', text]`. Completion and
 * unsubscription kill nothing: link semantics, only abnormal ends propagate
 * (as the kernel's link form `node.mon(other, port)` does for ports).
 *
 * ```text
 * source:              --a--b--#        (# = PortKilled(x, ['failure', 'hot']))
 * linkTo(node, port):  --a--b--#        port killed with ['failure', 'hot'] at #
 *
 * source:              --a--|
 * linkTo(node, port):  --a--|           port left alone
 * ```
 *
 * Unlike {@link inPort}, the error still reaches the subscriber.
 *
 * @example
 * ```ts
 * // the session port dies with the upstream connection's failure
 * upstream$.pipe(linkTo(node, session.id)).subscribe({ next: handle, error: logIt });
 * ```
 *
 * @param node Anything with `kil` (a node).
 * @param port The port to kill, by id (or a `Port`), local or remote.
 * @returns An operator that mirrors the source and kills the port on error.
 */
export function linkTo<T>(node: Killer, port: PortRef): MonoTypeOperatorFunction<T> {
  const id = idOf(port, 'linkTo');
  return tap({ error: (err: unknown) => node.kil(id, ...reasonOf(err)) });
}
