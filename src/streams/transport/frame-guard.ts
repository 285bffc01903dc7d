/**
 * A connection's direct subscribers: their `next` may throw; that is logged
 * and the connection goes on (an owner's bug must not cut a link).
 * @module
 */
import type { Observer } from 'rxjs';

/**
 * Wraps a subscriber given as a function or partial observer so that a
 * throwing `next` is handed to `threw` instead of being reported by RxJS as
 * unhandled. `error`/`complete` pass through as given.
 */
export function guardObserver<T>(
  o: Partial<Observer<T>> | ((value: T) => void) | null | undefined,
  threw: (e: unknown) => void,
): Partial<Observer<T>> {
  if (typeof o === 'function') return { next: guarded(o, threw) };
  if (o == null) return {};
  const next = o.next;
  return {
    next: next && guarded((v: T) => next.call(o, v), threw),
    error: o.error && ((e: unknown) => o.error!(e)),
    complete: o.complete && (() => o.complete!()),
  };
}

function guarded<T>(next: (value: T) => void, threw: (e: unknown) => void): (value: T) => void {
  return (value) => {
    try {
      next(value);
    } catch (e) {
      threw(e);
    }
  };
}
