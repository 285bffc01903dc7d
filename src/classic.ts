/**
 * The function-style face of AnyEvent::MP over one default node, for
 * people porting Perl code: `configure`, `snd`, `port`, `rcv`, `kil`, `mon`,
 * `spawn`, `cal`, `after`, `NODE`, `SELF`, `node_of`.
 *
 * ```ts
 * import { configure, port, rcv, snd } from 'aemp/classic';
 * await configure({ nodeid: 'porting/', binds: ['127.0.0.1:0'], norc: true });
 * const p = port();
 * rcv(p, 'hello', ([who]) => console.log('hello', who));
 * snd(p, 'hello', 'world');
 * ```
 * @module
 */
import type { Observable, Subscription } from 'rxjs';
import { createNode, type CreateNodeOptions } from './createNode.js';
import type { Reason } from './kernel/index.js';
import { nodeOf, type Handler, type Message } from './kernel/index.js';
import type { InitFn } from './kernel/index.js';
import type { Port } from './kernel/index.js';
import type { AempNode } from './node.js';

let current: AempNode | undefined;

/** The default node; throws until {@link configure} ran. */
export function defaultNode(): AempNode {
  if (current === undefined) throw new Error('aemp/classic: call configure() first');
  return current;
}

/** Creates the default node (`configure`). A second call closes the previous one first. */
export async function configure(options: CreateNodeOptions = {}): Promise<AempNode> {
  if (current !== undefined) await current.close();
  current = await createNode(options);
  return current;
}

/** The default node's id (`$NODE`). */
export function NODE(): string {
  return defaultNode().id;
}

/** The port whose handler runs now (`$SELF`). */
export function SELF(): Port | undefined {
  return current?.self;
}

/** `node_of $port`. */
export const node_of = nodeOf;

/** Resolves a port or a port id to an id. */
function idOf(p: string | Port): string {
  return typeof p === 'string' ? p : p.id;
}

/** `snd $port, @msg`. */
export function snd(port: string | Port, ...msg: unknown[]): void {
  defaultNode().sndMessage(idOf(port), msg);
}

/** `port` / `port { … }`: returns the new port. */
export function port(handler?: Handler): Port {
  return defaultNode().port(handler);
}

/** `rcv $port, $cb` or `rcv $port, tag => $cb`. */
export function rcv(p: Port, tagOrHandler: string | Handler | undefined, handler?: Handler): Port {
  return typeof tagOrHandler === 'string' ? p.rcv(tagOrHandler, handler) : p.rcv(tagOrHandler);
}

/** `kil $port, @reason`. */
export function kil(p: string | Port, ...reason: unknown[]): void {
  defaultNode().kil(idOf(p), ...reason);
}

/** `mon $port` (Observable), `mon $port, $cb`, `mon $port, $other`, `mon $port, $other, @msg`. */
export function mon(p: string | Port): Observable<never>;
export function mon(p: string | Port, cb: (reason: Reason) => void): Subscription;
export function mon(p: string | Port, other: string | Port, ...msg: unknown[]): Subscription;
export function mon(p: string | Port, ...rest: unknown[]): Observable<never> | Subscription {
  const node = defaultNode();
  if (rest.length === 0) return node.mon(idOf(p));
  const [target, ...msg] = rest;
  if (typeof target === 'function') return node.mon(idOf(p), target as (reason: Reason) => void);
  return node.mon(idOf(p), target as string | Port, ...msg);
}

/** `spawn $node, $initfunc, @args` → the new port id. */
export function spawn(node: string, fn: string, ...args: unknown[]): string {
  return defaultNode().spawn(node, fn, ...args);
}

/** Registers a spawnable function on the default node. */
export function register(name: string, init: InitFn): void {
  defaultNode().register(name, init);
}

/** `cal $port, @msg, $cb[, $timeout]` as a callback API: `cb()` with no args on timeout or death. */
export function cal(p: string | Port, msg: Message, cb: (...reply: unknown[]) => void, timeout?: number): Subscription {
  return defaultNode()
    .call(idOf(p), msg, timeout === undefined ? {} : { timeout })
    .subscribe({ next: (m) => cb(...m), error: () => cb(), complete: () => {} });
}

/** `after $seconds, $cb` or `after $seconds, $port, @msg`. */
export function after(seconds: number, what: (() => void) | string, ...msg: unknown[]): Subscription {
  return typeof what === 'function' ? defaultNode().after(seconds, what) : defaultNode().after(seconds, what, ...msg);
}
