/**
 * The distributed database (`node.db`): local entries, the global-node
 * service, queries and `db.mon` delta streams, and the pieces they are made
 * of (delta computation and composition, the merged store, validation).
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
export { type DbRecord, type FamilyRecord } from './value.js';
/** The one structural equality (it lives in the config room, below this one). */
export { deepEqual } from '../config/index.js';
