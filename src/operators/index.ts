/**
 * The operators room (above db): the RxJS operators users compose with
 * ports, monitors, calls and database deltas; one a file, each marble-tested
 * under marbles/. Part of the public API (re-exported whole by src/index.ts).
 *
 * Every one is a plain RxJS operator (or a function returning an Observable
 * or a Subscription) that takes the node it needs as an argument, typed by
 * the small interfaces of `nodeLike` — a node from `createNode`, or a bare
 * kernel. None touches a timer directly, so all run on any scheduler,
 * `TestScheduler.run` virtual time included. Imports the kernel and db rooms
 * (types and pure helpers), never a node's network.
 * @module
 */
export { ofTag } from './ofTag.js';
export { ofTags } from './ofTags.js';
export { inPort } from './inPort.js';
export { subscribeInPort } from './subscribeInPort.js';
export { sendTo } from './sendTo.js';
export { toPort, type ToPortKill, type ToPortOptions } from './toPort.js';
export { pipeToPort } from './pipeToPort.js';
export { takeUntilKilled } from './takeUntilKilled.js';
export { linkTo } from './linkTo.js';
export { killOnEnd } from './killOnEnd.js';
export { monitorReason } from './monitorReason.js';
export { callEach, type CallEachOptions } from './callEach.js';
export { retryCall, type RetryCallConfig } from './retryCall.js';
export { replyTo, type CallRequest } from './replyTo.js';
export type { Caller, Killable, Killer, Monitorer, NodeLike, PortRef, Sender } from './nodeLike.js';
export { familyMap } from './familyMap.js';
export { flattenDeltas } from './flattenDeltas.js';
export { whenNonEmpty } from './whenNonEmpty.js';
