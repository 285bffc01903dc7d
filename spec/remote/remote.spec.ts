import { afterEach, describe, expect, it } from 'vitest';
import { firstValueFrom, lastValueFrom, take, timeout, toArray } from 'rxjs';
import { CallTimeout, PortKilled, type AempNode } from '../../src/index.js';
import { makeNode, nodeEvent, rejection } from '../helpers/nodes.js';

const open: AempNode[] = [];
async function pair(aOpts = {}, bOpts = {}) {
  const a = await makeNode(`ra${open.length}`, aOpts);
  const b = await makeNode(`rb${open.length}`, { addresses: { [a.id]: [...a.addresses] }, ...bOpts });
  open.push(a, b);
  return { a, b };
}
afterEach(async () => {
  await Promise.all(open.splice(0).map((n) => n.close()));
});

describe('remote kernel over loopback', () => {
  it('ping-pong: snd across in both directions, order kept', async () => {
    const { a, b } = await pair();
    const got: unknown[] = [];
    const done = new Promise<void>((resolve) => {
      const pong = b.port().rcv('pong', ([i]) => {
        got.push(i);
        if (i === 999) resolve();
      });
      const ping = a.port().rcv('ping', ([i, reply]) => a.snd(reply as string, 'pong', i));
      for (let i = 0; i < 1000; i++) b.snd(ping.id, 'ping', i, pong.id);
    });
    await done;
    expect(got).toEqual(Array.from({ length: 1000 }, (_, i) => i));
    expect(a.isUp(b.id)).toBe(true);
    expect(b.upNodes()).toEqual([a.id]);
  });

  it('cal across: reply, timeout, and PortKilled when the target dies', async () => {
    const { a, b } = await pair();
    const adder = a.port().rcv('add', ([x, y, reply]) => a.snd(reply as string, (x as number) + (y as number)));
    expect(await firstValueFrom(b.cal(adder.id, 'add', 2, 3, { timeout: 5 }))).toEqual([5]);
    const silent = a.port(() => {});
    expect(await rejection(firstValueFrom(b.cal(silent.id, 'x', { timeout: 0.05 })))).toBeInstanceOf(CallTimeout);
    const doomed = a.port().rcv('x', () => {
      throw new Error('bad request');
    });
    const err = await rejection(firstValueFrom(b.cal(doomed.id, 'x')));
    expect(err).toBeInstanceOf(PortKilled);
    expect(err.reason).toEqual(['die', 'bad request']);
  });

  it('spawn across both ways, with the caller naming the port; unregistered names are refused and logged', async () => {
    const { a, b } = await pair();
    a.register('Remote::Echo::init', (self, prefix) => {
      self.rcv(([x, reply]) => a.snd(reply as string, prefix, x));
    });
    const id = b.spawn(a.id, 'Remote::Echo::init', 'echo:');
    expect(id.startsWith(a.id + '#')).toBe(true);
    expect(await firstValueFrom(b.cal(id, 'hi', { timeout: 5 }))).toEqual(['echo:', 'hi']);

    // the other way: b registers, a spawns there (a reaches b through the connection b opened)
    b.register('Remote::Back::init', (self) => self.rcv(([reply]) => b.snd(reply as string, 'back')));
    const back = a.spawn(b.id, 'Remote::Back::init');
    expect(await firstValueFrom(a.cal(back, { timeout: 5 }))).toEqual(['back']);

    const refused = b.spawn(a.id, 'Not::Registered::init');
    const err = await rejection(lastValueFrom(b.mon(refused)));
    expect(err.reason[0]).toBe('no_such_port');
    expect(a.logs.some((l) => /remote execution not allowed/.test(l.message))).toBe(true);
  });

  it('mon across: normal kill completes, abnormal errors with the reason intact, missing port → no_such_port', async () => {
    const { a, b } = await pair();
    const p = a.port(() => {});
    const q = a.port(() => {});
    const normal = lastValueFrom(b.mon(p.id), { defaultValue: 'normal' });
    const abnormal = rejection(lastValueFrom(b.mon(q.id)));
    await firstValueFrom(b.cal(a.nodePortId, 'time', { timeout: 5 }).pipe(take(1))).catch(() => {});
    a.kil(p.id);
    a.kil(q.id, 'failure', { deep: [1, 'x', null] }, 3.5);
    expect(await normal).toBe('normal');
    const err = await abnormal;
    expect(err.reason).toEqual(['failure', { deep: [1, 'x', null] }, 3.5]);
    const missing = await rejection(lastValueFrom(b.mon(`${a.id}#nope`)));
    expect(missing.reason).toEqual(['no_such_port', 'cannot monitor nonexistent port', `${a.id}#nope`]);
  });

  it('kil across: a remote kil kills the port with that reason', async () => {
    const { a, b } = await pair();
    const p = a.port(() => {});
    const death = rejection(lastValueFrom(a.mon(p.id)));
    b.kil(p.id, 'remote', 'kill');
    expect((await death).reason).toEqual(['remote', 'kill']);
  });

  it('link across: a normal kill spares the linked port, an abnormal one propagates', async () => {
    const { a, b } = await pair();
    const r1 = a.port(() => {});
    const r2 = a.port(() => {});
    const local = b.port(() => {});
    b.mon(r1.id, local);
    b.mon(r2.id, local);
    const monitored = lastValueFrom(b.mon(r1.id), { defaultValue: 'done' });
    await firstValueFrom(b.cal(a.nodePortId, 'time', { timeout: 5 })); // the mon1s have arrived
    a.kil(r1.id);
    await monitored;
    expect(local.alive).toBe(true);
    const localDeath = rejection(lastValueFrom(b.mon(local.id)));
    a.kil(r2.id, 'crashed', 42);
    expect((await localDeath).reason).toEqual(['crashed', 42]);
  });

  it('message form across: sends ...msg, ...reason', async () => {
    const { a, b } = await pair();
    const r = a.port(() => {});
    const inbox = b.port();
    const got = firstValueFrom(inbox.messages.pipe(timeout(5000)));
    b.mon(r.id, inbox.id, 'gone', r.id);
    await firstValueFrom(b.cal(a.nodePortId, 'time', { timeout: 5 }));
    a.kil(r.id, 'bye');
    expect(await got).toEqual(['gone', r.id, 'bye']);
  });

  it('unsubscribing the last monitor sends mon0: the remote side forgets it', async () => {
    const { a, b } = await pair();
    const r = a.port(() => {});
    const sub = b.mon(r.id, () => {
      throw new Error('must not fire');
    });
    await firstValueFrom(b.cal(a.nodePortId, 'time', { timeout: 5 }));
    sub.unsubscribe();
    await firstValueFrom(b.cal(a.nodePortId, 'time', { timeout: 5 }));
    a.kil(r.id, 'x');
    // no kil0 arrives; a's port died unmonitored → logged on a
    await firstValueFrom(b.cal(a.nodePortId, 'time', { timeout: 5 }));
    expect(a.logs.some((l) => l.message.startsWith(`unmonitored local port ${r.id}`))).toBe(true);
  });

  it('node-port services across: time, can, snd relay; eval refused', async () => {
    const { a, b } = await pair();
    const [t] = await firstValueFrom(b.cal(a.nodePortId, 'time', { timeout: 5 }));
    expect(Math.abs((t as number) - Date.now() / 1000)).toBeLessThan(60);
    expect(await firstValueFrom(b.cal(a.nodePortId, 'can', 'mon1', { timeout: 5 }))).toEqual(['1']);
    expect(await firstValueFrom(b.cal(a.nodePortId, 'can', 'nosuchreq', { timeout: 5 }))).toEqual(['']);
    const inbox = b.port();
    const relayed = firstValueFrom(inbox.messages.pipe(timeout(5000)));
    b.snd(a.nodePortId, 'snd', inbox.id, 'relayed_via_snd', 42);
    expect(await relayed).toEqual(['relayed_via_snd', 42]);
    b.snd(a.nodePortId, 'eval', '6*7', inbox.id, 'eval_reply');
    await firstValueFrom(b.cal(a.nodePortId, 'time', { timeout: 5 }));
    expect(a.logs.some((l) => l.message === `error processing node message from ${b.id}: remote execution not allowed`)).toBe(true);
  });

  it('mixed framings: json one way, cbor the other', async () => {
    const { a, b } = await pair({ framingFormat: ['json', 'cbor'] }, { framingFormat: ['cbor', 'json'] });
    const echo = a.port(([x, reply]) => a.snd(reply as string, x));
    const value = { s: 'ünïcødé', n: [1, 2.5, -3], t: true, z: null };
    expect(await firstValueFrom(b.cal(echo.id, value, { timeout: 5 }))).toEqual([value]);
    const log = a.logs.find((l) => /connected as/.test(l.message));
    expect(log?.message).toMatch(/json\/cbor|cbor\/json/);
  });

  it('node events alternate; a peer closing fires transport_error on monitors, then node-down', async () => {
    const { a, b } = await pair();
    const r = a.port(() => {});
    const events: string[] = [];
    b.nodes$.subscribe((e) => events.push(`${e.up ? 'up' : 'down'} ${e.node}`));
    let reason: readonly unknown[] = [];
    b.mon(r.id, (why) => {
      reason = why;
      events.push('monitor');
    });
    await firstValueFrom(b.cal(a.nodePortId, 'time', { timeout: 5 }));
    const down = nodeEvent(b, a.id, false);
    await a.close();
    await down;
    expect(reason.slice(0, 2)).toEqual(['transport_error', a.id]);
    expect(events).toEqual([`up ${a.id}`, 'monitor', `down ${a.id}`]);
    expect(b.isUp(a.id)).toBe(false);
  });

  it('up and down strictly alternate over reconnects', async () => {
    const { a, b } = await pair();
    const events: boolean[] = [];
    b.nodes$.subscribe((e) => e.node === a.id && events.push(e.up));
    const addr = a.addresses[0] as string;
    for (let i = 0; i < 3; i++) {
      const up = nodeEvent(b, a.id, true);
      b.snd(a.nodePortId, 'devnull');
      await up;
      const down = nodeEvent(b, a.id, false);
      b.network?.node(a.id).link?.error('test cut');
      await down;
    }
    expect(events).toEqual([true, false, true, false, true, false]);
    expect(addr).toBeTruthy();
  });

  it('a node nobody can tell the address of: monitors fire connect timeout after connectInterval (as on a Perl slave)', async () => {
    const { b } = await pair({}, { connectInterval: 0.3 });
    const err = await rejection(lastValueFrom(b.mon('nowhere#x')));
    expect(err.reason).toEqual(['transport_error', 'nowhere', 'connect timeout']);
  });

  it('a message to a node with no known address waits: that node connecting to us in time gets it', async () => {
    const b = await makeNode('early/Bb1', { connectInterval: 5 });
    const a = await makeNode('late/Aa1', { addresses: { [b.id]: [...b.addresses] } });
    open.push(a, b);
    const got: unknown[] = [];
    const p = a.port((msg) => got.push(msg));
    b.snd(p.id, 'queued', 1); // b knows no address of a: queued until the deadline
    const up = nodeEvent(b, a.id, true);
    a.snd(b.nodePortId, 'devnull'); // a connects to b (it knows b's address below)
    await up;
    b.snd(p.id, 'after', 2);
    await firstValueFrom(b.cal(a.nodePortId, 'time', { timeout: 5 }));
    expect(got).toEqual([
      ['queued', 1],
      ['after', 2],
    ]);
  });

  it('flow control: drained() resolves after a burst has left', async () => {
    const { a, b } = await pair();
    const sink = a.port(() => {});
    for (let i = 0; i < 50_000; i++) b.snd(sink.id, 'seq', i, 'x'.repeat(20));
    await b.drained(a.id);
    const backlog = await firstValueFrom(b.backlog$(a.id));
    expect(backlog).toBe(0);
  });

  it('a message the framing cannot encode is logged and dropped alone, queued or not', async () => {
    const { a, b } = await pair({ framingFormat: ['json'] }, { framingFormat: ['json'] });
    const got: unknown[] = [];
    const p = a.port((msg) => got.push(msg));
    // snd refuses what is not plain data, so only a getter that changes its answer reaches the framing with a cycle
    const cyclic: unknown[] = [];
    cyclic.push(cyclic);
    const sneaky = (n: number) => {
      let reads = 0;
      return {
        get v() {
          return reads++ === 0 ? n : cyclic;
        },
      };
    };
    b.snd(p.id, 'bad', sneaky(10)); // queued: no connection yet
    b.snd(p.id, 'good', 1);
    await firstValueFrom(b.cal(a.nodePortId, 'time', { timeout: 5 }));
    b.snd(p.id, 'bad', sneaky(20)); // straight to the link
    b.snd(p.id, 'good', 2);
    await firstValueFrom(b.cal(a.nodePortId, 'time', { timeout: 5 }));
    expect(got).toEqual([
      ['good', 1],
      ['good', 2],
    ]);
    expect(b.isUp(a.id)).toBe(true);
    expect(b.logs.filter((r) => /cannot be encoded/.test(r.message))).toHaveLength(2);
  });

  it('several local subscribers: one mon1, both fire', async () => {
    const { a, b } = await pair();
    const r = a.port(() => {});
    const m1 = rejection(lastValueFrom(b.mon(r.id)));
    const m2 = rejection(lastValueFrom(b.mon(r.id)));
    await firstValueFrom(b.cal(a.nodePortId, 'time', { timeout: 5 }));
    a.kil(r.id, 'x');
    expect((await m1).reason).toEqual(['x']);
    expect((await m2).reason).toEqual(['x']);
    const all = await lastValueFrom(b.nodes$.pipe(take(0), toArray()), { defaultValue: [] });
    expect(all).toEqual([]);
  });
});
