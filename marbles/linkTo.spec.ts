import { describe, expect, it } from 'vitest';
import { PortKilled } from '../src/kernel/errors.js';
import { killOnEnd, linkTo } from '../src/operators/index.js';
import { RecordingNode, testScheduler } from './helpers.js';

describe('linkTo', () => {
  it('kills the port with [die, text] when the source errors, and still passes the error on', () => {
    const ts = testScheduler();
    const node = new RecordingNode(ts);
    const err = new Error('upstream broke');
    ts.run(({ hot, expectObservable }) => {
      expectObservable(hot('--a--#', undefined, err).pipe(linkTo(node, 'n#s'))).toBe(
        '--a--#',
        undefined,
        err,
      );
    });
    expect(node.acts).toEqual([[5, 'kil', 'n#s', ['die', 'upstream broke']]]);
  });

  it('a PortKilled error kills with its own reason', () => {
    const ts = testScheduler();
    const node = new RecordingNode(ts);
    const err = new PortKilled('n#o', ['failure', 'hot']);
    ts.run(({ hot, expectObservable }) => {
      expectObservable(hot('---#', undefined, err).pipe(linkTo(node, { id: 'n#s' }))).toBe(
        '---#',
        undefined,
        err,
      );
    });
    expect(node.acts).toEqual([[3, 'kil', 'n#s', ['failure', 'hot']]]);
  });

  it('completion and unsubscription kill nothing', () => {
    const ts = testScheduler();
    const node = new RecordingNode(ts);
    ts.run(({ hot, cold, expectObservable }) => {
      expectObservable(cold('-a-|').pipe(linkTo(node, 'n#s'))).toBe('-a-|');
      expectObservable(hot('-a--#').pipe(linkTo(node, 'n#s')), '^-!').toBe('-a-');
    });
    expect(node.acts).toEqual([]);
  });
});

describe('killOnEnd', () => {
  it('kills the port normally when the source completes', () => {
    const ts = testScheduler();
    const node = new RecordingNode(ts);
    ts.run(({ cold, expectObservable }) => {
      expectObservable(cold('-a--|').pipe(killOnEnd(node, 'n#u'))).toBe('-a--|');
    });
    expect(node.acts).toEqual([[4, 'kil', 'n#u', []]]);
  });

  it('kills with the reason when the source errors, passing the error on', () => {
    const ts = testScheduler();
    const node = new RecordingNode(ts);
    const err = new PortKilled('n#o', ['transport_error', 'n', 'reset']);
    ts.run(({ cold, expectObservable }) => {
      expectObservable(cold('-a-#', undefined, err).pipe(killOnEnd(node, 'n#u'))).toBe(
        '-a-#',
        undefined,
        err,
      );
      expectObservable(cold('--#', undefined, new Error('boom')).pipe(killOnEnd(node, 'n#v'))).toBe(
        '--#',
        undefined,
        new Error('boom'),
      );
    });
    expect(node.acts).toEqual([
      [2, 'kil', 'n#v', ['die', 'boom']],
      [3, 'kil', 'n#u', ['transport_error', 'n', 'reset']],
    ]);
  });

  it('unsubscription kills nothing', () => {
    const ts = testScheduler();
    const node = new RecordingNode(ts);
    ts.run(({ hot, expectObservable }) => {
      expectObservable(hot('-a-b-|').pipe(killOnEnd(node, 'n#u')), '^--!').toBe('-a--');
    });
    expect(node.acts).toEqual([]);
  });
});
