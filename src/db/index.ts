/**
 * The database room (`node.db`): AnyEvent::MP's distributed database as a
 * client of the kernel. A node keeps its own entries and writes them to its
 * master; a global node merges everyone's entries and answers queries and
 * monitors. Of the remote room it only subscribes to what the network
 * publishes and registers an address lookup with it.
 *
 * Pure parts: the merged store (`store.ts`), deltas (`delta.ts`), values and
 * wire shapes (`value.ts`), messages in parts (`chunks.ts`, `partial.ts`).
 * The node's part: `database.ts` (the façade) and one file per idea beside it.
 * @module
 */
export { Database } from './database.js';
export type { DatabaseOptions, DbNetwork } from './options.js';
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
