/**
 * `set KEY VALUE` and `del KEY`: any node setting of the settings table,
 * by its rc-file (or camelCase) name.
 * @module
 */
import type { Command } from 'commander';
import { settingOf, toSnakeKey } from '../../index.js';
import { clip } from '../args.js';
import type { CliContext } from '../context.js';
import { UsageError } from '../errors.js';
import { edit, inGroup, SETTABLE_KEYS, TARGET_NOTE, valueFor } from './shared.js';

/** Registers `set` and `del`. */
export function registerAnyKeyCommands(program: Command, ctx: CliContext): void {
  inGroup(
    program
      .command('set')
      .argument('<key>', `a configuration key: ${SETTABLE_KEYS.join(', ')}`)
      .argument(
        '<value>',
        'the value (lists: a,b or JSON; booleans: true/false; JSON when it starts with [ { ")',
      )
      .description('set any configuration key')
      .addHelpText('after', `\n${TARGET_NOTE}`)
      .action((key: string, value: string) => {
        const k = settableKey(key);
        edit(() => ctx.editor().setKey(ctx.target, k, valueFor(k, value)));
      }),
    'lowLevel',
  );
  inGroup(
    program
      .command('del')
      .argument('<key>', 'a configuration key')
      .description('remove any configuration key')
      .addHelpText('after', `\n${TARGET_NOTE}`)
      .action((key: string) => {
        const k = settableKey(key);
        edit(() => ctx.editor().delKey(ctx.target, k));
      }),
    'lowLevel',
  );
}

/** The rc-file name of node setting `key` (either spelling). @throws UsageError for `eval` and unknown keys. */
function settableKey(key: string): string {
  const k = toSnakeKey(key);
  if (k === 'eval')
    throw new UsageError(
      'eval: aemp never runs Perl code; edit the rc file by hand to keep one for Perl nodes',
    );
  if (settingOf(k)?.role !== 'value') {
    throw new UsageError(`unknown configuration key ${clip(key)} (known: ${SETTABLE_KEYS.join(', ')})`);
  }
  return k;
}
