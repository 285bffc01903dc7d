/**
 * `aemp cal PORT ARGS…`: call a port — the message plus a reply port —
 * and print the reply as JSON.
 * @module
 */
import type { Command } from 'commander';
import { messageArg, portArg, secondsArg } from './args.js';
import { waitOption, withClient } from './clientNode.js';
import type { CliContext } from './context.js';
import { NET } from './helpGroups.js';
import { callOnce } from './replies.js';

/** Registers `cal`. */
export function registerCalCommand(program: Command, ctx: CliContext): void {
  waitOption(
    program
      .command('cal')
      .argument('<port>', 'the port id, NODE#NAME')
      .argument(
        '[args...]',
        'the message (JSON when an argument starts with [ { or "; numbers are numbers); a reply port id is appended',
      )
      .option('--timeout <seconds>', 'how long to wait for the reply (0: until the port dies)', '10')
      .description('call a port: send the message plus a reply port, print the reply (JSON)')
      .addHelpText('after', '\nExample: aemp cal \'seed/#echo\' hello 42     prints e.g. ["hello",42]'),
  )
    .helpGroup(NET)
    .action(async (port: string, args: string[], opts: { timeout: string; wait: string }) => {
      const to = portArg(port, 'cal');
      const msg = args.map(messageArg);
      const seconds = secondsArg(opts.timeout, '--timeout');
      await withClient(
        ctx,
        'cal',
        async (client) => {
          const reply = await callOnce(client.node, to, msg, seconds);
          ctx.json(reply);
        },
        secondsArg(opts.wait, '--wait'),
      );
    });
}
