/**
 * `inPort`: run a stream in a port's context (`peval` / `psub`).
 * @module
 */
import { Observable, type MonoTypeOperatorFunction } from 'rxjs';
import { reasonOf, type Killable } from './nodeLike.js';

/**
 * Mirrors the source in the context of `port`: when the source **errors**,
 * the port is killed and the output **completes** instead of erroring — the
 * RxJS form of AnyEvent::MP's `peval $port, …` / `psub { … }`, where an
 * exception kills the port rather than reaching the caller.
 *
 * ```text
 * source:        --a--b--#            (# = Error('boom'))
 * inPort(port):  --a--b--|            port killed with ['die', 'boom']
 *
 * source:        --a--#               (# = PortKilled(x, ['failure', 'hot']))
 * inPort(port):  --a--|               port killed with ['failure', 'hot']
 *
 * source:        --a--|
 * inPort(port):  --a--|               port left alone
 * ```
 *
 * Precisely:
 * - values and completion pass through unchanged; completion does **not**
 *   kill the port, and neither does unsubscribing;
 * - an error `e` calls `port.kill(...reason)` once, where `reason` is
 *   `e.reason` if `e` is a `PortKilled`, else `['die', text]` with `text`
 *   the error's message (or `String(e)` for a non-Error) without trailing
 *   newlines — exactly what a throwing `rcv` handler does;
 *   then the output completes; the error is not rethrown;
 * - the operators *before* `inPort` are the port's code: a `map` or `tap`
 *   callback that throws there becomes a source error and kills the port.
 *   Throws in the final `subscribe` callbacks (after `inPort`) are not seen
 *   (RxJS reports them as unhandled errors); use {@link subscribeInPort}
 *   to run the final handler in the port's context too.
 * - the stream is not stopped when the port dies for another reason; add
 *   `takeUntilKilled(node, port)` for that. Killing an already dead port
 *   is a no-op, so `port.messages.pipe(…, inPort(port))` is safe.
 *
 * @example
 * ```ts
 * port.messages.pipe(
 *   ofTag('set'),
 *   map(([key, value]) => { if (typeof key !== 'string') throw new Error('bad key'); return [key, value]; }),
 *   inPort(port),                       // a bad key kills the port with ['die', 'bad key']
 * ).subscribe(([key, value]) => table.set(key, value));
 * ```
 *
 * @param port The port whose context the stream runs in (a local `Port`, or
 *   anything with `kill(...reason)`).
 * @returns An operator that mirrors the source and turns its error into a kill.
 */
export function inPort<T>(port: Killable): MonoTypeOperatorFunction<T> {
  if (typeof port?.kill !== 'function') throw new TypeError('inPort: port must have a kill method');
  return (source) =>
    new Observable<T>((subscriber) =>
      source.subscribe({
        next: (v) => subscriber.next(v),
        error: (err: unknown) => {
          port.kill(...reasonOf(err));
          subscriber.complete();
        },
        complete: () => subscriber.complete(),
      }),
    );
}
