/**
 * `toPort`: the observer side of a port, by id.
 * @module
 */
import type { Observer } from 'rxjs';
import { idOf, reasonOf, toMessage, type Killer, type PortRef, type Sender } from './nodeLike.js';

/** When a {@link toPort} observer kills its port. */
export type ToPortKill =
  /** complete → normal kill, error → kill with the error's reason (a `Port`'s own observer side). */
  | 'onEnd'
  /** only an error kills (link semantics: only abnormal ends propagate). */
  | 'onError'
  /** never: only values are sent. */
  | 'never';

/** Options of {@link toPort} and {@link pipeToPort}. */
export interface ToPortOptions {
  /** Elements put in front of every message (typically the tag). Default none. */
  prefix?: readonly unknown[];
  /** When to kill the port. Default `'onEnd'`, as a local `Port`'s `error`/`complete` do. */
  kill?: ToPortKill;
}

/**
 * An `Observer` that feeds the port `port` (local or remote, by id): what a
 * local `Port` object is as an Observer, for any port id.
 *
 * - `next(value)` sends `[...prefix, ...value]` for an array value,
 *   `[...prefix, value]` otherwise;
 * - `error(e)` kills the port with `e.reason` for a `PortKilled`, else with
 *   `['die', text]` — unless `kill` is `'never'`;
 * - `complete()` kills the port normally — only when `kill` is `'onEnd'`
 *   (the default).
 *
 * ```text
 * source:                      --a--b--|
 * messages at port:            --[a]--[b]
 * port:                        ---------- killed normally at |
 *
 * source:                      --a--#       (# = Error('boom'))
 * port:                        ------ killed with ['die', 'boom']
 * ```
 *
 * @example
 * ```ts
 * // a worker on another node gets each job, and dies with us if we fail
 * jobs$.subscribe(toPort(node, workerId, { prefix: ['job'], kill: 'onError' }));
 * ```
 *
 * @param node Anything with `sndMessage` and `kil` (a node).
 * @param port The target port id (or a `Port`).
 * @param options `prefix` and `kill` (see {@link ToPortOptions}).
 * @returns An Observer; subscribing it to a stream pipes the stream into the port.
 */
export function toPort<T>(node: Sender & Killer, port: PortRef, options: ToPortOptions = {}): Observer<T> {
  const id = idOf(port, 'toPort');
  const prefix = options.prefix ?? [];
  const kill = options.kill ?? 'onEnd';
  if (kill !== 'onEnd' && kill !== 'onError' && kill !== 'never')
    throw new TypeError(`toPort: kill must be 'onEnd', 'onError' or 'never', got ${String(kill)}`);
  return {
    next: (value) => node.sndMessage(id, prefix.length ? [...prefix, ...toMessage(value)] : toMessage(value)),
    error: (err: unknown) => {
      if (kill !== 'never') node.kil(id, ...reasonOf(err));
    },
    complete: () => {
      if (kill === 'onEnd') node.kil(id);
    },
  };
}
