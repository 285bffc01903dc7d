/**
 * What a node keeps for other nodes that came and went (issue #10, 9c): the
 * state of a node that is down and that nothing refers to any more is
 * dropped; what still matters (a monitor, "no silent holes") is kept until
 * it has done its work. Fake peers: real AEMP handshakes over loopback with
 * fresh node ids, no node behind them.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { lastValueFrom } from 'rxjs';
import type { AempNode } from '../../src/index.js';
import { connect, type Connection } from '../../src/streams/index.js';
import { makeNode, rejection, SECRET } from '../helpers/nodes.js';
import { onFrames, until } from '../helpers/net.js';

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f().catch(() => {});
});
async function host(): Promise<AempNode> {
  const n = await makeNode(`fhost${cleanup.length}`);
  cleanup.push(() => n.close());
  return n;
}
/** A fake peer connected to `node` as `id`, with the frames it received. */
async function peer(node: AempNode, id: string): Promise<{ c: Connection; frames: unknown[][] }> {
  const c = await connect(node.addresses[0]!, { nodeId: id, secret: SECRET });
  cleanup.push(async () => c.complete());
  const frames: unknown[][] = [];
  onFrames(c, (f) => frames.push(f));
  await until(`${id} up`, () => node.isUp(id));
  return { c, frames };
}
const tracked = (n: AempNode) => n.network!.tracked;

describe('state of nodes that came and went', () => {
  it('is dropped once they are down: 30 peers that watched a port and got a message leave nothing behind', async () => {
    const a = await host();
    const watched = a.port(() => {});
    for (let i = 0; i < 30; i++) {
      const { c, frames } = await peer(a, `visitor${i}`);
      c.next(['', 'mon1', watched.id.split('#')[1]]);
      a.snd(`visitor${i}#inbox`, 'hello', i);
      await until('the message', () => frames.length > 0);
      c.error('bye');
      await until(`visitor${i} down`, () => !a.isUp(`visitor${i}`));
    }
    await until('all forgotten', () => tracked(a) === 0);
  });

  it('is kept while a monitor needs it, and the monitor still fires transport_error when the peer leaves', async () => {
    const a = await host();
    const { c } = await peer(a, 'watchedpeer');
    const mon = rejection(lastValueFrom(a.mon('watchedpeer#job')));
    expect(tracked(a)).toBe(1);
    c.error('bye');
    const err = await mon;
    expect(err.reason).toEqual(['transport_error', 'watchedpeer', 'Unexpected end-of-file']);
    await until('forgotten after the monitor fired', () => tracked(a) === 0);
  });

  it('a peer that comes back under the same id gets later messages (the snd cache never holds a dropped node)', async () => {
    const a = await host();
    const first = await peer(a, 'phoenix');
    a.snd('phoenix#inbox', 'one');
    await until('first message', () => first.frames.length === 1);
    first.c.error('bye');
    await until('forgotten', () => tracked(a) === 0);
    const again = await peer(a, 'phoenix');
    a.snd('phoenix#inbox', 'two');
    await until('second message on the new connection', () => again.frames.length === 1);
    expect(again.frames[0]).toEqual(['inbox', 'two']);
  });
});
