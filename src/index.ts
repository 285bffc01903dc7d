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
export { AempNode, type SeedEvent } from './node.js';
export { Kernel, type InitFn, type CallOptions } from './kernel/index.js';
export { Port } from './kernel/index.js';
export { PortKilled, CallTimeout, formatReason, type Reason } from './kernel/index.js';
export { nodeOf, portNameOf, jsonText, type Message, type Handler } from './kernel/index.js';
export { LOG_CATCHER_CONNECT } from './kernel/index.js';
export { LOG_LEVELS, type LogLevel, type LogRecord } from './log/index.js';
export { cleanLogText, LOG_MESSAGE_MAX_BYTES, LOG_FIELD_MAX_BYTES } from './log/index.js';
export type { NodeEvent } from './remote/index.js';
export { ConnectionError, type ConnectionErrorCode, type ConnectionFailureKind } from './streams/index.js';
export { ConfigError, type NodeOptions, type ResolvedConfig, type ServiceSpec } from './config/index.js';
// the configuration tools the `aemp` command is made of, for tools of your own that
// read or edit the rc file (shared with Perl's AnyEvent::MP) or show a configuration
export { resolveConfig, mergedRcConfig, type ResolveContext } from './config/index.js';
export { rcPath, readRcFile, RcEditor, type Env, type RcData, type RcFile, type ListKey } from './config/index.js';
export { parseRelaxedJson, RelaxedJsonError, formatRcJson } from './config/index.js';
export { toCamelKey, toSnakeKey, isKnownKey, setOwn, ID_ALPHABET } from './config/index.js';
// the settings table itself (every setting once: rc name, type, default, help, aemp command)
export { SETTINGS, SETTING_ENTRIES, settingOf, type CliGroup, type CliSpec, type SettingSpec } from './config/index.js';
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
