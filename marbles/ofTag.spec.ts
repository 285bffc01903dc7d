import { describe, expect, it } from 'vitest';
import { PortKilled } from '../src/kernel/errors.js';
import type { Message } from '../src/kernel/message.js';
import { ofTag, ofTags } from '../src/operators/index.js';
import { makeKernel } from '../spec/helpers/kernel.js';
import { testScheduler } from './helpers.js';

const msgs: Record<string, Message> = {
  p: ['ping', 1],
  q: ['pong', 2],
  r: ['ping'],
  s: ['ping', 3, 4],
  t: ['PING', 5],
  u: [],
};

describe('ofTag', () => {
  it('emits only the matching messages, without the tag, and passes completion', () => {
    testScheduler().run(({ hot, expectObservable, expectSubscriptions }) => {
      const src = hot('--p--q--r--t--s--|', msgs);
      expectObservable(src.pipe(ofTag('ping'))).toBe('--a-----b-----c--|', { a: [1], b: [], c: [3, 4] });
      expectSubscriptions(src.subscriptions).toBe('^----------------!');
    });
  });

  it('never matches an empty message, and compares the tag with ===', () => {
    testScheduler().run(({ hot, expectObservable }) => {
      const src = hot('-u-t-|', msgs);
      expectObservable(src.pipe(ofTag('ping'))).toBe('-----|');
    });
  });

  it('passes a PortKilled error through', () => {
    const err = new PortKilled('n#p', ['die', 'boom']);
    testScheduler().run(({ hot, expectObservable }) => {
      const src = hot('--p--#', msgs, err);
      expectObservable(src.pipe(ofTag('ping'))).toBe('--a--#', { a: [1] }, err);
    });
  });

  it('unsubscribing the tagged stream unsubscribes the source', () => {
    testScheduler().run(({ hot, expectObservable, expectSubscriptions }) => {
      const src = hot('--p--r--s--|', msgs);
      expectObservable(src.pipe(ofTag('ping')), '^----!').toBe('--a---', { a: [1] });
      expectSubscriptions(src.subscriptions).toBe('^----!');
    });
  });

  it("filters a real port's messages, delivered by node.after in virtual time", () => {
    const { k } = makeKernel();
    const port = k.port();
    testScheduler().run(({ expectObservable }) => {
      k.after(0.002, port.id, 'ping', 'x');
      k.after(0.004, port.id, 'other', 'y');
      k.after(0.007, port.id, 'ping', 'z', 1);
      expectObservable(port.messages.pipe(ofTag('ping')), '^--------!').toBe('--a----b--', {
        a: ['x'],
        b: ['z', 1],
      });
    });
    // the 'other' message was taken by the messages subscriber: the port is alive
    expect(port.alive).toBe(true);
  });
});

describe('ofTags', () => {
  it('emits the messages of any of the tags, tag kept', () => {
    testScheduler().run(({ hot, expectObservable }) => {
      const src = hot('--p--q--t--s--|', msgs);
      expectObservable(src.pipe(ofTags('ping', 'pong'))).toBe('--p--q-----s--|', msgs);
    });
  });

  it('with no tags lets nothing through', () => {
    testScheduler().run(({ hot, expectObservable }) => {
      const src = hot('--p--q--|', msgs);
      expectObservable(src.pipe(ofTags())).toBe('--------|');
    });
  });

  it('passes errors through', () => {
    const err = new PortKilled('n#p', ['transport_error', 'n', 'gone']);
    testScheduler().run(({ hot, expectObservable }) => {
      expectObservable(hot('-q-#', msgs, err).pipe(ofTags('pong'))).toBe('-q-#', msgs, err);
    });
  });
});
