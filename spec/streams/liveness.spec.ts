/**
 * The liveness watch of a bare transport connection (no node behind it):
 * with a `probe` a quiet link gets the probe and an unanswered one is
 * closed within `monitorTimeout` (ConnectionError, code `timeout`); without
 * one a link quiet between frames stays open. The watch's ticks alone, on
 * fake timers: when it probes and when it gives up.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ConnectionError } from '../../src/streams/index.js';
import { Liveness, QUIET_TICKS } from '../../src/streams/transport/liveness.js';
import { collectLogs, connectPair, onFrames, until, type Pair } from '../helpers/net.js';

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
    onFrames(pair.server, (f) => got.push(f)); // a bare peer: reads, never answers
    const end = ended(pair.client);
    onFrames(pair.client, () => {});
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
    onFrames(pair.server, (f) => {
      if (f[1] === 'time') {
        probes++;
        pair.server.next(['', 'devnull', Date.now() / 1000]);
      }
    });
    const end = ended(pair.client);
    onFrames(pair.client, () => {});
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
    onFrames(pair.server, (f) => got.push(f));
    onFrames(pair.client, () => {});
    const ends = [ended(pair.client), ended(pair.server)];
    const t0 = Date.now();
    await until('2.5 × monitorTimeout', () => Date.now() - t0 > 1000, 5000);
    expect(ends.map((e) => e.done)).toEqual([false, false]);
    expect(got).toEqual([]); // nothing was sent to keep it open
    pair.client.next(['still', 'there']);
    await until('the frame', () => got.length === 1, 5000);
    expect(got).toEqual([['still', 'there']]);
  });
});

describe('the watch, tick by tick (fake timers)', () => {
  afterEach(() => void vi.useRealTimers());

  function watch() {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'setImmediate', 'clearImmediate'] });
    const calls: string[] = [];
    const w = new Liveness(4, { probe: () => calls.push('probe'), quiet: () => calls.push('quiet') });
    /** One tick (1 s: monitorTimeout 4 s / 4) and the immediate that judges it. */
    const tick = () => {
      vi.advanceTimersByTime(1000);
      vi.advanceTimersByTime(1); // the immediate the interval scheduled (fake timers run it only on a later step)
    };
    return { w, calls, tick };
  }

  it('a quiet link: one probe after the first quiet tick, given up at the third, every later quiet tick again', () => {
    const { w, calls, tick } = watch();
    w.start();
    tick();
    expect(calls).toEqual(['probe']);
    for (let i = 2; i < QUIET_TICKS; i++) tick();
    expect(calls).toEqual(['probe']);
    tick();
    expect(calls).toEqual(['probe', 'quiet']);
    tick();
    expect(calls).toEqual(['probe', 'quiet', 'quiet']);
    w.stop();
  });

  it('a sign of life in every tick: never a probe; an answer after the probe starts the count again', () => {
    const { w, calls, tick } = watch();
    w.start();
    for (let i = 0; i < 20; i++) {
      w.heard();
      tick();
    }
    expect(calls).toEqual([]);
    tick(); // quiet: probe
    w.heard(); // answered
    tick();
    tick(); // quiet again: probe again, the count started over
    tick();
    expect(calls).toEqual(['probe', 'probe']);
    tick();
    expect(calls).toEqual(['probe', 'probe', 'quiet']);
    w.stop();
  });

  it('stopped (or never started), it does nothing', () => {
    const { w, calls, tick } = watch();
    for (let i = 0; i < 5; i++) tick();
    w.start();
    w.stop();
    for (let i = 0; i < 5; i++) tick();
    expect(calls).toEqual([]);
  });
});
