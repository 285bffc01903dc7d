/**
 * What the operators need from a node, as small structural interfaces.
 *
 * A `Kernel` (and the node `createNode` returns) satisfies all of them, so
 * operators are handed the real node; tests may hand in anything with the
 * same method shapes. Every operator names only the part it uses.
 * @module
 */
import type { Observable } from 'rxjs';
import { PortKilled, type Reason } from '../kernel/index.js';
import { dieText, type Message } from '../kernel/index.js';
import type { CallOptions } from '../kernel/index.js';

/** Sends a message to a port id (`node.sndMessage`). */
export interface Sender {
  sndMessage(id: string, msg: Message): void;
}

/** Kills a port by id (`node.kil`). */
export interface Killer {
  kil(id: string, ...reason: unknown[]): void;
}

/** Monitors a port by id (the plain `node.mon(id)` form). */
export interface Monitorer {
  mon(id: string): Observable<never>;
}

/** Calls a port (`node.call`): one reply, a timeout, or the monitor ends it. */
export interface Caller {
  call(id: string, msg: Message, options?: CallOptions): Observable<Message>;
}

/** Everything above: what a full node offers the operators. */
export type NodeLike = Sender & Killer & Monitorer & Caller;

/** Something that can be killed directly: a local `Port`. */
export interface Killable {
  kill(...reason: unknown[]): void;
}

/** A port given by id or as an object with an `id` (a `Port`). */
export type PortRef = string | { readonly id: string };

/** The id of a {@link PortRef}; throws a TypeError for anything else. @internal */
export function idOf(ref: PortRef, what: string): string {
  const id = typeof ref === 'string' ? ref : typeof ref === 'object' && ref !== null ? ref.id : undefined;
  if (typeof id !== 'string' || id.length === 0)
    throw new TypeError(`${what}: port must be a non-empty port id or a port`);
  return id;
}

/**
 * A stream value as a message: an array *is* the message, anything else is
 * wrapped as a one-element message `[value]`. @internal
 */
export function toMessage(value: unknown): Message {
  return Array.isArray(value) ? (value as Message) : [value];
}

/**
 * The kill reason an error stands for, as AnyEvent::MP's port context makes
 * it: a {@link PortKilled} keeps its own reason, anything else becomes
 * `['die', text]` (the error's message without trailing newlines). @internal
 */
export function reasonOf(err: unknown): Reason {
  return err instanceof PortKilled ? err.reason : ['die', dieText(err)];
}
