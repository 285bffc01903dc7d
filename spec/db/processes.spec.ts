/**
 * The database across five processes on 127.0.0.1: two global nodes that
 * are each other's seeds, and three slaves spread over them —
 *
 *   g1 ⇄ g2            (globals, seeds of each other)
 *   a, c → g1          (seeds g1, g2; started while g2 is not up, so g1 is their master)
 *   b → g2             (seed g2)
 *
 * The steps depend on each other and run in order.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, startDbChild, until, type DbChild, type MonLog } from './helpers/procs.js';

const children: DbChild[] = [];
let g1: DbChild, g2: DbChild, a: DbChild, b: DbChild, c: DbChild;
let g1addr: string, g2addr: string;
let onB: MonLog;
let aPort: string;

async function start(name: string, options: Record<string, unknown>): Promise<DbChild> {
  const child = await startDbChild({
    nodeid: `${name}/%u`,
    monitorTimeout: 2,
    connectInterval: 2,
    ...options,
  });
  children.push(child);
  return child;
}

beforeAll(async () => {
  g1addr = `127.0.0.1:${await freePort()}`;
  g2addr = `127.0.0.1:${await freePort()}`;
  g1 = await start('g1', { binds: [g1addr], seeds: [g2addr], global: true });
  [a, c] = await Promise.all([
    start('a', { binds: ['127.0.0.1:0'], seeds: [g1addr, g2addr] }),
    start('c', { binds: ['127.0.0.1:0'], seeds: [g1addr, g2addr] }),
  ]);
  g2 = await start('g2', { binds: [g2addr], seeds: [g1addr], global: true });
  b = await start('b', { binds: ['127.0.0.1:0'], seeds: [g2addr] });
  await until('a and c on g1, b on g2', async () => {
    const [ia, ib, ic] = await Promise.all([a.info(), b.info(), c.info()]);
    return ia.master === g1.id && ic.master === g1.id && ib.master === g2.id;
  });
  await until('the globals meshed', async () => {
    const [k1, k2] = await Promise.all([g1.cmd<string[]>('keys', "'g"), g2.cmd<string[]>('keys', "'g")]);
    return [k1, k2].every((k) => k.includes(g1.id) && k.includes(g2.id));
  });
}, 60_000);

afterAll(async () => {
  await Promise.all(children.map((x) => x.stop()));
});

describe('db across five processes', () => {
  it('a db.reg on a slave of g1 is seen by db.mon on a slave of g2', async () => {
    onB = await b.mon('workers');
    await onB.next('the first event', () => true);
    aPort = await a.cmd<string>('reg', 'workers', { load: 1 });
    const d = await onB.next("a's worker", (x) => Object.hasOwn(x.added, aPort));
    expect(d.added[aPort]).toEqual({ load: 1 });
  });

  it('a cal to a node known only through the database connects via g_find', async () => {
    expect((await b.info()).up).not.toContain(a.id);
    const reply = await b.cmd<unknown[]>('cal', aPort, 'ping', 42);
    expect(reply).toEqual(['pong', 'ping', 42]);
    expect((await b.info()).up).toContain(a.id);
  });

  it('the keys of a slave killed with kill -9 arrive as deleted', async () => {
    const cPort = await c.cmd<string>('reg', 'workers', 'c');
    await onB.next("c's worker", (x) => Object.hasOwn(x.added, cPort));
    await c.kill9();
    const d = await onB.next("c's worker deleted", (x) => Object.hasOwn(x.deleted, cPort));
    expect(d.deleted).toEqual({ [cPort]: 'c' });
    expect(onB.contents.has(aPort)).toBe(true);
  });

  it('killing g1 makes its slave fail over to g2 and its keys reappear', async () => {
    await g1.kill9();
    await onB.next("a's worker deleted with g1", (x) => Object.hasOwn(x.deleted, aPort));
    const back = await onB.next("a's worker back through g2", (x) => Object.hasOwn(x.added, aPort));
    expect(back.added[aPort]).toEqual({ load: 1 });
    expect((await a.info()).master).toBe(g2.id);
    // and a's own monitors and queries work through the new master
    const keys = await a.cmd<string[]>('keys', 'workers');
    expect(keys).toEqual([aPort]);
    const listeners = await b.cmd<Record<string, unknown>>('family', "'l");
    expect(Object.keys(listeners).sort()).toEqual([a.id, b.id, g2.id].sort());
  });
});
