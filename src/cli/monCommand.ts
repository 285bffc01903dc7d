/**
 * `aemp mon PORT`: monitor a port until it dies and print the kill reason
 * as Perl's `aemp` prints it; an abnormal end is a failure (exit 1).
 * @module
 */
import type { Command } from 'commander';
import type { Reason } from '../index.js';
import { portArg, secondsArg } from './args.js';
import { waitOption, withClient } from './clientNode.js';
import type { CliContext } from './context.js';
import { CliError } from './errors.js';
import { NET } from './helpGroups.js';

/** Registers `mon`. */
export function registerMonCommand(program: Command, ctx: CliContext): void {
  waitOption(
    program
      .command('mon')
      .argument('<port>', 'the port id, NODE#NAME')
      .option(
        '--timeout <seconds>',
        'give up (exit 1) if it is still alive after this long (default: wait forever)',
      )
      .description(
        'monitor a port: wait until it dies, print the kill reason (JSON; [] = a normal end, exit 0; else exit 1)',
      ),
  )
    .helpGroup(NET)
    .action(async (port: string, opts: { timeout?: string; wait: string }) => {
      const target = portArg(port, 'mon');
      const seconds = opts.timeout === undefined ? 0 : secondsArg(opts.timeout, '--timeout');
      await withClient(
        ctx,
        'mon',
        async (client) => {
          let cancel: () => void = () => {};
          const reason = await new Promise<Reason>((resolve, reject) => {
            const sub = client.node.mon(target, resolve);
            const t =
              seconds > 0
                ? setTimeout(
                    () => reject(new CliError(`${target} is still alive after ${seconds} s`)),
                    seconds * 1000,
                  )
                : undefined;
            cancel = () => {
              sub.unsubscribe();
              clearTimeout(t);
            };
          }).finally(() => cancel());
          ctx.json(reason);
          // printed as Perl's aemp prints it; an abnormal end (no_such_port, transport_error …) is a failure
          if (reason.length > 0) throw new CliError('', 1);
        },
        secondsArg(opts.wait, '--wait'),
      );
    });
}
