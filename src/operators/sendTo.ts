/**
 * `sendTo`: send every value as a message, and pass it on.
 * @module
 */
import { tap, type MonoTypeOperatorFunction } from 'rxjs';
import { idOf, toMessage, type PortRef, type Sender } from './nodeLike.js';

/**
 * A tap that sends each value to `port` with `node.sndMessage`, at the
 * moment the value passes, and passes the value on unchanged.
 *
 * The message is `[...prefix, ...value]` when the value is an array (an
 * array *is* a message), and `[...prefix, value]` otherwise. To send an array
 * as one element, wrap it: `map((list) => [list])`.
 *
 * ```text
 * source:                      --a--[b,c]--|
 * sendTo(node, id, 'tag'):     --a--[b,c]--|
 * sent to id:                  --[tag,a]--[tag,b,c]
 * ```
 *
 * Sends never block and never fail for a dead or unknown port (the message
 * is dropped, as with `snd`). Errors and completion pass through and send
 * nothing; see {@link toPort} to kill the port on them.
 *
 * @example
 * ```ts
 * readings$.pipe(sendTo(node, loggerPortId, 'reading')).subscribe();
 * ```
 *
 * @param node Anything with `sndMessage` (a node).
 * @param port The target port id (or a `Port`).
 * @param prefix Elements put in front of every message, typically the tag.
 * @returns An operator that mirrors the source, sending each value.
 */
export function sendTo<T>(node: Sender, port: PortRef, ...prefix: unknown[]): MonoTypeOperatorFunction<T> {
  const id = idOf(port, 'sendTo');
  return tap((value) =>
    node.sndMessage(id, prefix.length ? [...prefix, ...toMessage(value)] : toMessage(value)),
  );
}
