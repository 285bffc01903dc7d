/**
 * The config room (above log): every setting a node has — the options
 * `createNode` takes, the rc file (`~/.perl-anyevent-mp`, shared with Perl's
 * AnyEvent::MP), profiles, resolution to the effective configuration
 * (`ResolvedConfig`), node id templates and the process-unique id strings,
 * and the profile editor the `aemp` command uses. Each setting is defined
 * once, in the schema table (`schema.ts`); adding a setting is one entry
 * there. Imports only the log room.
 * @module
 */
export type { ConfigOverride, NodeOptions, ResolvedConfig, ServiceSpec } from './options.js';
export { DEFAULTS, defaultNodeIdTemplate } from './defaults.js';
export { ConfigError } from './errors.js';
export { SETTINGS, SETTING_ENTRIES } from './schema.js';
export type {
  CliGroup,
  CliSpec,
  ResolvedSettings,
  Role,
  SettingKey,
  SettingSpec,
  SettingValue,
} from './schema.js';
export type { ValueType } from './checks.js';
export {
  KEY_PAIRS,
  toCamelKey,
  toSnakeKey,
  camelizeKeys,
  snakifyKeys,
  isKnownKey,
  isControlKey,
  settingOf,
  setOwn,
  getOwn,
} from './keys.js';
export type { CamelKey, SnakeKey } from './keys.js';
export { normalizeLayer, checkValue } from './validate.js';
export { parseRelaxedJson, RelaxedJsonError } from './relaxed-json.js';
export { formatRcJson } from './pretty-json.js';
export { rcPath } from './rc-path.js';
export type { Env } from './rc-path.js';
export { readRcFile, writeRcFile, parseRcText } from './rc-file.js';
export type { RcData, RcFile, WriteRcOptions } from './rc-file.js';
export { resolveConfig, mergedRcConfig } from './resolve.js';
export type { ResolveContext } from './resolve.js';
export { expandNodeId, nodeIdProblem } from './node-id.js';
export type { ExpandedNodeId } from './node-id.js';
export { makeRuniq, makeUniq, ID_ALPHABET } from './ids.js';
export { RcEditor } from './editor.js';
export { deepEqual } from './deep-equal.js';
export type { ListKey } from './editor.js';
