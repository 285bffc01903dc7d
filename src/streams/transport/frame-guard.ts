/**
 * A connection's direct subscribers: their `next` may throw; that is logged
 * and the connection goes on (an owner's bug must not cut a link).
 * @module
 */
import type { Observer } from 'rxjs';

/**
 * The `next` of a subscriber, called as its method, with a throw handed to
 * `threw` (instead of stopping the connection or being reported by RxJS as
 * unhandled).
 */
export function guardedNext<T>(o: Partial<Observer<T>>, threw: (e: unknown) => void): (value: T) => void {
  const next = o.next!;
  return (value) => {
    try {
      next.call(o, value);
    } catch (e) {
      threw(e);
    }
  };
}
