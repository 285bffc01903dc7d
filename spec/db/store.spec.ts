/**
 * The merged store of a global node against a small model (per key, the
 * holders most recent first), with random operations from several owners,
 * slave-class and global: the visible view, the slaves view and the
 * reported changes must always agree.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Changes, MergedStore, type DbRecord } from '../../src/db/index.js';
import { deepEqual } from '../../src/config/index.js';

const OWNERS = ['self', 's1', 's2', 'G1', 'G2'] as const;
const GLOBAL_OWNERS = new Set(['G1', 'G2']);
const FAMILIES = ['f', 'g'] as const;
const KEYS = ['k1', 'k2', 'k3', '__proto__'] as const;

type Op =
  | { op: 'set'; owner: string; family: string; key: string; value: unknown }
  | { op: 'del'; owner: string; family: string; key: string }
  | { op: 'clear'; owner: string }
  | { op: 'replace'; owner: string; db: DbRecord };

const value = fc.oneof(
  fc.integer({ min: 0, max: 3 }),
  fc.constant(null),
  fc.constant({ a: [1] }),
  fc.constant({ a: [2] }),
);
const owner = fc.constantFrom(...OWNERS);
const family = fc.constantFrom(...FAMILIES);
const key = fc.constantFrom(...KEYS);
const db: fc.Arbitrary<DbRecord> = fc.array(fc.tuple(family, key, value), { maxLength: 5 }).map((entries) => {
  const out: DbRecord = {};
  for (const [f, k, v] of entries) {
    if (!Object.hasOwn(out, f)) out[f] = {};
    Object.defineProperty(out[f], k, { value: v, enumerable: true, writable: true, configurable: true });
  }
  return out;
});
const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ op: fc.constant('set' as const), owner, family, key, value }) },
  { weight: 3, arbitrary: fc.record({ op: fc.constant('del' as const), owner, family, key }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('clear' as const), owner }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('replace' as const), owner, db }) },
);

/** The model: (family, key) → holders, most recent first. */
class Model {
  readonly cells = new Map<string, { owner: string; value: unknown }[]>();
  #list(f: string, k: string) {
    const id = f + '\0' + k;
    let l = this.cells.get(id);
    if (!l) this.cells.set(id, (l = []));
    return l;
  }
  set(o: string, f: string, k: string, v: unknown) {
    const l = this.#list(f, k);
    const i = l.findIndex((c) => c.owner === o);
    if (i >= 0 && deepEqual(l[i]!.value, v)) return;
    if (i >= 0) l.splice(i, 1);
    l.unshift({ owner: o, value: v });
  }
  del(o: string, f: string, k: string) {
    const l = this.#list(f, k);
    const i = l.findIndex((c) => c.owner === o);
    if (i >= 0) l.splice(i, 1);
  }
  owned(o: string): [string, string][] {
    const out: [string, string][] = [];
    for (const [id, l] of this.cells)
      if (l.some((c) => c.owner === o)) out.push(id.split('\0') as [string, string]);
    return out;
  }
  view(slavesOnly: boolean): DbRecord {
    const out: DbRecord = {};
    for (const [id, l] of this.cells) {
      const c = slavesOnly ? l.find((x) => !GLOBAL_OWNERS.has(x.owner)) : l[0];
      if (!c) continue;
      const [f, k] = id.split('\0') as [string, string];
      if (!Object.hasOwn(out, f)) out[f] = {};
      Object.defineProperty(out[f], k, {
        value: c.value,
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return out;
  }
}

/** Applies reported changes to a mirror of a view. */
function applyChanges(mirror: DbRecord, ch: Changes['view']) {
  for (const [f, set, del] of ch.entries()) {
    const fam = (mirror[f] ??= {});
    for (const k of Object.keys(set))
      Object.defineProperty(fam, k, { value: set[k], enumerable: true, writable: true, configurable: true });
    for (const k of del) delete fam[k];
    if (Object.keys(fam).length === 0) delete mirror[f];
  }
}

function fullView(s: MergedStore): DbRecord {
  const out: DbRecord = {};
  for (const f of FAMILIES) {
    const fam = s.family(f);
    if (fam) out[f] = fam;
  }
  return out;
}

describe('MergedStore', () => {
  it('agrees with the model after every operation; reported changes rebuild both views', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 60 }), (ops) => {
        const s = new MergedStore();
        for (const g of GLOBAL_OWNERS) s.globals.add(g);
        const m = new Model();
        const viewMirror: DbRecord = {};
        const slavesMirror: DbRecord = {};
        for (const o of ops) {
          const ch = new Changes();
          if (o.op === 'set') {
            s.set(o.owner, o.family, o.key, o.value, ch);
            m.set(o.owner, o.family, o.key, o.value);
          } else if (o.op === 'del') {
            s.del(o.owner, o.family, o.key, ch);
            m.del(o.owner, o.family, o.key);
          } else if (o.op === 'clear') {
            s.clear(o.owner, ch);
            for (const [f, k] of m.owned(o.owner)) m.del(o.owner, f, k);
          } else {
            s.replace(o.owner, o.db, ch);
            for (const [f, k] of m.owned(o.owner))
              if (!o.db[f] || !Object.hasOwn(o.db[f]!, k)) m.del(o.owner, f, k);
            for (const f of Object.keys(o.db))
              for (const k of Object.keys(o.db[f]!)) m.set(o.owner, f, k, o.db[f]![k]);
          }
          applyChanges(viewMirror, ch.view);
          applyChanges(slavesMirror, ch.slaves);
          expect(fullView(s)).toEqual(m.view(false));
          expect(s.slavesView()).toEqual(m.view(true));
          expect(viewMirror).toEqual(m.view(false));
          expect(slavesMirror).toEqual(m.view(true));
        }
        for (const o of OWNERS) s.clear(o, new Changes());
        expect(s.familyCount).toBe(0);
        expect(s.cellCount).toBe(0);
        expect([...s.owners()]).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });

  it('a repeat of an owner’s value changes nothing and reports nothing', () => {
    const s = new MergedStore();
    const ch = new Changes();
    s.set('a', 'f', 'k', { x: 1 }, ch);
    const again = new Changes();
    s.set('a', 'f', 'k', { x: 1 }, again);
    expect(again.view.empty && again.slaves.empty).toBe(true);
  });

  it('two owners with equal values: the latest deleting reports nothing visible', () => {
    const s = new MergedStore();
    s.set('a', 'f', 'k', 1, new Changes());
    s.set('b', 'f', 'k', 1, new Changes());
    const ch = new Changes();
    s.del('b', 'f', 'k', ch);
    expect(ch.view.empty).toBe(true);
    expect(s.get('f', 'k')).toBe(1);
  });
});
