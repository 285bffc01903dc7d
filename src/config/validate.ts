/**
 * Checking and coercing the values of one configuration layer (the
 * options, the file's top level, one profile).
 *
 * Coercions follow what a Perl node would make of the same file:
 * numeric strings (`"10"`, as `aemp set monitor_timeout 10` writes) are
 * numbers; booleans may be written `0`/`1`/`"0"`/`"1"`/`""`; a number
 * where a string is expected (`"secret": 12345`) is used as its decimal
 * text. Anything else of the wrong type is a `TypeError` naming the key as
 * it was written and where it came from.
 * @module
 */
import { setOwn, toCamelKey } from './keys.js';
import type { ServiceSpec } from './options.js';

type Check = (value: unknown, key: string, where: string) => unknown;

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

const string: Check = (v, key, where) => {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return fail(key, 'a string', v, where);
};

const boolean: Check = (v, key, where) => asBoolean(v) ?? fail(key, 'a boolean', v, where);

const seconds: Check = (v, key, where) => {
  const n = asNumber(v);
  return n !== undefined && n > 0 ? n : fail(key, 'a positive number of seconds', v, where);
};

const byteCount: Check = (v, key, where) => {
  const n = asNumber(v);
  return n !== undefined && Number.isSafeInteger(n) && n > 0 ? n : fail(key, 'a positive integer', v, where);
};

const stringList: Check = (v, key, where) => {
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

const services: Check = (v, key, where) => {
  if (!Array.isArray(v)) return fail(key, 'an array of services', v, where);
  return Object.freeze(v.map((item: unknown, i) => checkService(item, `${key}[${i}]`, where)));
};

const addresses: Check = (v, key, where) => {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) {
    return fail(key, 'an object of node id → address list', v, where);
  }
  const out = Object.create(null) as Record<string, readonly string[]>; // node ids are user data: no inherited members
  for (const [node, list] of Object.entries(v)) {
    setOwn(out, node, stringList(list, `${key}.${node}`, where));
  }
  return Object.freeze(out);
};

const CHECKS: Readonly<Record<string, Check>> = {
  nodeid: string,
  binds: stringList,
  seeds: stringList,
  secret: string,
  cert: string,
  certFile: string,
  framingFormat: stringList,
  authOffer: stringList,
  authAccept: stringList,
  monitorTimeout: seconds,
  connectInterval: seconds,
  autocork: boolean,
  nodelay: boolean,
  secure: boolean,
  spawnAllow: stringList,
  services,
  profile: string,
  norc: boolean,
  force: boolean,
  rcPath: string,
  parent: string,
  maxFrameBytes: byteCount,
  maxLineBytes: byteCount,
  global: boolean,
  addresses,
};

/**
 * Checks and coerces one value. `key` may be in either spelling; unknown
 * keys are returned unchanged.
 * @throws TypeError naming `key` and `where`.
 */
export function checkValue(key: string, value: unknown, where = 'options'): unknown {
  const check = Object.hasOwn(CHECKS, toCamelKey(key)) ? CHECKS[toCamelKey(key)] : undefined;
  return check === undefined ? value : check(value, key, where);
}

/**
 * One layer, camelCased (known keys), checked and coerced; `undefined` and
 * `null` values dropped (they mean "not given here").
 * @throws TypeError naming the first bad key as written, and `where`.
 */
export function normalizeLayer(
  layer: Readonly<Record<string, unknown>>,
  where = 'options',
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const from = new Map<string, string>();
  for (const key of Object.keys(layer)) {
    const value = layer[key];
    const camel = toCamelKey(key);
    const earlier = from.get(camel);
    if (earlier !== undefined)
      throw new TypeError(`${earlier} and ${key} are the same key, given twice (${where})`);
    from.set(camel, key);
    if (value === undefined || value === null) continue;
    setOwn(out, camel, checkValue(key, value, where));
  }
  return out;
}
