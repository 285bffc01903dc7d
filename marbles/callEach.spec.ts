import { describe, expect, it } from 'vitest';
import { CallTimeout } from '../src/kernel/errors.js';
import type { Kernel } from '../src/kernel/node.js';
import { callEach } from '../src/operators/index.js';
import { makeKernel } from '../spec/helpers/kernel.js';
import { testScheduler } from './helpers.js';

/** A server answering `get key` with `[value, key]` after `delay(key)` seconds, via node.after. */
function server(k: Kernel, delay: (key: unknown) => number, requests: unknown[][] = []) {
  return k.port().rcv('get', (msg) => {
    requests.push([...msg]);
    const [key, reply] = msg;
    k.after(delay(key), reply as string, `value of ${String(key)}`, key);
  });
}

describe('callEach', () => {
  it('calls for each value and emits each reply at the virtual frame it arrives', () => {
    const { k } = makeKernel();
    const s = server(k, () => 0.002);
    testScheduler().run(({ hot, expectObservable }) => {
      const src = hot('-a-----b------|', { a: 'k1', b: 'k2' });
      expectObservable(src.pipe(callEach(k, s.id, { prefix: ['get'], timeout: 0.005 }))).toBe(
        '---A-----B----|',
        {
          A: ['value of k1', 'k1'],
          B: ['value of k2', 'k2'],
        },
      );
    });
  });

  it('sends the value as the message (array = message) plus a reply port id', () => {
    const { k } = makeKernel();
    const requests: unknown[][] = [];
    const s = server(k, () => 0.001, requests);
    testScheduler().run(({ cold, expectObservable }) => {
      expectObservable(cold('a|', { a: ['get', 'k1'] }).pipe(callEach(k, s))).toBe('-(A|)', {
        A: ['value of k1', 'k1'],
      });
    });
    expect(requests).toHaveLength(1);
    expect(requests[0]?.[0]).toBe('k1');
    expect(requests[0]?.[1]).toMatch(new RegExp(`^${k.id}#`));
  });

  it('by default calls one at a time: replies in request order, later requests wait', () => {
    const { k } = makeKernel();
    const s = server(k, (key) => (key === 'slow' ? 0.005 : 0.001));
    testScheduler().run(({ hot, expectObservable }) => {
      const src = hot('-ab|', { a: 'slow', b: 'fast' });
      expectObservable(src.pipe(callEach(k, s.id, { prefix: ['get'] }))).toBe('------A(B|)', {
        A: ['value of slow', 'slow'],
        B: ['value of fast', 'fast'],
      });
    });
  });

  it('with concurrency the calls overlap and replies come as they arrive', () => {
    const { k } = makeKernel();
    const s = server(k, (key) => (key === 'slow' ? 0.005 : 0.001));
    testScheduler().run(({ hot, expectObservable }) => {
      const src = hot('-ab|', { a: 'slow', b: 'fast' });
      expectObservable(src.pipe(callEach(k, s.id, { prefix: ['get'], concurrency: 2 }))).toBe('---B--(A|)', {
        A: ['value of slow', 'slow'],
        B: ['value of fast', 'fast'],
      });
    });
  });

  it('errors with CallTimeout timeout seconds (×1000 virtual frames) after the request', () => {
    const { k } = makeKernel();
    const silent = k.port(() => {});
    const before = k.portCount;
    testScheduler().run(({ hot, expectObservable, expectSubscriptions }) => {
      const src = hot('-a----------|');
      expectObservable(src.pipe(callEach(k, silent.id, { timeout: 0.005 }))).toBe(
        '------#',
        undefined,
        new CallTimeout(silent.id, 0.005),
      );
      expectSubscriptions(src.subscriptions).toBe('^-----!');
    });
    expect(k.portCount).toBe(before); // the reply port died
  });

  it('a reply later than the timeout is too late', () => {
    const { k } = makeKernel();
    const s = server(k, () => 0.007);
    testScheduler().run(({ cold, expectObservable }) => {
      expectObservable(
        cold('a|', { a: 'k' }).pipe(callEach(k, s.id, { prefix: ['get'], timeout: 0.005 })),
      ).toBe('-----#', undefined, new CallTimeout(s.id, 0.005));
    });
  });

  it('unsubscribing cancels the call in flight: its reply port dies', () => {
    const { k } = makeKernel();
    const s = server(k, () => 0.005);
    const before = k.portCount;
    testScheduler().run(({ cold, expectObservable }) => {
      expectObservable(cold('a|', { a: 'k' }).pipe(callEach(k, s.id, { prefix: ['get'] })), '^--!').toBe(
        '----',
      );
    });
    expect(k.portCount).toBe(before);
  });

  it('retry calls again after a timeout', () => {
    const { k } = makeKernel();
    let seen = 0;
    const flaky = k.port().rcv('get', ([key, reply]) => {
      if (seen++ > 0) k.after(0.001, reply as string, 'ok', key);
    });
    testScheduler().run(({ cold, expectObservable }) => {
      expectObservable(
        cold('-a|', { a: 'k' }).pipe(callEach(k, flaky.id, { prefix: ['get'], timeout: 0.003, retry: 1 })),
      ).toBe('-----(A|)', { A: ['ok', 'k'] });
    });
    expect(seen).toBe(2);
  });

  it('rejects bad options when the operator is made', () => {
    const { k } = makeKernel();
    expect(() => callEach(k, 'n#p', { timeout: -1 })).toThrow(TypeError);
    expect(() => callEach(k, 'n#p', { concurrency: 0 })).toThrow(TypeError);
    expect(() => callEach(k, 'n#p', { concurrency: 1.5 })).toThrow(TypeError);
    expect(() => callEach(k, '')).toThrow(TypeError);
  });
});
