/**
 * `aemp snd PORT ARGS…`: send a message to a port and confirm that it
 * reached the port's node (a relay round trip through its node port, as
 * Perl's `aemp snd` does).
 * @module
 */
import type { Command } from 'commander';
import { messageArg, nodeOfPort, portArg, secondsArg } from './args.js';
import { waitOption, withClient } from './clientNode.js';
import type { CliContext } from './context.js';
import { NET } from './helpGroups.js';
import { confirmDelivery } from './replies.js';

/** Registers `snd`. */
export function registerSndCommand(program: Command, ctx: CliContext): void {
  waitOption(
    program
      .command('snd')
      .argument('<port>', 'the port id, NODE#NAME')
      .argument('[args...]', 'the message (JSON when an argument starts with [ { or "; numbers are numbers)')
      .option('--timeout <seconds>', 'how long to wait for the delivery confirmation', '10')
      .description("send a message to a port, and confirm it reached the port's node")
      .addHelpText('after', "\nExample: aemp snd 'worker/Ab3#queue' job '{\"id\":1}'"),
  )
    .helpGroup(NET)
    .action(async (port: string, args: string[], opts: { timeout: string; wait: string }) => {
      const to = portArg(port, 'snd');
      const msg = args.map(messageArg);
      const seconds = secondsArg(opts.timeout, '--timeout');
      await withClient(
        ctx,
        'snd',
        async (client) => {
          client.node.snd(to, ...msg);
          await confirmDelivery(client, nodeOfPort(to), seconds);
          if (ctx.globals.json) ctx.json({ sent: to, message: msg });
        },
        secondsArg(opts.wait, '--wait'),
      );
    });
}
