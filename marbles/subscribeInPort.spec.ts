import { describe, expect, it } from 'vitest';
import { PortKilled } from '../src/kernel/errors.js';
import { subscribeInPort } from '../src/operators/index.js';
import { RecordingPort, testScheduler } from './helpers.js';

describe('subscribeInPort', () => {
  it('a throwing handler kills the port with die and ends the subscription', () => {
    const ts = testScheduler();
    const port = new RecordingPort(ts);
    const handled: [number, string][] = [];
    ts.run(({ hot, expectSubscriptions, flush }) => {
      const src = hot('--a--b--c--|');
      subscribeInPort(src, port, (v) => {
        if (v === 'b') throw new Error('bad b\n');
        handled.push([ts.now(), v]);
      });
      flush();
      expectSubscriptions(src.subscriptions).toBe('^----!');
    });
    expect(handled).toEqual([[2, 'a']]);
    expect(port.kills).toEqual([[5, ['die', 'bad b']]]);
  });

  it('a thrown PortKilled kills with its reason', () => {
    const ts = testScheduler();
    const port = new RecordingPort(ts);
    ts.run(({ cold, flush }) => {
      subscribeInPort(cold('-a-|'), port, () => {
        throw new PortKilled('n#x', ['failure', 'upstream']);
      });
      flush();
    });
    expect(port.kills).toEqual([[1, ['failure', 'upstream']]]);
  });

  it('a source error kills the port; completion and unsubscription do not', () => {
    const ts = testScheduler();
    const port = new RecordingPort(ts);
    ts.run(({ cold, hot, expectSubscriptions, flush }) => {
      subscribeInPort(cold('-a-#', undefined, new Error('source broke')), port, () => {});
      subscribeInPort(cold('-a-|'), port, () => {});
      const endless = hot('-a-b-c-d-|');
      const sub = subscribeInPort(endless, port, () => {});
      ts.schedule(() => sub.unsubscribe(), 4);
      flush();
      expectSubscriptions(endless.subscriptions).toBe('^---!');
    });
    expect(port.kills).toEqual([[3, ['die', 'source broke']]]);
  });
});
