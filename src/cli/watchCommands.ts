/**
 * Commands beyond Perl's `aemp` that look at a running network: `nodes`
 * (the nodes the network knows — up/down live with `--follow`), `db FAMILY`
 * (print a family) and `watch FAMILY` (its changes as they happen). One
 * file per command; `logs` (`logsCommand.ts`) joins them in the help.
 * @module
 */
import type { Command } from 'commander';
import type { CliContext } from './context.js';
import { registerDbCommand } from './dbCommand.js';
import { registerNodesCommand } from './nodesCommand.js';
import { registerWatchCommand } from './watchCommand.js';

/** Registers `nodes`, `db` and `watch` (in this order: the order of `aemp --help`). */
export function registerWatchCommands(program: Command, ctx: CliContext): void {
  registerNodesCommand(program, ctx);
  registerDbCommand(program, ctx);
  registerWatchCommand(program, ctx);
}
