import { describe, expect, it } from 'vitest';
import type { Observable } from 'rxjs';
import { CallTimeout, PortKilled } from '../src/kernel/errors.js';
import type { Message } from '../src/kernel/message.js';
import { retryCall, type Caller } from '../src/operators/index.js';
import { makeKernel } from '../spec/helpers/kernel.js';
import { testScheduler } from './helpers.js';

describe('retryCall', () => {
  it('calls again on each timeout, each time a new request, then gives the last CallTimeout', () => {
    const { k } = makeKernel();
    const replyPorts: unknown[] = [];
    const silent = k.port((msg) => replyPorts.push(msg[msg.length - 1]));
    testScheduler().run(({ expectObservable }) => {
      expectObservable(k.call(silent.id, ['get'], { timeout: 0.003 }).pipe(retryCall(2))).toBe(
        '---------#',
        undefined,
        new CallTimeout(silent.id, 0.003),
      );
    });
    expect(replyPorts).toHaveLength(3);
    expect(new Set(replyPorts).size).toBe(3);
  });

  it('waits delay seconds before calling again', () => {
    const { k } = makeKernel();
    const sentAt: number[] = [];
    const ts = testScheduler();
    const silent = k.port(() => sentAt.push(ts.now()));
    ts.run(({ expectObservable }) => {
      expectObservable(
        k.call(silent.id, ['get'], { timeout: 0.003 }).pipe(retryCall({ count: 1, delay: 0.002 })),
      ).toBe('--------#', undefined, new CallTimeout(silent.id, 0.003));
    });
    expect(sentAt).toEqual([0, 5]);
  });

  it('stops retrying as soon as a reply comes', () => {
    const { k } = makeKernel();
    let n = 0;
    const third = k.port((msg) => {
      if (++n === 3) k.snd(msg[msg.length - 1] as string, 'finally');
    });
    testScheduler().run(({ expectObservable }) => {
      expectObservable(k.call(third.id, ['get'], { timeout: 0.002 }).pipe(retryCall(5))).toBe('----(r|)', {
        r: ['finally'],
      });
    });
    expect(n).toBe(3);
  });

  it('does not retry other errors (the target is gone) unless retryOn says so', () => {
    const gone = new PortKilled('n#s', ['transport_error', 'n', 'connection reset']);
    testScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const a = cold<Message>('--#', undefined, gone);
      const b = cold<Message>('--#', undefined, gone);
      const node: Caller = { call: (): Observable<Message> => a };
      expectObservable(node.call('n#s', []).pipe(retryCall(3))).toBe('--#', undefined, gone);
      expectSubscriptions(a.subscriptions).toBe('^-!');
      const retryTransport = retryCall<Message>({
        count: 1,
        retryOn: (e) => e instanceof PortKilled && e.type === 'transport_error',
      });
      expectObservable(b.pipe(retryTransport)).toBe('----#', undefined, gone);
      expectSubscriptions(b.subscriptions).toBe(['^-!', '--^-!']);
    });
  });

  it('rejects a bad count or delay', () => {
    expect(() => retryCall(-1)).toThrow(TypeError);
    expect(() => retryCall({ count: 1, delay: -0.5 })).toThrow(TypeError);
  });
});
