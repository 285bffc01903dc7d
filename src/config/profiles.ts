/**
 * Walking the rc file's profiles: the layers a profile name stands for,
 * top level first, then the `parent` chain root first, then the profile
 * itself (PROTOCOL.md §11.2).
 * @module
 */
import { ConfigError } from './errors.js';
import { getOwn, isControlKey } from './keys.js';
import { isRecord, type RcData } from './rc-file.js';

/** One layer of configuration, with where it came from (for error messages). */
export interface Layer {
  /** `"createNode options"`, `"rc file X (top level)"`, `"rc file X, profile \"p\""` … */
  readonly where: string;
  /** The keys as written there (snake_case in the file). */
  readonly values: Readonly<Record<string, unknown>>;
}

/** `values` without the control keys (`profile`, `version`, `parent`, `norc`, `force`, `rcPath`, either spelling). */
export function withoutControlKeys(values: Readonly<Record<string, unknown>>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(values).filter(([k]) => !isControlKey(k)));
}

/**
 * The profile table of the file (`{}` when there is none).
 * @throws ConfigError when `profile` is not an object.
 */
export function profileTable(data: RcData, file?: string): Readonly<Record<string, unknown>> {
  const table = getOwn(data, 'profile');
  if (table === undefined || table === null) return {};
  if (!isRecord(table)) throw new ConfigError(file, '"profile" must be an object of profiles');
  return table;
}

/**
 * The raw profile `name`, or `undefined` when the file has none by that name.
 * @throws ConfigError when it is not an object.
 */
export function findProfile(
  data: RcData,
  name: string,
  file?: string,
): Readonly<Record<string, unknown>> | undefined {
  const p = getOwn(profileTable(data, file), name);
  if (p === undefined || p === null) return undefined;
  if (!isRecord(p)) throw new ConfigError(file, `profile ${JSON.stringify(name)} must be an object`);
  return p;
}

/**
 * The names of the chain ending at `name`, root first (`name` last).
 * Profiles that do not exist end the chain (an unknown profile is empty).
 * @throws ConfigError on a cycle of `parent` links or a `parent` that is not a string.
 */
export function parentChain(data: RcData, name: string, file?: string): string[] {
  const chain: string[] = [];
  let current: string | undefined = name;
  while (current !== undefined) {
    if (chain.includes(current)) {
      const loop = [...chain.slice(chain.indexOf(current)), current];
      throw new ConfigError(file, `profile parent cycle: ${loop.map((n) => JSON.stringify(n)).join(' → ')}`);
    }
    chain.push(current);
    const p = findProfile(data, current, file);
    const parent = p === undefined ? undefined : getOwn(p, 'parent');
    if (parent !== undefined && parent !== null && typeof parent !== 'string') {
      throw new ConfigError(file, `profile ${JSON.stringify(current)}: "parent" must be a profile name`);
    }
    current = parent ?? undefined;
  }
  return chain.reverse();
}

/**
 * The file's layers for profile `name`, lowest first: the top level, the
 * parents root first, the profile itself — control keys removed. With
 * `name` undefined, only the top level.
 * @throws ConfigError on a broken profile structure or a cycle.
 */
export function fileLayers(data: RcData, name: string | undefined, file?: string): Layer[] {
  const label = file === undefined ? 'rc file' : `rc file ${file}`;
  const layers: Layer[] = [{ where: `${label} (top level)`, values: withoutControlKeys(data) }];
  if (name === undefined) return layers;
  for (const n of parentChain(data, name, file)) {
    const p = findProfile(data, n, file);
    if (p !== undefined)
      layers.push({ where: `${label}, profile ${JSON.stringify(n)}`, values: withoutControlKeys(p) });
  }
  return layers;
}
