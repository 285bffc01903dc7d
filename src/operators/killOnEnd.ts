/**
 * `killOnEnd`: a port that lives as long as a stream.
 * @module
 */
import { tap, type MonoTypeOperatorFunction } from 'rxjs';
import { idOf, reasonOf, type Killer, type PortRef } from './nodeLike.js';

/**
 * Mirrors the source and kills the port `port` when the source ends: on
 * **completion** normally (`kil(port)`), on **error** with the error's reason
 * (`PortKilled` keeps its own, anything else becomes `['die', text]`; the
 * error is still passed on). Unsubscribing kills nothing.
 *
 * Use {@link linkTo} when only failures should propagate.
 *
 * ```text
 * source:                 --a--|
 * killOnEnd(node, port):  --a--|        port killed normally at |
 *
 * source:                 --a--#        (# = Error('boom'))
 * killOnEnd(node, port):  --a--#        port killed with ['die', 'boom'] at #
 * ```
 *
 * @example
 * ```ts
 * // a port serving one upload: done when the upload is done
 * const p = node.port().rcv('chunk', ([c]) => file.write(c));
 * upload$.pipe(sendTo(node, p, 'chunk'), killOnEnd(node, p)).subscribe();
 * ```
 *
 * @param node Anything with `kil` (a node).
 * @param port The port to kill, by id (or a `Port`), local or remote.
 * @returns An operator that mirrors the source and kills the port when it ends.
 */
export function killOnEnd<T>(node: Killer, port: PortRef): MonoTypeOperatorFunction<T> {
  const id = idOf(port, 'killOnEnd');
  return tap({
    error: (err: unknown) => node.kil(id, ...reasonOf(err)),
    complete: () => node.kil(id),
  });
}
