/**
 * The kernel room: the local node — its port table, local delivery and the
 * run queue, routing of `snd`, monitors, spawn and `cal`, names, and the
 * node port's local services. Other nodes are reached only through the
 * `RemoteRouter` interface declared here (router.ts; the remote room
 * implements it and uses only what `RouterHost` lists of the kernel). It
 * imports nothing of ours but the log room, and its files import no circle:
 * `message.ts` (words) → `port.ts` → `node.ts`; the node port and the spawn
 * policy declare what they need of a node (`NodePortHost`) instead of
 * importing the `Kernel`.
 *
 * A change to what happens inside one node belongs here.
 * @module
 */
export { Kernel, type InitFn, type CallOptions, type KernelIdentity } from './node.js';
export { Port, type Handler, type MonitorFn, type PortHost } from './port.js';
export { PortKilled, CallTimeout, formatReason, type Reason } from './errors.js';
export {
  nodeOf,
  portNameOf,
  dieText,
  unhandledText,
  jsonText,
  assertPortId,
  type Message,
} from './message.js';
export { magicIncrement, NameCounter } from './names.js';
export { plainValue, plainValues, MAX_VALUE_DEPTH } from './plain-data.js';
export { defer } from './defer.js';
export type { RemoteRouter, RouterHost } from './router.js';
export { handleNodeMessage, type NodeService, type NodePortHost } from './nodePort.js';
export { serveLogCatcher, LOG_CATCHER_CONNECT } from './logCatcher.js';
