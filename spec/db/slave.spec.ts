/**
 * The database on a slave node, driven by hand: what it sends to its master
 * (exact wire shapes), how it turns the master's g_chg1/g_chg2 into deltas,
 * master selection and fail-over, validation.
 */
import { describe, expect, it } from 'vitest';
import { firstValueFrom, lastValueFrom, toArray, take } from 'rxjs';
import type { FamilyDelta } from '../../src/db/index.js';
import { stubNode, tick, type StubNode } from './helpers/stub.js';

/** A slave whose master `m` is up (the first frames it sent are dropped). */
function slave(id = 's', seeds = ['10.0.0.1:1', '10.0.0.2:1']): StubNode {
  const s = stubNode(id, { seeds, addresses: ['127.0.0.1:7001'] });
  s.net.seedIds.set('10.0.0.1:1', 'm');
  s.net.seedIds.set('10.0.0.2:1', 'm2');
  s.net.nodeUp('m');
  s.take();
  return s;
}

const d = (family: string, added = {}, changed = {}, deleted = {}): FamilyDelta => ({
  family,
  added,
  changed,
  deleted,
});

describe('db on a slave: writes', () => {
  it('set sends g_upd F {K:V} (3 elements); an equal value sends nothing; del sends g_upd F null [K]', () => {
    const s = slave();
    s.db.set('f', 'k', { a: [1, 2] });
    s.db.set('f', 'k', { a: [1, 2] });
    s.db.set('f', 'k2', undefined);
    s.db.del('f', 'k', 'nope');
    s.db.del('f', 'nothing');
    expect(s.framesTo('m')).toEqual([
      ['', 'g_upd', 'f', { k: { a: [1, 2] } }],
      ['', 'g_upd', 'f', { k2: null }],
      ['', 'g_upd', 'f', null, ['k']],
    ]);
  });

  it('the guard deletes its own value only: a later set of the key takes it over', () => {
    const s = slave();
    const g1 = s.db.set('f', 'k', 1);
    const g2 = s.db.set('f', 'k', 2);
    g1.unsubscribe();
    expect(s.db.localDb()['f']).toEqual({ k: 2 });
    g2.unsubscribe();
    expect(s.db.localDb()['f']).toBeUndefined();
    expect(s.framesTo('m').at(-1)).toEqual(['', 'g_upd', 'f', null, ['k']]);
  });

  it('values are copied: mutating the object after set neither changes the entry nor hides the next set', () => {
    const s = slave();
    const v = { n: 1 };
    s.db.set('f', 'k', v);
    v.n = 2;
    s.db.set('f', 'k', v);
    expect(s.framesTo('m')).toEqual([
      ['', 'g_upd', 'f', { k: { n: 1 } }],
      ['', 'g_upd', 'f', { k: { n: 2 } }],
    ]);
  });

  it('a __proto__ key is an ordinary key', () => {
    const s = slave();
    s.db.set('f', '__proto__', 1);
    const [frame] = s.framesTo('m');
    expect(Object.keys(frame![3] as object)).toEqual(['__proto__']);
    expect(JSON.stringify(frame)).toBe('["","g_upd","f",{"__proto__":1}]');
  });

  it('reg: the key is the port id, the value defaults to null, and the port dying deletes it', async () => {
    const s = slave();
    const p = s.kernel.port(() => {});
    const q = s.kernel.port(() => {});
    s.db.reg('workers', p.id);
    const guard = s.db.reg('workers', q.id, { load: 0 });
    s.kernel.kil(p.id, 'die', 'x');
    await tick();
    guard.unsubscribe();
    expect(s.framesTo('m')).toEqual([
      ['', 'g_upd', 'workers', { [p.id]: null }],
      ['', 'g_upd', 'workers', { [q.id]: { load: 0 } }],
      ['', 'g_upd', 'workers', null, [p.id]],
      ['', 'g_upd', 'workers', null, [q.id]],
    ]);
  });

  it('names are checked with TypeErrors that say which argument', () => {
    const s = slave();
    expect(() => s.db.set('9bad', 'k', 1)).toThrow(/db\.set: family "9bad" is not a valid family name/);
    expect(() => s.db.set("'l", 'k', 1)).toThrow(/internal/);
    expect(() => s.db.set('', 'k', 1)).toThrow(TypeError);
    expect(() => s.db.set('f', '', 1)).toThrow(/db\.set: key must be a non-empty string/);
    expect(() => s.db.set('f', 3 as unknown as string, 1)).toThrow(/db\.set: key/);
    expect(() => s.db.set('f', 'k', () => 1)).toThrow(/db\.set: value must be plain data/);
    expect(() => s.db.del('f', 'ok', '')).toThrow(/db\.del: key/);
    expect(() => s.db.reg('f', '')).toThrow(/db\.reg: port id/);
    expect(() => s.db.mon('a-b')).toThrow(/db\.mon: family/);
    expect(() => s.db.family(7 as unknown as string)).toThrow(/db\.family: family must be a string/);
    // internal families can be read and monitored
    expect(() => s.db.keys("'l")).not.toThrow();
    expect(() => s.db.mon("'g")).not.toThrow();
    expect(s.framesTo('m')).toEqual([]);
  });
});

describe('db on a slave: monitors', () => {
  it('one upstream g_mon1 for several subscribers; g_chg1 null is an empty first event; g_mon0 after the last', () => {
    const s = slave();
    const a: FamilyDelta[] = [];
    const b: FamilyDelta[] = [];
    const sa = s.db.mon('f').subscribe((x) => a.push(x));
    const sb = s.db.mon('f').subscribe((x) => b.push(x));
    expect(s.take()).toEqual([['m', '', 'g_mon1', 'f']]);
    s.receive('m', 'g_chg1', 'f', null);
    s.receive('m', 'g_chg2', 'f', { x: 1 }, []);
    sa.unsubscribe();
    expect(s.take()).toEqual([]);
    s.receive('m', 'g_chg2', 'f', {}, ['x']);
    sb.unsubscribe();
    expect(s.take()).toEqual([['m', '', 'g_mon0', 'f']]);
    expect(a).toEqual([d('f'), d('f', { x: 1 })]);
    expect(b).toEqual([d('f'), d('f', { x: 1 }), d('f', {}, {}, { x: 1 })]);
  });

  it('a subscriber joining a synced family gets the whole family at once, as added', () => {
    const s = slave();
    s.db.mon('f').subscribe();
    s.receive('m', 'g_chg1', 'f', { a: 1, b: 2 });
    const got: FamilyDelta[] = [];
    s.db.mon('f').subscribe((x) => got.push(x));
    expect(got).toEqual([d('f', { a: 1, b: 2 })]);
    expect(s.framesTo('m')).toEqual([['', 'g_mon1', 'f']]);
  });

  it('g_chg2: new keys added, other values changed, equal values nothing, unknown deletions nothing', () => {
    const s = slave();
    const got: FamilyDelta[] = [];
    s.db.mon('f').subscribe((x) => got.push(x));
    s.receive('m', 'g_chg1', 'f', { a: 1, b: 2 });
    s.receive('m', 'g_chg2', 'f', { a: 1, b: 3, c: 4 }, ['zz']);
    s.receive('m', 'g_chg2', 'f', { a: 1 }, ['zz']);
    s.receive('m', 'g_chg2', 'f', {}, ['a', 'c']);
    expect(got).toEqual([d('f', { a: 1, b: 2 }), d('f', { c: 4 }, { b: 3 }), d('f', {}, {}, { a: 1, c: 4 })]);
  });

  it('g_chg1/g_chg2 from a node that is not the master are ignored, so is g_chg2 before g_chg1', () => {
    const s = slave();
    const got: FamilyDelta[] = [];
    s.db.mon('f').subscribe((x) => got.push(x));
    s.receive('m', 'g_chg2', 'f', { early: 1 }, []);
    s.receive('other', 'g_chg1', 'f', { evil: 1 });
    s.receive('m', 'g_chg1', 'f', { a: 1 });
    s.receive('other', 'g_chg2', 'f', { evil: 1 }, []);
    expect(got).toEqual([d('f', { a: 1 })]);
    expect(s.errors()).toEqual([]);
  });

  it('mon completes when the node closes; queries error', async () => {
    const s = slave();
    const all = lastValueFrom(s.db.mon('f').pipe(toArray()));
    const q = firstValueFrom(s.db.family('f'));
    s.receive('m', 'g_chg1', 'f', null);
    s.db.close();
    expect(await all).toEqual([d('f')]);
    await expect(q).rejects.toThrow(/node closed/);
  });
});

describe('db on a slave: queries', () => {
  it('request ids b, c, d…; g_reply answers; {} and [] for missing families; only the master answers', async () => {
    const s = slave();
    const fam = firstValueFrom(s.db.family('f'));
    const keys = firstValueFrom(s.db.keys('f'));
    const vals = firstValueFrom(s.db.values('f'));
    // the trailing 1 asks for a big answer in parts (a Perl master ignores it)
    expect(s.take()).toEqual([
      ['m', '', 'g_db_family', 'f', 'b', 1],
      ['m', '', 'g_db_keys', 'f', 'c', 1],
      ['m', '', 'g_db_values', 'f', 'd', 1],
    ]);
    s.receive('other', 'g_reply', 'b', { evil: 1 });
    s.receive('m', 'g_reply', 'b', {});
    s.receive('m', 'g_reply', 'c', []);
    s.receive('m', 'g_reply', 'd', null);
    expect(await fam).toEqual({});
    expect(await keys).toEqual([]);
    expect(await vals).toEqual([]);
  });

  it('an unsubscribed query forgets its request; a late reply is dropped', () => {
    const s = slave();
    const sub = s.db.keys('f').subscribe();
    sub.unsubscribe();
    s.receive('m', 'g_reply', 'b', ['x']);
    expect(s.errors()).toEqual([]);
  });

  it('a query is cold: each subscription asks again', async () => {
    const s = slave();
    const q = s.db.keys('f');
    const one = firstValueFrom(q);
    const two = firstValueFrom(q);
    s.receive('m', 'g_reply', 'b', ['x']);
    s.receive('m', 'g_reply', 'c', ['x', 'y']);
    expect(await one).toEqual(['x']);
    expect(await two).toEqual(['x', 'y']);
  });

  it('lookup asks the master with g_find; g_found null means no address; one question per node at a time', async () => {
    const s = slave();
    const a = s.net.lookup!('x');
    const b = s.net.lookup!('x');
    const c = s.net.lookup!('y');
    expect(s.take()).toEqual([
      ['m', '', 'g_find', 'x'],
      ['m', '', 'g_find', 'y'],
    ]);
    s.receive('m', 'g_found', 'x', ['1.2.3.4:5']);
    s.receive('m', 'g_found', 'y', null);
    expect(await a).toEqual(['1.2.3.4:5']);
    expect(await b).toEqual(['1.2.3.4:5']);
    expect(await c).toBeNull();
  });

  it('a node without a master keeps a lookup waiting (the connect deadline ends it), and asks the first master it gets', async () => {
    const s = stubNode('lonely');
    let answer: unknown = 'pending';
    void s.net.lookup!('x').then((a) => (answer = a));
    await tick();
    expect(answer).toBe('pending');
    expect(s.sent).toEqual([]);
    s.receive('g1', 'g_global');
    s.net.nodeUp('g1');
    s.receive('g1', 'g_global');
    expect(s.framesTo('g1')).toContainEqual(['', 'g_find', 'x']);
    s.receive('g1', 'g_found', 'x', ['10.0.0.5:4040']);
    await tick();
    expect(answer).toEqual(['10.0.0.5:4040']);
  });
});

describe('db on a slave: master selection and fail-over', () => {
  it("on a seed coming up: g_slave twice, then g_slave with the whole local db ('l included)", () => {
    const s = stubNode('s', { seeds: ['10.0.0.1:1'], addresses: ['127.0.0.1:7001'] });
    s.db.set('f', 'k', 1);
    s.net.seedIds.set('10.0.0.1:1', 'm');
    s.net.nodeUp('x'); // not a seed: nothing
    s.net.nodeUp('m');
    expect(s.take()).toEqual([
      ['m', '', 'g_slave'],
      ['m', '', 'g_slave'],
      ['m', '', 'g_slave', { "'l": { s: ['127.0.0.1:7001'] }, f: { k: 1 } }],
    ]);
    expect(s.db.master).toBe('m');
  });

  it('when the master goes, the next seed that is up becomes master and gets everything again', () => {
    const s = slave();
    s.net.nodeUp('m2');
    s.db.set('f', 'k', 1);
    s.db.mon('f').subscribe();
    const q = s.db.keys('g').subscribe();
    void s.net.lookup!('n');
    s.receive('m', 'g_chg1', 'f', { k: 1 });
    s.take();
    s.net.nodeDown('m');
    expect(s.db.master).toBe('m2');
    expect(s.take()).toEqual([
      ['m2', '', 'g_slave', { "'l": { s: ['127.0.0.1:7001'] }, f: { k: 1 } }],
      ['m2', '', 'g_mon1', 'f'],
      ['m2', '', 'g_find', 'n'],
      ['m2', '', 'g_db_keys', 'g', 'b', 1],
    ]);
    q.unsubscribe();
  });

  it('with no other seed up, it waits for the next seed to come up', () => {
    const s = slave();
    s.db.mon('f').subscribe();
    s.take();
    s.net.nodeDown('m');
    expect(s.db.master).toBeUndefined();
    s.db.set('f', 'k', 1); // no master: kept, sent with g_slave
    expect(s.take()).toEqual([]);
    s.net.nodeUp('m2');
    expect(s.take()).toEqual([
      ['m2', '', 'g_slave'],
      ['m2', '', 'g_slave'],
      ['m2', '', 'g_slave', { "'l": { s: ['127.0.0.1:7001'] }, f: { k: 1 } }],
      ['m2', '', 'g_mon1', 'f'],
    ]);
  });

  it('after fail-over the new g_chg1 is diffed against what subscribers have: only real differences', () => {
    const s = slave();
    s.net.nodeUp('m2');
    const got: FamilyDelta[] = [];
    s.db.mon('f').subscribe((x) => got.push(x));
    s.receive('m', 'g_chg1', 'f', { a: 1, b: 2, c: 3 });
    s.net.nodeDown('m');
    s.receive('m2', 'g_chg1', 'f', { a: 1, b: 20, d: 4 });
    s.receive('m2', 'g_chg1', 'f', { a: 1, b: 20, d: 4 });
    expect(got).toEqual([d('f', { a: 1, b: 2, c: 3 }), d('f', { d: 4 }, { b: 20 }, { c: 3 })]);
  });

  it('g_slave (bare) from a peer turns the node global: g_global to every up node, service requests answered', () => {
    const s = slave();
    s.net.nodeUp('p');
    s.take();
    s.receive('p', 'g_slave');
    expect(s.db.isGlobal).toBe(true);
    expect(s.db.master).toBe('s');
    const sent = s.take();
    expect(sent).toContainEqual(['m', '', 'g_global']);
    expect(sent).toContainEqual(['p', '', 'g_global']);
    s.receive('p', 'g_db_keys', "'g", 'x1');
    expect(s.take()).toEqual([['p', '', 'g_reply', 'x1', ['s']]]);
  });

  it('g_global from a non-seed gives a slave without an up seed a master', () => {
    const s = stubNode('s', { seeds: ['10.0.0.1:1'] });
    s.net.nodeUp('g');
    s.receive('g', 'g_global');
    expect(s.db.master).toBe('g');
  });
});

describe('db on a slave: turning global', () => {
  it('a slave that turns global gives the globals it knows its database (they announced themselves before)', () => {
    const s = slave();
    s.db.set('f', 'k', 1);
    s.receive('m', 'g_global');
    s.take();
    s.net.nodeUp('x');
    s.receive('x', 'g_slave', { f: { xk: 2 } });
    const toMaster = s.framesTo('m');
    expect(toMaster).toContainEqual(['', 'g_global']);
    const set = toMaster.find((f) => f[1] === 'g_set');
    expect(set?.[2]).toMatchObject({ f: { k: 1 } });
    // our 'g entry is not sent to the former master as a slave's update
    expect(toMaster.filter((f) => f[1] === 'g_upd' && f[2] === "'g")).toEqual([]);
    // what the new slave brought is passed on to the other global
    expect(toMaster).toContainEqual(['', 'g_upd', 'f', { xk: 2 }]);
  });

  it('a seed whose id becomes known while it is up is treated as a seed that came up', () => {
    const s = stubNode('s2', { seeds: ['10.0.0.9:1'] });
    s.net.nodeUp('late');
    s.take();
    s.net.seedIds.set('10.0.0.9:1', 'late');
    s.net.onSeedKnown?.('late');
    expect(s.framesTo('late').slice(0, 3)).toEqual([
      ['', 'g_slave'],
      ['', 'g_slave'],
      ['', 'g_slave', expect.any(Object)],
    ]);
  });
});

describe('db on a slave: bad frames', () => {
  it('wrong shapes are logged and dropped; the state is unchanged', async () => {
    const s = slave();
    const got: FamilyDelta[] = [];
    s.db.mon('f').subscribe((x) => got.push(x));
    s.receive('m', 'g_chg1', 'f', { a: 1 });
    const bad: unknown[][] = [
      ['g_chg1', true, {}],
      ['g_chg1', 'f', [1, 2]],
      ['g_chg2', 'f', 'x', []],
      ['g_chg2', 'f', {}, 'a'],
      ['g_chg2', 'f', {}, [{}]],
      ['g_chg2'],
      ['g_reply', [7], {}],
      ['g_found', null, []],
      ['g_found', 'x', [false]],
      ['g_slave', 'not a db'],
      ['g_slave', { f: 3 }],
    ];
    for (const msg of bad) s.receive('m', ...msg);
    expect(s.errors()).toHaveLength(bad.length);
    expect(s.errors()[0]).toMatch(/^error processing node message from m: g_chg1: family must be a string/);
    s.receive('m', 'g_chg2', 'f', { b: 2 }, []);
    expect(got).toEqual([d('f', { a: 1 }), d('f', { b: 2 })]);
    expect(s.db.isGlobal).toBe(false);
    const all = await firstValueFrom(s.db.mon('f').pipe(take(1)));
    expect(all).toEqual(d('f', { a: 1, b: 2 }));
  });
});
