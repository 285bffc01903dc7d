/**
 * The kernel: a node's ports, local delivery, routing, monitoring, the
 * node port and the state kept about other nodes.
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
export { Logger, LOG_LEVELS, severityOf, type LogLevel, type LogRecord, type LogFn } from './log.js';
export { cleanLogText, LOG_MESSAGE_MAX_BYTES, LOG_FIELD_MAX_BYTES } from './logText.js';
export { magicIncrement, NameCounter } from './names.js';
export { defer } from './defer.js';
export type { Link, NodeEvent } from './link.js';
export type { RemoteRouter } from './router.js';
export { Network, type LinkFactory, type NetworkOptions, type AddressLookup } from './network.js';
export { RemoteNode } from './remoteNode.js';
export { handleNodeMessage, type NodeService } from './nodePort.js';
export { serveLogCatcher, LOG_CATCHER_CONNECT } from './logCatcher.js';
