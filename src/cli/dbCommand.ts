/**
 * `aemp db FAMILY`: print a family of the distributed database as JSON
 * (key → value).
 * @module
 */
import type { Command } from 'commander';
import { jsonText } from '../index.js';
import { secondsArg } from './args.js';
import { waitOption, withClient } from './clientNode.js';
import type { CliContext } from './context.js';
import { typeErrorsAsUsage } from './errors.js';
import { LOOK } from './helpGroups.js';
import { within } from './replies.js';

/** Registers `db`. */
export function registerDbCommand(program: Command, ctx: CliContext): void {
  waitOption(
    program
      .command('db')
      .argument('<family>', "the family, e.g. 'l (every node's addresses) or one of your own")
      .option('--timeout <seconds>', 'how long to wait for the answer', '10')
      .description('print a family of the distributed database (JSON: key → value)'),
  )
    .helpGroup(LOOK)
    .action(async (family: string, opts: { timeout: string; wait: string }) => {
      const seconds = secondsArg(opts.timeout, '--timeout');
      await withClient(
        ctx,
        'db',
        async ({ node }) => {
          const value = await within(
            typeErrorsAsUsage(() => node.db.family(family)),
            seconds,
            () => `db: no answer within ${seconds} s`,
          );
          ctx.out(ctx.globals.json ? jsonText(value) : jsonText(value, 2));
        },
        secondsArg(opts.wait, '--wait'),
      );
    });
}
