/**
 * A request/reply server and its clients built only from the operators,
 * on a real kernel with real (short) timers.
 */
import { describe, expect, it } from 'vitest';
import { firstValueFrom, from, lastValueFrom, toArray } from 'rxjs';
import { CallTimeout, PortKilled } from '../../src/kernel/errors.js';
import type { Kernel } from '../../src/kernel/node.js';
import type { Port } from '../../src/kernel/port.js';
import {
  callEach,
  monitorReason,
  ofTag,
  replyTo,
  retryCall,
  subscribeInPort,
} from '../../src/operators/index.js';
import { makeKernel } from '../helpers/kernel.js';

/** A key/value server: `get key` replies `[value]`, a non-string key kills it. */
function kvServer(k: Kernel, self: Port, table: Map<string, unknown>): void {
  subscribeInPort(self.messages.pipe(ofTag('get'), replyTo(k)), self, ({ args: [key], reply }) => {
    if (typeof key !== 'string') throw new Error('key must be a string');
    reply(table.get(key) ?? null);
  });
}

describe('a server from ofTag + replyTo + inPort', () => {
  it('answers cal and callEach', async () => {
    const { k } = makeKernel();
    const srv = k.port();
    kvServer(
      k,
      srv,
      new Map<string, unknown>([
        ['a', 1],
        ['b', { two: 2 }],
      ]),
    );
    expect(await firstValueFrom(k.cal(srv.id, 'get', 'a', { timeout: 1 }))).toEqual([1]);
    const replies = await lastValueFrom(
      from(['a', 'b', 'zz']).pipe(callEach(k, srv, { prefix: ['get'], timeout: 1 }), toArray()),
    );
    expect(replies).toEqual([[1], [{ two: 2 }], [null]]);
  });

  it('a request without a reply port kills the server with die; a waiting caller gets PortKilled', async () => {
    const { k } = makeKernel();
    const srv = k.port();
    kvServer(k, srv, new Map());
    const reason = firstValueFrom(k.mon(srv.id).pipe(monitorReason()));
    k.snd(srv.id, 'get'); // no reply port: replyTo errors the stream, which kills the server
    expect(await reason).toEqual(['die', 'replyTo: the last element of a request must be the reply port id']);
    // a call made now (no timeout: it monitors the target) sees the dead server
    const err = (await firstValueFrom(k.cal(srv.id, 'get', 'a')).catch((e: unknown) => e)) as PortKilled;
    expect(err).toBeInstanceOf(PortKilled);
    expect(err.type).toBe('no_such_port');
  });

  it('a throw in the handler kills the server with die; a caller waiting on it gets PortKilled', async () => {
    const { k } = makeKernel();
    const srv = k.port();
    kvServer(k, srv, new Map());
    const err = (await firstValueFrom(k.cal(srv.id, 'get', 42)).catch((e: unknown) => e)) as PortKilled;
    expect(err).toBeInstanceOf(PortKilled);
    expect(err.reason).toEqual(['die', 'key must be a string']);
  });

  it('spawned: the init function sets the server up in the new port', async () => {
    const { k } = makeKernel();
    k.register('KV::init', (self, ...pairs) => kvServer(k, self, new Map(pairs as [string, unknown][])));
    const id = k.spawn(k.id, 'KV::init', ['x', 42]);
    expect(await firstValueFrom(k.cal(id, 'get', 'x', { timeout: 1 }))).toEqual([42]);
  });
});

describe('callEach / retryCall with real timers', () => {
  it('times out against a silent port', async () => {
    const { k } = makeKernel();
    const silent = k.port(() => {});
    const err = await lastValueFrom(from([1]).pipe(callEach(k, silent, { timeout: 0.01 }))).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(CallTimeout);
  });

  it('without a timeout, a target that dies abnormally errors the stream with its reason', async () => {
    const { k } = makeKernel();
    const doomed = k.port().rcv('get', () => {
      throw new Error('no such key');
    });
    const err = (await lastValueFrom(from(['k']).pipe(callEach(k, doomed, { prefix: ['get'] }))).catch(
      (e: unknown) => e,
    )) as PortKilled;
    expect(err).toBeInstanceOf(PortKilled);
    expect(err.reason).toEqual(['die', 'no such key']);
  });

  it('retryCall gets the reply of a server that ignored the first request', async () => {
    const { k } = makeKernel();
    let n = 0;
    const flaky = k.port().rcv('ping', ([reply]) => {
      if (n++ > 0) k.snd(reply as string, 'pong', n);
    });
    expect(await firstValueFrom(k.cal(flaky.id, 'ping', { timeout: 0.01 }).pipe(retryCall(1)))).toEqual([
      'pong',
      2,
    ]);
  });
});
