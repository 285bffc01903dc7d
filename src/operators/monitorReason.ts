/**
 * `monitorReason`: a monitor's end as a value.
 * @module
 */
import { Observable, type OperatorFunction } from 'rxjs';
import { PortKilled, type Reason } from '../kernel/index.js';

/**
 * Turns a monitor stream (`node.mon(id)`, or a port's `messages`) into its
 * kill reason: when the source **completes** it emits `[]` (a normal end);
 * when it **errors** with a `PortKilled` it emits that error's reason
 * (`['die', 'boom']`, `['transport_error', …]`, `['no_such_port', …]` …);
 * either way it then completes. Any other error is passed on unchanged.
 * Values of the source are ignored.
 *
 * The callback form `node.mon(id, (reason) => …)` as a stream — handy for
 * logging, `firstValueFrom`, or joining with other streams.
 *
 * ```text
 * node.mon(a):     -----|
 * monitorReason(): -----(r|)       r = []
 *
 * node.mon(b):     ---#            (# = PortKilled(b, ['die', 'boom']))
 * monitorReason(): ---(r|)         r = ['die', 'boom']
 *
 * source:          --x--#          (# = TypeError)
 * monitorReason(): -----#          the TypeError
 * ```
 *
 * @example
 * ```ts
 * node.mon(workerId).pipe(monitorReason()).subscribe((reason) =>
 *   console.log(reason.length ? `worker died: ${reason.join(' ')}` : 'worker done'),
 * );
 * ```
 *
 * @returns An operator emitting one reason array, then completing.
 */
export function monitorReason(): OperatorFunction<unknown, Reason> {
  return (source) =>
    new Observable<Reason>((subscriber) =>
      source.subscribe({
        error: (err: unknown) => {
          if (!(err instanceof PortKilled)) return subscriber.error(err);
          subscriber.next(err.reason);
          subscriber.complete();
        },
        complete: () => {
          subscriber.next([]);
          subscriber.complete();
        },
      }),
    );
}
