import { describe, expect, it } from 'vitest';
import { makeKernel } from '../helpers/kernel.js';

describe('local delivery', () => {
  it('a handler that sends to itself a million times keeps order and does not overflow the stack', async () => {
    const { k } = makeKernel();
    let last = -1;
    let ordered = true;
    const done = new Promise<number>((resolve) => {
      const p = k.port(([i]) => {
        const n = i as number;
        if (n !== last + 1) ordered = false;
        last = n;
        if (n < 1_000_000) k.snd(p.id, n + 1);
        else resolve(n);
      });
      k.snd(p.id, 0);
    });
    expect(await done).toBe(1_000_000);
    expect(ordered).toBe(true);
  });

  it('yields to the event loop during a long self-send chain (timers still run)', async () => {
    const { k } = makeKernel();
    let sawImmediate = false;
    let timerFiredDuring = false;
    setImmediate(() => (sawImmediate = true));
    const done = new Promise<void>((resolve) => {
      const p = k.port(([i]) => {
        const n = i as number;
        if (sawImmediate) timerFiredDuring = true;
        if (n < 200_000) k.snd(p.id, n + 1);
        else resolve();
      });
      k.snd(p.id, 0);
    });
    await done;
    expect(timerFiredDuring).toBe(true);
  });

  it('keeps order from one sender to one port across nested sends', () => {
    const { k } = makeKernel();
    const got: unknown[] = [];
    const sink = k.port(([x]) => got.push(x));
    const relay = k.port(([x]) => {
      k.snd(sink.id, `${x as string}-1`);
      k.snd(sink.id, `${x as string}-2`);
    });
    k.snd(relay.id, 'a');
    k.snd(relay.id, 'b');
    k.snd(sink.id, 'c');
    expect(got).toEqual(['a-1', 'a-2', 'b-1', 'b-2', 'c']);
  });

  it('after sends a message or calls back; unsubscribe cancels', async () => {
    const { k } = makeKernel();
    const got: unknown[] = [];
    let arrived!: () => void;
    const first = new Promise<void>((r) => (arrived = r));
    const p = k.port((m) => {
      got.push(m);
      arrived();
    });
    k.after(0, p.id, 'cancelled').unsubscribe();
    k.after(0.001, p.id, 'timeout', 1);
    await first;
    // a callback scheduled later than the cancelled one has run: the cancelled one never will
    await new Promise<void>((r) => k.after(0.02, () => r()));
    expect(got).toEqual([['timeout', 1]]);
  });
});
