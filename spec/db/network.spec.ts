/**
 * The database over real loopback connections, nodes in this process:
 * a global node with slaves, two meshed globals, fail-over, lookups.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { firstValueFrom, timeout } from 'rxjs';
import type { AempNode, CreateNodeOptions } from '../../src/index.js';
import { whenNonEmpty } from '../../src/index.js';
import { makeNode } from '../helpers/nodes.js';
import { MonLog, until } from './helpers/procs.js';

const open: AempNode[] = [];
let n = 0;
async function node(name: string, options: CreateNodeOptions = {}) {
  const x = await makeNode(`${name}-${++n}`, { monitorTimeout: 2, ...options });
  open.push(x);
  return x;
}
afterEach(async () => {
  await Promise.all(open.splice(0).map((x) => x.close()));
});

function follow(x: AempNode, family: string): MonLog {
  const log = new MonLog();
  const sub = x.db.mon(family).subscribe((d) => log.push(d));
  x.log$.subscribe({ complete: () => sub.unsubscribe() });
  return log;
}

/** A global node and `count` slaves attached to it (waits until each has it as master). */
async function star(count: number) {
  const g = await node('g', { global: true });
  const slaves: AempNode[] = [];
  for (let i = 0; i < count; i++) slaves.push(await node(`s${i}`, { seeds: [...g.addresses] }));
  await until('slaves attached', async () => slaves.every((s) => s.db.master === g.id));
  return { g, slaves };
}

describe('db over loopback: one global node', () => {
  it('a set on one slave reaches a monitor on another; queries go through the master', async () => {
    const { slaves } = await star(2);
    const [a, b] = slaves as [AempNode, AempNode];
    const log = follow(b, 'cfg');
    await log.next('first event', () => true);
    const guard = a.db.set('cfg', 'colour', 'blue');
    expect(await log.next('added', (d) => Object.hasOwn(d.added, 'colour'))).toEqual({
      family: 'cfg',
      added: { colour: 'blue' },
      changed: {},
      deleted: {},
    });
    expect(await firstValueFrom(b.db.family('cfg'))).toEqual({ colour: 'blue' });
    expect(await firstValueFrom(b.db.keys('cfg'))).toEqual(['colour']);
    expect(await firstValueFrom(b.db.values('cfg'))).toEqual(['blue']);
    a.db.set('cfg', 'colour', 'red');
    await log.next('changed', (d) => d.changed['colour'] === 'red');
    guard.unsubscribe(); // the guard of 'blue' was replaced by the set of 'red'
    a.db.del('cfg', 'colour');
    await log.next('deleted', (d) => Object.hasOwn(d.deleted, 'colour'));
  });

  it('two slaves set one key, one deletes it: the other value comes back as a change', async () => {
    const { slaves } = await star(3);
    const [a, b, c] = slaves as [AempNode, AempNode, AempNode];
    const log = follow(c, 'k');
    a.db.set('k', 'shared', 'from-a');
    await log.until('a', (m) => m.get('shared') === 'from-a');
    b.db.set('k', 'shared', 'from-b');
    await log.until('b', (m) => m.get('shared') === 'from-b');
    b.db.del('k', 'shared');
    expect(await log.next('a again', (d) => Object.hasOwn(d.changed, 'shared'))).toEqual({
      family: 'k',
      added: {},
      changed: { shared: 'from-a' },
      deleted: {},
    });
  });

  it('db.reg: a registered port dying, or its node closing, deletes its keys', async () => {
    const { g, slaves } = await star(2);
    const [a, b] = slaves as [AempNode, AempNode];
    const log = follow(g, 'workers');
    const p1 = a.port(() => {});
    const p2 = b.port(() => {});
    a.db.reg('workers', p1.id, { slots: 2 });
    b.db.reg('workers', p2.id);
    await log.until('both', (m) => m.size === 2);
    a.kil(p1.id);
    await log.next('p1 gone', (d) => Object.hasOwn(d.deleted, p1.id));
    await b.close();
    expect(await log.next('p2 gone', (d) => Object.hasOwn(d.deleted, p2.id))).toMatchObject({
      deleted: { [p2.id]: null },
    });
  });

  it("'l lists every node's listeners; a slave reaches another slave it only knows through the database", async () => {
    const { g, slaves } = await star(2);
    const [a, b] = slaves as [AempNode, AempNode];
    const listeners = await firstValueFrom(a.db.family("'l"));
    expect(listeners).toEqual({ [g.id]: g.addresses, [a.id]: a.addresses, [b.id]: b.addresses });
    expect(a.isUp(b.id)).toBe(false);
    const echo = b.port((msg) => b.snd(msg[msg.length - 1] as string, 'echo', ...msg.slice(0, -1)));
    expect(await firstValueFrom(a.cal(echo.id, 'hi', { timeout: 5 }))).toEqual(['echo', 'hi']);
    expect(a.isUp(b.id)).toBe(true);
  });

  it('an unknown node: the master answers null and monitors get no known address at once', async () => {
    const { slaves } = await star(1);
    const t0 = Date.now();
    const err = await firstValueFrom(slaves[0]!.mon('nobody#x')).catch((e: unknown) => e);
    expect(err).toMatchObject({ reason: ['transport_error', 'nobody', 'no known address'] });
    expect(Date.now() - t0).toBeLessThan(1000);
  });

  it('whenNonEmpty waits for the first worker', async () => {
    const { g, slaves } = await star(1);
    const ready = firstValueFrom(g.db.mon('pool').pipe(whenNonEmpty(), timeout(5000)));
    const p = slaves[0]!.port(() => {});
    slaves[0]!.db.reg('pool', p.id, 1);
    expect([...(await ready).keys()]).toEqual([p.id]);
  });
});

describe('db over loopback: two globals', () => {
  it('globals mesh, exchange their views, and a slave of one sees a slave of the other; fail-over brings keys back', async () => {
    const g1 = await node('g1', { global: true });
    const g2 = await node('g2', { global: true, seeds: [...g1.addresses] });
    // a: seeds g1 only at first → master g1; b: master g2
    const a = await node('a', { seeds: [...g1.addresses, ...g2.addresses] });
    await until('a on a master', async () => a.db.master !== undefined);
    const aOnG1 = a.db.master === g1.id;
    const other = aOnG1 ? g2 : g1;
    const b = await node('b', { seeds: [...other.addresses] });
    await until('b on the other global', async () => b.db.master === other.id);
    await until('globals meshed', async () =>
      [g1, g2].every((g) => g.db.service!.store.has("'g", g1.id) && g.db.service!.store.has("'g", g2.id)),
    );

    const log = follow(b, 'svc');
    const port = a.port(() => {});
    a.db.reg('svc', port.id, 'a-port');
    await log.until('a-port seen on b', (m) => m.get(port.id) === 'a-port');

    // a's master goes away: a's keys vanish from the other global, a fails over, they come back
    const master = aOnG1 ? g1 : g2;
    await master.close();
    open.splice(open.indexOf(master), 1);
    await log.next('a-port deleted', (d) => Object.hasOwn(d.deleted, port.id));
    await log.next('a-port back', (d) => d.added[port.id] === 'a-port');
    expect(a.db.master).toBe(other.id);
  });
});

describe('db over loopback: a slave whose master is down', () => {
  it('queries wait for the next master; a lookup fails with connect timeout after connect_interval', async () => {
    const g = await node('g', { global: true });
    const s = await node('s', { seeds: [...g.addresses], connectInterval: 0.3 });
    await until('attached', async () => s.db.master === g.id);
    await g.close();
    open.splice(open.indexOf(g), 1);
    await until('master lost', async () => s.db.master === undefined);
    const err = await firstValueFrom(s.mon('elsewhere#p')).catch((e: unknown) => e);
    expect(err).toMatchObject({ reason: ['transport_error', 'elsewhere', 'connect timeout'] });
    const pending = firstValueFrom(s.db.keys('x').pipe(timeout(200))).catch((e: unknown) => e);
    expect(await pending).toMatchObject({ name: 'TimeoutError' });
  });
});
