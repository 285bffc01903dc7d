/**
 * The monitor-based operators against a real kernel, whose monitors and
 * kills run in microtasks (so these are plain async tests, not marbles).
 */
import { describe, expect, it } from 'vitest';
import { Subject, firstValueFrom, lastValueFrom, map, toArray } from 'rxjs';
import { PortKilled } from '../../src/kernel/errors.js';
import {
  inPort,
  killOnEnd,
  linkTo,
  monitorReason,
  ofTag,
  pipeToPort,
  takeUntilKilled,
} from '../../src/operators/index.js';
import { makeKernel, tick } from '../helpers/kernel.js';

describe('takeUntilKilled (real kernel)', () => {
  it('completes when the watched port is killed normally', async () => {
    const { k } = makeKernel();
    const worker = k.port(() => {});
    const src = new Subject<number>();
    const out = lastValueFrom(src.pipe(takeUntilKilled(k, worker), toArray()));
    src.next(1);
    src.next(2);
    k.kil(worker.id);
    src.next(3); // same synchronous run as the kill: the monitor has not fired yet
    await tick();
    src.next(4);
    expect(await out).toEqual([1, 2, 3]);
    expect(src.observed).toBe(false);
  });

  it('errors with PortKilled when the watched port dies abnormally', async () => {
    const { k } = makeKernel();
    const worker = k.port(() => {});
    const src = new Subject<number>();
    const out = lastValueFrom(src.pipe(takeUntilKilled(k, worker.id))).catch((e: unknown) => e);
    k.kil(worker.id, 'failure', 'overheated');
    const err = (await out) as PortKilled;
    expect(err).toBeInstanceOf(PortKilled);
    expect(err.port).toBe(worker.id);
    expect(err.reason).toEqual(['failure', 'overheated']);
  });

  it('errors with no_such_port for a port that does not exist', async () => {
    const { k } = makeKernel('tuk');
    const err = (await lastValueFrom(new Subject<never>().pipe(takeUntilKilled(k, 'tuk#gone'))).catch(
      (e: unknown) => e,
    )) as PortKilled;
    expect(err.reason).toEqual(['no_such_port', 'cannot monitor nonexistent port', 'tuk#gone']);
  });

  it('unsubscribing drops the monitor: a later abnormal kill is logged as unmonitored', async () => {
    const { k, logs } = makeKernel();
    const worker = k.port(() => {});
    const sub = new Subject<number>().pipe(takeUntilKilled(k, worker)).subscribe({ error: () => {} });
    sub.unsubscribe();
    k.kil(worker.id, 'die', 'alone');
    await tick();
    expect(logs.map((r) => r.message)).toEqual([
      `unmonitored local port ${worker.id} died with reason: ["die","alone"]`,
    ]);
  });
});

describe('monitorReason (real kernel)', () => {
  it('gives [] for a normal kill and the reason for an abnormal one', async () => {
    const { k } = makeKernel();
    const a = k.port(() => {});
    const b = k.port(() => {});
    const ra = firstValueFrom(k.mon(a.id).pipe(monitorReason()));
    const rb = firstValueFrom(k.mon(b.id).pipe(monitorReason()));
    k.kil(a.id);
    k.kil(b.id, 'die', 'boom');
    expect(await ra).toEqual([]);
    expect(await rb).toEqual(['die', 'boom']);
  });

  it("works on a port's own messages stream", async () => {
    const { k } = makeKernel();
    const p = k.port();
    const reason = firstValueFrom(p.messages.pipe(monitorReason()));
    k.snd(p.id, 'ignored');
    k.kil(p.id, 'transport_error', 'n', 'reset');
    expect(await reason).toEqual(['transport_error', 'n', 'reset']);
  });
});

describe('inPort (real kernel)', () => {
  it("a throwing step on a port's messages kills the port with die; the stream completes", async () => {
    const { k, logs } = makeKernel();
    const p = k.port();
    const seen: unknown[] = [];
    let completed = false;
    const reason = firstValueFrom(k.mon(p.id).pipe(monitorReason()));
    p.messages
      .pipe(
        ofTag('div'),
        map(([a, b]) => {
          if (b === 0) throw new Error('division by zero\n');
          return Number(a) / Number(b);
        }),
        inPort(p),
      )
      .subscribe({ next: (m) => seen.push(m), complete: () => (completed = true) });
    k.snd(p.id, 'div', 6, 3);
    k.snd(p.id, 'div', 1, 0);
    k.snd(p.id, 'div', 8, 2); // the port is dead by now: dropped
    expect(completed).toBe(true);
    expect(p.alive).toBe(false);
    expect(await reason).toEqual(['die', 'division by zero']);
    expect(seen).toEqual([2]);
    expect(logs).toEqual([]);
  });

  it('a port killed from elsewhere: its messages error, inPort completes (re-kill is a no-op)', async () => {
    const { k, logs } = makeKernel();
    const p = k.port();
    const reason = firstValueFrom(k.mon(p.id).pipe(monitorReason()));
    const seen: unknown[] = [];
    let completed = false;
    p.messages.pipe(inPort(p)).subscribe({ next: (m) => seen.push(m), complete: () => (completed = true) });
    k.snd(p.id, 'ok', 1);
    k.kil(p.id, 'die', 'from elsewhere');
    expect(await reason).toEqual(['die', 'from elsewhere']);
    await tick();
    expect(seen).toEqual([['ok', 1]]);
    expect(completed).toBe(true);
    expect(logs).toEqual([]);
  });
});

describe('linkTo / killOnEnd / pipeToPort (real kernel)', () => {
  it('linkTo: a failing stream kills the linked port with its reason', async () => {
    const { k } = makeKernel();
    const session = k.port(() => {});
    const reason = firstValueFrom(k.mon(session.id).pipe(monitorReason()));
    const src = new Subject<number>();
    let error: unknown;
    src.pipe(linkTo(k, session)).subscribe({ error: (e: unknown) => (error = e) });
    src.error(new PortKilled('x#y', ['transport_error', 'x', 'gone']));
    expect(await reason).toEqual(['transport_error', 'x', 'gone']);
    expect(error).toBeInstanceOf(PortKilled);
  });

  it('killOnEnd: a completed stream ends the port normally', async () => {
    const { k } = makeKernel();
    const p = k.port(() => {});
    const reason = firstValueFrom(k.mon(p.id).pipe(monitorReason()));
    const src = new Subject<number>();
    src.pipe(killOnEnd(k, p.id)).subscribe();
    src.next(1);
    expect(p.alive).toBe(true);
    src.complete();
    expect(await reason).toEqual([]);
  });

  it('pipeToPort: values arrive in order; an error kills the port with die', async () => {
    const { k } = makeKernel();
    const got: unknown[] = [];
    const p = k.port((m) => got.push(m));
    const reason = firstValueFrom(k.mon(p.id).pipe(monitorReason()));
    const src = new Subject<number>();
    pipeToPort(src, k, p, { prefix: ['n'] });
    src.next(1);
    src.next(2);
    src.error(new Error('source failed'));
    src.next(3);
    expect(await reason).toEqual(['die', 'source failed']);
    expect(got).toEqual([
      ['n', 1],
      ['n', 2],
    ]);
    await tick();
  });
});
