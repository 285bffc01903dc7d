import { describe, expect, it } from 'vitest';
import { firstValueFrom, lastValueFrom, toArray } from 'rxjs';
import { PortKilled } from '../../src/kernel/errors.js';
import { makeKernel, tick } from '../helpers/kernel.js';

describe('ports', () => {
  it('names ports nodeid#b, #c … with Perl magic increment, never reused', () => {
    const { k } = makeKernel('n1');
    const ids = Array.from({ length: 27 }, () => k.port(() => {}).id);
    expect(ids[0]).toBe('n1#b');
    expect(ids[1]).toBe('n1#c');
    expect(ids[24]).toBe('n1#z');
    expect(ids[25]).toBe('n1#aa');
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('a catch-all handler gets every message in order, with its port as self', () => {
    const { k } = makeKernel();
    const got: unknown[] = [];
    const p = k.port((msg, self) => {
      got.push(msg);
      expect(self).toBe(p);
      expect(k.self).toBe(p);
    });
    for (let i = 0; i < 5; i++) k.snd(p.id, 'tag', i);
    expect(got).toEqual([0, 1, 2, 3, 4].map((i) => ['tag', i]));
    expect(k.self).toBeUndefined();
  });

  it('tag handlers get the message without its tag; undefined removes one', async () => {
    const { k } = makeKernel();
    const got: unknown[] = [];
    const p = k.port().rcv('ping', (m) => got.push(['ping', m])).rcv('pong', (m) => got.push(['pong', m]));
    k.snd(p.id, 'ping', 1, 2);
    k.snd(p.id, 'pong', { a: 1 });
    expect(got).toEqual([
      ['ping', [1, 2]],
      ['pong', [{ a: 1 }]],
    ]);
    p.rcv('pong', undefined);
    const death = lastValueFrom(k.mon(p.id)).catch((e) => e);
    k.snd(p.id, 'pong', 3);
    const err = await death;
    expect(err).toBeInstanceOf(PortKilled);
    expect(err.reason).toEqual(['unhandled_message', "no callback found for message 'pong'"]);
  });

  it('a tag handler wins over the catch-all, the catch-all takes the rest', () => {
    const { k } = makeKernel();
    const got: unknown[] = [];
    const p = k.port((m) => got.push(['all', m])).rcv('x', (m) => got.push(['x', m]));
    k.snd(p.id, 'x', 1);
    k.snd(p.id, 'y', 2);
    expect(got).toEqual([
      ['x', [1]],
      ['all', ['y', 2]],
    ]);
  });

  it('unhandled_message truncates the tag to 30 chars and masks control characters', async () => {
    const { k } = makeKernel();
    const p = k.port();
    const death = lastValueFrom(k.mon(p.id)).catch((e) => e);
    k.snd(p.id, 'a\tb' + 'x'.repeat(40));
    expect((await death).reason).toEqual(['unhandled_message', `no callback found for message 'a.b${'x'.repeat(27)}'`]);
  });

  it('subscribing to messages counts as handling: no unhandled_message kill', async () => {
    const { k } = makeKernel();
    const p = k.port();
    const all = lastValueFrom(p.messages.pipe(toArray()));
    k.snd(p.id, 'a', 1);
    k.snd(p.id, 'b', 2);
    expect(p.alive).toBe(true);
    k.kil(p.id);
    expect(await all).toEqual([
      ['a', 1],
      ['b', 2],
    ]);
  });

  it('a subscriber that takes one message and unsubscribes does not leave the port to die of it', async () => {
    const { k } = makeKernel();
    const p = k.port();
    for (let i = 0; i < 3; i++) {
      const one = firstValueFrom(p.messages);
      k.snd(p.id, 'pong', i);
      expect(await one).toEqual(['pong', i]);
    }
    expect(p.alive).toBe(true);
  });

  it('a throwing handler kills its port with die and the messages stream errors with PortKilled', async () => {
    const { k } = makeKernel();
    const p2 = k.port(() => {
      throw new Error('boom\n');
    });
    const e2 = lastValueFrom(p2.messages).catch((e) => e);
    k.snd(p2.id, 'go');
    const e = await e2;
    expect(e).toBeInstanceOf(PortKilled);
    expect(e.reason).toEqual(['die', 'boom']);
    expect(e.port).toBe(p2.id);
    expect(p2.alive).toBe(false);
  });

  it('messages completes on a normal kill and replays the end to late subscribers', async () => {
    const { k } = makeKernel();
    const p = k.port(() => {});
    k.kil(p.id);
    await tick();
    await expect(lastValueFrom(p.messages, { defaultValue: 'none' })).resolves.toBe('none');
    const q = k.port(() => {});
    k.kil(q.id, 'x', 1);
    await tick();
    await expect(lastValueFrom(q.messages)).rejects.toMatchObject({ reason: ['x', 1] });
  });

  it('snd never throws for unknown, dead or foreign ids and drops the message', async () => {
    const { k } = makeKernel('me');
    const p = k.port(() => {});
    k.kil(p.id);
    expect(() => k.snd(p.id, 'late')).not.toThrow();
    expect(() => k.snd('me#nonexistent', 'x')).not.toThrow();
    expect(() => k.snd('other#x', 'x')).not.toThrow();
    expect(() => k.snd('garbage', 'x')).not.toThrow();
  });

  it('Port is an Observer: next delivers, error kills with die, complete kills normally', async () => {
    const { k } = makeKernel();
    const got: unknown[] = [];
    const p = k.port((m) => got.push(m));
    p.next(['a', 1]);
    expect(got).toEqual([['a', 1]]);
    const death = lastValueFrom(k.mon(p.id)).catch((e) => e);
    p.error(new Error('bad'));
    expect((await death).reason).toEqual(['die', 'bad']);
    const q = k.port(() => {});
    const end = lastValueFrom(k.mon(q.id), { defaultValue: 'normal' });
    q.complete();
    expect(await end).toBe('normal');
  });

  it('eval and wrap run code in port context: a throw kills the port', async () => {
    const { k } = makeKernel();
    const p = k.port(() => {});
    expect(p.eval(() => 42)).toBe(42);
    const death = lastValueFrom(k.mon(p.id)).catch((e) => e);
    const f = p.wrap((x: number) => {
      if (x > 1) throw new Error('too big');
      return x;
    });
    expect(f(1)).toBe(1);
    expect(f(2)).toBeUndefined();
    expect((await death).reason).toEqual(['die', 'too big']);
  });

  it('wrong arguments throw TypeErrors naming them', () => {
    const { k } = makeKernel();
    expect(() => k.port(42 as never)).toThrow(TypeError);
    expect(() => k.port().rcv(42 as never)).toThrow(/handler/);
    expect(() => k.kil('' as never)).toThrow(/port id/);
    expect(() => k.mon(undefined as never)).toThrow(TypeError);
    expect(() => k.kil(k.nodePortId)).toThrow(/node port/);
    expect(() => k.after(-1, () => {})).toThrow(/seconds/);
  });
});
