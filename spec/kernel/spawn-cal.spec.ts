import { describe, expect, it } from 'vitest';
import { firstValueFrom, lastValueFrom } from 'rxjs';
import { CallTimeout, PortKilled } from '../../src/kernel/errors.js';
import { makeKernel, tick } from '../helpers/kernel.js';

describe('spawn', () => {
  it('returns the new id at once and runs init afterwards, in the new port context', async () => {
    const { k } = makeKernel('sp');
    const events: string[] = [];
    k.register('MyApp::Worker::init', (self, a, b) => {
      events.push(`init ${self.id} ${String(a)} ${String(b)} self=${k.self === self}`);
      self.rcv('hello', ([x]) => events.push(`hello ${String(x)}`));
    });
    const id = k.spawn('sp', 'MyApp::Worker::init', 1, 2);
    events.push('returned');
    expect(id).toBe('sp#R0JxsSRoSQb');
    k.snd(id, 'hello', 'early'); // before init ran: held, delivered after init
    expect(events).toEqual(['returned']);
    await tick();
    expect(events).toEqual(['returned', `init ${id} 1 2 self=true`, 'hello early']);
  });

  it('accepts a port id as the target node and shares the name counter with port()', () => {
    const { k } = makeKernel('sq');
    k.register('F::g', () => {});
    expect(k.port(() => {}).id).toBe('sq#b');
    expect(k.spawn('sq#b', 'F::g')).toBe('sq#R0JxsSRoSQc');
  });

  it('an unknown init function kills the new port with die', async () => {
    const { k } = makeKernel();
    const id = k.spawn(k.id, 'No::Such::init');
    const err = (await lastValueFrom(k.mon(id)).catch((e: unknown) => e)) as PortKilled;
    expect(err.reason[0]).toBe('die');
    expect(String(err.reason[1])).toMatch(/No::Such::init/);
  });

  it('a throwing init kills the new port with die', async () => {
    const { k } = makeKernel();
    k.register('Bad::init', () => {
      throw new Error('cannot start');
    });
    const id = k.spawn(k.id, 'Bad::init');
    const err = (await lastValueFrom(k.mon(id)).catch((e: unknown) => e)) as PortKilled;
    expect(err.reason).toEqual(['die', 'cannot start']);
  });
});

describe('cal', () => {
  it('emits the one reply and completes; the reply port dies', async () => {
    const { k } = makeKernel();
    const server = k.port().rcv('add', ([a, b, reply]) => k.snd(reply as string, (a as number) + (b as number)));
    const before = k.portCount;
    const replies = await lastValueFrom(k.cal(server.id, 'add', 2, 3).pipe((s) => s));
    expect(replies).toEqual([5]);
    await tick();
    expect(k.portCount).toBe(before);
  });

  it('errors with CallTimeout when no reply comes within the timeout', async () => {
    const { k } = makeKernel();
    const silent = k.port(() => {});
    const before = k.portCount;
    const err = await firstValueFrom(k.cal(silent.id, 'get', 'k', { timeout: 0.01 })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CallTimeout);
    expect((err as CallTimeout).port).toBe(silent.id);
    await tick();
    expect(k.portCount).toBe(before);
  });

  it('without a timeout monitors the target and errors with PortKilled when it dies', async () => {
    const { k } = makeKernel();
    const doomed = k.port().rcv('get', () => {
      throw new Error('no such key');
    });
    const err = await firstValueFrom(k.cal(doomed.id, 'get', 'k')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PortKilled);
    expect((err as PortKilled).reason).toEqual(['die', 'no such key']);
  });

  it('an object as last message element is data, not options, unless it is exactly { timeout }', async () => {
    const { k } = makeKernel();
    const echo = k.port((m) => k.snd(m[m.length - 1] as string, ...m.slice(0, -1)));
    expect(await firstValueFrom(k.cal(echo.id, 'x', { timeout: 1, other: 2 }))).toEqual(['x', { timeout: 1, other: 2 }]);
    expect(await firstValueFrom(k.call(echo.id, ['y', { timeout: 3 }]))).toEqual(['y', { timeout: 3 }]);
  });

  it('sends nothing until subscribed', async () => {
    const { k } = makeKernel();
    let n = 0;
    const p = k.port(() => n++);
    const call = k.cal(p.id, 'x', { timeout: 1 });
    await tick();
    expect(n).toBe(0);
    const s = call.subscribe({ error: () => {} });
    expect(n).toBe(1);
    s.unsubscribe();
  });
});

describe('node port', () => {
  it('answers time, can, relays snd, ignores devnull and refuses eval with a log line', async () => {
    const { k, logs } = makeKernel('np');
    const got: unknown[] = [];
    const me = k.port((m) => got.push(m));
    const before = Date.now() / 1000;
    k.snd(k.nodePortId, 'time', me.id, 'now');
    k.snd(k.nodePortId, 'can', 'time', me.id, 'can-time');
    k.snd(k.nodePortId, 'can', 'Nope::x', me.id, 'can-nope');
    k.snd(k.nodePortId, 'snd', me.id, 'relayed', 1);
    k.snd(k.nodePortId, 'devnull', 1, 2);
    k.snd(k.nodePortId, 'eval', '1+1', me.id, 'eval_reply');
    await tick();
    expect(got[0]?.[0 as never]).toBe('now');
    const t = (got[0] as unknown[])[1] as number;
    expect(t).toBeGreaterThanOrEqual(before - 1);
    expect(got.slice(1)).toEqual([['can-time', '1'], ['can-nope', ''], ['relayed', 1]]);
    expect(logs.some((l) => l.message === 'error processing node message from np: remote execution not allowed')).toBe(true);
  });

  it('monitoring the own node port never fires locally', async () => {
    const { k } = makeKernel();
    let fired = false;
    k.mon(k.nodePortId, () => (fired = true));
    await tick();
    expect(fired).toBe(false);
  });
});
