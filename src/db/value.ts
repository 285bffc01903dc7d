/**
 * Plain-data helpers of the database: safe records
 * (a `__proto__` key is an own property, as `JSON.parse` makes it), copies
 * of values handed in by users, and shape checks of what arrives on the wire.
 * @module
 */
import { Buffer } from 'node:buffer';
import { plainValue } from '../kernel/index.js';

/** A family's contents as it travels: `{ key: value }`. */
export type FamilyRecord<V = unknown> = Record<string, V>;

/** A whole database as it travels (`g_slave`, `g_set`): `{ family: { key: value } }`. */
export type DbRecord = Record<string, FamilyRecord>;

/** Sets an own property, also for the key `__proto__`. */
export function putOwn<V>(record: Record<string, V>, key: string, value: V): void {
  if (key === '__proto__')
    Object.defineProperty(record, key, { value, enumerable: true, writable: true, configurable: true });
  else record[key] = value;
}

/**
 * An empty record for keys from peers or users, as the database hands them
 * out (`family`, the deltas of `mon`): no prototype, so a key such as
 * `constructor` is there only when it was set.
 */
export function emptyRecord<V>(): Record<string, V> {
  return Object.create(null) as Record<string, V>;
}

/** A record from a Map (own properties only, no prototype). */
export function recordOf<V>(map: ReadonlyMap<string, V> | undefined): Record<string, V> {
  const out = emptyRecord<V>();
  if (map !== undefined) for (const [k, v] of map) putOwn(out, k, v);
  return out;
}

/** A copy of a record from the wire without a prototype (its own enumerable keys only). */
export function ownRecord<V>(record: Readonly<Record<string, V>>): Record<string, V> {
  const out = emptyRecord<V>();
  for (const k of Object.keys(record)) putOwn(out, k, record[k] as V);
  return out;
}

/** True for `{}`-style objects (prototype `Object.prototype` or `null`). */
export function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/**
 * The value a user hands to `set`, as it is kept: `undefined` becomes
 * `null` (Perl's `undef`; JSON would drop it), objects are copied so later
 * mutation by the caller cannot change what the database holds (or hide a
 * change from the deep compare). The kernel's plain-data rule applies
 * (`plainValue`: a Port becomes its id, functions, Maps, … are refused).
 * One check walk and one copy walk: this copy is the only one a value gets
 * on its way through the database.
 */
export function ownValue(value: unknown, what: string): unknown {
  if (value === undefined) return null;
  const fn = what.slice(0, what.lastIndexOf(':')); // 'db.set: value' → 'db.set'
  const checked = plainValue(value, fn, 'value'); // Ports become ids; a TypeError naming the path
  if (typeof checked !== 'object' || checked === null) return checked;
  return copyPlain(checked);
}

/**
 * A deep copy of checked plain data, as `structuredClone` would make it
 * (plain objects get `Object.prototype`, own `__proto__` keys stay own
 * keys, array holes stay holes), except that byte arrays come out as
 * `Buffer`s over fresh memory, as the plain-data rule hands them on.
 */
function copyPlain(v: unknown): unknown {
  if (typeof v !== 'object' || v === null) return v;
  if (v instanceof Uint8Array) return Buffer.from(v);
  if (Array.isArray(v)) {
    const out: unknown[] = new Array<unknown>(v.length);
    for (let i = 0; i < v.length; i++) if (i in v) out[i] = copyPlain(v[i]);
    return out;
  }
  const r = v as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(r)) putOwn(out, k, copyPlain(r[k]));
  return out;
}

// ---- wire shapes -------------------------------------------------------------

/**
 * `v` as a string: a string, or a finite number as its decimal text (Perl
 * sends a value never used as a string as a number: `db_del fam => 5`).
 * Throws on anything else.
 */
export function wireString(v: unknown, what: string): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  throw new Error(`${what} must be a string, got ${describe(v)}`);
}

/** A `{key: value}` hash, or `null`/absent (= empty). Throws on anything else. */
export function wireHash(v: unknown, what: string): FamilyRecord | null {
  if (v === null || v === undefined) return null;
  if (!isPlainObject(v)) throw new Error(`${what} must be a hash or null, got ${describe(v)}`);
  return v;
}

/** An array of strings, or `null`/absent (= none). Throws on anything else. */
export function wireKeys(v: unknown, what: string): readonly string[] | null {
  if (v === null || v === undefined) return null;
  if (!Array.isArray(v)) throw new Error(`${what} must be an array of keys or null, got ${describe(v)}`);
  if (v.every((k) => typeof k === 'string')) return v as string[];
  return v.map((k: unknown) => wireString(k, `${what}: key`));
}

/** A whole database `{family: {key: value}}` (families whose value is `null` count as empty). */
export function wireDb(v: unknown, what: string): DbRecord {
  if (!isPlainObject(v)) throw new Error(`${what} must be a hash of families, got ${describe(v)}`);
  const out: DbRecord = {};
  for (const f of Object.keys(v)) {
    const fam = v[f];
    if (fam === null || fam === undefined) continue;
    if (!isPlainObject(fam))
      throw new Error(`${what}: family ${JSON.stringify(f)} must be a hash, got ${describe(fam)}`);
    putOwn(out, f, fam);
  }
  return out;
}

/** A short description of a value for error texts. */
export function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (v instanceof Uint8Array) return 'a byte string';
  const t = typeof v;
  if (t === 'object') return 'an object';
  if (t === 'string') return `the string ${JSON.stringify((v as string).slice(0, 40))}`;
  return `${t} ${String(v)}`;
}
