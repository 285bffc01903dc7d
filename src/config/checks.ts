/**
 * The value types of the settings (`schema.ts` gives each setting one):
 * how a value is checked and coerced, and how `aemp set` reads it from a
 * command-line argument.
 *
 * Coercions follow what a Perl node would make of the same file:
 * numeric strings (`"10"`, as `aemp set monitor_timeout 10` writes) are
 * numbers; booleans may be written `0`/`1`/`"0"`/`"1"`/`""`; a number
 * where a string is expected (`"secret": 12345`) is used as its decimal
 * text. Anything else of the wrong type is a `TypeError` naming the key as
 * it was written and where it came from.
 * @module
 */
import { setOwn } from './own.js';

/**
 * A service to start after configure: `'Pkg::'` (load a module),
 * `'Pkg::func'` (call it) or `['Pkg::func', arg…]` (call it with arguments).
 */
export type ServiceSpec = string | readonly [string, ...unknown[]];

/** Checks and coerces one value of `key` (as written) from `where`; throws a `TypeError`. */
export type Check<T> = (value: unknown, key: string, where: string) => T;

/** One value type: its check, and how a command-line argument becomes a value of it. */
export interface ValueType<T> {
  /** Checks and coerces a value. @throws TypeError naming the key and where it came from. */
  readonly check: Check<T>;
  /**
   * How `aemp set KEY ARG` reads ARG: `scalar` (JSON when it starts with
   * `[ { "`, else the text), `list` (`a,b` or a JSON array), `boolean`
   * (`true`/`false`/`yes`/`no`/`on`/`off`, else as `scalar`).
   */
  readonly arg: 'scalar' | 'list' | 'boolean';
}

const NUMERIC = /^\s*[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?\s*$/;

function fail(key: string, expected: string, value: unknown, where: string): never {
  throw new TypeError(`${key} must be ${expected}, got ${describe(value)} (${where})`);
}

/** A short rendering of a bad value for error messages. */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return `an array ${clip(safeJson(value))}`;
  if (typeof value === 'string') return `the string ${clip(JSON.stringify(value))}`;
  if (typeof value === 'object') return `an object ${clip(safeJson(value))}`;
  return `${typeof value} ${String(value)}`;
}

function safeJson(v: unknown): string {
  try {
    return JSON.stringify(v) ?? String(v);
  } catch {
    return String(v);
  }
}

function clip(s: string): string {
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

/** A number, or a string holding a decimal number; otherwise `undefined`. */
export function asNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'string' && NUMERIC.test(value)) return Number(value.trim());
  return undefined;
}

/** A boolean, `0`/`1` (any number: non-zero is true), or `""`/`"0"`/`"1"`; otherwise `undefined`. */
export function asBoolean(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value !== 0 : undefined;
  if (value === '' || value === '0') return false;
  if (value === '1') return true;
  return undefined;
}

const checkStringList: Check<readonly string[]> = (v, key, where) => {
  if (!Array.isArray(v)) return fail(key, 'an array of strings', v, where);
  v.forEach((item, i) => {
    if (typeof item !== 'string') fail(`${key}[${i}]`, 'a string', item, where);
  });
  return Object.freeze([...(v as string[])]);
};

/** Checks one `services` entry. */
export function checkService(v: unknown, key: string, where: string): ServiceSpec {
  if (typeof v === 'string') return v;
  if (Array.isArray(v) && typeof v[0] === 'string') return Object.freeze([...v]) as unknown as ServiceSpec;
  return fail(key, 'a function name or [name, args...]', v, where);
}

/** A string; a finite number is taken as its decimal text. */
export const string: ValueType<string> = {
  arg: 'scalar',
  check: (v, key, where) => {
    if (typeof v === 'string') return v;
    if (typeof v === 'number' && Number.isFinite(v)) return String(v);
    return fail(key, 'a string', v, where);
  },
};

/** A boolean, also written `0`/`1`/`"0"`/`"1"`/`""` (see {@link asBoolean}). */
export const boolean: ValueType<boolean> = {
  arg: 'boolean',
  check: (v, key, where) => asBoolean(v) ?? fail(key, 'a boolean', v, where),
};

/** A positive number of seconds (numeric strings accepted). */
export const seconds: ValueType<number> = {
  arg: 'scalar',
  check: (v, key, where) => {
    const n = asNumber(v);
    return n !== undefined && n > 0 ? n : fail(key, 'a positive number of seconds', v, where);
  },
};

/** A positive safe integer (numeric strings accepted). */
export const byteCount: ValueType<number> = {
  arg: 'scalar',
  check: (v, key, where) => {
    const n = asNumber(v);
    return n !== undefined && Number.isSafeInteger(n) && n > 0
      ? n
      : fail(key, 'a positive integer', v, where);
  },
};

/** An array of strings (frozen copy). */
export const stringList: ValueType<readonly string[]> = { arg: 'list', check: checkStringList };

/** An array of {@link ServiceSpec}s (frozen copy). */
export const services: ValueType<readonly ServiceSpec[]> = {
  arg: 'list',
  check: (v, key, where) => {
    if (!Array.isArray(v)) return fail(key, 'an array of services', v, where);
    return Object.freeze(v.map((item: unknown, i) => checkService(item, `${key}[${i}]`, where)));
  },
};

/** Node id → address list, as a frozen null-prototype object (node ids are user data). */
export const addressBook: ValueType<Readonly<Record<string, readonly string[]>>> = {
  arg: 'scalar',
  check: (v, key, where) => {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) {
      return fail(key, 'an object of node id → address list', v, where);
    }
    const out = Object.create(null) as Record<string, readonly string[]>; // node ids are user data: no inherited members
    for (const [node, list] of Object.entries(v)) {
      setOwn(out, node, checkStringList(list, `${key}.${node}`, where));
    }
    return Object.freeze(out);
  },
};
