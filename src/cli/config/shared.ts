/**
 * What the configuration commands share: the help groups, reading a
 * setting's value from the command line (driven by the settings table of
 * `src/config/`), editing through the context's editor, showing rc data.
 * @module
 */
import type { Command } from 'commander';
import { formatRcJson, SETTING_ENTRIES, settingOf, type CliGroup } from '../../index.js';
import { clip, decodeArg, listArg } from '../args.js';
import type { CliContext } from '../context.js';
import { UsageError } from '../errors.js';

/** The help headings of the configuration command groups. */
export const HEADINGS: Readonly<Record<CliGroup | 'profiles', string>> = {
  identity: 'Identity and authentication:',
  addresses: 'Addresses and services:',
  profiles: 'Profiles:',
  lowLevel: 'Low-level settings:',
};

/** Puts command `c` under the help heading of `group`. */
export function inGroup(c: Command, group: CliGroup | 'profiles'): Command {
  return c.helpGroup(HEADINGS[group]);
}

export const TARGET_NOTE =
  'Edits the profile chosen by a preceding "profile NAME", else the top level of the rc file.';

/** The rc-file names of the settings `aemp set KEY VALUE` accepts (every node setting), in table order. */
export const SETTABLE_KEYS: readonly string[] = Object.freeze(
  SETTING_ENTRIES.filter(([, spec]) => spec.role === 'value').map(([, spec]) => spec.rc),
);

const SEED_RE = /^(?:\[[^\]]+\]|[^:[\]\s]+):(\d{1,5})$/;

/** A `host:port` seed address. @throws UsageError otherwise. */
export function checkSeed(seed: unknown): string {
  const m = typeof seed === 'string' ? SEED_RE.exec(seed) : null;
  const port = m ? Number(m[1]) : 0;
  if (!m || port < 1 || port > 65535) {
    throw new UsageError(
      `a seed must be host:port (port 1-65535), got ${typeof seed === 'string' ? clip(seed) : JSON.stringify(seed)}`,
    );
  }
  return seed as string;
}

const TRUE = new Set(['true', 'yes', 'on']);
const FALSE = new Set(['false', 'no', 'off']);

/**
 * The stored value of `arg` for `key` (its rc-file name), read the way the
 * setting's value type says (lists `a,b` or JSON, booleans `true`/`false`…);
 * any other key's argument is JSON when it starts with `[ { "`, else text.
 */
export function valueFor(key: string, arg: string): unknown {
  const spec = settingOf(key);
  if (spec === undefined || spec.rc !== key || spec.role !== 'value') return decodeArg(arg, key);
  if (spec.cli?.seeds) return listArg(arg, key).map(checkSeed);
  switch (spec.type?.arg) {
    case 'list':
      return listArg(arg, key);
    case 'boolean': {
      const l = arg.toLowerCase();
      if (TRUE.has(l)) return true;
      if (FALSE.has(l)) return false;
      return decodeArg(arg, key);
    }
    default:
      return decodeArg(arg, key);
  }
}

/** Wraps editor errors (TypeError for bad values, ConfigError for the file) as user errors. */
export function edit(fn: () => void): void {
  try {
    fn();
  } catch (e) {
    if (e instanceof TypeError) throw new UsageError(e.message);
    throw e;
  }
}

/** Prints data as the rc file would hold it (pretty), or one line with --json. */
export function show(ctx: CliContext, value: unknown): void {
  if (ctx.globals.json) ctx.json(value);
  else ctx.out(formatRcJson(value));
}
