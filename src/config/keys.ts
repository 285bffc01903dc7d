/**
 * The exact mapping between the rc file's snake_case keys (AnyEvent::MP's
 * names) and the camelCase names of {@link NodeOptions}.
 *
 * Only known keys are mapped; any other key passes through unchanged in
 * both directions, so application-specific keys survive a round trip.
 * @module
 */

/** Every key the configuration layer knows, as `[camelCase, snake_case]`. */
export const KEY_PAIRS = [
  ['nodeid', 'nodeid'],
  ['binds', 'binds'],
  ['seeds', 'seeds'],
  ['secret', 'secret'],
  ['cert', 'cert'],
  ['certFile', 'cert_file'],
  ['framingFormat', 'framing_format'],
  ['authOffer', 'auth_offer'],
  ['authAccept', 'auth_accept'],
  ['monitorTimeout', 'monitor_timeout'],
  ['connectInterval', 'connect_interval'],
  ['autocork', 'autocork'],
  ['nodelay', 'nodelay'],
  ['secure', 'secure'],
  ['spawnAllow', 'spawn_allow'],
  ['services', 'services'],
  ['eval', 'eval'],
  ['parent', 'parent'],
  ['profile', 'profile'],
  ['norc', 'norc'],
  ['force', 'force'],
  ['rcPath', 'rc_path'],
  ['maxFrameBytes', 'max_frame_bytes'],
  ['maxLineBytes', 'max_line_bytes'],
  ['global', 'global'],
  ['addresses', 'addresses'],
  ['version', 'version'],
] as const;

/** A known camelCase key. */
export type CamelKey = (typeof KEY_PAIRS)[number][0];
/** A known snake_case (rc file) key. */
export type SnakeKey = (typeof KEY_PAIRS)[number][1];

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

/** Sets an own data property, safe for keys such as `__proto__`. */
export function setOwn(obj: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
}

/** `obj[key]` if it is an own property, else `undefined` (never inherited members). */
export function getOwn(obj: Readonly<Record<string, unknown>>, key: string): unknown {
  return Object.hasOwn(obj, key) ? obj[key] : undefined;
}
