import { describe, expect, it } from 'vitest';
import { throwError, type Observable } from 'rxjs';
import { PortKilled } from '../src/kernel/errors.js';
import { takeUntilKilled, type Monitorer } from '../src/operators/index.js';
import { testScheduler } from './helpers.js';

/** A monitor stand-in: `mon(id)` returns the given stream and records the ids asked for. */
function monitorer(mon$: Observable<never>): Monitorer & { asked: string[] } {
  const asked: string[] = [];
  return { asked, mon: (id) => (asked.push(id), mon$) };
}

describe('takeUntilKilled', () => {
  it('mirrors the source and completes when the port is killed normally', () => {
    let node: ReturnType<typeof monitorer> | undefined;
    testScheduler().run(({ hot, expectObservable, expectSubscriptions }) => {
      const src = hot('--a--b--c--d--|');
      const mon = hot<never>('-------|');
      node = monitorer(mon);
      expectObservable(src.pipe(takeUntilKilled(node, 'n#w'))).toBe('--a--b-|');
      expectSubscriptions(src.subscriptions).toBe('^------!');
      expectSubscriptions(mon.subscriptions).toBe('^------!');
    });
    expect(node?.asked).toEqual(['n#w']);
  });

  it('errors with the PortKilled of an abnormal death', () => {
    const err = new PortKilled('n#w', ['die', 'x']);
    testScheduler().run(({ hot, expectObservable, expectSubscriptions }) => {
      const src = hot('--a--b--c--|');
      expectObservable(
        src.pipe(takeUntilKilled(monitorer(hot<never>('------#', undefined, err)), 'n#w')),
      ).toBe('--a--b#', undefined, err);
      expectSubscriptions(src.subscriptions).toBe('^-----!');
    });
  });

  it('a source that ends first ends the output and drops the monitor', () => {
    const boom = new Error('boom');
    testScheduler().run(({ hot, cold, expectObservable, expectSubscriptions }) => {
      const mon1 = hot<never>('----------|');
      const mon2 = hot<never>('----------|');
      expectObservable(cold('-a-|').pipe(takeUntilKilled(monitorer(mon1), 'n#w'))).toBe('-a-|');
      expectObservable(cold('-a--#', undefined, boom).pipe(takeUntilKilled(monitorer(mon2), 'n#w'))).toBe(
        '-a--#',
        undefined,
        boom,
      );
      expectSubscriptions(mon1.subscriptions).toBe('^--!');
      expectSubscriptions(mon2.subscriptions).toBe('^---!');
    });
  });

  it('a monitor that ends as it is subscribed means the source is never subscribed', () => {
    const err = new PortKilled('n#w', ['no_such_port', 'cannot monitor nonexistent port', 'n#w']);
    testScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const src = cold('a-b-|');
      expectObservable(src.pipe(takeUntilKilled(monitorer(throwError(() => err)), 'n#w'))).toBe(
        '#',
        undefined,
        err,
      );
      expectSubscriptions(src.subscriptions).toBe([]);
    });
  });

  it('unsubscribing stops both source and monitor', () => {
    testScheduler().run(({ hot, expectObservable, expectSubscriptions }) => {
      const src = hot('-a-b-c-d-|');
      const mon = hot<never>('---------------|');
      expectObservable(src.pipe(takeUntilKilled(monitorer(mon), { id: 'n#w' })), '^----!').toBe('-a-b-');
      expectSubscriptions(src.subscriptions).toBe('^----!');
      expectSubscriptions(mon.subscriptions).toBe('^----!');
    });
  });
});
