/**
 * Names that are also members of `Object.prototype` (`constructor`,
 * `__proto__`, `toString` …) are ordinary names: wherever a peer or a user
 * hands us a node id, port name, request name, function name, family or key,
 * such a name finds nothing it was not given — and nothing it sends ends
 * the process (the setup file turns an unhandled rejection into a failure).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, type Connection } from '../../src/streams/index.js';
import type { AempNode } from '../../src/index.js';
import { makeNode, SECRET } from '../helpers/nodes.js';
import { until } from '../helpers/net.js';

const PROTO_NAMES = ['constructor', '__proto__', 'prototype', 'toString', 'valueOf', 'hasOwnProperty', 'isPrototypeOf'];

let node: AempNode & { logs: { message: string }[] };
const peers: Connection[] = [];

beforeAll(async () => {
  node = await makeNode('proto-target');
});
afterAll(async () => {
  for (const p of peers) p.close();
  await node.close();
});

/** An authenticated peer of `node` speaking `framing`, with the frames it receives. */
async function peer(id: string, framing: 'json' | 'cbor') {
  const c = await connect(node.addresses[0]!, { nodeId: id, secret: SECRET, framingFormat: [framing] });
  peers.push(c);
  const frames: unknown[][] = [];
  c.onFrame((f) => frames.push([...f]));
  return { c, frames };
}

describe('prototype names from a peer', () => {
  for (const framing of ['json', 'cbor'] as const) {
    it(`["", "snd", "constructor#x", 1] over ${framing} does not end the node`, async () => {
      const id = `hostile-${framing}`;
      const p = await peer(id, framing);
      const got: unknown[] = [];
      const sink = node.port((m) => got.push(m[0]));
      for (const name of PROTO_NAMES) p.c.write(['', 'snd', `${name}#x`, 1]);
      p.c.write(['', 'snd', sink.id, 'after']);
      await until('the message after', () => got.includes('after'));
      p.c.write(['', 'time', `${id}#t`]);
      await until('an answer to time', () => p.frames.some((f) => f[0] === 't'));
    });
  }
});
