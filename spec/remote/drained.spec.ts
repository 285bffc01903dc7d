/**
 * `node.drained(id)` settles on every path: it resolves once what was sent
 * to `id` has left this process or can never leave (the connect attempt
 * failed, the node went down, this node closed).
 */
import { createServer, type Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { closedAfterEach, nodeEvent } from '../helpers/nodes.js';
import { withTimeout } from '../helpers/net.js';
import { freePort } from '../helpers/proxy.js';

const { node, cleanup } = closedAfterEach();
const settles = (p: Promise<void>, what: string) => withTimeout(p, 5000, `drained (${what})`);

describe('drained(node) settles on every failure path', () => {
  it('resolves when the connect attempt is refused (nothing listens there)', async () => {
    const port = await freePort();
    const a = await node('dra', { addresses: { ghost: [`127.0.0.1:${port}`] } });
    a.snd('ghost#x', 'hello');
    await settles(a.drained('ghost'), 'refused port');
    expect(a.isUp('ghost')).toBe(false);
  });

  it('resolves when no address is known', async () => {
    const a = await node('drb', { connectInterval: 1 });
    a.snd('nowhere#x', 'hello');
    await settles(a.drained('nowhere'), 'no address');
  });

  it('resolves when the node closes while the attempt still waits (a peer that never greets)', async () => {
    const sockets: Socket[] = [];
    const mute = createServer((s) => sockets.push(s));
    await new Promise<void>((r) => mute.listen(0, '127.0.0.1', r));
    cleanup.push(
      () =>
        new Promise<void>((r) => {
          for (const s of sockets) s.destroy();
          mute.close(() => r());
        }),
    );
    const port = (mute.address() as { port: number }).port;
    const a = await node('drc', { addresses: { silent: [`127.0.0.1:${port}`] }, connectInterval: 30, monitorTimeout: 60 });
    a.snd('silent#x', 'hello');
    const waiting = a.drained('silent');
    let settled = false;
    void waiting.then(() => (settled = true));
    await withTimeout(
      (async () => {
        while (sockets.length === 0) await new Promise((r) => setTimeout(r, 5));
      })(),
      5000,
      'the attempt reaching the mute server',
    );
    expect(settled).toBe(false);
    await a.close();
    await settles(waiting, 'node closed');
  });

  it('resolves when the peer goes down while frames wait, and at once for a node never used', async () => {
    const b = await node('drd-b');
    const a = await node('drd-a', { addresses: { [b.id]: [...b.addresses] } });
    await settles(a.drained('never-seen'), 'unknown node');
    const sink = b.port(() => {});
    const up = nodeEvent(a, b.id, true);
    for (let i = 0; i < 1000; i++) a.snd(sink.id, 'x'.repeat(1000), i);
    await up;
    const draining = a.drained(b.id);
    await b.close();
    await settles(draining, 'peer down');
  });
});
