/**
 * Checking and coercing the values of one configuration layer (the
 * options, the file's top level, one profile), each with its setting's
 * value type from the settings table (`schema.ts`; the types and their
 * coercions are in `checks.ts`).
 * @module
 */
import { setOwn, settingOf, toCamelKey } from './keys.js';

export { asBoolean, asNumber, checkService, describe } from './checks.js';

/**
 * Checks and coerces one value. `key` may be in either spelling; unknown
 * keys are returned unchanged.
 * @throws TypeError naming `key` and `where`.
 */
export function checkValue(key: string, value: unknown, where = 'options'): unknown {
  const type = settingOf(key)?.type;
  return type === undefined ? value : type.check(value, key, where);
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
