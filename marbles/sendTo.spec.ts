import { describe, expect, it } from 'vitest';
import { PortKilled } from '../src/kernel/errors.js';
import type { Message } from '../src/kernel/message.js';
import { sendTo } from '../src/operators/index.js';
import { makeKernel } from '../spec/helpers/kernel.js';
import { testScheduler } from './helpers.js';

describe('sendTo', () => {
  it('sends each value to a real port at the frame it passes, and mirrors the source', () => {
    const { k } = makeKernel();
    const ts = testScheduler();
    const got: [number, Message][] = [];
    const port = k.port((msg) => got.push([ts.now(), msg]));
    ts.run(({ cold, expectObservable }) => {
      const values = { a: 'x', b: ['y', 2], c: { z: 3 } };
      expectObservable(cold('-a--b-c|', values).pipe(sendTo(k, port.id))).toBe('-a--b-c|', values);
    });
    expect(got).toEqual([
      [1, ['x']],
      [4, ['y', 2]],
      [6, [{ z: 3 }]],
    ]);
  });

  it('puts the prefix in front of every message, and accepts a Port object', () => {
    const { k } = makeKernel();
    const ts = testScheduler();
    const got: Message[] = [];
    const port = k.port((msg) => got.push(msg));
    ts.run(({ cold, expectObservable }) => {
      expectObservable(cold('-a-b|', { a: 1, b: [2, 3] }).pipe(sendTo(k, port, 'reading', 'room1'))).toBe(
        '-a-b|',
        {
          a: 1,
          b: [2, 3],
        },
      );
    });
    expect(got).toEqual([
      ['reading', 'room1', 1],
      ['reading', 'room1', 2, 3],
    ]);
  });

  it('passes errors on and sends nothing for them; a dead target drops silently', () => {
    const { k } = makeKernel();
    const port = k.port(() => {});
    k.kil(port.id);
    const err = new PortKilled('n#x', ['die', 'boom']);
    testScheduler().run(({ hot, expectObservable }) => {
      expectObservable(hot('-a-#', { a: 1 }, err).pipe(sendTo(k, port.id))).toBe('-a-#', { a: 1 }, err);
    });
  });

  it('rejects a missing port id at once', () => {
    const { k } = makeKernel();
    expect(() => sendTo(k, '')).toThrow(TypeError);
  });
});
