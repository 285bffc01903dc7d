/**
 * The `createNode` options of the node a network command (`snd`, `cal`,
 * `mon`, `ping`, `nodes`, `db`, `watch`, `logs`) makes for itself, as Perl's
 * `aemp` does: profile `aemp` (or `--profile`), node id `anon/<RUNIQ>`, no
 * listener — each unless that profile (or its parents) says otherwise — and
 * everything else (seeds, secret, certificate …) from the rc file.
 * @module
 */
import { mergedRcConfig, readRcFile, type NodeOptions, type RcData } from '../index.js';
import type { CliContext } from './context.js';

/** The profile a network command's node uses unless `--profile` says otherwise. */
export const CLIENT_PROFILE = 'aemp';

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Whether `key` is set in profile `name` or one of its parents (not at the top level). */
export function profileChainHas(data: RcData, name: string, key: string): boolean {
  const table = data.profile;
  if (!isRecord(table)) return false;
  const seen = new Set<string>();
  for (let p: string | undefined = name; p !== undefined && !seen.has(p);) {
    seen.add(p);
    const profile: unknown = Object.hasOwn(table, p) ? table[p] : undefined;
    if (!isRecord(profile)) return false;
    if (Object.hasOwn(profile, key)) return true;
    p = typeof profile.parent === 'string' ? profile.parent : undefined;
  }
  return false;
}

/**
 * The `createNode` options of a network command's node (see the module
 * documentation). `force` makes the node id, binds and `--seed` win over
 * the file's top level; the profile's own values were folded in already.
 */
export function clientNodeOptions(ctx: CliContext): NodeOptions {
  const profile = ctx.globals.profile ?? CLIENT_PROFILE;
  let rcPath: string | undefined;
  try {
    rcPath = ctx.rcPath();
  } catch {
    rcPath = undefined;
  }
  const data = rcPath === undefined ? { version: 1 } : readRcFile(rcPath).data;
  const fromProfile = (key: string) => {
    if (!profileChainHas(data, profile, key)) return undefined;
    return mergedRcConfig(data, profile, {}, rcPath)[key];
  };
  const options: Record<string, unknown> = {
    profile,
    force: true,
    nodeid: fromProfile('nodeid') ?? 'anon/',
    binds: fromProfile('binds') ?? [],
  };
  if (rcPath === undefined) options.norc = true;
  else options.rcPath = rcPath;
  if (ctx.globals.seed?.length) options.seeds = ctx.globals.seed;
  return options as NodeOptions;
}
