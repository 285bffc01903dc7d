/**
 * The network sub-commands of Perl's `aemp` — `snd`, `cal`, `mon` — and our
 * `ping`. Each makes a short-lived node (`clientNode.ts`), does its one
 * thing and ends; failures (no route, no reply, a dead port) are messages
 * on stderr and exit code 1.
 * @module
 */
import { performance } from 'node:perf_hooks';
import type { Command } from 'commander';
import { firstValueFrom, throwError, timeout, type Observable } from 'rxjs';
import type { AempNode, Message, Reason } from '../index.js';
import { jsonText } from '../kernel/message.js';
import { countArg, messageArg, secondsArg } from './args.js';
import { DEFAULT_WAIT, openClientNode, type ClientNode } from './clientNode.js';
import type { CliContext } from './context.js';
import { CliError, UsageError } from './errors.js';

const NET = 'Network (these make a node of profile "aemp", id anon/…, that connects to the seeds):';

/** Runs `fn` with a fresh client node, closing it afterwards. */
export async function withClient<T>(
  ctx: CliContext,
  how: string,
  fn: (client: ClientNode) => Promise<T>,
  waitSeconds = DEFAULT_WAIT,
): Promise<T> {
  const client = await openClientNode(ctx, how, waitSeconds);
  try {
    return await fn(client);
  } finally {
    await client.close();
  }
}

/** Checks a port id argument (`NODE#NAME`). */
export function portArg(arg: string, how: string): string {
  const i = arg.indexOf('#');
  if (i <= 0) throw new UsageError(`${how}: ${JSON.stringify(arg)} is not a port id (NODE#NAME)`);
  return arg;
}

function nodeOfPort(id: string): string {
  return id.slice(0, id.indexOf('#'));
}

function isPortKilled(e: unknown): e is Error & { reason: Reason; port: string } {
  return e instanceof Error && e.name === 'PortKilled' && Array.isArray((e as { reason?: unknown }).reason);
}

/** A reason as the user reads it: `transport_error` gets words around it. */
export function explainReason(reason: Reason): string {
  if (reason[0] === 'transport_error') {
    const hint = reason[2] === 'no known address' ? ' (is it running, and known to the seeds?)' : '';
    return `cannot reach node ${String(reason[1])}: ${String(reason[2])}${hint}`;
  }
  if (reason[0] === 'no_such_port') return 'no such port';
  return `the port died: ${jsonText(reason)}`;
}

/** The first value of `source` within `seconds` (0 = no limit), else a CliError with `what`. */
export function within<T>(source: Observable<T>, seconds: number, what: () => string): Promise<T> {
  const bounded =
    seconds > 0
      ? source.pipe(timeout({ first: seconds * 1000, with: () => throwError(() => new CliError(what())) }))
      : source;
  return firstValueFrom(bounded);
}

/**
 * Confirms that what was sent to `node` before has arrived there: a `snd`
 * relay round trip through its node port (what Perl's `aemp snd` does).
 */
export async function confirmDelivery(client: ClientNode, node: string, seconds: number): Promise<void> {
  try {
    await within(
      client.node.call(`${node}#`, ['snd']),
      seconds,
      () => `no confirmation from node ${node} within ${seconds} s`,
    );
  } catch (e) {
    if (isPortKilled(e)) throw new CliError(explainReason(e.reason));
    throw e;
  }
}

/** `cal`: one reply, or a CliError saying why there is none. */
export async function callOnce(
  node: AempNode,
  port: string,
  msg: Message,
  seconds: number,
): Promise<Message> {
  try {
    return await within(node.call(port, msg), seconds, () => `no reply from ${port} within ${seconds} s`);
  } catch (e) {
    if (isPortKilled(e)) throw new CliError(`${port}: ${explainReason(e.reason)}`);
    if (e instanceof Error && e.name === 'EmptyError') throw new CliError(`${port} ended without replying`);
    throw e;
  }
}

function waitOption(c: Command): Command {
  return c.option('--wait <seconds>', 'how long to wait for a seed', String(DEFAULT_WAIT));
}

/** Registers `snd`, `cal`, `mon` and `ping`. */
export function registerNetworkCommands(program: Command, ctx: CliContext): void {
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

  waitOption(
    program
      .command('ping')
      .argument('[node]', 'a node id (or a port id: its node); default: every seed')
      .option('-c, --count <n>', 'how many round trips', '3')
      .option('-i, --interval <seconds>', 'pause between round trips', '0.5')
      .option('--timeout <seconds>', 'how long to wait for each reply', '5')
      .description("measure round-trip times to a node (its node port's time request)")
      .addHelpText(
        'after',
        '\nPrints one line per reply and a summary; with --json one JSON object per line.',
      ),
  )
    .helpGroup(NET)
    .action(
      async (
        target: string | undefined,
        opts: { count: string; interval: string; timeout: string; wait: string },
      ) => {
        const count = countArg(opts.count, '--count');
        const interval = secondsArg(opts.interval, '--interval');
        const seconds = secondsArg(opts.timeout, '--timeout');
        await withClient(
          ctx,
          'ping',
          async (client) => {
            const nodes =
              target !== undefined ? [target.includes('#') ? nodeOfPort(target) : target] : seedNodes(client);
            if (nodes.length === 0) throw new CliError('ping: no node given and no seed reached');
            let failed = 0;
            for (const n of nodes) if (!(await ping(ctx, client, n, count, interval, seconds))) failed++;
            if (failed) throw new CliError(`ping: no reply from ${failed} of ${nodes.length} node(s)`);
          },
          secondsArg(opts.wait, '--wait'),
        );
      },
    );
}

function seedNodes(client: ClientNode): string[] {
  return [...new Set(client.node.network?.seedIds.values() ?? [])];
}

function round(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}

/** Pings one node; resolves to whether any reply came. */
async function ping(
  ctx: CliContext,
  client: ClientNode,
  node: string,
  count: number,
  interval: number,
  seconds: number,
): Promise<boolean> {
  const rtts: number[] = [];
  for (let seq = 1; seq <= count; seq++) {
    if (seq > 1 && interval > 0) await new Promise((r) => setTimeout(r, interval * 1000));
    const wall = Date.now();
    const t0 = performance.now();
    try {
      const [time] = await callOnce(client.node, `${node}#`, ['time'], seconds);
      const rtt = performance.now() - t0;
      rtts.push(rtt);
      const offset = typeof time === 'number' ? time * 1000 - (wall + rtt / 2) : undefined;
      if (ctx.globals.json) {
        ctx.json({
          node,
          seq,
          rtt_ms: round(rtt),
          ...(offset === undefined ? {} : { clock_offset_ms: round(offset) }),
        });
      } else {
        const off =
          offset === undefined ? '' : ` clock offset ${offset >= 0 ? '+' : ''}${offset.toFixed(1)} ms`;
        ctx.out(`reply from ${node}: seq=${seq} time=${rtt.toFixed(3)} ms${off}`);
      }
    } catch (e) {
      if (!(e instanceof CliError)) throw e;
      if (ctx.globals.json) ctx.json({ node, seq, error: e.message });
      else ctx.out(`no reply from ${node}: seq=${seq}: ${e.message}`);
    }
  }
  const received = rtts.length;
  const min = received ? Math.min(...rtts) : 0;
  const max = received ? Math.max(...rtts) : 0;
  const avg = received ? rtts.reduce((a, b) => a + b, 0) / received : 0;
  if (ctx.globals.json) {
    ctx.json({
      node,
      sent: count,
      received,
      ...(received ? { min_ms: round(min), avg_ms: round(avg), max_ms: round(max) } : {}),
    });
  } else {
    const stats = received ? `, min/avg/max = ${min.toFixed(3)}/${avg.toFixed(3)}/${max.toFixed(3)} ms` : '';
    ctx.out(`--- ${node}: ${count} sent, ${received} received${stats}`);
  }
  return received > 0;
}
