/**
 * `aemp watch FAMILY`: follow a family of the distributed database — its
 * contents, then every change (`db.mon` deltas) — until a signal.
 * @module
 */
import type { Command } from 'commander';
import { jsonText } from '../index.js';
import { waitOption, withClient } from './clientNode.js';
import { secondsArg } from './args.js';
import type { CliContext } from './context.js';
import { typeErrorsAsUsage } from './errors.js';
import { LOOK } from './helpGroups.js';
import { follow } from './signals.js';

/** Registers `watch`. */
export function registerWatchCommand(program: Command, ctx: CliContext): void {
  waitOption(
    program
      .command('watch')
      .argument('<family>', 'the family to follow')
      .description(
        'follow a family of the distributed database: its contents, then every change, until Ctrl-C',
      )
      .addHelpText(
        'after',
        '\nLines: "+ key value" (added), "~ key value" (changed), "- key" (deleted), values as JSON.\nWith --json: one {"family","added","changed","deleted"} object per change (the first holds everything).',
      ),
  )
    .helpGroup(LOOK)
    .action(async (family: string, opts: { wait: string }) => {
      await withClient(
        ctx,
        'watch',
        async ({ node }) => {
          let ended!: (e?: unknown) => void;
          const finished = new Promise<void>(
            (resolve, reject) => (ended = (e) => (e ? reject(e) : resolve())),
          );
          const sub = typeErrorsAsUsage(() => node.db.mon(family)).subscribe({
            next: (d) => {
              if (ctx.globals.json) {
                ctx.json({ family: d.family, added: d.added, changed: d.changed, deleted: d.deleted });
                return;
              }
              for (const [k, v] of Object.entries(d.added)) ctx.out(`+ ${k} ${jsonText(v)}`);
              for (const [k, v] of Object.entries(d.changed)) ctx.out(`~ ${k} ${jsonText(v)}`);
              for (const k of Object.keys(d.deleted)) ctx.out(`- ${k}`);
            },
            error: (e: unknown) => ended(e),
            complete: () => ended(),
          });
          await follow([sub], finished);
        },
        secondsArg(opts.wait, '--wait'),
      );
    });
}
