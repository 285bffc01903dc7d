import { describe, expect, it } from 'vitest';
import { lastValueFrom } from 'rxjs';
import { PortKilled } from '../../src/kernel/errors.js';
import { makeKernel, tick } from '../helpers/kernel.js';

describe('mon', () => {
  it('completes on a normal kill, errors with the reason on an abnormal one', async () => {
    const { k } = makeKernel();
    const a = k.port(() => {});
    const b = k.port(() => {});
    const ea = lastValueFrom(k.mon(a.id), { defaultValue: 'completed' });
    const eb = lastValueFrom(k.mon(b.id)).catch((e: unknown) => e);
    k.kil(a.id);
    k.kil(b.id, 'failure', 'too hot', { t: 99 });
    expect(await ea).toBe('completed');
    const err = (await eb) as PortKilled;
    expect(err).toBeInstanceOf(PortKilled);
    expect(err.reason).toEqual(['failure', 'too hot', { t: 99 }]);
    expect(err.type).toBe('failure');
  });

  it('monitors run after kil returns, never inside it', async () => {
    const { k } = makeKernel();
    const p = k.port(() => {});
    let fired = false;
    k.mon(p.id, () => (fired = true));
    k.kil(p.id, 'x');
    expect(fired).toBe(false);
    await tick();
    expect(fired).toBe(true);
  });

  it('a nonexistent port fires no_such_port', async () => {
    const { k } = makeKernel('nn');
    const err = (await lastValueFrom(k.mon('nn#zzz')).catch((e: unknown) => e)) as PortKilled;
    expect(err.reason).toEqual(['no_such_port', 'cannot monitor nonexistent port', 'nn#zzz']);
  });

  it('callback form gets the reason ([] when normal); monitors are one-shot', async () => {
    const { k } = makeKernel();
    const p = k.port(() => {});
    const q = k.port(() => {});
    const seen: unknown[] = [];
    k.mon(p.id, (r) => seen.push(['p', r]));
    k.mon(q.id, (r) => seen.push(['q', r]));
    k.kil(p.id);
    k.kil(q.id, 'bad');
    k.kil(q.id, 'again');
    await tick();
    expect(seen).toEqual([
      ['p', []],
      ['q', ['bad']],
    ]);
  });

  it('unsubscribe stops monitoring (all forms)', async () => {
    const { k } = makeKernel();
    const p = k.port(() => {});
    let n = 0;
    const s1 = k.mon(p.id, () => n++);
    const s2 = k.mon(p.id).subscribe({ error: () => n++, complete: () => n++ });
    s1.unsubscribe();
    s2.unsubscribe();
    k.kil(p.id, 'x');
    await tick();
    expect(n).toBe(0);
  });

  it('link form kills the local port with the same reason only when abnormal', async () => {
    const { k } = makeKernel();
    const a = k.port(() => {});
    const linked = k.port(() => {});
    k.mon(a.id, linked.id);
    k.kil(a.id);
    await tick();
    expect(linked.alive).toBe(true);

    const b = k.port(() => {});
    k.mon(b.id, linked);
    const death = lastValueFrom(k.mon(linked.id)).catch((e: unknown) => e);
    k.kil(b.id, 'crash', 7);
    expect(((await death) as PortKilled).reason).toEqual(['crash', 7]);
  });

  it('message form sends ...msg, ...reason to the local port', async () => {
    const { k } = makeKernel();
    const got: unknown[] = [];
    const watcher = k.port((m) => got.push(m));
    const a = k.port(() => {});
    const b = k.port(() => {});
    k.mon(a.id, watcher.id, 'down', 'a');
    k.mon(b.id, watcher.id, 'down', 'b');
    k.kil(a.id);
    k.kil(b.id, 'die', 'oops');
    await tick();
    expect(got).toEqual([
      ['down', 'a'],
      ['down', 'b', 'die', 'oops'],
    ]);
  });

  it('logs a local port that dies abnormally with nobody monitoring it, and only then', async () => {
    const { k, logs } = makeKernel();
    const a = k.port(() => {});
    const b = k.port(() => {});
    const c = k.port(() => {});
    k.mon(b.id, () => {});
    k.kil(a.id, 'lonely', 1);
    k.kil(b.id, 'watched');
    k.kil(c.id);
    await tick();
    const errors = logs.filter((l) => l.level === 'error').map((l) => l.message);
    expect(errors).toEqual([`unmonitored local port ${a.id} died with reason: ["lonely",1]`]);
  });

  it('close kills every port normally', async () => {
    const { k } = makeKernel();
    const a = k.port(() => {});
    const end = lastValueFrom(k.mon(a.id), { defaultValue: 'normal' });
    await k.close();
    expect(await end).toBe('normal');
    expect(a.alive).toBe(false);
    expect(() => k.port()).toThrow(/closed/);
  });
});
