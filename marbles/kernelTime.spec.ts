/**
 * The kernel's own timed parts — `after` and `cal`'s timeout — run on rxjs
 * timers, so they follow TestScheduler virtual time (1 kernel second =
 * 1000 frames). The operators rely on this.
 */
import { describe, expect, it } from 'vitest';
import { mergeMap } from 'rxjs';
import { CallTimeout } from '../src/kernel/errors.js';
import type { Message } from '../src/kernel/message.js';
import type { NodeLike } from '../src/operators/index.js';
import { makeKernel } from '../spec/helpers/kernel.js';
import { testScheduler } from './helpers.js';

describe('kernel in virtual time', () => {
  it('a Kernel is a NodeLike (what the operators take)', () => {
    const { k } = makeKernel();
    const node: NodeLike = k;
    expect(node).toBe(k);
  });

  it('node.after calls back, or sends, after the given seconds', () => {
    const { k } = makeKernel();
    const ts = testScheduler();
    const events: [number, string, Message?][] = [];
    const port = k.port((msg) => events.push([ts.now(), 'msg', msg]));
    ts.run(({ flush }) => {
      k.after(0.004, () => events.push([ts.now(), 'fn']));
      k.after(0.002, port.id, 'tick', 1);
      const cancelled = k.after(0.003, () => events.push([ts.now(), 'cancelled']));
      ts.schedule(() => cancelled.unsubscribe(), 1);
      flush();
    });
    expect(events).toEqual([
      [2, 'msg', ['tick', 1]],
      [4, 'fn'],
    ]);
  });

  it('cal emits the reply when it comes and completes; CallTimeout exactly at the timeout', () => {
    const { k } = makeKernel();
    const echo = k.port((msg) => {
      const reply = msg[msg.length - 1] as string;
      k.after(Number(msg[0]), reply, 'pong');
    });
    testScheduler().run(({ expectObservable }) => {
      expectObservable(k.cal(echo.id, 0.003, { timeout: 0.01 })).toBe('---(r|)', { r: ['pong'] });
      expectObservable(k.cal(echo.id, 0.02, { timeout: 0.01 })).toBe(
        '----------#',
        undefined,
        new CallTimeout(echo.id, 0.01),
      );
      expectObservable(k.cal(echo.id, 0.005)).toBe('-----(r|)', { r: ['pong'] }); // no timeout: monitors instead
    });
  });

  it('cal sends nothing until subscribed, and again on each subscription', () => {
    const { k } = makeKernel();
    const ts = testScheduler();
    const sentAt: number[] = [];
    const srv = k.port((msg) => {
      sentAt.push(ts.now());
      k.snd(msg[msg.length - 1] as string, 'ok');
    });
    ts.run(({ cold, expectObservable }) => {
      const call$ = k.cal(srv.id, 'x');
      expectObservable(cold('--a---a|').pipe(mergeMap(() => call$))).toBe('--r---r|', {
        r: ['ok'],
      });
    });
    expect(sentAt).toEqual([2, 6]);
  });
});
