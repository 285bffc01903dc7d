/**
 * The liveness watch of a bare transport connection (no node behind it):
 * with a `probe` a quiet link gets the probe and an unanswered one is
 * closed within `monitorTimeout` (ConnectionError, code `timeout`); without
 * one a link quiet between frames stays open.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ConnectionError } from '../../src/streams/index.js';
import { collectLogs, connectPair, until, type Pair } from '../helpers/net.js';

const SECRET = 's3cret';
const pairs: Pair[] = [];
afterEach(async () => {
  for (const p of pairs.splice(0)) await p.close();
});

function ended(c: Pair['client']): { error: unknown; done: boolean } {
  const state = { error: undefined as unknown, done: false };
  c.closed$.subscribe({
    complete: () => (state.done = true),
    error: (e: unknown) => ((state.error = e), (state.done = true)),
  });
  return state;
}

describe('transport liveness', () => {
  it('with a probe: the quiet peer gets it; unanswered, the connection ends with a timeout error', async () => {
    const logs = collectLogs();
    const probe = ['', 'time', 'prober#', 'devnull'];
    const pair = await connectPair(
      { nodeId: 'listener', secret: SECRET },
      { nodeId: 'prober', secret: SECRET, monitorTimeout: 0.4, probe, log: logs.log },
    );
    pairs.push(pair);
    const got: unknown[][] = [];
    pair.server.onFrame((f) => got.push(f)); // a bare peer: reads, never answers
    const end = ended(pair.client);
    pair.client.onFrame(() => {});
    await until('the probing side gives up', () => end.done, 5000);
    expect(got).toContainEqual(probe);
    expect(end.error).toBeInstanceOf(ConnectionError);
    expect((end.error as ConnectionError).code).toBe('timeout');
    expect((end.error as ConnectionError).message).toBe(
      'Connection timed out: nothing received within monitorTimeout (0.4 s)',
    );
    await logs.waitFor(
      (l) =>
        l.level === 'warn' &&
        l.message.endsWith(
          'connection closed: Connection timed out: nothing received within monitorTimeout (0.4 s)',
        ),
    );
  });

  it('with a probe: answers keep the link open', async () => {
    const probe = ['', 'time', 'prober#', 'devnull'];
    const pair = await connectPair(
      { nodeId: 'listener', secret: SECRET },
      { nodeId: 'prober', secret: SECRET, monitorTimeout: 0.4, probe },
    );
    pairs.push(pair);
    let probes = 0;
    pair.server.onFrame((f) => {
      if (f[1] === 'time') {
        probes++;
        pair.server.write(['', 'devnull', Date.now() / 1000]);
      }
    });
    const end = ended(pair.client);
    pair.client.onFrame(() => {});
    const t0 = Date.now();
    await until(
      'four probes answered over 2.5 × monitorTimeout',
      () => probes >= 4 && Date.now() - t0 > 1000,
      5000,
    );
    expect(end.done).toBe(false);
    expect(pair.client.state).toBe('open');
  });

  it('without a probe: a link quiet between frames stays open', async () => {
    const pair = await connectPair(
      { nodeId: 'listener', secret: SECRET, monitorTimeout: 0.4 },
      { nodeId: 'client', secret: SECRET, monitorTimeout: 0.4 },
    );
    pairs.push(pair);
    const got: unknown[][] = [];
    pair.server.onFrame((f) => got.push(f));
    pair.client.onFrame(() => {});
    const ends = [ended(pair.client), ended(pair.server)];
    const t0 = Date.now();
    await until('2.5 × monitorTimeout', () => Date.now() - t0 > 1000, 5000);
    expect(ends.map((e) => e.done)).toEqual([false, false]);
    expect(got).toEqual([]); // nothing was sent to keep it open
    pair.client.write(['still', 'there']);
    await until('the frame', () => got.length === 1, 5000);
    expect(got).toEqual([['still', 'there']]);
  });
});
