/**
 * `retryCall`: call again when a call times out.
 * @module
 */
import { retry, throwError, timer, type MonoTypeOperatorFunction } from 'rxjs';
import { CallTimeout } from '../kernel/index.js';

/** How {@link retryCall} retries. */
export interface RetryCallConfig {
  /** How many times to call again after the first try (≥ 0). */
  count: number;
  /** Seconds to wait before each new call (as the kernel counts time). Default 0: at once. */
  delay?: number;
  /** Which errors are worth another call. Default: only `CallTimeout`. */
  retryOn?: (err: unknown) => boolean;
}

/**
 * Resubscribes a call (`node.cal(…)` / `node.call(…)`) when it fails with a
 * {@link CallTimeout}, up to `count` more times, optionally `delay` seconds
 * apart. A call is cold — subscribing sends the request with a fresh reply
 * port — so each retry is a new request. Other errors (`PortKilled`: the
 * target is gone) are passed on at once; after the last retry the last
 * `CallTimeout` is.
 *
 * ```text
 * node.call(id, msg, {timeout: 0.003}):   ---#             (# = CallTimeout; every try)
 * retryCall(2):                           ---------#       (3 tries, then the CallTimeout)
 *
 * a server that answers the 2nd request:  ---#  then  -r|
 * retryCall(2):                           ----r|
 * ```
 *
 * The server must tolerate seeing the request more than once.
 *
 * @example
 * ```ts
 * const [value] = await firstValueFrom(node.cal(db, 'get', key, { timeout: 1 }).pipe(retryCall(2)));
 * ```
 *
 * @param config A count, or `{ count, delay, retryOn }`.
 * @returns An operator that retries the call on timeouts.
 */
export function retryCall<T>(config: number | RetryCallConfig): MonoTypeOperatorFunction<T> {
  const {
    count,
    delay = 0,
    retryOn = isCallTimeout,
  } = typeof config === 'number' ? { count: config } : config;
  if (typeof count !== 'number' || !(count >= 0))
    throw new TypeError('retryCall: count must be a non-negative number');
  if (typeof delay !== 'number' || !(delay >= 0))
    throw new TypeError('retryCall: delay must be a non-negative number of seconds');
  return retry<T>({
    count,
    delay: (err: unknown) => (retryOn(err) ? timer(delay * 1000) : throwError(() => err)),
  });
}

function isCallTimeout(err: unknown): boolean {
  return err instanceof CallTimeout;
}
