/**
 * Commands beyond Perl's `aemp` that look at a running network: `nodes`
 * (the nodes the network knows, from the global nodes' `'l` family —
 * up/down live with `--follow`), `db FAMILY` (print a family) and
 * `watch FAMILY` (its `db.mon` deltas as they happen).
 * @module
 */
import type { Command } from 'commander';
import type { Subscription } from 'rxjs';
import { jsonText } from '../kernel/message.js';
import { secondsArg } from './args.js';
import { DEFAULT_WAIT, type ClientNode } from './clientNode.js';
import type { CliContext } from './context.js';
import { CliError, UsageError } from './errors.js';
import { within, withClient } from './networkCommands.js';
import { untilSignal } from './signals.js';

const LOOK = 'Looking at a running network:';

/** The family the global nodes keep every node's listen addresses in. */
export const LISTENERS = "'l";

/** Family names and keys errors (`TypeError` from the database) as usage errors. */
function guard<T>(fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof TypeError) throw new UsageError(e.message);
    throw e;
  }
}

function stamp(): string {
  return new Date().toISOString().replace('T', ' ').slice(0, 19);
}

function addressesText(v: unknown): string {
  return Array.isArray(v) && v.length ? v.join(',') : '(no listener)';
}

/** Runs until a signal, or until `done` settles; then cleans up `subs`. */
async function follow(subs: Subscription[], done: Promise<unknown>): Promise<void> {
  try {
    await Promise.race([untilSignal(), done]);
  } finally {
    for (const s of subs) s.unsubscribe();
  }
}

/** A promise that rejects with a CliError after `seconds` (never, for 0); its timer does not keep the process alive. */
function expire(seconds: number, text: string): Promise<never> {
  return new Promise((_, reject) => {
    if (seconds > 0) setTimeout(() => reject(new CliError(text)), seconds * 1000).unref();
  });
}

function waitOption(c: Command): Command {
  return c.option('--wait <seconds>', 'how long to wait for a seed', String(DEFAULT_WAIT));
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

/** Registers `nodes`, `db` and `watch`. */
export function registerWatchCommands(program: Command, ctx: CliContext): void {
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
            guard(() => node.db.family(family)),
            seconds,
            () => `db: no answer within ${seconds} s`,
          );
          ctx.out(ctx.globals.json ? jsonText(value) : jsonText(value, 2));
        },
        secondsArg(opts.wait, '--wait'),
      );
    });

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
          const sub = guard(() => node.db.mon(family)).subscribe({
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
