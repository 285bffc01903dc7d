/**
 * The kernel room: the local node — its port table, local delivery and the
 * run queue, routing of `snd`, monitors, spawn and `cal`, names, and the
 * node port's local services. Other nodes are reached only through the
 * `RemoteRouter` interface declared here (the remote room implements it).
 * @module
 */
export { Kernel, type InitFn, type CallOptions, type KernelIdentity } from './node.js';
export { Port, type MonitorFn, type PortHost } from './port.js';
export { PortKilled, CallTimeout, formatReason, type Reason } from './errors.js';
export {
  nodeOf,
  portNameOf,
  dieText,
  unhandledText,
  jsonText,
  assertPortId,
  type Message,
  type Handler,
} from './message.js';
export { magicIncrement, NameCounter } from './names.js';
export { defer } from './defer.js';
export { plainValue, plainValues, MAX_VALUE_DEPTH } from './plain-data.js';
export type { RemoteRouter } from './router.js';
export { handleNodeMessage, type NodeService } from './nodePort.js';
export { serveLogCatcher, LOG_CATCHER_CONNECT } from './logCatcher.js';
