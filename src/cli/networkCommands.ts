/**
 * The network sub-commands of Perl's `aemp` — `snd`, `cal`, `mon` — and our
 * `ping`. Each makes a short-lived node (`clientNode.ts`), does its one
 * thing and ends; failures (no route, no reply, a dead port) are messages
 * on stderr and exit code 1. One file per command.
 * @module
 */
import type { Command } from 'commander';
import { registerCalCommand } from './calCommand.js';
import type { CliContext } from './context.js';
import { registerMonCommand } from './monCommand.js';
import { registerPingCommand } from './pingCommand.js';
import { registerSndCommand } from './sndCommand.js';

/** Registers `snd`, `cal`, `mon` and `ping` (in this order: the order of `aemp --help`). */
export function registerNetworkCommands(program: Command, ctx: CliContext): void {
  registerSndCommand(program, ctx);
  registerCalCommand(program, ctx);
  registerMonCommand(program, ctx);
  registerPingCommand(program, ctx);
}
