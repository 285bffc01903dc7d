/**
 * `subscribeInPort`: subscribe with a handler that runs in a port's context.
 * @module
 */
import { Subscription, type Observable } from 'rxjs';
import { reasonOf, type Killable } from './nodeLike.js';

/**
 * Subscribes to `source` and calls `next` for every value **in the context
 * of `port`** (`psub`): if `next` throws, the port is killed with
 * `['die', text]` (a thrown `PortKilled` with its own reason) and the
 * subscription ends; the throw goes nowhere else. A source error kills the
 * port the same way, as {@link inPort} does; completion leaves it alone.
 *
 * This is the safe way to end a pipeline on a port's messages: a throw in a
 * plain `subscribe(next)` callback is *not* port code — RxJS reports it as an
 * unhandled error (on Node, an uncaught exception), and the port lives on.
 *
 * ```text
 * source:        --a--b--c--|     next throws Error('bad b') on b
 * next called:   --a--b
 * port:          -----killed with ['die', 'bad b'] at b; source unsubscribed
 * ```
 *
 * @example
 * ```ts
 * subscribeInPort(server.messages.pipe(ofTag('get'), replyTo(node)), server, ({ args: [key], reply }) => {
 *   if (typeof key !== 'string') throw new Error('key must be a string'); // kills the server
 *   reply(table.get(key));
 * });
 * ```
 *
 * @param source The stream to consume.
 * @param port The port whose context `next` runs in (a `Port`, or anything with `kill`).
 * @param next The value handler.
 * @returns The subscription (unsubscribe = stop; the port is left alone).
 */
export function subscribeInPort<T>(
  source: Observable<T>,
  port: Killable,
  next: (value: T) => void,
): Subscription {
  if (typeof port?.kill !== 'function') throw new TypeError('subscribeInPort: port must have a kill method');
  if (typeof next !== 'function') throw new TypeError('subscribeInPort: next must be a function');
  const sub = new Subscription();
  let dead = false;
  const die = (err: unknown) => {
    if (dead) return;
    dead = true;
    sub.unsubscribe();
    port.kill(...reasonOf(err));
  };
  sub.add(
    source.subscribe({
      next: (value) => {
        if (dead) return;
        try {
          next(value);
        } catch (err) {
          die(err);
        }
      },
      error: die,
    }),
  );
  return sub;
}
