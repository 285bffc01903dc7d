/**
 * Families and databases bigger than the frame limit, over real loopback
 * connections (nodes in this process, a lowered `maxFrameBytes` on every
 * node so the test stays small): a new subscriber gets the whole family in
 * its first event, a slave's big database reaches its master, and no
 * connection is ever dropped for it (issue #10, defect 8). The 200 000-key
 * case at the real 16 MiB limit is in bench/db.ts.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { firstValueFrom, timeout } from 'rxjs';
import type { AempNode, CreateNodeOptions, NodeEvent } from '../../src/index.js';
import { makeNode } from '../helpers/nodes.js';
import { startProxy, type Proxy } from '../helpers/proxy.js';
import { MonLog, until } from './helpers/procs.js';

/** Every node's frame limit in these tests. */
const LIMIT = 64 * 1024;
/** Keys per big family: with {@link value}s of ~110 bytes, about 5× the limit. */
const N = 3000;
const value = (i: number) => `${'v'.repeat(100)}-${i}`;

const open: AempNode[] = [];
const proxies: Proxy[] = [];
let n = 0;
async function node(name: string, options: CreateNodeOptions = {}) {
  const x = await makeNode(`${name}-${++n}`, { monitorTimeout: 2, maxFrameBytes: LIMIT, ...options });
  open.push(x);
  return x;
}
afterEach(async () => {
  await Promise.all(open.splice(0).map((x) => x.close()));
  await Promise.all(proxies.splice(0).map((p) => p.close()));
});

/** Node events about `other` seen by `x` from now on. */
function eventsOf(x: AempNode, other: string): NodeEvent[] {
  const seen: NodeEvent[] = [];
  x.nodes$.subscribe((e) => {
    if (e.node === other) seen.push(e);
  });
  return seen;
}

function follow(x: AempNode, family: string): MonLog {
  const log = new MonLog();
  const sub = x.db.mon(family).subscribe((d) => log.push(d));
  x.log$.subscribe({ complete: () => sub.unsubscribe() });
  return log;
}

/** Log lines of `x` that tell of a refused (too big) frame. */
const tooBig = (x: AempNode & { logs: { message: string }[] }) =>
  x.logs.filter((r) => /too (big|large)|exceeds|than the limit/i.test(r.message)).map((r) => r.message);

describe('db: families bigger than the frame limit', () => {
  it('a new subscriber on a slave gets the whole family in its first event, on the one connection', async () => {
    const g = await node('g', { global: true });
    for (let i = 0; i < N; i++) g.db.set('big', `k${i}`, value(i));
    const r = await node('r', { seeds: [...g.addresses] });
    await until('r attached', async () => r.db.master === g.id);
    const events = eventsOf(r, g.id);
    const first = await firstValueFrom(r.db.mon('big').pipe(timeout(15_000)));
    expect(Object.keys(first.added)).toHaveLength(N);
    expect(first.added['k0']).toBe(value(0));
    expect(first.added[`k${N - 1}`]).toBe(value(N - 1));
    // a second subscriber of the same family on another slave, and queries still work afterwards
    const r2 = await node('r2', { seeds: [...g.addresses] });
    await until('r2 attached', async () => r2.db.master === g.id);
    const log2 = follow(r2, 'big');
    await log2.until('whole family on r2', (m) => m.size === N);
    expect(log2.deltas).toHaveLength(1);
    expect(events).toEqual([]);
    expect(r.db.master).toBe(g.id);
    expect([...tooBig(g), ...tooBig(r), ...tooBig(r2)]).toEqual([]);
  });

  it('queries of a big family from a slave get the whole answer, on the one connection', async () => {
    const g = await node('g', { global: true });
    for (let i = 0; i < N; i++) g.db.set('big', `k${i}`, value(i));
    const r = await node('r', { seeds: [...g.addresses] });
    await until('r attached', async () => r.db.master === g.id);
    const events = eventsOf(r, g.id);
    const within = { first: 15_000 };
    const fam = await firstValueFrom(r.db.family('big').pipe(timeout(within)));
    const keys = await firstValueFrom(r.db.keys('big').pipe(timeout(within)));
    const values = await firstValueFrom(r.db.values('big').pipe(timeout(within)));
    expect(Object.keys(fam)).toHaveLength(N);
    expect(fam[`k${N - 1}`]).toBe(value(N - 1));
    expect(new Set(keys)).toEqual(new Set(Object.keys(fam)));
    expect(new Set(values)).toEqual(new Set(Object.values(fam)));
    expect(events).toEqual([]);
    expect([...tooBig(g), ...tooBig(r)]).toEqual([]);
  });

  it('a global node meshing with another gets its big database (g_set in parts)', async () => {
    const g1 = await node('g1', { global: true });
    for (let i = 0; i < N; i++) g1.db.set('big', `k${i}`, value(i));
    const g2 = await node('g2', { global: true, seeds: [...g1.addresses] });
    await until('g2 holds the family', async () => g2.db.service!.store.size('big') === N);
    const events = eventsOf(g2, g1.id);
    const r = await node('r', { seeds: [...g2.addresses] });
    await until('r attached', async () => r.db.master === g2.id);
    const first = await firstValueFrom(r.db.mon('big').pipe(timeout(15_000)));
    expect(Object.keys(first.added)).toHaveLength(N);
    expect(g2.db.service!.lookup(g1.id)).toEqual([...g1.addresses]);
    expect(events).toEqual([]);
    expect([...tooBig(g1), ...tooBig(g2), ...tooBig(r)]).toEqual([]);
  });

  it('an entry too big for any frame is logged and not sent; the rest arrives, the connections stay', async () => {
    const g = await node('g', { global: true });
    const huge = 'x'.repeat(LIMIT);
    g.db.set('big', 'huge', huge);
    for (let i = 0; i < 10; i++) g.db.set('big', `k${i}`, value(i));
    const r = await node('r', { seeds: [...g.addresses] });
    await until('r attached', async () => r.db.master === g.id);
    const events = eventsOf(r, g.id);
    const first = await firstValueFrom(r.db.mon('big').pipe(timeout(15_000)));
    expect(Object.keys(first.added).sort()).toEqual([...Array(10).keys()].map((i) => `k${i}`).sort());
    await until('g logged the entry', async () => tooBig(g).some((t) => t.includes('"huge"')));
    // a slave setting one: logged there, not sent; later sets still arrive
    const log = follow(g, 'fam');
    r.db.set('fam', 'huge', huge);
    r.db.set('fam', 'small', 1);
    await log.until('small at the master', (f) => f.get('small') === 1);
    expect(log.contents.has('huge')).toBe(false);
    expect(tooBig(r).some((t) => t.includes('"huge"'))).toBe(true);
    expect(events).toEqual([]);
  });

  it('a big g_slave database, its loss and its return reach the master and a monitor, with one reconnect', async () => {
    const g = await node('g', { global: true });
    const m = await node('m', { seeds: [...g.addresses] });
    await until('m attached', async () => m.db.master === g.id);
    const mEvents = eventsOf(m, g.id);
    const log = follow(m, 'fam');
    await log.next('first (empty) event', () => true);

    const proxy = await startProxy(g.addresses[0]!);
    proxies.push(proxy);
    const s = await node('s', { seeds: [proxy.address] });
    await until('s attached', async () => s.db.master === g.id);
    for (let i = 0; i < N; i++) s.db.set('fam', `k${i}`, value(i));
    await log.until('all keys at the monitor', (f) => f.size === N);

    const sEvents = eventsOf(s, g.id);
    proxy.cut(); // g drops everything s owned (one big deletion), s comes back with one big g_slave
    await log.until('all keys gone', (f) => f.size === 0);
    await until('s back', async () => s.db.master === g.id && sEvents.length === 2, 15_000);
    await log.until('all keys back', (f) => f.size === N, 15_000);
    await until('store of g holds the slave database', async () => g.db.service!.store.size('fam') === N);
    expect(sEvents.map((e) => e.up)).toEqual([false, true]);
    expect(mEvents).toEqual([]);
    expect([...tooBig(g), ...tooBig(m), ...tooBig(s)]).toEqual([]);
  });
});
