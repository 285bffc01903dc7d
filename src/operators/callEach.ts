/**
 * `callEach`: request/reply for every value.
 * @module
 */
import { concatMap, mergeMap, type OperatorFunction } from 'rxjs';
import type { Message } from '../kernel/index.js';
import { idOf, toMessage, type Caller, type PortRef } from './nodeLike.js';
import { retryCall, type RetryCallConfig } from './retryCall.js';

/** Options of {@link callEach}. */
export interface CallEachOptions {
  /**
   * Seconds to wait for each reply; a late reply errors the stream with
   * `CallTimeout`. Without it each call monitors the target instead.
   */
  timeout?: number;
  /** Calls in flight at once. Default 1: one after the other, replies in order. */
  concurrency?: number;
  /** Elements put in front of every request (typically the tag). */
  prefix?: readonly unknown[];
  /** Call again on timeouts, per request (see {@link retryCall}). Default: never. */
  retry?: number | RetryCallConfig;
}

/**
 * For each value, calls the port `port` (`node.call(port, msg, {timeout})`:
 * the message plus a fresh reply port id) and emits the reply message.
 *
 * The request is `[...prefix, ...value]` for an array value and
 * `[...prefix, value]` otherwise. With the default `concurrency: 1` the
 * calls run one after another (`concatMap`) and the replies come out in
 * request order; with more they overlap (`mergeMap`) and come out as they
 * arrive. The output completes when the source has and every call is done.
 *
 * A call that fails ends the output with its error: `CallTimeout` (no reply
 * within `timeout` seconds — kernel time is in seconds, so `0.005` is 5 ms,
 * 5 frames of virtual time), or `PortKilled` (without `timeout`: the target
 * died abnormally, or does not exist). A call whose target ends normally
 * without replying emits nothing. Unsubscribing cancels the calls in
 * flight (their reply ports die; late replies are dropped).
 *
 * ```text
 * source:                                   -a-----b------|
 * server replies after 2 ms:                ---A-----B
 * callEach(node, id, {timeout: 0.005}):     ---A-----B----|
 *
 * source:                                   -a----|
 * silent server:
 * callEach(node, id, {timeout: 0.005}):     ------#         (# = CallTimeout at a + 5 ms)
 * ```
 *
 * @example
 * ```ts
 * from(['alice', 'bob']).pipe(
 *   callEach(node, userDb, { prefix: ['get'], timeout: 2, concurrency: 4 }),
 * ).subscribe(([user]) => show(user));
 * ```
 *
 * @param node Anything with `call(id, msg, options)` (a node).
 * @param port The port to call, by id (or a `Port`).
 * @param options `timeout`, `concurrency`, `prefix`, `retry`.
 * @returns An operator from request values to reply messages.
 */
export function callEach<T>(
  node: Caller,
  port: PortRef,
  options: CallEachOptions = {},
): OperatorFunction<T, Message> {
  const id = idOf(port, 'callEach');
  const { timeout, concurrency = 1, prefix = [], retry } = options;
  if (timeout !== undefined && (typeof timeout !== 'number' || !(timeout >= 0)))
    throw new TypeError('callEach: timeout must be a non-negative number of seconds');
  if (
    typeof concurrency !== 'number' ||
    !(concurrency >= 1) ||
    (concurrency !== Infinity && !Number.isInteger(concurrency))
  )
    throw new TypeError('callEach: concurrency must be a positive integer or Infinity');
  const retrying = retry === undefined ? undefined : retryCall<Message>(retry);
  const callOptions = timeout === undefined ? {} : { timeout };
  const call = (value: T) => {
    const msg = prefix.length ? [...prefix, ...toMessage(value)] : toMessage(value);
    const reply$ = node.call(id, msg, callOptions);
    return retrying ? reply$.pipe(retrying) : reply$;
  };
  return concurrency === 1 ? concatMap(call) : mergeMap(call, concurrency);
}
