import { describe, expect, it } from 'vitest';
import { map } from 'rxjs';
import { PortKilled, type Reason } from '../src/kernel/errors.js';
import { inPort } from '../src/operators/index.js';
import { makeKernel, tick } from '../spec/helpers/kernel.js';
import { RecordingPort, testScheduler } from './helpers.js';

describe('inPort', () => {
  it('on a source error kills the port with [die, message] and completes instead of erroring', () => {
    const ts = testScheduler();
    const port = new RecordingPort(ts);
    ts.run(({ hot, expectObservable, expectSubscriptions }) => {
      const src = hot('--a--b--#', undefined, new Error('boom\n\n'));
      expectObservable(src.pipe(inPort(port))).toBe('--a--b--|');
      expectSubscriptions(src.subscriptions).toBe('^-------!');
    });
    expect(port.kills).toEqual([[8, ['die', 'boom']]]);
  });

  it('a PortKilled error kills the port with its own reason', () => {
    const ts = testScheduler();
    const port = new RecordingPort(ts);
    ts.run(({ hot, expectObservable }) => {
      const src = hot('--a--#', undefined, new PortKilled('n#other', ['failure', 'too hot', { t: 99 }]));
      expectObservable(src.pipe(inPort(port))).toBe('--a--|');
    });
    expect(port.kills).toEqual([[5, ['failure', 'too hot', { t: 99 }]]]);
  });

  it('a thrown non-Error becomes its string', () => {
    const ts = testScheduler();
    const port = new RecordingPort(ts);
    ts.run(({ hot, expectObservable }) => {
      expectObservable(hot('-#', undefined, 'plain text').pipe(inPort(port))).toBe('-|');
    });
    expect(port.kills).toEqual([[1, ['die', 'plain text']]]);
  });

  it('completion and unsubscription leave the port alone', () => {
    const ts = testScheduler();
    const port = new RecordingPort(ts);
    ts.run(({ hot, cold, expectObservable }) => {
      expectObservable(cold('-a-|').pipe(inPort(port))).toBe('-a-|');
      expectObservable(hot('-a-b-#').pipe(inPort(port)), '^--!').toBe('-a--');
    });
    expect(port.kills).toEqual([]);
  });

  it('a throwing operator before inPort is the port code: it kills the port', () => {
    const ts = testScheduler();
    const port = new RecordingPort(ts);
    ts.run(({ hot, expectObservable }) => {
      const src = hot('-a-b-c-|', { a: 1, b: -1, c: 2 });
      const out = src.pipe(
        map((x) => {
          if (x < 0) throw new Error(`negative: ${x}`);
          return x * 10;
        }),
        inPort(port),
      );
      expectObservable(out).toBe('-a-|', { a: 10 });
    });
    expect(port.kills).toEqual([[3, ['die', 'negative: -1']]]);
  });

  it('kills a real kernel port: dead at once, monitors see the reason', async () => {
    const { k, logs } = makeKernel();
    const port = k.port(() => {});
    const reasons: Reason[] = [];
    k.mon(port.id, (r) => reasons.push(r));
    testScheduler().run(({ hot, expectObservable }) => {
      expectObservable(hot('---#', undefined, new Error('bad state')).pipe(inPort(port))).toBe('---|');
    });
    expect(port.alive).toBe(false);
    expect(k.getPort(port.id)).toBeUndefined();
    await tick();
    expect(reasons).toEqual([['die', 'bad state']]);
    expect(logs).toEqual([]); // monitored: not logged as an unmonitored death
  });
});
