import { describe, expect, it } from 'vitest';
import { PortKilled } from '../src/kernel/errors.js';
import type { Message } from '../src/kernel/message.js';
import { pipeToPort, toPort } from '../src/operators/index.js';
import { makeKernel } from '../spec/helpers/kernel.js';
import { RecordingNode, testScheduler } from './helpers.js';

describe('toPort', () => {
  it('by default sends values and kills the port normally on completion', () => {
    const ts = testScheduler();
    const node = new RecordingNode(ts);
    ts.run(({ cold, flush }) => {
      cold('-a-b--|', { a: 'x', b: ['y', 1] }).subscribe(toPort(node, 'n#p'));
      flush();
    });
    expect(node.acts).toEqual([
      [1, 'snd', 'n#p', ['x']],
      [3, 'snd', 'n#p', ['y', 1]],
      [6, 'kil', 'n#p', []],
    ]);
  });

  it('by default kills with the error reason: die text, or the PortKilled reason', () => {
    const ts = testScheduler();
    const node = new RecordingNode(ts);
    ts.run(({ cold, flush }) => {
      cold('-a-#', { a: 1 }, new Error('boom')).subscribe(toPort(node, 'n#p', { prefix: ['v'] }));
      cold('--#', undefined, new PortKilled('n#o', ['transport_error', 'n', 'gone'])).subscribe(
        toPort(node, 'n#q'),
      );
      flush();
    });
    expect(node.acts).toEqual([
      [1, 'snd', 'n#p', ['v', 1]],
      [2, 'kil', 'n#q', ['transport_error', 'n', 'gone']],
      [3, 'kil', 'n#p', ['die', 'boom']],
    ]);
  });

  it("kill: 'onError' ignores completion; kill: 'never' ignores both", () => {
    const ts = testScheduler();
    const node = new RecordingNode(ts);
    ts.run(({ cold, flush }) => {
      cold('-|').subscribe(toPort(node, 'n#a', { kill: 'onError' }));
      cold('--#').subscribe(toPort(node, 'n#b', { kill: 'onError' }));
      cold('---|').subscribe(toPort(node, 'n#c', { kill: 'never' }));
      cold('----#').subscribe(toPort(node, 'n#d', { kill: 'never' }));
      flush();
    });
    expect(node.acts).toEqual([[2, 'kil', 'n#b', ['die', 'error']]]);
  });

  it('rejects an unknown kill mode', () => {
    const { k } = makeKernel();
    expect(() => toPort(k, 'n#p', { kill: 'sometimes' as never })).toThrow(TypeError);
  });
});

describe('pipeToPort', () => {
  it('pipes into a real port; completion kills it; the subscription is the guard', () => {
    const { k } = makeKernel();
    const ts = testScheduler();
    const got: [number, Message][] = [];
    const a = k.port((msg) => got.push([ts.now(), msg]));
    const b = k.port((msg) => got.push([ts.now(), msg]));
    ts.run(({ cold, hot, expectSubscriptions, flush }) => {
      const done = cold('-x-y|');
      const endless = hot('--z--w--v--|');
      pipeToPort(done, k, a, { prefix: ['t'] });
      const guard = pipeToPort(endless, k, b.id);
      ts.schedule(() => guard.unsubscribe(), 6);
      flush();
      expectSubscriptions(endless.subscriptions).toBe('^-----!');
    });
    expect(got).toEqual([
      [1, ['t', 'x']],
      [2, ['z']],
      [3, ['t', 'y']],
      [5, ['w']],
    ]);
    expect(a.alive).toBe(false); // completed: killed normally
    expect(b.alive).toBe(true); // unsubscribed: left alone
  });
});
