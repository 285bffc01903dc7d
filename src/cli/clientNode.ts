/**
 * The node a network command (`snd`, `cal`, `mon`, `ping`, `nodes`, `db`,
 * `watch`, `logs`) makes for itself, as Perl's `aemp` does: profile `aemp`
 * (or `--profile`), node id `anon/<RUNIQ>`, no listener — each unless that
 * profile (or its parents) says otherwise — and everything else (seeds,
 * secret, certificate …) from the rc file. It waits until it reached a
 * seed before the command goes on, and explains what to configure when it
 * cannot.
 * @module
 */
import { firstValueFrom, filter, race, timer, map, take } from 'rxjs';
import {
  ConfigError,
  mergedRcConfig,
  readRcFile,
  resolveConfig,
  type NodeOptions,
  type RcData,
  type ResolvedConfig,
} from '../config/index.js';
import type { AempNode, LogRecord } from '../index.js';
import type { CliContext } from './context.js';
import { CliError } from './errors.js';

/** The profile a network command's node uses unless `--profile` says otherwise. */
export const CLIENT_PROFILE = 'aemp';

/** Seconds to wait for a seed before giving up (`--wait` where a command has it). */
export const DEFAULT_WAIT = 10;

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

/** The advice for a configuration without secret and certificate. */
export function noSecretAdvice(config: ResolvedConfig, how: string): string {
  const where = config.rcPath ?? 'the rc file';
  const forProfile = `aemp profile ${config.profile} gensecret`;
  const forAll = 'aemp gensecret'.padEnd(forProfile.length);
  return (
    `${how}: no secret and no certificate configured (profile ${JSON.stringify(config.profile)}, ${where}).\n` +
    `Nodes authenticate each other with a shared secret (or a certificate). Make one with\n` +
    `  ${forAll}   (for every profile: the top level of the rc file)\n` +
    `  ${forProfile}   (for this profile only)\n` +
    `and give every node of the network the same one (copy the rc file, or: aemp setsecret SECRET);\n` +
    `or use TLS: aemp gencert.`
  );
}

/** Resolves and checks the configuration a node would get from `options`. */
export function checkedConfig(options: NodeOptions, how: string): ResolvedConfig {
  let config: ResolvedConfig;
  try {
    config = resolveConfig(options);
  } catch (e) {
    if (e instanceof ConfigError) throw e;
    throw new CliError(`${how}: ${(e as Error).message}`);
  }
  if (config.secret === undefined && config.cert === undefined)
    throw new CliError(noSecretAdvice(config, how));
  return config;
}

/**
 * On a terminal, says on stderr what the command waits for once it has
 * waited a second; returns the function that stops it.
 */
function waitingNote(ctx: CliContext, seeds: readonly string[]): () => void {
  if (!(ctx.stderr as { isTTY?: boolean }).isTTY) return () => {};
  const t = setTimeout(() => ctx.note(`aemp: waiting for a seed to answer (${seeds.join(', ')}) …`), 1000);
  return () => clearTimeout(t);
}

/** A network command's node, and what it learned while connecting. */
export interface ClientNode {
  readonly node: AempNode;
  /** The last warning (or worse) the node logged, for error messages. */
  lastProblem(): string | undefined;
  /** Closes the node. */
  close(): Promise<void>;
}

/**
 * Makes the command's node and waits (at most `waitSeconds`) until a seed
 * is connected; then up to a second more for the other seeds.
 * @throws CliError when nothing is configured to connect to, or no seed answers in time.
 */
export async function openClientNode(
  ctx: CliContext,
  how: string,
  waitSeconds = DEFAULT_WAIT,
): Promise<ClientNode> {
  ctx.flush();
  const options = clientNodeOptions(ctx);
  const config = checkedConfig(options, how);
  if (config.seeds.length === 0 && Object.keys(config.addresses).length === 0) {
    throw new CliError(
      `${how}: no seeds configured to connect to (profile ${JSON.stringify(config.profile)}).\n` +
        `Set them with "aemp setseeds host:port,…" (or "aemp profile ${config.profile} setseeds …"), or give --seed host:port.`,
    );
  }
  const { createNode } = await import('../index.js');
  const node = await createNode({ ...options, stderrLog: ctx.globals.verbose ? 'debug' : false });
  let problem: string | undefined;
  node.log$.subscribe((r: LogRecord) => {
    if (r.severity <= 5) problem = r.message; // warnings and worse, for error messages
  });
  const client: ClientNode = { node, lastProblem: () => problem, close: () => node.close() };
  const network = node.network;
  if (config.seeds.length && network) {
    const up = () => network.seedIds.size;
    if (up() === 0) {
      const failures = new Map<string, string>();
      const tell = waitingNote(ctx, config.seeds);
      const outcome = await firstValueFrom(
        race(
          network.seedUp$.pipe(map(() => 'up' as const)),
          // every seed failed once (refused, unreachable within the connect interval, auth …): fail now
          network.seedFailed$.pipe(
            filter((f) => {
              failures.set(f.address, f.reason);
              return config.seeds.every((s) => failures.has(s));
            }),
            map(() => 'failed' as const),
          ),
          timer(waitSeconds * 1000).pipe(map(() => 'timeout' as const)),
        ),
        { defaultValue: 'timeout' as const },
      ).finally(tell);
      if (outcome !== 'up') {
        await node.close();
        if (outcome === 'failed') {
          const why = config.seeds.map((s) => `  ${s}: ${failures.get(s) ?? 'no answer'}`).join('\n');
          throw new CliError(`${how}: cannot reach any seed:\n${why}`);
        }
        throw new CliError(
          `${how}: could not reach any seed (${config.seeds.join(', ')}) within ${waitSeconds} s` +
            (problem ? `: ${problem}` : ''),
        );
      }
    }
    if (up() < config.seeds.length) {
      await firstValueFrom(
        race(
          network.seedUp$.pipe(
            filter(() => up() >= config.seeds.length),
            take(1),
          ),
          timer(1000),
        ),
        { defaultValue: undefined },
      );
    }
  }
  return client;
}
