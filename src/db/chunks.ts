/**
 * Database messages that may be big — a whole family (`g_chg1`, a query's
 * `g_reply`), a whole database (`g_slave`, `g_set`), a big change (`g_upd`,
 * `g_chg2`) — split into several messages, each well under the frame limit,
 * in forms a Perl AnyEvent::MP 2.x node reads with the same meaning:
 *
 * - `g_slave DB` / `g_set DB` → the first message with part of the
 *   database, then `g_upd F SET` for the rest (Perl's handlers of all three
 *   merge the keys into the sender's entries);
 * - `g_chg1 F HASH` → `g_chg1 F PART 1`, then `g_chg2 F PART [] 1` … and a
 *   last `g_chg2 F PART [] 0` (Perl ignores the trailing marker and merges
 *   the parts into its copy; one of our nodes sees the marker and delivers
 *   the whole family as one first event);
 * - `g_upd`/`g_chg2` with many keys → several of them.
 *
 * Sizes are estimates ({@link approxBytes}) of the encoded entries; a part
 * is closed when the next entry would take it past the budget. An entry
 * too big to fit in any frame a peer accepts is never sent: it is left out
 * and reported (a frame over the peer's limit would end the connection,
 * and the same frame would be sent again after the reconnect, forever).
 * @module
 */
import { Buffer } from 'node:buffer';
import { putOwn, type DbRecord, type FamilyRecord } from './value.js';

/** Where big messages are cut. */
export interface ChunkLimits {
  /** Estimated bytes of entries one message carries before the next one starts. */
  readonly budget: number;
  /** An entry estimated bigger than this never travels (it could not pass a peer's frame limit). */
  readonly max: number;
}

/** Smallest budget, whatever the frame limit. */
const MIN_BUDGET = 1024;
/** Largest budget: big enough that a 200 000-key family takes a few dozen frames. */
const MAX_BUDGET = 1024 * 1024;
/** Room kept free in a frame for the tag, the family name, markers and estimation error. */
const HEADROOM = 4096;

/** The limits for nodes whose largest accepted frame is `maxFrameBytes` (ours; peers are assumed alike). */
export function chunkLimits(maxFrameBytes: number): ChunkLimits {
  const budget = Math.max(MIN_BUDGET, Math.min(MAX_BUDGET, Math.floor(maxFrameBytes / 8)));
  return { budget, max: Math.max(budget, Math.floor(maxFrameBytes * 0.9) - HEADROOM) };
}

/** Called for an entry left out because it is too big to send. */
export type TooBig = (family: string, key: string, bytes: number) => void;

/** Nesting beyond this is not measured further (no frame can carry it: MAX_NESTING_DEPTH is 512). */
const DEPTH = 600;

/**
 * The estimated encoded size of a value in bytes: exact enough for CBOR,
 * and for JSON except string escapes and byte strings (which JSON cannot
 * carry as such). Cheap: no encoding, one walk.
 */
export function approxBytes(v: unknown, depth = 0): number {
  switch (typeof v) {
    case 'string':
      return (v.length < 64 ? v.length * 3 : Buffer.byteLength(v, 'utf8')) + 5;
    case 'number':
      return Number.isInteger(v) && Math.abs(v) < 1e6 ? 8 : 24;
    case 'bigint':
      return 24;
    case 'object':
      break;
    default:
      return 5;
  }
  if (v === null) return 5;
  if (depth > DEPTH) return Infinity;
  if (v instanceof Uint8Array) return v.length + 9;
  let n = 9;
  if (Array.isArray(v)) {
    for (const x of v) n += approxBytes(x, depth + 1) + 1;
    return n;
  }
  const r = v as Record<string, unknown>;
  for (const k of Object.keys(r)) n += approxBytes(k, depth + 1) + approxBytes(r[k], depth + 1) + 2;
  return n;
}

/** One family's entries, as (key, value) pairs. */
export type Entries = Iterable<readonly [string, unknown]>;

/** A family record's entries. */
export function* recordEntries(rec: FamilyRecord): Generator<readonly [string, unknown]> {
  for (const k of Object.keys(rec)) yield [k, rec[k]];
}

/**
 * A family's entries as parts within the budget (at least one entry each;
 * too-big entries left out and reported). Yields nothing for no entries.
 */
export function* familyParts(
  family: string,
  entries: Entries,
  limits: ChunkLimits,
  tooBig: TooBig,
): Generator<FamilyRecord> {
  let part: FamilyRecord | undefined;
  let used = 0;
  for (const [k, v] of entries) {
    const bytes = approxBytes(k) + approxBytes(v) + 2;
    if (bytes > limits.max) {
      tooBig(family, k, bytes);
      continue;
    }
    if (part !== undefined && used + bytes > limits.budget) {
      yield part;
      part = undefined;
    }
    if (part === undefined) {
      part = {};
      used = 0;
    }
    putOwn(part, k, v);
    used += bytes;
  }
  if (part !== undefined) yield part;
}

/** Keys (or values) as lists within the budget; too-big ones left out and reported (as `family`'s). */
export function* listParts<T>(
  family: string,
  keys: Iterable<T>,
  limits: ChunkLimits,
  tooBig: TooBig,
): Generator<T[]> {
  let part: T[] = [];
  let used = 0;
  for (const k of keys) {
    const bytes = approxBytes(k) + 1;
    if (bytes > limits.max) {
      tooBig(family, typeof k === 'string' ? k : '(a value)', bytes);
      continue;
    }
    if (part.length && used + bytes > limits.budget) {
      yield part;
      part = [];
      used = 0;
    }
    part.push(k);
    used += bytes;
  }
  if (part.length) yield part;
}

/**
 * `g_chg1 F HASH` as messages: one (`HASH` `null` for no entries) when the
 * family fits, else `g_chg1 F PART 1`, `g_chg2 F PART [] 1` … `g_chg2 F
 * PART [] 0`.
 */
export function* snapshotMessages(
  family: string,
  entries: Entries,
  limits: ChunkLimits,
  tooBig: TooBig,
): Generator<unknown[]> {
  let prev: FamilyRecord | undefined;
  let first = true;
  for (const part of familyParts(family, entries, limits, tooBig)) {
    if (prev !== undefined) {
      yield first ? ['g_chg1', family, prev, 1] : ['g_chg2', family, prev, [], 1];
      first = false;
    }
    prev = part;
  }
  if (first) yield ['g_chg1', family, prev ?? null];
  else yield ['g_chg2', family, prev, [], 0];
}

/**
 * `TAG DB` (`g_slave` or `g_set`) as messages: the first holds as much of
 * the database as fits (always sent, `{}` when empty), the rest follows as
 * `g_upd F SET`. `lead` (family and key) goes first, so the first message
 * holds it: Perl's `g_set` handler reads the sender's own `'l` entry from it.
 */
export function* databaseMessages(
  tag: string,
  db: DbRecord,
  limits: ChunkLimits,
  tooBig: TooBig,
  lead?: readonly [family: string, key: string],
): Generator<unknown[]> {
  const out: unknown[][] = [];
  const first: DbRecord = {};
  let full = false; // the first message is closed (and in `out`)
  let part: [string, FamilyRecord] | undefined; // the g_upd being filled
  let used = 0;
  const add = (family: string, k: string, v: unknown): void => {
    const bytes = approxBytes(k) + approxBytes(v) + 2;
    if (bytes > limits.max) return tooBig(family, k, bytes);
    if (!full) {
      if (used === 0 || used + bytes <= limits.budget) {
        let rec = Object.hasOwn(first, family) ? first[family] : undefined;
        if (rec === undefined) putOwn(first, family, (rec = {}));
        putOwn(rec, k, v);
        used += bytes;
        return;
      }
      full = true;
      out.push([tag, first]);
    } else if (part !== undefined && (part[0] !== family || used + bytes > limits.budget)) {
      out.push(['g_upd', part[0], part[1]]);
      part = undefined;
    }
    if (part === undefined) {
      part = [family, {}];
      used = 0;
    }
    putOwn(part[1], k, v);
    used += bytes;
  };
  const [leadFamily, leadKey] = lead ?? ['', ''];
  const leadRec = lead !== undefined && Object.hasOwn(db, leadFamily) ? db[leadFamily] : undefined;
  const hasLead = leadRec !== undefined && Object.hasOwn(leadRec, leadKey);
  if (hasLead) add(leadFamily, leadKey, leadRec[leadKey]);
  for (const family of Object.keys(db)) {
    const rec = db[family] as FamilyRecord;
    for (const k of Object.keys(rec)) {
      if (hasLead && k === leadKey && family === leadFamily) continue;
      add(family, k, rec[k]);
      if (out.length) yield* out.splice(0);
    }
  }
  if (!full) out.push([tag, first]);
  if (part !== undefined) out.push(['g_upd', part[0], part[1]]);
  yield* out;
}

/**
 * A change of one family (`SET` and `DEL`, as `g_chg2` or `g_upd` carry it)
 * as messages made by `make`: one when it fits, else sets and deletions in
 * parts. Too-big entries of `set` are left out (and reported).
 */
export function* changeMessages(
  family: string,
  set: FamilyRecord,
  del: readonly string[],
  limits: ChunkLimits,
  tooBig: TooBig,
  make: (set: FamilyRecord, del: readonly string[]) => unknown[],
): Generator<unknown[]> {
  let bytes = 0;
  let over = false;
  for (const k of Object.keys(set)) {
    bytes += approxBytes(k) + approxBytes(set[k]) + 2;
    if (bytes > limits.budget) {
      over = true;
      break;
    }
  }
  if (!over) {
    for (const k of del) {
      bytes += approxBytes(k) + 1;
      if (bytes > limits.budget) {
        over = true;
        break;
      }
    }
  }
  if (!over) {
    yield make(set, del);
    return;
  }
  for (const part of familyParts(family, recordEntries(set), limits, tooBig)) yield make(part, []);
  for (const part of listParts(family, del, limits, tooBig)) yield make({}, part);
}

/**
 * `g_reply ID RESULT` from the parts of a result (family records, or key
 * or value lists): one message (`empty` for no parts) when there is one
 * part, else `g_reply ID PART 1` … `g_reply ID PART 0`. Only for a
 * requester that asked for parts: a Perl node would take the first part
 * for the whole answer.
 */
export function* replyMessages(id: string, parts: Iterable<unknown>, empty: unknown): Generator<unknown[]> {
  let prev: unknown;
  let count = 0;
  for (const part of parts) {
    if (count++) yield ['g_reply', id, prev, 1];
    prev = part;
  }
  if (count === 0) yield ['g_reply', id, empty];
  else if (count === 1) yield ['g_reply', id, prev];
  else yield ['g_reply', id, prev, 0];
}
