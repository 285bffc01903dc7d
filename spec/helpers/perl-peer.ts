/**
 * A peer that connects to one of our nodes as a Perl AnyEvent::MP node
 * would, written by hand: greeting, HMAC auth, then raw frames in the
 * framing it names, so a test controls every byte it sends and sees every
 * byte it gets.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { expect } from 'vitest';
import type { AempNode } from '../../src/index.js';
import { rawPeer, type RawPeer } from './net.js';
import { SECRET } from './nodes.js';

/** Connects to `node` as Perl node `id` (HMAC auth, frames in `framing`); returns the raw peer, handshake done. The peer is added to `opened` (the caller destroys them). */
export async function perlPeer(node: AempNode, id: string, framing: 'json' | 'cbor', opened: RawPeer[]): Promise<RawPeer> {
  const port = Number((node.addresses[0] as string).split(':')[1]);
  const peer = await rawPeer(port);
  opened.push(peer);
  const a1 = await peer.readLine();
  const a2 = await peer.readLine();
  const c1 = `aemp;1;${id};hmac_sha3_512;${framing};provider=AE-2.02;mproto=1;gproto=1;peeraddr=127.0.0.1:${port}`;
  const c2 = randomBytes(66).toString('base64');
  const mac = createHmac('sha3-512', SECRET).update(`${c1}\n${c2}\n${a1}\n${a2}\n`).digest('hex');
  peer.write(`${c1}\n${c2}\nhmac_sha3_512;${mac};${framing}\n`);
  expect(await peer.readLine()).toMatch(new RegExp(`^hmac_sha3_512;[0-9a-f]{128};${framing}$`));
  return peer;
}
