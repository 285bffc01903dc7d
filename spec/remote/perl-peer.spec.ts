/**
 * A peer that behaves like a Perl AnyEvent::MP node on the wire, written by
 * hand (greeting, HMAC auth, JSON frames), against a node of ours. What a
 * Perl node does and ours must survive:
 * - it flushes its queue right behind its auth line, in the same TCP write
 *   (PROTOCOL.md §2, step 6): those frames must be answered like any other;
 * - `mon1` of a missing port is answered with `kil0 … no_such_port` at once,
 *   before replies to later frames (vectors: `kil0 doesnotexist` comes
 *   before `time_reply`);
 * - a bare node id (`snd $nodeid, …`) addresses that node's port;
 * - an empty frame `[]` is a no-op;
 * - a number tag matches the handler of its text.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { jsonFraming } from '../../src/streams/framing/index.js';
import type { AempNode } from '../../src/index.js';
import { rawPeer, until, type RawPeer } from '../helpers/net.js';
import { makeNode, SECRET } from '../helpers/nodes.js';

const PEER = 'perlish/Xy3';

const open: AempNode[] = [];
const peers: RawPeer[] = [];
afterEach(async () => {
  for (const p of peers.splice(0)) p.socket.destroy();
  await Promise.all(open.splice(0).map((n) => n.close()));
});

/**
 * Connects to `node` as a Perl node would and authenticates with HMAC;
 * `first` frames go out in the same write as the auth line. Returns the
 * frames our node sends, as they arrive.
 */
async function perlPeer(node: AempNode, first: unknown[][]): Promise<{ peer: RawPeer; frames: unknown[][] }> {
  const port = Number((node.addresses[0] as string).split(':')[1]);
  const peer = await rawPeer(port);
  peers.push(peer);
  const a1 = await peer.readLine();
  const a2 = await peer.readLine();
  expect(a1.startsWith(`aemp;1;${node.id};`)).toBe(true);
  const c1 = `aemp;1;${PEER};hmac_sha3_512,cleartext;json;provider=AE-2.02;mproto=1;gproto=1;peeraddr=127.0.0.1:${port}`;
  const c2 = randomBytes(66).toString('base64');
  const mac = createHmac('sha3-512', SECRET).update(`${c1}\n${c2}\n${a1}\n${a2}\n`).digest('hex');
  peer.write(`${c1}\n${c2}\nhmac_sha3_512;${mac};json\n${first.map((f) => JSON.stringify(f)).join('')}`);
  const auth = await peer.readLine();
  expect(auth).toMatch(/^hmac_sha3_512;[0-9a-f]{128};json$/);
  const frames: unknown[][] = [];
  const decoder = jsonFraming.createDecoder();
  const take = (chunk: Buffer) => decoder.push(chunk, (f) => frames.push(f as unknown[]));
  take(peer.takeBuffered());
  peer.socket.on('data', () => take(peer.takeBuffered()));
  return { peer, frames };
}

describe('a Perl-like peer (hand-written wire)', () => {
  it('frames sent in the same write as the auth line are served like any other', async () => {
    const node = await makeNode('ours/Ab1', { framingFormat: ['json'] });
    open.push(node);
    const victim = node.port(() => {});
    const name = victim.id.slice(victim.id.indexOf('#') + 1);
    const { frames } = await perlPeer(node, [
      ['', 'mon1', name],
      ['', 'mon1', 'nosuch'],
      ['', 'time', `${PEER}#r`, 't'],
      ['', 'kil1', name, 'bye', 'now'],
    ]);
    await until('both kil0 and the time reply', () => frames.length >= 3);
    expect(frames).toContainEqual(['', 'kil0', name, 'bye', 'now']);
    const missing = frames.findIndex((f) => f[1] === 'kil0' && f[2] === 'nosuch');
    const time = frames.findIndex((f) => f[0] === 'r');
    expect(frames[missing]).toEqual(['', 'kil0', 'nosuch', 'no_such_port', 'cannot monitor nonexistent port', `${node.id}#nosuch`]);
    expect(frames[time]).toEqual(['r', 't', expect.any(Number)]);
    expect(missing).toBeLessThan(time);
    expect(victim.alive).toBe(false);
  });

  it('a kil1 does not overtake messages to the same port still waiting in the delivery queue', async () => {
    const node = await makeNode('ours/Ef3', { framingFormat: ['json'] });
    open.push(node);
    const got: unknown[] = [];
    const p = node.port((msg, self) => {
      got.push(msg[0]);
      // more sends than one delivery batch (10 000): the rest waits for the next turn of the event loop
      if (msg[0] === 'flood') for (let i = 0; i < 25_000; i++) node.snd(self.id, 'self');
    });
    const name = p.id.slice(p.id.indexOf('#') + 1);
    const { frames } = await perlPeer(node, [['', 'mon1', name], [name, 'flood'], [name, 'last'], ['', 'kil1', name, 'enough']]);
    await until('the kil0', () => frames.some((f) => f[1] === 'kil0'));
    expect(frames.find((f) => f[1] === 'kil0')).toEqual(['', 'kil0', name, 'enough']);
    expect(got.filter((t) => t === 'self')).toHaveLength(25_000);
    expect(got.at(-1)).toBe('last');
  });

  it('a bare node id addresses the node port; [] is a no-op; a number tag matches its text', async () => {
    const node = await makeNode('ours/Cd2', { framingFormat: ['json'] });
    open.push(node);
    const got: unknown[] = [];
    const p = node.port().rcv('5', (msg) => got.push(msg));
    const name = p.id.slice(p.id.indexOf('#') + 1);
    const { frames } = await perlPeer(node, [
      [],
      ['', 'snd', node.id, 'time', `${PEER}#r`, 'relayed'],
      [name, 5, 'five'],
    ]);
    await until('the relayed time reply', () => frames.length >= 1);
    expect(frames[0]).toEqual(['r', 'relayed', expect.any(Number)]);
    await until('the number-tagged message', () => got.length === 1);
    expect(got).toEqual([['five']]);
    expect(p.alive).toBe(true);
    expect(node.logs.filter((r) => r.severity <= 4)).toEqual([]);
  });
});
