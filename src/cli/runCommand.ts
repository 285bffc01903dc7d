/**
 * `aemp run [KEY VALUE…]`: configure a node from the rc file plus these
 * settings (as `configure` arguments: the file wins unless `force 1`) and
 * run it until SIGINT or SIGTERM, logging to stderr. The node also serves
 * log catchers (`aemp logs`).
 * @module
 */
import type { Command } from 'commander';
import {
  createNode,
  LOG_LEVELS,
  setOwn,
  toCamelKey,
  toSnakeKey,
  type LogLevel,
  type NodeOptions,
} from '../index.js';
import { checkedConfig } from './checkedConfig.js';
import { valueFor } from './configCommands.js';
import type { CliContext } from './context.js';
import { UsageError } from './errors.js';
import { RUN } from './helpGroups.js';
import { untilSignal } from './signals.js';

/** The `createNode` options of `aemp run KEY VALUE…`. */
export function runOptions(ctx: CliContext, settings: readonly string[]): NodeOptions {
  if (settings.length % 2) throw new UsageError('run: settings must be KEY VALUE pairs');
  const options: Record<string, unknown> = {};
  for (let i = 0; i < settings.length; i += 2) {
    const key = settings[i] as string;
    const value = settings[i + 1] as string;
    setOwn(options, toCamelKey(key), key === 'profile' ? value : valueFor(toSnakeKey(key), value));
  }
  if (options.profile === undefined && ctx.globals.profile !== undefined)
    options.profile = ctx.globals.profile;
  if (options.rcPath === undefined && options.norc !== true) {
    try {
      options.rcPath = ctx.rcPath();
    } catch {
      options.norc = true;
    }
  }
  return options as NodeOptions;
}

/** Registers `run`. */
export function registerRunCommand(program: Command, ctx: CliContext): void {
  program
    .command('run')
    .argument(
      '[settings...]',
      'KEY VALUE pairs, as configure arguments: profile NAME, binds a,b, seeds a,b, force 1 …',
    )
    .option(
      '-l, --log-level <level>',
      `log records at this level or worse go to stderr (${LOG_LEVELS.join(', ')})`,
      'info',
    )
    .description('run a node configured from the rc file (and these settings) until Ctrl-C / SIGTERM')
    .addHelpText(
      'after',
      `
The profile is "profile NAME" among the settings, else --profile, else the host name.
Settings are configure arguments: the rc file wins over them unless "force 1" is given.
With --json, prints one line {"node":…,"addresses":[…]} to stdout once the node runs.

Example: aemp profile seed setbinds 127.0.0.1:4040 gensecret
         aemp run profile seed`,
    )
    .helpGroup(RUN)
    .action(async (settings: string[], opts: { logLevel: string }) => {
      if (!(LOG_LEVELS as readonly string[]).includes(opts.logLevel)) {
        throw new UsageError(`--log-level must be one of ${LOG_LEVELS.join(', ')}`);
      }
      ctx.flush();
      const options = runOptions(ctx, settings);
      checkedConfig(options, 'run');
      const stopped = untilSignal();
      const node = await createNode({ ...options, stderrLog: opts.logLevel as LogLevel });
      const where = node.addresses.length ? `listening on ${node.addresses.join(', ')}` : 'not listening';
      const seeds = node.config.seeds.length ? `, seeds ${node.config.seeds.join(', ')}` : '';
      ctx.note(
        `aemp: node ${node.id} (profile ${node.config.profile}) running, ${where}${seeds}; Ctrl-C ends it`,
      );
      if (ctx.globals.json)
        ctx.json({ node: node.id, profile: node.config.profile, addresses: node.addresses });
      const signal = await stopped;
      ctx.note(`aemp: ${signal}: closing node ${node.id}`);
      await node.close();
    });
}
