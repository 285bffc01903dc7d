/**
 * The rules for family names and keys (AnyEvent::MP's): a user family is
 * `[A-Za-z][A-Za-z0-9_:]*`; families starting with `'` are internal (`'l`:
 * node id → listen addresses, `'g`: global node id → null) and may be read
 * and monitored but not written; keys are non-empty strings.
 * @module
 */

/** Listener addresses: node id → `["host:port", …]`. */
export const LISTENERS = "'l";
/** Global nodes: node id → null. */
export const GLOBALS = "'g";

const USER_FAMILY = /^[A-Za-z][A-Za-z0-9_:]*$/;
const INTERNAL = new Set([LISTENERS, GLOBALS]);

/** Throws a TypeError naming `what` unless `family` is a family this node may write. */
export function assertWritableFamily(family: unknown, what = 'family'): asserts family is string {
  if (typeof family !== 'string') throw new TypeError(`${what} must be a string, got ${typeof family}`);
  if (USER_FAMILY.test(family)) return;
  if (family.startsWith("'"))
    throw new TypeError(
      `${what} ${JSON.stringify(family)} is internal to aemp (families starting with ' are reserved)`,
    );
  throw new TypeError(
    `${what} ${JSON.stringify(family)} is not a valid family name (letters, digits, '_' and ':', starting with a letter)`,
  );
}

/** Throws a TypeError naming `what` unless `family` may be read or monitored (a user family, `'l` or `'g`). */
export function assertReadableFamily(family: unknown, what = 'family'): asserts family is string {
  if (typeof family === 'string' && INTERNAL.has(family)) return;
  assertWritableFamily(family, what);
}

/** Throws a TypeError naming `what` unless `key` is a non-empty string. */
export function assertKey(key: unknown, what = 'key'): asserts key is string {
  if (typeof key !== 'string' || key.length === 0)
    throw new TypeError(
      `${what} must be a non-empty string, got ${typeof key === 'string' ? 'an empty string' : typeof key}`,
    );
}
