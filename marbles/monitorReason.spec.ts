import { describe, it } from 'vitest';
import { PortKilled } from '../src/kernel/errors.js';
import { monitorReason } from '../src/operators/index.js';
import { testScheduler } from './helpers.js';

describe('monitorReason', () => {
  it('a normal end becomes [] and completes', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      expectObservable(cold<never>('-----|').pipe(monitorReason())).toBe('-----(r|)', { r: [] });
    });
  });

  it('a PortKilled becomes its reason and completes', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      const err = new PortKilled('n#b', ['die', 'boom']);
      expectObservable(cold<never>('---#', undefined, err).pipe(monitorReason())).toBe('---(r|)', {
        r: ['die', 'boom'],
      });
    });
  });

  it('ignores values and passes any other error on', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      const err = new TypeError('not a monitor error');
      expectObservable(cold('--x--#', { x: 1 }, err).pipe(monitorReason())).toBe('-----#', undefined, err);
      expectObservable(cold('-x-y-|').pipe(monitorReason())).toBe('-----(r|)', { r: [] });
    });
  });

  it('emits nothing while the port lives', () => {
    testScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const mon = cold<never>('-------');
      expectObservable(mon.pipe(monitorReason()), '^---!').toBe('-----');
      expectSubscriptions(mon.subscriptions).toBe('^---!');
    });
  });
});
