import { describe, expect, it } from 'vitest';
import { map } from 'rxjs';
import type { Message } from '../src/kernel/message.js';
import { ofTag, replyTo } from '../src/operators/index.js';
import { makeKernel } from '../spec/helpers/kernel.js';
import { RecordingNode, testScheduler } from './helpers.js';

describe('replyTo', () => {
  it('splits off the last element as the reply port; reply() sends to it', () => {
    const ts = testScheduler();
    const node = new RecordingNode(ts);
    ts.run(({ hot, expectObservable }) => {
      const src = hot<Message>('-a--b-|', { a: ['k1', 'n#r1'], b: ['n#r2'] });
      const out = src.pipe(
        replyTo(node),
        map((req) => {
          req.reply('answer', req.args.length);
          return { args: req.args, replyPort: req.replyPort };
        }),
      );
      expectObservable(out).toBe('-a--b-|', {
        a: { args: ['k1'], replyPort: 'n#r1' },
        b: { args: [], replyPort: 'n#r2' },
      });
    });
    expect(node.acts).toEqual([
      [1, 'snd', 'n#r1', ['answer', 1]],
      [4, 'snd', 'n#r2', ['answer', 0]],
    ]);
  });

  it('a request without a reply port id errors the stream with a TypeError', () => {
    const ts = testScheduler();
    const node = new RecordingNode(ts);
    ts.run(({ hot, expectObservable }) => {
      const src = hot<Message>('-a-b-|', { a: ['k', 'n#r'], b: ['k', 42] });
      expectObservable(
        src.pipe(
          replyTo(node),
          map((r) => r.args),
        ),
      ).toBe(
        '-a-#',
        { a: ['k'] },
        new TypeError('replyTo: the last element of a request must be the reply port id'),
      );
    });
  });

  it("serves the kernel's cal: the caller gets the reply, at the frame it is sent", () => {
    const { k } = makeKernel();
    const table = new Map([['k1', 'v1']]);
    const srv = k.port();
    srv.messages.pipe(ofTag('get'), replyTo(k)).subscribe(({ args: [key], reply }) => {
      if (key === 'slow') k.after(0.003, () => reply('late'));
      else reply(table.get(String(key)) ?? null);
    });
    testScheduler().run(({ expectObservable }) => {
      expectObservable(k.cal(srv.id, 'get', 'k1', { timeout: 0.005 })).toBe('(r|)', { r: ['v1'] });
      expectObservable(k.cal(srv.id, 'get', 'nope', { timeout: 0.005 })).toBe('(r|)', { r: [null] });
      expectObservable(k.cal(srv.id, 'get', 'slow', { timeout: 0.005 })).toBe('---(r|)', { r: ['late'] });
    });
    expect(srv.alive).toBe(true);
  });
});
