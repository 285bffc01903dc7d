/**
 * The exact mapping between the rc file's snake_case keys (AnyEvent::MP's
 * names) and the camelCase names of {@link NodeOptions}.
 *
 * Only known keys are mapped; any other key passes through unchanged in
 * both directions, so application-specific keys survive a round trip.
 * The names come from the settings table (`schema.ts`).
 * @module
 */
import { getOwn, setOwn } from './own.js';
import { SETTING_ENTRIES, type SettingKey, type SettingSpec, type Settings } from './schema.js';

export { getOwn, setOwn };

/** Every key the configuration layer knows, as `[camelCase, snake_case]` (from the settings table). */
export const KEY_PAIRS: readonly (readonly [CamelKey, SnakeKey])[] = Object.freeze(
  SETTING_ENTRIES.map(([camel, spec]) => Object.freeze([camel, spec.rc as SnakeKey] as const)),
);

/** A known camelCase key. */
export type CamelKey = SettingKey;
/** A known snake_case (rc file) key. */
export type SnakeKey = Settings[SettingKey]['rc'];

const SNAKE_TO_CAMEL = new Map<string, string>(KEY_PAIRS.map(([c, s]) => [s, c]));
const CAMEL_TO_SNAKE = new Map<string, string>(KEY_PAIRS.map(([c, s]) => [c, s]));

/** `framing_format` → `framingFormat`; camelCase and unknown keys unchanged. */
export function toCamelKey(key: string): string {
  return SNAKE_TO_CAMEL.get(key) ?? key;
}

/** `framingFormat` → `framing_format`; snake_case and unknown keys unchanged. */
export function toSnakeKey(key: string): string {
  return CAMEL_TO_SNAKE.get(key) ?? key;
}

/** True when `key` is a known key in either spelling. */
export function isKnownKey(key: string): boolean {
  return SNAKE_TO_CAMEL.has(key) || CAMEL_TO_SNAKE.has(key);
}

/**
 * Copies `obj` with every known key in camelCase (unknown keys unchanged).
 * @throws TypeError when one key appears in both spellings
 *   (`monitor_timeout` and `monitorTimeout`), naming both and `where`.
 */
export function camelizeKeys(
  obj: Readonly<Record<string, unknown>>,
  where = 'options',
): Record<string, unknown> {
  return renameKeys(obj, toCamelKey, where);
}

/**
 * Copies `obj` with every known key in snake_case (unknown keys unchanged).
 * @throws TypeError when one key appears in both spellings.
 */
export function snakifyKeys(
  obj: Readonly<Record<string, unknown>>,
  where = 'options',
): Record<string, unknown> {
  return renameKeys(obj, toSnakeKey, where);
}

function renameKeys(
  obj: Readonly<Record<string, unknown>>,
  rename: (k: string) => string,
  where: string,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const from = new Map<string, string>();
  for (const key of Object.keys(obj)) {
    const to = rename(key);
    const earlier = from.get(to);
    if (earlier !== undefined) {
      throw new TypeError(`${earlier} and ${key} are the same key, given twice (${where})`);
    }
    from.set(to, key);
    setOwn(out, to, obj[key]);
  }
  return out;
}

const SPECS = new Map<string, SettingSpec>(SETTING_ENTRIES);

/** The setting `key` names (either spelling), or `undefined` for a key nobody here knows. */
export function settingOf(key: string): SettingSpec | undefined {
  return SPECS.get(toCamelKey(key));
}

/** True when `key` (either spelling) steers resolution or structures the file (`profile`, `parent` …), so it is never a configuration value. */
export function isControlKey(key: string): boolean {
  const role = settingOf(key)?.role;
  return role === 'control' || role === 'file';
}
