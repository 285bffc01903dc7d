/**
 * The node a network command (`snd`, `cal`, `mon`, `ping`, `nodes`, `db`,
 * `watch`, `logs`) makes for itself (its options: `clientOptions.ts`). It
 * waits until it reached a seed before the command goes on
 * (`waitForSeeds.ts`), and explains what to configure when it cannot.
 * @module
 */
import type { Command } from 'commander';
import { createNode, type AempNode } from '../index.js';
import { checkedConfig } from './checkedConfig.js';
import { clientNodeOptions } from './clientOptions.js';
import type { CliContext } from './context.js';
import { CliError } from './errors.js';
import { waitForSeeds } from './waitForSeeds.js';

/** Seconds to wait for a seed before giving up (`--wait` where a command has it). */
export const DEFAULT_WAIT = 10;

/** Adds `--wait <seconds>` (how long to wait for a seed) to a network command. */
export function waitOption(c: Command): Command {
  return c.option('--wait <seconds>', 'how long to wait for a seed', String(DEFAULT_WAIT));
}

/** A network command's node. */
export interface ClientNode {
  readonly node: AempNode;
  /** Closes the node. */
  close(): Promise<void>;
}

/**
 * Makes the command's node and waits (at most `waitSeconds`) until a seed
 * is connected; then up to a second more for the other seeds.
 * @throws CliError when nothing is configured to connect to, or no seed answers in time.
 */
export async function openClientNode(
  ctx: CliContext,
  how: string,
  waitSeconds = DEFAULT_WAIT,
): Promise<ClientNode> {
  ctx.flush();
  const options = clientNodeOptions(ctx);
  const config = checkedConfig(options, how);
  if (config.seeds.length === 0 && Object.keys(config.addresses).length === 0) {
    throw new CliError(
      `${how}: no seeds configured to connect to (profile ${JSON.stringify(config.profile)}).\n` +
        `Set them with "aemp setseeds host:port,…" (or "aemp profile ${config.profile} setseeds …"), or give --seed host:port.`,
    );
  }
  const node = await createNode({ ...options, stderrLog: ctx.globals.verbose ? 'debug' : false });
  if (config.seeds.length) {
    try {
      await waitForSeeds(ctx, node, config.seeds, how, waitSeconds);
    } catch (e) {
      await node.close();
      throw e;
    }
  }
  return { node, close: () => node.close() };
}

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
