/**
 * The `aemp` command as a commander program: the global options and every
 * sub-command group. A fresh program is built for each sub-command of a
 * chain (see `chain.ts`); they all act on one {@link CliContext}.
 * @module
 */
import { readFileSync } from 'node:fs';
import { Command, Option } from 'commander';
import { splitList } from './args.js';
import { checkSeed, registerConfigCommands } from './configCommands.js';
import { UsageError } from './errors.js';
import type { CliContext } from './context.js';
import { registerLogsCommand } from './logsCommand.js';
import { registerNetworkCommands } from './networkCommands.js';
import { registerRunCommand } from './runCommand.js';
import { registerWatchCommands } from './watchCommands.js';

/** The package version, for `aemp --version` (src/cli and dist/cli both sit two levels below package.json). */
export const VERSION: string = (() => {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
      version?: unknown;
    };
    return typeof pkg.version === 'string' ? pkg.version : 'unknown';
  } catch {
    return 'unknown';
  }
})();

const EXAMPLES = `
Sub-commands are processed left to right, like Perl's aemp:
  aemp gensecret                                   a fresh shared secret (top level)
  aemp profile seed setbinds 127.0.0.1:4040 setsecret s3cret
  aemp setseeds 127.0.0.1:4040 showconfig
  aemp run profile seed                            run a node of profile "seed"
  aemp cal 'seed/#myport' ping 1                   send, print the reply (JSON)
  aemp nodes                                       the nodes the seeds know

Arguments starting with [ { or " are JSON. The rc file is --rc FILE, else
$PERL_ANYEVENT_MP_RC, else ~/.perl-anyevent-mp (shared with Perl's AnyEvent::MP).
Exit status (scripts may rely on it):
  0  success
  1  what was asked for failed: no seed reachable, cal timed out or its target
     died, mon saw an abnormal end (its reason is printed) or no_such_port,
     snd not confirmed, ping got no reply
  2  usage: unknown command, wrong or missing arguments, bad option value`;

/** Builds the program; `ctx.globals` is filled from its options before any action runs. */
export function buildProgram(ctx: CliContext): Command {
  const program = new Command('aemp');
  program
    .description(
      "configure and talk to aemp / AnyEvent::MP nodes (the aemp command of Perl's AnyEvent::MP, and more)",
    )
    .version(VERSION, '-V, --version')
    .exitOverride()
    .configureOutput({
      writeOut: (s) => ctx.stdout.write(s),
      writeErr: (s) => ctx.stderr.write(s),
    })
    .showHelpAfterError('(add --help for usage)')
    .showSuggestionAfterError(true)
    .addOption(new Option('--rc <file>', 'the rc file to read and edit'))
    .addOption(new Option('--profile <name>', 'profile of the node a network command makes (default "aemp")'))
    .addOption(
      new Option(
        '--seed <host:port>',
        'a seed for a network command instead of the configured ones (a,b; repeatable)',
      ).argParser((value: string, previous: string[] | undefined) => [
        ...(previous ?? []),
        ...splitList(value).map((seed) => {
          try {
            return checkSeed(seed);
          } catch (e) {
            throw new UsageError(`--seed: ${(e as Error).message}`);
          }
        }),
      ]),
    )
    .addOption(new Option('--json', 'machine-readable output: one JSON value per line'))
    .addOption(new Option('-v, --verbose', "show the network command's own node's log on stderr"))
    .addHelpText('after', EXAMPLES)
    .hook('preAction', (thisCommand) => {
      ctx.globals = thisCommand.opts();
    });
  registerConfigCommands(program, ctx);
  registerNetworkCommands(program, ctx);
  registerRunCommand(program, ctx);
  registerWatchCommands(program, ctx);
  registerLogsCommand(program, ctx);
  return program;
}
