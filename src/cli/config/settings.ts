/**
 * The `setX`/`delX` commands (and `addX`/`delX` for one list entry) of the
 * settings that have their own (the table entries with a `cli` spec in
 * `src/config/schema.ts`), built from the table.
 * @module
 */
import type { Command } from 'commander';
import {
  SETTING_ENTRIES,
  type CliGroup,
  type CliSpec,
  type ListKey,
  type SettingSpec,
} from '../../index.js';
import { decodeArg } from '../args.js';
import type { CliContext } from '../context.js';
import { checkSeed, edit, inGroup, TARGET_NOTE, valueFor } from './shared.js';

/** Registers the commands of every setting of help group `group`, in table order. */
export function registerSettingCommands(program: Command, ctx: CliContext, group: CliGroup): void {
  for (const [, spec] of SETTING_ENTRIES) {
    const cli = spec.cli;
    if (cli?.group !== group) continue;
    registerSetDel(program, ctx, spec, cli);
    if (cli.list !== undefined) registerListEditors(program, ctx, spec.rc as ListKey, cli, cli.list);
  }
}

/** `set` + the setting's description, with its numeric default. */
function describeSet(spec: SettingSpec): string {
  const dflt = typeof spec.default === 'number' ? ` (default ${spec.default})` : '';
  return `set ${spec.rc}: ${spec.help}${dflt}`;
}

function registerSetDel(program: Command, ctx: CliContext, spec: SettingSpec, cli: CliSpec): void {
  const key = spec.rc;
  inGroup(
    program
      .command(`set${key}`)
      .alias(key)
      .argument(`<${cli.arg}>`, cli.about)
      .description(describeSet(spec))
      .addHelpText('after', `\n${TARGET_NOTE}`)
      .action((value: string) => edit(() => ctx.editor().setKey(ctx.target, key, valueFor(key, value)))),
    cli.group,
  );
  inGroup(
    program
      .command(`del${key}`)
      .description(`remove ${key} (the profile then inherits it)`)
      .addHelpText('after', `\n${TARGET_NOTE}`)
      .action(() => edit(() => ctx.editor().delKey(ctx.target, key))),
    cli.group,
  );
}

function registerListEditors(
  program: Command,
  ctx: CliContext,
  key: ListKey,
  cli: CliSpec,
  list: NonNullable<CliSpec['list']>,
): void {
  const one = list.one;
  inGroup(
    program
      .command(`add${one}`)
      .argument(`<${one}>`, list.about)
      .description(`add one entry to ${key}`)
      .addHelpText('after', `\n${TARGET_NOTE}`)
      .action((value: string) =>
        edit(() => {
          const v = cli.seeds ? checkSeed(decodeArg(value, one)) : decodeArg(value, one);
          ctx.editor().addToList(ctx.target, key, v);
        }),
      ),
    cli.group,
  );
  inGroup(
    program
      .command(`del${one}`)
      .argument(`<${one}>`, list.about)
      .description(`remove one entry from ${key}`)
      .addHelpText('after', `\n${TARGET_NOTE}`)
      .action((value: string) =>
        edit(() => ctx.editor().delFromList(ctx.target, key, decodeArg(value, one))),
      ),
    cli.group,
  );
}
