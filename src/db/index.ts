/**
 * The db room (above remote): the distributed database (`node.db`) as a
 * client of the kernel — it speaks ordinary node-port messages and follows
 * what the remote room publishes (nodes up and down), no special path in
 * the kernel. Local entries, the global-node service, master selection,
 * queries and `db.mon` delta streams, and the pieces they are made of (the
 * pure store, delta computation and composition, validation of names and
 * values).
 * @module
 */
export { Database, type DatabaseOptions, type DbNetwork } from './database.js';
export {
  applyDelta,
  composeDeltas,
  emptyDelta,
  initialDelta,
  isEmptyDelta,
  WatchState,
  type FamilyChange,
  type FamilyDelta,
} from './delta.js';
export { deltaIterable, DeltaBufferOverflow, type DeltaIterableOptions } from './iterable.js';
export { GlobalService, updMessage, type GlobalHost, type QueryKind } from './global.js';
export { MergedStore, Changes, ChangeSet } from './store.js';
export { assertKey, assertReadableFamily, assertWritableFamily, GLOBALS, LISTENERS } from './names.js';
export { deepEqual, type DbRecord, type FamilyRecord } from './value.js';
