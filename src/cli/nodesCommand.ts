/**
 * `aemp nodes [-f]`: the nodes the network knows, from the global nodes'
 * `'l` family (node id and listen addresses); with `--follow`, then each
 * node as it comes up or goes down, until a signal.
 * @module
 */
import type { Command } from 'commander';
import { secondsArg } from './args.js';
import { waitOption, withClient, type ClientNode } from './clientNode.js';
import type { CliContext } from './context.js';
import { CliError } from './errors.js';
import { LOOK } from './helpGroups.js';
import { follow } from './signals.js';

/** The family the global nodes keep every node's listen addresses in. */
export const LISTENERS = "'l";

function stamp(): string {
  return new Date().toISOString().replace('T', ' ').slice(0, 19);
}

function addressesText(v: unknown): string {
  return Array.isArray(v) && v.length ? v.join(',') : '(no listener)';
}

/** A promise that rejects with a CliError after `seconds` (never, for 0); its timer does not keep the process alive. */
function expire(seconds: number, text: string): Promise<never> {
  return new Promise((_, reject) => {
    if (seconds > 0) setTimeout(() => reject(new CliError(text)), seconds * 1000).unref();
  });
}

/** Registers `nodes`. */
export function registerNodesCommand(program: Command, ctx: CliContext): void {
  waitOption(
    program
      .command('nodes')
      .option('-f, --follow', 'keep running, printing nodes as they come up and go down')
      .option('--timeout <seconds>', 'how long to wait for the database', '10')
      .description('list the nodes the network knows (node id, listen addresses); with -f, follow them')
      .addHelpText('after', '\nWith --json: one {"node","up","addresses"} object per line.'),
  )
    .helpGroup(LOOK)
    .action(async (opts: { follow?: boolean; timeout: string; wait: string }) => {
      const seconds = secondsArg(opts.timeout, '--timeout');
      await withClient(
        ctx,
        'nodes',
        (client) => nodesCommand(ctx, client, opts.follow === true, seconds),
        secondsArg(opts.wait, '--wait'),
      );
    });
}

/** `nodes`: lists, then (with --follow) follows. */
async function nodesCommand(
  ctx: CliContext,
  client: ClientNode,
  followIt: boolean,
  seconds: number,
): Promise<void> {
  const { node } = client;
  const me = node.id;
  const print = (id: string, up: boolean, addresses: unknown, live: boolean) => {
    if (id === me) return;
    if (ctx.globals.json) {
      ctx.json({ node: id, up, ...(up ? { addresses } : {}), ...(live ? { time: Date.now() / 1000 } : {}) });
    } else if (!live) {
      ctx.out(`${id}\t${addressesText(addresses)}`);
    } else {
      ctx.out(`${stamp()} ${up ? 'up  ' : 'down'} ${id}${up ? `\t${addressesText(addresses)}` : ''}`);
    }
  };
  let first = true;
  let listed!: () => void;
  let ended!: (e?: unknown) => void;
  const gotFirst = new Promise<void>((resolve) => (listed = resolve));
  const finished = new Promise<void>((resolve, reject) => (ended = (e) => (e ? reject(e) : resolve())));
  const sub = node.db.mon(LISTENERS).subscribe({
    next: (d) => {
      for (const [id, a] of Object.entries(d.added)) print(id, true, a, !first);
      for (const [id, a] of Object.entries(d.changed)) print(id, true, a, !first);
      for (const id of Object.keys(d.deleted)) print(id, false, undefined, !first);
      if (first) {
        first = false;
        listed();
      }
    },
    error: (e: unknown) => ended(e),
    complete: () => ended(),
  });
  try {
    await Promise.race([
      gotFirst,
      finished,
      expire(seconds, `nodes: the database did not answer within ${seconds} s`),
    ]);
  } catch (e) {
    sub.unsubscribe();
    throw e;
  }
  if (!followIt) {
    sub.unsubscribe();
    return;
  }
  await follow([sub], finished);
}
