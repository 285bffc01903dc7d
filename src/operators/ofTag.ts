/**
 * `ofTag`: tag matching as a stream.
 * @module
 */
import { filter, map, type OperatorFunction } from 'rxjs';
import type { Message } from '../kernel/index.js';

/**
 * Lets through the messages whose first element is `tag` (compared with
 * `===`) and emits them **without** the tag: the stream form of
 * AnyEvent::MP's `rcv $port, tag => sub { … @_ … }`.
 *
 * ```text
 * source:        --[ping,1]--[pong,2]--[ping]--[ping,3,4]--|
 * ofTag('ping'): --[1]------------------[]------[3,4]------|
 * ```
 *
 * Completion and errors of the source pass through unchanged (a port's
 * `messages` ending with `PortKilled` still ends the tagged stream that way).
 * Messages that are not arrays, or are empty, never match.
 *
 * The type parameter only asserts the shape of what follows the tag; it is
 * not checked at run time.
 *
 * @example
 * ```ts
 * port.messages.pipe(ofTag<[string]>('ping')).subscribe(([reply]) => node.snd(reply, 'pong'));
 * ```
 *
 * @param tag The tag to match, usually a string.
 * @returns An operator emitting the matching messages minus their first element.
 */
export function ofTag<A extends Message = Message>(tag: string): OperatorFunction<Message, A> {
  return (source) =>
    source.pipe(
      filter((msg) => Array.isArray(msg) && msg.length > 0 && msg[0] === tag),
      map((msg) => msg.slice(1) as unknown as A),
    );
}
