/**
 * The plain-data rule: which values a message (and a kill reason, `cal`
 * and `spawn` arguments, database values) may hold, checked where user
 * values enter the kernel, so that code that works locally works remotely.
 *
 * Allowed, at any depth up to {@link MAX_VALUE_DEPTH} levels:
 *
 * - strings, numbers (`NaN`/`±Infinity` too), bigints, booleans, `null`;
 * - `undefined`: travels as `null` in arrays and is left out of objects, as
 *   with `JSON.stringify` (a local receiver gets it as it was sent);
 * - arrays (their elements only) and plain objects (prototype
 *   `Object.prototype` or `null`; own enumerable string keys only);
 * - byte arrays (`Uint8Array`, `Buffer`): a non-Buffer `Uint8Array` is
 *   handed on as a `Buffer` over the same memory; on the wire it is a
 *   string of one character per byte (a CBOR byte string; the same string
 *   in JSON), which is what a Perl byte string is;
 * - a {@link Port}: becomes its id string.
 *
 * Anything else — functions, symbols, `Map`, `Set`, `Date`, other typed
 * arrays, class instances, cycles, deeper nesting — is a `TypeError` naming
 * the path of the value (`snd: msg[2].node must be plain data, but it is a Kernel …`).
 *
 * The check walks the value once without allocating; a copy is made only
 * when something must be converted (a Port, a non-Buffer byte array).
 *
 * @module
 */
import { Buffer } from 'node:buffer';
import { Port } from './port.js';

/**
 * Deepest nesting of arrays and objects inside one value (the value itself
 * is level 1). Frames may nest 512 levels (the framings' and Perl's limit);
 * values sit a level or three inside a frame, so this leaves room.
 */
export const MAX_VALUE_DEPTH = 500;

const OBJECT_PROTO = Object.prototype;

/** Thrown by the fast walk when the value breaks the rule; the slow walk then says why and where. */
const NOT_PLAIN = Symbol('not plain data');

const RULE = 'arrays, plain objects, strings, numbers, bigints, booleans, null, undefined, byte arrays; a Port becomes its id';

/** Where and why a value breaks the rule: `[path, what it is]`, or `null` when it does not. */
type Why = [path: string, is: string] | null;

function notPlain(what: string, why: Why, name: string): TypeError {
  const [path, is] = why ?? [name, 'not plain data'];
  return new TypeError(`${what}: ${path} must be plain data, but it is ${is} (${RULE})`);
}

/**
 * Checks every element of `values` (a message, a kill reason, arguments).
 * Returns `values` itself when nothing needs converting, else a converted
 * copy. Throws a `TypeError` `"<what>: <name>[i]… must be plain data, but
 * it is …"` otherwise.
 */
export function plainValues(values: readonly unknown[], what: string, name: string): readonly unknown[] {
  // strings, numbers and null, the bulk of every message, cost one typeof each and no call
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (typeof v === 'object' ? v !== null : typeof v === 'function' || typeof v === 'symbol') return checkFrom(values, i, what, name);
  }
  return values;
}

/** {@link plainValues} from index `first`, the first element that is not a primitive. */
function checkFrom(values: readonly unknown[], first: number, what: string, name: string): readonly unknown[] {
  let out: unknown[] | undefined;
  try {
    for (let i = first; i < values.length; i++) {
      const v = values[i];
      if (typeof v !== 'object' && typeof v !== 'function' && typeof v !== 'symbol') continue;
      const p = plain(v, 1);
      if (p !== v) (out ??= values.slice())[i] = p;
    }
  } catch (e) {
    if (e !== NOT_PLAIN) throw e;
    throw notPlain(what, explain(values, name, 0, []), name);
  }
  return out ?? values;
}

/** {@link plainValues} for one value (`name` is its path, e.g. `value`). */
export function plainValue(value: unknown, what: string, name: string): unknown {
  try {
    return plain(value, 1);
  } catch (e) {
    if (e !== NOT_PLAIN) throw e;
    throw notPlain(what, explain(value, name, 1, []), name);
  }
}

/** The value itself when plain, a converted copy when it holds a Port or a non-Buffer byte array; throws {@link NOT_PLAIN}. */
function plain(value: unknown, depth: number): unknown {
  if (typeof value !== 'object') {
    if (typeof value === 'function' || typeof value === 'symbol') throw NOT_PLAIN;
    return value;
  }
  if (value === null) return value;
  if (depth > MAX_VALUE_DEPTH) throw NOT_PLAIN;
  if (Array.isArray(value)) {
    let out: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const v: unknown = value[i];
      if (typeof v !== 'object' && typeof v !== 'function' && typeof v !== 'symbol') continue;
      const p = plain(v, depth + 1);
      if (p !== v) (out ??= value.slice())[i] = p;
    }
    return out ?? value;
  }
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto === OBJECT_PROTO || proto === null) {
    const record = value as Record<string, unknown>;
    let out: Record<string, unknown> | undefined;
    // for-in walks the enum cache without allocating a key array (a plain object has nothing enumerable to inherit)
    for (const key in record) {
      const v = record[key];
      if (typeof v !== 'object' && typeof v !== 'function' && typeof v !== 'symbol') continue;
      const p = plain(v, depth + 1);
      if (p !== v) {
        out ??= copyRecord(record);
        Object.defineProperty(out, key, { value: p, enumerable: true, writable: true, configurable: true });
      }
    }
    return out ?? value;
  }
  if (value instanceof Port) return value.id;
  if (value instanceof Uint8Array) {
    return Buffer.isBuffer(value) ? value : Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  }
  throw NOT_PLAIN;
}

/** Own enumerable string-keyed properties of a plain record, in a new plain record (a `__proto__` key stays an own property). */
function copyRecord(record: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = Object.getPrototypeOf(record) === null ? Object.create(null) : {};
  for (const key of Object.keys(record)) Object.defineProperty(out, key, { value: record[key], enumerable: true, writable: true, configurable: true });
  return out;
}

/** `path` + `.key` or `["key"]`. */
function member(path: string, key: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`;
}

function kindOf(value: object): string {
  let name: unknown;
  try {
    name = (Object.getPrototypeOf(value) as { constructor?: { name?: unknown } } | null)?.constructor?.name;
  } catch {
    name = undefined;
  }
  return typeof name === 'string' && name ? `a ${name}` : 'an object that is not plain';
}

/**
 * Why and where `value` breaks the rule (the slow walk, run only after the
 * fast one failed). `ancestors` holds the containers above, with their
 * paths, to name a cycle.
 */
function explain(value: unknown, path: string, depth: number, ancestors: Array<[object, string]>): Why {
  if (typeof value === 'function') return [path, 'a function'];
  if (typeof value === 'symbol') return [path, 'a symbol'];
  if (typeof value !== 'object' || value === null) return null;
  for (const [a, p] of ancestors) if (a === value) return [path, `${p} again (a cycle)`];
  if (depth > MAX_VALUE_DEPTH) return [path, `nested deeper than ${MAX_VALUE_DEPTH} levels`];
  const proto: unknown = Object.getPrototypeOf(value);
  const isArray = Array.isArray(value);
  if (!isArray && proto !== OBJECT_PROTO && proto !== null) {
    return value instanceof Port || value instanceof Uint8Array ? null : [path, kindOf(value)];
  }
  ancestors.push([value, path]);
  if (isArray) {
    for (let i = 0; i < value.length; i++) {
      const why = explain(value[i], `${path}[${i}]`, depth + 1, ancestors);
      if (why) return why;
    }
  } else {
    const record = value as Record<string, unknown>;
    for (const key of Object.keys(record)) {
      const why = explain(record[key], member(path, key), depth + 1, ancestors);
      if (why) return why;
    }
  }
  ancestors.pop();
  return null;
}
