/**
 * The configuration sub-commands of `aemp` (PROTOCOL.md §12): they edit the
 * rc file through `RcEditor` — at the top level, or in the profile that a
 * preceding `profile NAME` switched to — and show profiles and effective
 * configurations. Nothing is written until every sub-command of the command
 * line succeeded; then the file is written once (keeping the previous
 * version as `<file>~`), and only if something changed.
 *
 * The settings' own `setX`/`delX` commands come from the settings table
 * (`src/config/schema.ts`); one file per command group in `config/`.
 * @module
 */
import type { Command } from 'commander';
import type { CliContext } from './context.js';
import { registerIdentityCommands } from './config/identity.js';
import { registerAnyKeyCommands } from './config/lowLevel.js';
import { registerProfileCommands } from './config/profiles.js';
import { registerSettingCommands } from './config/settings.js';

export { generateSecret } from './config/identity.js';
export { checkSeed, valueFor } from './config/shared.js';

/** Registers the configuration sub-commands, group by group (the order of `aemp --help`). */
export function registerConfigCommands(program: Command, ctx: CliContext): void {
  registerSettingCommands(program, ctx, 'identity');
  registerIdentityCommands(program, ctx);
  registerSettingCommands(program, ctx, 'addresses');
  registerProfileCommands(program, ctx);
  registerSettingCommands(program, ctx, 'lowLevel');
  registerAnyKeyCommands(program, ctx);
}
