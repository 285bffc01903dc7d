/**
 * aemp — Erlang-style message passing between Node.js processes, speaking
 * Perl AnyEvent::MP 2.x's AEMP wire protocol, with an RxJS API.
 *
 * @example
 * ```ts
 * import { createNode, ofTag } from 'aemp';
 * const node = await createNode({ nodeid: 'demo/', binds: ['127.0.0.1:0'], secret: 's3cret', norc: true });
 * const echo = node.port().rcv('ping', ([reply], self) => node.snd(reply as string, 'pong'));
 * ```
 * @module
 */
export { createNode, formatLogLine, type CreateNodeOptions } from './createNode.js';
export { AempNode } from './node.js';
export { Kernel, type InitFn, type CallOptions } from './kernel/index.js';
export { Port } from './kernel/index.js';
export { PortKilled, CallTimeout, formatReason, type Reason } from './kernel/index.js';
export { nodeOf, portNameOf, type Message, type Handler } from './kernel/index.js';
export { LOG_LEVELS, type LogLevel, type LogRecord } from './log/index.js';
export type { NodeEvent } from './remote/index.js';
export { ConnectionError, type ConnectionErrorCode, type ConnectionFailureKind } from './streams/transport/index.js';
export { ConfigError, type NodeOptions, type ResolvedConfig, type ServiceSpec } from './config/index.js';
export * from './operators/index.js';
export {
  Database,
  applyDelta,
  composeDeltas,
  deltaIterable,
  DeltaBufferOverflow,
  type DeltaIterableOptions,
  type FamilyChange,
  type FamilyDelta,
} from './db/index.js';
