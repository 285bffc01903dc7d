/**
 * A slave receiving big messages in parts, driven by hand: a snapshot in
 * parts (`g_chg1 F PART 1`, `g_chg2 F PART [] 1` … `0`) is one first event;
 * markers never make ordinary changes disappear; parts from a node that is
 * not the master, or from a former master, change nothing; a query answer
 * in parts is joined.
 */
import { describe, expect, it } from 'vitest';
import { firstValueFrom } from 'rxjs';
import type { FamilyDelta } from '../../src/db/index.js';
import { stubNode, type StubNode } from './helpers/stub.js';

function slave(): StubNode {
  const s = stubNode('s', { seeds: ['10.0.0.1:1', '10.0.0.2:1'], addresses: ['127.0.0.1:7001'] });
  s.net.seedIds.set('10.0.0.1:1', 'm');
  s.net.seedIds.set('10.0.0.2:1', 'm2');
  s.net.nodeUp('m');
  s.take();
  return s;
}

function watch(s: StubNode, family: string): FamilyDelta[] {
  const out: FamilyDelta[] = [];
  s.db.mon(family).subscribe((d) => out.push(d));
  return out;
}

const delta = (added = {}, changed = {}, deleted = {}): FamilyDelta => ({
  family: 'f',
  added,
  changed,
  deleted,
});

describe('db on a slave: a snapshot in parts', () => {
  it('is delivered once, whole, after its last part; later g_chg2 are changes again', () => {
    const s = slave();
    const got = watch(s, 'f');
    s.receive('m', 'g_chg1', 'f', { a: 1 }, 1);
    s.receive('m', 'g_chg2', 'f', { b: 2 }, [], 1);
    expect(got).toEqual([]);
    s.receive('m', 'g_chg2', 'f', { c: 3 }, [], 0);
    expect(got).toEqual([delta({ a: 1, b: 2, c: 3 })]);
    s.receive('m', 'g_chg2', 'f', { d: 4 }, [], 0); // a stray marker: an ordinary change
    s.receive('m', 'g_chg2', 'f', { a: 5 }, []);
    expect(got.slice(1)).toEqual([delta({ d: 4 }), delta({}, { a: 5 })]);
    expect(s.errors()).toEqual([]);
  });

  it('an unmarked change between the parts goes into the snapshot; a new g_chg1 starts over', () => {
    const s = slave();
    const got = watch(s, 'f');
    s.receive('m', 'g_chg1', 'f', { a: 1, x: 0 }, 1);
    s.receive('m', 'g_chg2', 'f', { b: 2 }, ['x']);
    s.receive('m', 'g_chg1', 'f', { a: 1 }, 1);
    s.receive('m', 'g_chg2', 'f', { c: 3 }, [], 0);
    expect(got).toEqual([delta({ a: 1, c: 3 })]);
  });

  it('parts from another node are ignored; a new master drops what the old one had begun', () => {
    const s = slave();
    const got = watch(s, 'f');
    s.receive('m2', 'g_chg1', 'f', { evil: 1 }, 1);
    s.receive('m', 'g_chg1', 'f', { a: 1 }, 1);
    s.receive('m2', 'g_chg2', 'f', { evil: 2 }, [], 0);
    expect(got).toEqual([]);
    s.net.nodeUp('m2');
    s.net.nodeDown('m');
    expect(s.db.master).toBe('m2');
    s.receive('m', 'g_chg2', 'f', { late: 1 }, [], 0); // the old master's last part: not ours any more
    s.receive('m2', 'g_chg2', 'f', { b: 2 }, [], 0); // no snapshot of m2 pending: an ordinary change, before any g_chg1
    expect(got).toEqual([]);
    s.receive('m2', 'g_chg1', 'f', { b: 2 });
    expect(got).toEqual([delta({ b: 2 })]);
  });
});

describe('db on a slave: a query answer in parts', () => {
  it('asks with a trailing 1 and joins the parts of a family, keys or values answer', async () => {
    const s = slave();
    const fam = firstValueFrom(s.db.family('f'));
    const keys = firstValueFrom(s.db.keys('f'));
    const vals = firstValueFrom(s.db.values('f'));
    expect(s.take().map((f) => f.slice(2))).toEqual([
      ['g_db_family', 'f', 'b', 1],
      ['g_db_keys', 'f', 'c', 1],
      ['g_db_values', 'f', 'd', 1],
    ]);
    s.receive('m', 'g_reply', 'b', { a: 1 }, 1);
    s.receive('m', 'g_reply', 'c', ['a'], 1);
    s.receive('m', 'g_reply', 'd', [1], 1);
    s.receive('m', 'g_reply', 'b', { b: 2 }, 0);
    s.receive('m', 'g_reply', 'c', ['b'], 0);
    s.receive('m', 'g_reply', 'd', [2], 0);
    expect(await fam).toEqual({ a: 1, b: 2 });
    expect(await keys).toEqual(['a', 'b']);
    expect(await vals).toEqual([1, 2]);
  });

  it('a new master gets the question again and its answer replaces the old parts', async () => {
    const s = slave();
    const keys = firstValueFrom(s.db.keys('f'));
    s.receive('m', 'g_reply', 'b', ['old'], 1);
    s.net.nodeUp('m2');
    s.net.nodeDown('m');
    expect(s.framesTo('m2').at(-1)).toEqual(['', 'g_db_keys', 'f', 'b', 1]);
    s.receive('m2', 'g_reply', 'b', ['new']);
    expect(await keys).toEqual(['new']);
  });
});
