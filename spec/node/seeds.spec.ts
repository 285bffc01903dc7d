/**
 * `node.seeds$` and `node.seeds()`: what the public node tells about its
 * configured seeds — a failed attempt with its reason, a seed that came
 * up with its node id — so that a program (the `aemp` command is one)
 * never has to read the network's fields or the log's text.
 */
import { createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { AempNode, SeedEvent } from '../../src/index.js';
import { until } from '../helpers/net.js';
import { makeNode } from '../helpers/nodes.js';

const open: AempNode[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((n) => n.close()));
});

/** A loopback port nothing listens on (now). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('seeds$ and seeds()', () => {
  it('tells a refused seed with its reason, then the seed coming up with its node id', async () => {
    const port = await freePort();
    const address = `127.0.0.1:${port}`;
    const client = await makeNode('client/', { binds: [], seeds: [address], monitorTimeout: 1 });
    open.push(client);
    const events: SeedEvent[] = [];
    client.seeds$.subscribe((e) => events.push(e));

    await until('a failed attempt', () => events.some((e) => !e.up));
    expect(events.find((e) => !e.up)).toEqual({ address, up: false, reason: 'Connection refused' });
    expect(client.seeds().size).toBe(0);

    const seed = await makeNode('seed/', { binds: [address] });
    open.push(seed);
    await until('the seed up', () => events.some((e) => e.up), 10_000);
    expect(events.find((e) => e.up)).toEqual({ address, up: true, node: seed.id });
    expect(client.seeds()).toEqual(new Map([[address, seed.id]]));
  });

  it('completes when the node closes', async () => {
    const client = await makeNode('client/', { binds: [], seeds: [`127.0.0.1:${await freePort()}`] });
    let completed = false;
    client.seeds$.subscribe({ complete: () => (completed = true) });
    await client.close();
    expect(completed).toBe(true);
  });
});
