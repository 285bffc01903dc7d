/**
 * `aemp ping [NODE]`: round-trip times to a node (every seed by default),
 * through its node port's `time` request, which also gives the clock
 * offset; a line per reply and a summary per node.
 * @module
 */
import { performance } from 'node:perf_hooks';
import type { Command } from 'commander';
import { countArg, nodeOfPort, secondsArg } from './args.js';
import { waitOption, withClient, type ClientNode } from './clientNode.js';
import type { CliContext } from './context.js';
import { CliError } from './errors.js';
import { NET } from './helpGroups.js';
import { callOnce } from './replies.js';

/** Registers `ping`. */
export function registerPingCommand(program: Command, ctx: CliContext): void {
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

/** The node ids of the seeds known now, each once. */
function seedNodes(client: ClientNode): string[] {
  return [...new Set(client.node.seeds().values())];
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
  summary(ctx, node, count, rtts);
  return rtts.length > 0;
}

/** The last line for one node: sent, received, min/avg/max. */
function summary(ctx: CliContext, node: string, count: number, rtts: readonly number[]): void {
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
}
