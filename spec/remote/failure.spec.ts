/**
 * No silent holes, with real processes: a peer killed with SIGKILL while
 * 100 k messages stream, and a connection cut mid-stream by a proxy.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { filter, firstValueFrom, timeout } from 'rxjs';
import type { AempNode, Reason } from '../../src/index.js';
import { startChild, type ChildNode } from '../helpers/child.js';
import { makeNode, nodeEvent, SECRET } from '../helpers/nodes.js';
import { freePort, startProxy, type Proxy } from '../helpers/proxy.js';

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f().catch(() => {});
});

function child(nodeid: string, port: number): Promise<ChildNode> {
  return startChild({ nodeid, binds: [`127.0.0.1:${port}`], secret: SECRET }).then((c) => {
    cleanup.push(() => c.stop());
    return c;
  });
}
async function parent(nodeid: string, addresses: Record<string, string[]>): Promise<AempNode> {
  const p = await makeNode(nodeid, { addresses });
  cleanup.push(() => p.close());
  return p;
}

describe('no silent holes (multi-process)', () => {
  it('kill -9 of a streaming peer: monitors fire transport_error, the receiver has a hole-free prefix, a later send reconnects', async () => {
    const port = await freePort();
    const c = await child('victim', port);
    const p = await parent('survivor', { victim: [`127.0.0.1:${port}`] });

    const received: number[] = [];
    let killed: Promise<void> | undefined;
    const sink = p.port().rcv('seq', ([i]) => {
      received.push(i as number);
      if (received.length === 10_000) killed = c.kill9();
    });
    sink.rcv('done', () => {});
    const streamer = p.spawn('victim', 'Test::Streamer::init', sink.id, 100_000, 200);
    const order: string[] = [];
    p.nodes$.subscribe((e) => order.push(e.up ? 'up' : 'down'));
    const reason = new Promise<Reason>((resolve) =>
      p.mon(streamer, (r) => {
        order.push('monitor');
        resolve(r);
      }),
    );
    const nodePortWatch = new Promise<Reason>((resolve) => p.mon('victim#', resolve));

    const r = await reason;
    await killed;
    expect(r[0]).toBe('transport_error');
    expect(r[1]).toBe('victim');
    expect((await nodePortWatch)[0]).toBe('transport_error');
    expect(order).toEqual(['up', 'monitor', 'down']);
    expect(received.length).toBeGreaterThanOrEqual(10_000);
    expect(received.length).toBeLessThanOrEqual(100_000); // what the peer wrote before dying may all have arrived
    expect(received).toEqual(Array.from({ length: received.length }, (_, i) => i)); // a prefix, no holes

    // restart the peer on the same address: a later send reconnects
    const c2 = await child('victim', port);
    const [t] = await firstValueFrom(p.cal('victim#', 'time', { timeout: 10 }));
    expect(typeof t).toBe('number');
    expect(p.isUp('victim')).toBe(true);
    expect(c2.id).toBe('victim');
  });

  it('a connection cut mid-stream by a proxy: the monitor fires before any later message is delivered', async () => {
    const port = await freePort();
    const c = await child('far', port);
    const proxy: Proxy = await startProxy(`127.0.0.1:${port}`);
    cleanup.push(() => proxy.close());
    const p = await parent('near', { far: [proxy.address] });

    const sinkId = c.ports.sink;
    let seqAtMonitor = -1;
    let next = 0;
    let monitorReason: Reason = [];
    p.mon(sinkId, (r) => {
      monitorReason = r;
      seqAtMonitor = next;
    });
    const down = nodeEvent(p, 'far', false);
    // stream with flow control, cut in the middle
    for (; next < 60_000; next++) {
      p.snd(sinkId, 'seq', next);
      if (next % 2000 === 1999) await p.drained('far');
      if (next === 20_000) {
        // everything before this arrived (the reply travels behind it on the same connection)
        const [got] = await firstValueFrom(p.cal(sinkId, 'stats', { timeout: 10 }));
        expect(got).toBe(20_001);
      }
      if (next === 30_000) proxy.cut(); // bytes in flight are lost; we learn of it a little later
    }
    await down;
    expect(monitorReason[0]).toBe('transport_error');
    expect(seqAtMonitor).toBeGreaterThan(30_000);
    const [expected, holes] = (await firstValueFrom(p.cal(sinkId, 'stats', { timeout: 10 }))) as [number, [number, number][]];
    expect(expected).toBe(60_000); // the last message arrived over the new connection
    expect(proxy.accepted).toBe(2);
    // whatever was lost around the cut, every message delivered after a hole was sent after the monitor fired
    if (process.env.AEMP_DEBUG) console.log({ seqAtMonitor, holes });
    for (const [, got] of holes) expect(got).toBeGreaterThanOrEqual(seqAtMonitor);
    expect(holes.length).toBeLessThanOrEqual(1);
    for (const [from] of holes) expect(from).toBeGreaterThan(20_000);
  });

  it('a peer process that exits is seen as node-down by every monitor of its ports', async () => {
    const port = await freePort();
    const c = await child('leaver', port);
    const p = await parent('stayer', { leaver: [`127.0.0.1:${port}`] });
    const echoReply = await firstValueFrom(p.cal(c.ports.echo, 'hi', { timeout: 10 }));
    expect(echoReply).toEqual(['hi']);
    const fired = new Promise<Reason>((resolve) => p.mon(c.ports.echo, resolve));
    const down = firstValueFrom(p.nodes$.pipe(filter((e) => !e.up), timeout(10_000)));
    await c.stop();
    expect((await fired)[0]).toBe('transport_error');
    expect((await down).node).toBe('leaver');
  });
});
