/**
 * `replyTo`: the server side of `cal`.
 * @module
 */
import { map, type OperatorFunction } from 'rxjs';
import type { Message } from '../kernel/index.js';
import type { Sender } from './nodeLike.js';

/** One request as {@link replyTo} hands it to a server. */
export interface CallRequest<A extends Message = Message> {
  /** The request message without its last element (the reply port id). */
  readonly args: A;
  /** The reply port id: the request's last element. */
  readonly replyPort: string;
  /** Sends `msg` to the reply port (`node.snd(replyPort, ...msg)`). */
  reply(...msg: unknown[]): void;
}

/**
 * For a stream of request messages whose **last element is the reply port
 * id** — what `node.cal(id, ...msg)` sends, and AnyEvent::MP's `cal`
 * convention — emits `{ args, replyPort, reply }`: `args` is the message
 * without that id, and `reply(...msg)` sends `msg` to it through `node`.
 *
 * ```text
 * source:          --[k1,R]---[k2,R2]--|      (after ofTag('get'))
 * replyTo(node):   --q1-------q2-------|      q1 = { args: [k1], replyPort: R, reply }
 * ```
 *
 * A message whose last element is not a non-empty string errors the
 * stream with a `TypeError` (under {@link inPort} that kills the serving
 * port with `['die', …]`, as a Perl server doing `snd pop, …` would die).
 *
 * @example
 * ```ts
 * const server = node.port();
 * server.messages.pipe(ofTag('get'), replyTo(node), inPort(server))
 *   .subscribe(({ args: [key], reply }) => reply(table.get(String(key))));
 * const [value] = await firstValueFrom(node.cal(server.id, 'get', 'k', { timeout: 1 }));
 * ```
 *
 * @param node Anything with `sndMessage` (a node): the replies' sender.
 * @returns An operator from request messages to {@link CallRequest}s.
 */
export function replyTo<A extends Message = Message>(
  node: Sender,
): OperatorFunction<Message, CallRequest<A>> {
  return map((msg) => {
    const replyPort = Array.isArray(msg) ? msg[msg.length - 1] : undefined;
    if (typeof replyPort !== 'string' || replyPort.length === 0)
      throw new TypeError('replyTo: the last element of a request must be the reply port id');
    return {
      args: msg.slice(0, -1) as unknown as A,
      replyPort,
      reply: (...reply: unknown[]) => node.sndMessage(replyPort, reply),
    };
  });
}
