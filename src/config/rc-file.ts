/**
 * Reading and writing the rc file (PROTOCOL.md §11.1).
 *
 * Reading: UTF-8, relaxed JSON (`relaxed-json.ts`), one object. A missing
 * file is an empty configuration (`{ "version": 1 }`, as Perl starts it);
 * anything else that goes wrong is a {@link ConfigError} naming the file —
 * where Perl silently starts from an empty configuration (and its `aemp`
 * may then overwrite the broken file), we refuse.
 *
 * Writing: `formatRcJson` text to `<file>~new~`, flushed, then the current
 * file is kept as `<file>~` (hard link, or a copy where links fail) and
 * `<file>~new~` is renamed over `<file>`. A new file is created with mode
 * 0600 (it holds the secret); an existing file's mode is kept.
 * @module
 */
import * as fs from 'node:fs';
import { ConfigError } from './errors.js';
import { formatRcJson } from './pretty-json.js';
import { parseRelaxedJson, RelaxedJsonError } from './relaxed-json.js';

/** The parsed rc file: one JSON object, deeply frozen. */
export type RcData = Readonly<Record<string, unknown>>;

/** What {@link readRcFile} found. */
export interface RcFile {
  /** The file's path. */
  readonly path: string;
  /** Its content; `{ version: 1 }` when the file does not exist. */
  readonly data: RcData;
  /** Its text as read, or `undefined` when it does not exist. */
  readonly text: string | undefined;
}

/** Recursively freezes plain JSON data, returning it. */
export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

/** True when `v` is a JSON object (not an array, not null). */
export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The data of a file that does not exist yet. */
export function emptyRcData(): RcData {
  return deepFreeze({ version: 1 });
}

/**
 * Parses rc file text.
 * @throws ConfigError naming `path` and the syntax problem, or saying the
 *   content is not a JSON object.
 */
export function parseRcText(text: string, path: string): RcData {
  let data: unknown;
  try {
    data = parseRelaxedJson(text);
  } catch (e) {
    if (e instanceof RelaxedJsonError)
      throw new ConfigError(path, `not valid JSON: ${e.message}`, { cause: e });
    throw e;
  }
  if (!isRecord(data)) throw new ConfigError(path, 'does not hold a JSON object');
  return deepFreeze(data);
}

function readText(path: string): string | undefined {
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new ConfigError(path, `cannot read: ${(e as Error).message}`, { cause: e });
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch (e) {
    throw new ConfigError(path, 'is not valid UTF-8', { cause: e });
  }
}

/**
 * Reads and parses the rc file at `path`.
 * @throws ConfigError when it exists but cannot be read, is not UTF-8, is not
 *   relaxed JSON, or is not an object.
 */
export function readRcFile(path: string): RcFile {
  const text = readText(path);
  const data = text === undefined ? emptyRcData() : parseRcText(text, path);
  return { path, data, text };
}

/** Options of {@link writeRcFile}. */
export interface WriteRcOptions {
  /**
   * The file's text when it was read (`undefined`: it did not exist). When
   * given, the write is refused with a ConfigError if the file on disk is
   * no longer exactly that — it was changed (or broken) meanwhile.
   */
  readonly expectedText?: string | undefined;
}

/**
 * Writes `data` to the rc file at `path`: via `<path>~new~`, keeping the
 * previous file as `<path>~`.
 * @throws ConfigError when the path is empty, the file changed since it was
 *   read (see {@link WriteRcOptions.expectedText}), or a write fails.
 * @throws TypeError when `data` holds something JSON cannot.
 */
export function writeRcFile(path: string, data: RcData, options?: WriteRcOptions): void {
  if (path === '') throw new ConfigError(path, 'empty rc file path, not writing');
  const text = formatRcJson(data);
  if (options !== undefined && 'expectedText' in options) {
    const now = readText(path);
    if (now !== options.expectedText) {
      throw new ConfigError(path, 'changed on disk since it was read, not overwriting it');
    }
  }
  let mode = 0o600;
  let exists = false;
  try {
    mode = fs.statSync(path).mode & 0o7777;
    exists = true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw new ConfigError(path, `cannot stat: ${(e as Error).message}`, { cause: e });
    }
  }
  const tmp = `${path}~new~`;
  const backup = `${path}~`;
  try {
    const fd = fs.openSync(tmp, 'w', mode);
    try {
      fs.fchmodSync(fd, mode);
      fs.writeFileSync(fd, text, 'utf8');
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    if (exists) {
      fs.rmSync(backup, { force: true });
      try {
        fs.linkSync(path, backup);
      } catch {
        fs.copyFileSync(path, backup);
      }
    }
    fs.renameSync(tmp, path);
  } catch (e) {
    if (e instanceof ConfigError) throw e;
    throw new ConfigError(path, `cannot write: ${(e as Error).message}`, { cause: e });
  }
}
