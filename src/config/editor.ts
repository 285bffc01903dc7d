/**
 * The profile editor behind the `aemp` command's configuration
 * sub-commands (PROTOCOL.md §12): `set…`/`del…`/`add…`, `profile NAME`,
 * `setparent`, `delparent`, `delprofile`, `showprofile`, `showconfig`.
 *
 * It edits the rc file's data as Perl's `aemp` does — snake_case keys,
 * values stored as given — but every snapshot it hands out is deeply
 * frozen, each edit replaces the snapshot, and values of known keys are
 * checked before they are stored (a bad type is a `TypeError`, so a broken
 * value never reaches the file). Edits address the top level when the
 * profile is `undefined`, else that profile (created on first write).
 *
 * Nothing is written until {@link RcEditor.save}, and only when the data
 * differs from what was loaded. An editor only exists for a file that could
 * be read and parsed, so a broken file is never clobbered; `save` also
 * refuses when the file changed on disk since it was loaded.
 * @module
 */
import { ConfigError } from './errors.js';
import { deepEqual } from './deep-equal.js';
import { getOwn, isControlKey, setOwn, toCamelKey, toSnakeKey } from './keys.js';
import type { NodeOptions } from './options.js';
import { formatRcJson } from './pretty-json.js';
import { findProfile, parentChain, profileTable } from './profiles.js';
import { deepFreeze, isRecord, readRcFile, writeRcFile, type RcData } from './rc-file.js';
import { rcPath, type Env } from './rc-path.js';
import { mergedRcConfig } from './resolve.js';
import type { ListKey } from './schema.js';
import { checkService, checkValue } from './validate.js';

/** The list-valued keys `addToList`/`delFromList` manage (`seeds`, `binds`, `services`; see `schema.ts`). */
export type { ListKey };

type Target = Record<string, unknown>;

/** Edits the rc file's data; see the module documentation. */
export class RcEditor {
  #data: RcData;
  #baseline: RcData;
  #text: string | undefined;
  readonly #fromDisk: boolean;

  private constructor(
    /** The rc file this editor saves to (`undefined`: none, `save` refuses). */
    readonly path: string | undefined,
    data: RcData,
    text: string | undefined,
    fromDisk: boolean,
  ) {
    this.#data = deepFreeze(structuredClone(data) as RcData);
    this.#baseline = this.#data;
    this.#text = text;
    this.#fromDisk = fromDisk;
  }

  /**
   * Loads the rc file at `path` (a missing file is an empty configuration).
   * @throws ConfigError when it cannot be read or parsed.
   */
  static load(path: string): RcEditor {
    const file = readRcFile(path);
    return new RcEditor(path, file.data, file.text, true);
  }

  /**
   * Loads the rc file at the standard path for `env`
   * (`$PERL_ANYEVENT_MP_RC`, `$HOME/.perl-anyevent-mp`, `$APPDATA/perl-anyevent-mp`).
   * @throws ConfigError when no path can be formed or the file cannot be read or parsed.
   */
  static open(env: Env = process.env): RcEditor {
    const path = rcPath(env);
    if (path === undefined) {
      throw new ConfigError(undefined, 'no rc file: none of PERL_ANYEVENT_MP_RC, HOME, APPDATA is set');
    }
    return RcEditor.load(path);
  }

  /**
   * An editor over given data (copied), saving to `path` if given without
   * checking what is on disk first.
   */
  static fromData(data: Readonly<Record<string, unknown>>, path?: string): RcEditor {
    return new RcEditor(path, data, undefined, false);
  }

  /** The current data (deeply frozen; replaced, never mutated, by edits). */
  get data(): RcData {
    return this.#data;
  }

  /** True when the data differs from what was loaded (or last saved). */
  get changed(): boolean {
    return !deepEqual(this.#data, this.#baseline);
  }

  /** The names of the profiles in the file. */
  profileNames(): string[] {
    return Object.keys(profileTable(this.#data, this.path));
  }

  /**
   * Sets `key` (either spelling; stored snake_case) at the top level or in
   * `profile` (created if missing). The value is stored as given, after a
   * check that it is valid for a known key.
   * @throws TypeError for a wrong type, a value JSON cannot hold, or a key
   *   that is not a configuration value (`profile`, `parent`, `version` …).
   */
  setKey(profile: string | undefined, key: string, value: unknown): this {
    const camel = toCamelKey(key);
    if (isControlKey(camel)) {
      throw new TypeError(
        `${key} is not a configuration value${camel === 'parent' ? ' (use setParent)' : ''}`,
      );
    }
    if (value === undefined) throw new TypeError(`${key}: no value given (use delKey to remove it)`);
    checkValue(key, value, this.#where(profile));
    checkJson(key, value);
    const copy: unknown = structuredClone(value);
    return this.#edit(profile, true, (t) => {
      delete t[camel];
      setOwn(t, toSnakeKey(key), copy);
    });
  }

  /** Removes `key` (either spelling) from the top level or from `profile`. */
  delKey(profile: string | undefined, key: string): this {
    return this.#edit(profile, false, (t) => {
      delete t[toCamelKey(key)];
      delete t[toSnakeKey(key)];
    });
  }

  /**
   * Adds `value` to a list (`aemp addseed`/`addbind`/`addservice`): seeds
   * and binds are sets (an existing equal entry moves to the end), services
   * may repeat. Only the list at this level is edited (a profile's list
   * does not start from its parent's).
   * @throws TypeError when `value` is not valid for the list, or the
   *   existing value is not a list.
   */
  addToList(profile: string | undefined, key: ListKey, value: unknown): this {
    const where = this.#where(profile);
    const item: unknown =
      key === 'services' ? checkService(value, key, where) : checkValue(key, [value], where);
    const entry: unknown = structuredClone(key === 'services' ? item : value);
    return this.#edit(profile, true, (t) => {
      const list = listAt(t, key, where);
      const kept = key === 'services' ? list : list.filter((x) => !deepEqual(x, entry));
      setOwn(t, key, [...kept, entry]);
    });
  }

  /**
   * Removes `value` from a list (`aemp delseed`/`delbind`/`delservice`):
   * every equal seed or bind, the first equal service.
   * @throws TypeError when the existing value is not a list.
   */
  delFromList(profile: string | undefined, key: ListKey, value: unknown): this {
    const where = this.#where(profile);
    return this.#edit(profile, false, (t) => {
      if (getOwn(t, key) === undefined) return;
      const list = listAt(t, key, where);
      if (key === 'services') {
        const i = list.findIndex((x) => deepEqual(x, value));
        if (i >= 0) setOwn(t, key, [...list.slice(0, i), ...list.slice(i + 1)]);
      } else {
        setOwn(
          t,
          key,
          list.filter((x) => !deepEqual(x, value)),
        );
      }
    });
  }

  /**
   * Makes `parent` the parent of `profile` (created if missing).
   * @throws ConfigError when that would make a cycle.
   */
  setParent(profile: string, parent: string): this {
    if (typeof profile !== 'string') throw new TypeError('setParent needs a profile');
    if (typeof parent !== 'string') throw new TypeError('parent must be a profile name');
    const before = this.#data;
    this.#edit(profile, true, (t) => setOwn(t, 'parent', parent));
    try {
      parentChain(this.#data, profile, this.path);
    } catch (e) {
      this.#data = before;
      throw e;
    }
    return this;
  }

  /** Removes the parent link of `profile`. */
  delParent(profile: string): this {
    return this.#edit(profile, false, (t) => {
      delete t.parent;
    });
  }

  /** Removes profile `name` entirely. */
  delProfile(name: string): this {
    if (findProfile(this.#data, name, this.path) === undefined) return this;
    const data = structuredClone(this.#data) as Record<string, unknown>;
    delete (data.profile as Record<string, unknown>)[name];
    this.#data = deepFreeze(data);
    return this;
  }

  /** The raw profile `name` as stored (frozen), or `undefined` when there is none. */
  showProfile(name: string): RcData | undefined {
    return findProfile(this.#data, name, this.path);
  }

  /**
   * The effective merged configuration of `profile` (top level only when
   * `undefined`) in the file's terms: snake_case keys, built-in defaults
   * filled in, values as written — like `aemp showconfig NAME key value…`,
   * where `options` are those key/value pairs.
   */
  showConfig(
    profile?: string,
    options: NodeOptions | Readonly<Record<string, unknown>> = {},
  ): Record<string, unknown> {
    return mergedRcConfig(this.#data, profile, options as Readonly<Record<string, unknown>>, this.path);
  }

  /**
   * Writes the file if anything changed (see `rc-file.ts` for how).
   * @returns whether it was written.
   * @throws ConfigError when there is no path, the file changed on disk
   *   since it was loaded, or the write fails.
   */
  save(): boolean {
    if (!this.changed) return false;
    if (this.path === undefined) throw new ConfigError(undefined, 'no rc file path to save to');
    writeRcFile(this.path, this.#data, this.#fromDisk ? { expectedText: this.#text } : undefined);
    this.#baseline = this.#data;
    this.#text = formatRcJson(this.#data);
    return true;
  }

  #where(profile: string | undefined): string {
    const file = this.path === undefined ? 'rc file' : `rc file ${this.path}`;
    return profile === undefined ? `${file} (top level)` : `${file}, profile ${JSON.stringify(profile)}`;
  }

  #edit(profile: string | undefined, create: boolean, change: (target: Target) => void): this {
    if (profile !== undefined && !create && findProfile(this.#data, profile, this.path) === undefined)
      return this;
    profileTable(this.#data, this.path); // throws on a broken table before anything is touched
    const data = structuredClone(this.#data) as Target;
    let target = data;
    if (profile !== undefined) {
      let table = getOwn(data, 'profile');
      if (!isRecord(table)) setOwn(data, 'profile', (table = {}));
      let p = getOwn(table as Target, profile);
      if (!isRecord(p)) setOwn(table as Target, profile, (p = {}));
      target = p as Target;
    }
    change(target);
    this.#data = deepFreeze(data);
    return this;
  }
}

function listAt(t: Target, key: ListKey, where: string): unknown[] {
  const list = getOwn(t, key);
  if (list === undefined || list === null) return [];
  if (!Array.isArray(list)) throw new TypeError(`${key} is not a list (${where})`);
  return list;
}

function checkJson(key: string, value: unknown): void {
  try {
    formatRcJson(value);
  } catch (e) {
    throw new TypeError(`${key}: ${(e as Error).message}`, { cause: e });
  }
}
