/**
 * The global-node service driven by hand through its node port: merge rules
 * with per-owner entries, the requests it answers, forwarding to other
 * globals, the g_set exchange and mirrors, node loss, bad frames.
 */
import { describe, expect, it } from 'vitest';
import { firstValueFrom } from 'rxjs';
import type { FamilyDelta } from '../../src/db/index.js';
import { stubNode, type StubNode } from './helpers/stub.js';

/** A global node `g` with slaves `s1`, `s2` up and registered, and `mon` monitoring family `f`. */
function global(): StubNode {
  const g = stubNode('g', { global: true, addresses: ['127.0.0.1:4040'] });
  for (const n of ['s1', 's2', 'mon']) {
    g.net.nodeUp(n);
    g.receive(n, 'g_slave');
    g.receive(n, 'g_slave', { "'l": { [n]: [`127.0.0.1:${n.length}`] } });
  }
  g.receive('mon', 'g_mon1', 'f');
  g.take();
  return g;
}

describe('global service: requests', () => {
  it('sends g_global to every node that comes up', () => {
    const g = stubNode('g', { global: true });
    g.net.nodeUp('a');
    g.net.nodeUp('b');
    expect(g.take()).toEqual([
      ['a', '', 'g_global'],
      ['b', '', 'g_global'],
    ]);
  });

  it('answers queries and g_mon1 for missing families with {}, [], [] and g_chg1 null', () => {
    const g = global();
    g.receive('s1', 'g_db_family', 'none', 'b');
    g.receive('s1', 'g_db_keys', 'none', 'c');
    g.receive('s1', 'g_db_values', 'none', 'd');
    g.receive('s1', 'g_mon1', 'none');
    expect(g.framesTo('s1')).toEqual([
      ['', 'g_reply', 'b', {}],
      ['', 'g_reply', 'c', []],
      ['', 'g_reply', 'd', []],
      ['', 'g_chg1', 'none', null],
    ]);
  });

  it("g_find answers from the merged 'l; unknown nodes get null", () => {
    const g = global();
    g.receive('s1', 'g_find', 's2');
    g.receive('s1', 'g_find', 'g');
    g.receive('s1', 'g_find', 'nobody');
    expect(g.framesTo('s1')).toEqual([
      ['', 'g_found', 's2', ['127.0.0.1:2']],
      ['', 'g_found', 'g', ['127.0.0.1:4040']],
      ['', 'g_found', 'nobody', null],
    ]);
  });

  it('a slave db arriving with g_slave is merged and monitors see it; g_upd sets and deletes', () => {
    const g = global();
    g.receive('s1', 'g_slave', { "'l": { s1: [] }, f: { a: 1, b: 2 } });
    g.receive('s1', 'g_upd', 'f', { c: 3 });
    g.receive('s1', 'g_upd', 'f', null, ['a', 'zz']);
    g.receive('s1', 'g_upd', 'f', { b: 2 }); // same value: nothing to tell
    expect(g.framesTo('mon')).toEqual([
      ['', 'g_chg2', 'f', { a: 1, b: 2 }, []],
      ['', 'g_chg2', 'f', { c: 3 }, []],
      ['', 'g_chg2', 'f', {}, ['a']],
    ]);
    g.receive('mon', 'g_db_family', 'f', 'x');
    expect(g.framesTo('mon').at(-1)).toEqual(['', 'g_reply', 'x', { b: 2, c: 3 }]);
  });

  it('g_slave again (a reconnect) replaces what that slave owned', () => {
    const g = global();
    g.receive('s1', 'g_slave', { f: { a: 1, b: 2 } });
    g.receive('s1', 'g_slave', { f: { b: 2, c: 3 } });
    expect(g.framesTo('mon')).toEqual([
      ['', 'g_chg2', 'f', { a: 1, b: 2 }, []],
      ['', 'g_chg2', 'f', { c: 3 }, ['a']],
    ]);
  });

  it('g_mon0 stops the g_chg2 messages', () => {
    const g = global();
    g.receive('mon', 'g_mon0', 'f');
    g.receive('s1', 'g_upd', 'f', { a: 1 });
    expect(g.framesTo('mon')).toEqual([]);
  });
});

describe('global service: merge rules', () => {
  it("two owners set one key; when the latest deletes it, the other's value comes back as a change", () => {
    const g = global();
    g.receive('s1', 'g_upd', 'f', { k: 'one' });
    g.receive('s2', 'g_upd', 'f', { k: 'two' });
    g.receive('s2', 'g_upd', 'f', null, ['k']);
    g.receive('s1', 'g_upd', 'f', null, ['k']);
    expect(g.framesTo('mon')).toEqual([
      ['', 'g_chg2', 'f', { k: 'one' }, []],
      ['', 'g_chg2', 'f', { k: 'two' }, []],
      ['', 'g_chg2', 'f', { k: 'one' }, []],
      ['', 'g_chg2', 'f', {}, ['k']],
    ]);
  });

  it('an older owner deleting its shadowed value changes nothing visible', () => {
    const g = global();
    g.receive('s1', 'g_upd', 'f', { k: 'one' });
    g.receive('s2', 'g_upd', 'f', { k: 'two' });
    g.take();
    g.receive('s1', 'g_upd', 'f', null, ['k']);
    expect(g.framesTo('mon')).toEqual([]);
    g.receive('s2', 'g_upd', 'f', null, ['k']);
    expect(g.framesTo('mon')).toEqual([['', 'g_chg2', 'f', {}, ['k']]]);
  });

  it('an owner going down takes its entries with it; shadowed values of others come back', () => {
    const g = global();
    g.receive('s1', 'g_upd', 'f', { k: 'one', only1: 1 });
    g.receive('s2', 'g_upd', 'f', { k: 'two', only2: 2 });
    g.take();
    g.net.nodeDown('s2');
    expect(g.framesTo('mon')).toEqual([['', 'g_chg2', 'f', { k: 'one' }, ['only2']]]);
    g.receive('mon', 'g_db_keys', "'l", 'q');
    expect((g.framesTo('mon').at(-1)![3] as string[]).sort()).toEqual(['g', 'mon', 's1']);
  });

  it('a node going down no longer monitors', () => {
    const g = global();
    g.net.nodeDown('mon');
    g.receive('s1', 'g_upd', 'f', { k: 1 });
    expect(g.framesTo('mon')).toEqual([]);
    expect(g.db.service!.monitorCount).toBe(0);
  });

  it("the global node's own entries are an owner like any other (db.set on the global)", async () => {
    const g = global();
    g.db.set('f', 'k', 'mine');
    g.receive('s1', 'g_upd', 'f', { k: 'theirs' });
    g.receive('s1', 'g_upd', 'f', null, ['k']);
    expect(g.framesTo('mon')).toEqual([
      ['', 'g_chg2', 'f', { k: 'mine' }, []],
      ['', 'g_chg2', 'f', { k: 'theirs' }, []],
      ['', 'g_chg2', 'f', { k: 'mine' }, []],
    ]);
    expect(await firstValueFrom(g.db.family('f'))).toEqual({ k: 'mine' });
  });
});

describe('global service: other globals', () => {
  /** `g` with slaves, plus another global `h` up and exchanged. */
  function pair(): StubNode {
    const g = global();
    g.net.nodeUp('h');
    g.receive('h', 'g_global');
    g.receive('h', 'g_set', { "'g": { h: null }, "'l": { h: ['10.1.1.1:1'] }, hf: { hk: 1 } });
    return g;
  }

  it('g_global from another global is answered with g_set of our slaves view (never its own entries)', () => {
    const g = global();
    g.receive('s1', 'g_upd', 'f', { k: 1 });
    g.net.nodeUp('h');
    g.take();
    g.receive('h', 'g_global');
    const [[node, , tag, db]] = g.take() as [
      [string, string, string, Record<string, Record<string, unknown>>],
    ];
    expect([node, tag]).toEqual(['h', 'g_set']);
    expect(db).toEqual({
      "'l": { g: ['127.0.0.1:4040'], s1: ['127.0.0.1:2'], s2: ['127.0.0.1:2'], mon: ['127.0.0.1:3'] },
      "'g": { g: null },
      f: { k: 1 },
    });
  });

  it("g_set merges that global's view; its 'g and 'l entries are mirrored into ours and passed on", () => {
    const g = pair();
    const sent = g.take();
    // 'h' learns of its own mirror too, harmlessly; monitors of 'hf' would see hk
    expect(sent).toContainEqual(['h', '', 'g_upd', "'g", { h: null }]);
    expect(sent).toContainEqual(['h', '', 'g_upd', "'l", { h: ['10.1.1.1:1'] }]);
    g.receive('s1', 'g_find', 'h');
    expect(g.framesTo('s1').at(-1)).toEqual(['', 'g_found', 'h', ['10.1.1.1:1']]);
  });

  it('changes of slaves are forwarded to the other globals as g_upd; changes from a global are not', () => {
    const g = pair();
    g.net.nodeUp('i');
    g.receive('i', 'g_global');
    g.take();
    g.receive('s1', 'g_upd', 'f', { k: 1 });
    g.receive('s1', 'g_upd', 'f', null, ['k']);
    g.receive('h', 'g_upd', 'f', { fromh: 1 });
    expect(g.sent.filter((s) => s[2] === 'g_upd')).toEqual([
      ['h', '', 'g_upd', 'f', { k: 1 }],
      ['i', '', 'g_upd', 'f', { k: 1 }],
      ['h', '', 'g_upd', 'f', null, ['k']],
      ['i', '', 'g_upd', 'f', null, ['k']],
    ]);
  });

  it("forwarded is the change of the slaves' merged view: a shadowed delete comes out as a set", () => {
    const g = pair();
    g.receive('s1', 'g_upd', 'f', { k: 'one' });
    g.receive('s2', 'g_upd', 'f', { k: 'two' });
    g.take();
    g.receive('s2', 'g_upd', 'f', null, ['k']);
    expect(g.framesTo('h')).toEqual([['', 'g_upd', 'f', { k: 'one' }]]);
  });

  it("a global's entries shadow nothing of ours in the slaves view and leave with it", () => {
    const g = pair();
    g.receive('h', 'g_upd', 'f', { k: 'h' });
    g.receive('s1', 'g_upd', 'f', { k: 's1' });
    g.take();
    g.net.nodeDown('h');
    expect(g.take()).toEqual([]); // 'mon' watches f only, whose k still shows s1's value
    expect(g.db.service!.store.get('f', 'k')).toBe('s1');
    expect(g.db.service!.store.has('hf', 'hk')).toBe(false);
    expect(g.db.service!.store.has("'g", 'h')).toBe(false);
    expect(g.db.service!.store.has("'l", 'h')).toBe(false);
  });

  it("keeps a connection to every node listed in 'g (a node-port monitor)", async () => {
    const g = pair();
    await new Promise((r) => setTimeout(r, 5));
    expect(g.monitored).toContain('h#');
    expect(g.monitored).not.toContain('g#');
  });

  it('a slave that turns global loses its slave entries until its g_set arrives', () => {
    const g = global();
    g.receive('s1', 'g_upd', 'f', { k: 1 });
    g.take();
    g.receive('s1', 'g_global');
    expect(g.framesTo('mon')).toEqual([['', 'g_chg2', 'f', {}, ['k']]]);
    expect(g.framesTo('s1')[0]?.[1]).toBe('g_set');
    g.receive('s1', 'g_set', { f: { k: 1 } });
    expect(g.framesTo('mon').at(-1)).toEqual(['', 'g_chg2', 'f', { k: 1 }, []]);
  });
});

describe('global service: bad frames', () => {
  it('wrong shapes are logged and dropped without touching the database', async () => {
    const g = global();
    g.receive('s1', 'g_upd', 'f', { k: 1 });
    g.take();
    const before = g.db.service!.store.slavesView();
    const bad: unknown[][] = [
      ['g_upd'],
      ['g_upd', true, {}],
      ['g_upd', 'f', [1]],
      ['g_upd', 'f', 'str'],
      ['g_upd', 'f', { k: 2 }, 'k'],
      ['g_upd', 'f', { k: 2 }, [null, 'k']],
      ['g_slave', [1]],
      ['g_slave', { f: [1, 2] }],
      ['g_set', null],
      ['g_set', { f: 'x' }],
      ['g_find', {}],
      ['g_db_family', 'f'],
      ['g_db_keys', null, 'b'],
      ['g_mon1', false],
      ['g_mon0', []],
    ];
    for (const msg of bad) g.receive('s1', ...msg);
    expect(g.errors()).toHaveLength(bad.length);
    expect(g.errors().every((e) => e.startsWith('error processing node message from s1: '))).toBe(true);
    expect(g.take()).toEqual([]);
    expect(g.db.service!.store.slavesView()).toEqual(before);
    g.receive('s1', 'g_upd', 'f', { k: 3 });
    expect(g.framesTo('mon')).toEqual([['', 'g_chg2', 'f', { k: 3 }, []]]);
  });

  it('takes numbers where Perl sends them for keys (db_del fam => 5)', () => {
    const g = global();
    g.receive('s1', 'g_upd', 'f', { 5: 'five', k: 1 });
    g.take();
    g.receive('s1', 'g_upd', 'f', null, [5]);
    expect(g.errors()).toEqual([]);
    expect(g.db.service!.store.slavesView()['f']).toEqual({ k: 1 });
  });
});

describe('global node: local API', () => {
  it('db.mon on a global node: first event, then one per change, in order, also for changes made inside a subscriber', () => {
    const g = global();
    const got: FamilyDelta[] = [];
    g.db.mon('f').subscribe((x) => {
      got.push(x);
      if (Object.hasOwn(x.added, 'ping')) g.db.set('f', 'pong', 1);
    });
    g.receive('s1', 'g_upd', 'f', { ping: 1 });
    expect(got).toEqual([
      { family: 'f', added: {}, changed: {}, deleted: {} },
      { family: 'f', added: { ping: 1 }, changed: {}, deleted: {} },
      { family: 'f', added: { pong: 1 }, changed: {}, deleted: {} },
    ]);
    // the remote monitor saw the changes in the same order
    expect(g.framesTo('mon')).toEqual([
      ['', 'g_chg2', 'f', { ping: 1 }, []],
      ['', 'g_chg2', 'f', { pong: 1 }, []],
    ]);
  });

  it("lookup on a global node reads the merged 'l", async () => {
    const g = global();
    expect(await g.net.lookup!('s1')).toEqual(['127.0.0.1:2']);
    expect(await g.net.lookup!('nobody')).toBeNull();
  });

  it('a node whose seeds include one of its own addresses is global from the start', () => {
    const g = stubNode('x', { seeds: ['127.0.0.1:9', '127.0.0.1:8'], addresses: ['127.0.0.1:8'] });
    expect(g.db.isGlobal).toBe(true);
    const h = stubNode('y', { seeds: ['127.0.0.1:9'], addresses: ['127.0.0.1:8'] });
    expect(h.db.isGlobal).toBe(false);
    h.net.onSelfSeed!('localhost:8');
    expect(h.db.isGlobal).toBe(true);
  });
});
