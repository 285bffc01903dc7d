/**
 * What a CBOR peer may not send (issue #10, defect 9a): a tag other than
 * those CBOR::XS writes for plain Perl data, or a text string that is not
 * UTF-8. Either refuses the frame: the frames before it are delivered, the
 * connection closes, and the reason is logged — never taken silently.
 * (Unit cases of the rule: spec/streams/framing.spec.ts.)
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { AempNode } from '../../src/index.js';
import { until, type RawPeer } from '../helpers/net.js';
import { makeNode } from '../helpers/nodes.js';
import { perlPeer } from '../helpers/perl-peer.js';

const peers: RawPeer[] = [];
const open: AempNode[] = [];
afterEach(async () => {
  for (const p of peers.splice(0)) p.socket.destroy();
  await Promise.all(open.splice(0).map((n) => n.close()));
});

describe('what a Perl-like peer may not send over CBOR', () => {
  for (const [label, bad, reason] of [
    ['an unknown tag (epoch time)', 'c11a5f000000', /cbor: unsupported tag 1 at byte \d+ of the frame/],
    ['a text string that is not UTF-8', '62c328', /cbor: malformed data: a text string of 2 bytes is not valid UTF-8/],
  ] as const) {
    it(`${label}: the frames before it are delivered, then the connection closes with the reason logged`, async () => {
      const node = await makeNode(`tags-${label.length}`, { framingFormat: ['cbor'] });
      open.push(node);
      const got: unknown[][] = [];
      const p = node.port((m) => got.push([...m]));
      const name = p.id.slice(p.id.indexOf('#') + 1);
      const peer = await perlPeer(node, `perl-t-${label.length}/z`, 'cbor', peers);
      const bytes = (s: string) => Buffer.concat([Buffer.from([0x40 | s.length]), Buffer.from(s)]);
      const frame = (...items: Buffer[]) => Buffer.concat([Buffer.from([0x80 | items.length]), ...items]);
      peer.write(Buffer.concat([frame(bytes(name), bytes('before')), frame(bytes(name), Buffer.from(bad, 'hex')), frame(bytes(name), bytes('after'))]));
      await peer.closed();
      await until('the reason logged', () => node.logs.some((l) => reason.test(l.message)));
      expect(got).toEqual([['before']]);
    });
  }
});
