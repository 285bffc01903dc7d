/**
 * A seeded slice of `npm run fuzz` (see harness.ts): a few thousand hostile
 * cases against a live in-process node over loopback. Any uncaught
 * exception in the node fails the suite; after each batch the node must
 * answer an honest newcomer and a veteran connected since the start, and
 * its log must show refusals only, no JS errors.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inProcessTarget, runFuzz, SECRET, type Target } from './harness.js';
import { rawSession } from '../helpers/rawHandshake.js';

/** Fixed, so a failure replays: `npm run fuzz -- --in-process --seed 20261203 --batch-size 1000 --batch N`. */
const SEED = 20261203;

/** Generators left out (names of harness.ts KNOWN_DEFECTS): none, every defect the fuzz found is fixed. */
const AVOID: string[] = [];

let target: Target;

beforeAll(async () => {
  target = await inProcessTarget();
});

afterAll(async () => {
  await target?.close();
});

describe('fuzz slice against a live node', () => {
  it(`${SEED}: 5,000 hostile cases; the node lives, honest peers are served, its log shows refusals only`, async () => {
    const { stats, failure } = await runFuzz({
      target,
      seed: SEED,
      cases: 5000,
      batchSize: 1000,
      avoid: AVOID,
    });
    expect(failure).toBeUndefined();
    expect(stats.cases).toBeGreaterThanOrEqual(5000);
    expect(stats.preAuth).toBeGreaterThan(0);
    expect(stats.malformed).toBeGreaterThan(0);
    expect([...target.suspicious.values()]).toEqual([]);
  }, 60_000);

  it('a send to a node named after an Object.prototype method does not end the process', async () => {
    const s = await rawSession(target.port, { nodeId: 'fz-constructor', secret: SECRET });
    s.socket.write(JSON.stringify(['', 'snd', 'constructor#p', 'x']));
    s.socket.write(JSON.stringify(['', 'snd', 'hasOwnProperty#p', 'x']));
    // the next slice run (same target) proves the node is still alive and serving
    const { failure } = await runFuzz({ target, seed: SEED + 1, cases: 200, batchSize: 200 });
    s.socket.destroy();
    expect(failure).toBeUndefined();
  });
});
