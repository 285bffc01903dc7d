/**
 * Argument conventions of Perl's `aemp` (PROTOCOL.md §12): an argument that
 * starts with `[`, `{` or `"` is JSON (relaxed, as the rc file); a command
 * line that is one JSON array is the whole argument list.
 * @module
 */
import { parseRelaxedJson } from '../index.js';
import { UsageError } from './errors.js';

/** Whether `arg` is to be read as JSON. */
export function looksLikeJson(arg: string): boolean {
  return arg.startsWith('[') || arg.startsWith('{') || arg.startsWith('"');
}

/**
 * The value of one argument: JSON-decoded when it starts with `[`, `{` or
 * `"`, else the string itself.
 * @throws UsageError when it looks like JSON but is not.
 */
export function decodeArg(arg: string, what = 'argument'): unknown {
  if (!looksLikeJson(arg)) return arg;
  try {
    return parseRelaxedJson(arg);
  } catch (e) {
    throw new UsageError(
      `${what} ${clip(arg)} starts like JSON but is not valid JSON: ${(e as Error).message}`,
    );
  }
}

const JSON_NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;

/**
 * One element of a message (`snd`, `cal`): as {@link decodeArg}, and a JSON
 * number is a number (Perl does not tell `"3"` from `3`; JavaScript does).
 * Write `'"3"'` for the string.
 */
export function messageArg(arg: string): unknown {
  return JSON_NUMBER.test(arg) ? Number(arg) : decodeArg(arg);
}

/**
 * Perl's single-JSON-array form: `aemp '["snd","a#b",1]'` is `aemp snd a#b 1`.
 * Strings stay as they are; other elements become their JSON text (which
 * {@link decodeArg} turns back into the value, for all but plain numbers and
 * booleans, which stay their text, as Perl passes them).
 */
export function expandJsonArgv(argv: readonly string[]): string[] {
  const [only] = argv;
  if (argv.length !== 1 || only === undefined || !only.startsWith('[')) return [...argv];
  let list: unknown;
  try {
    list = parseRelaxedJson(only);
  } catch {
    return [...argv];
  }
  if (!Array.isArray(list)) return [...argv];
  return list.map((x: unknown) => (typeof x === 'string' ? x : JSON.stringify(x)));
}

/**
 * A list value: a JSON array as given, a string split on commas (`a,b`;
 * blanks around items dropped, empty items left out).
 */
export function listArg(arg: string, what: string): unknown[] {
  const v = decodeArg(arg, what);
  if (Array.isArray(v)) return v;
  if (typeof v === 'string') return splitList(v);
  throw new UsageError(`${what} must be a comma-separated list or a JSON array, got ${clip(arg)}`);
}

/** `"a, b,,c"` → `['a', 'b', 'c']`. */
export function splitList(s: string): string[] {
  return s
    .split(',')
    .map((x) => x.trim())
    .filter((x) => x !== '');
}

/** A string argument (JSON strings decoded). */
export function stringArg(arg: string, what: string): string {
  const v = decodeArg(arg, what);
  if (typeof v !== 'string') throw new UsageError(`${what} must be a string, got ${clip(arg)}`);
  return v;
}

/** A positive number of seconds. */
export function secondsArg(arg: string, what: string): number {
  const n = Number(arg);
  if (arg.trim() === '' || !Number.isFinite(n) || n < 0) {
    throw new UsageError(`${what} must be a non-negative number of seconds, got ${clip(arg)}`);
  }
  return n;
}

/** A positive integer. */
export function countArg(arg: string, what: string): number {
  const n = Number(arg);
  if (!Number.isSafeInteger(n) || n <= 0)
    throw new UsageError(`${what} must be a positive integer, got ${clip(arg)}`);
  return n;
}

/** Checks a port id argument (`NODE#NAME`). */
export function portArg(arg: string, how: string): string {
  const i = arg.indexOf('#');
  if (i <= 0) throw new UsageError(`${how}: ${JSON.stringify(arg)} is not a port id (NODE#NAME)`);
  return arg;
}

/** The node part of a port id (`NODE#NAME` → `NODE`). */
export function nodeOfPort(id: string): string {
  return id.slice(0, id.indexOf('#'));
}

/** An argument shortened for messages. */
export function clip(s: string): string {
  const j = JSON.stringify(s);
  return j.length > 60 ? `${j.slice(0, 57)}..."` : j;
}
