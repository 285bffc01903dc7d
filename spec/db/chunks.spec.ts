/**
 * Big database messages in parts (src/db/chunks.ts, src/db/partial.ts):
 * whatever the data, the parts add up — read the way a Perl 2.x node reads
 * them, and the way ours does — to what one message would have said, and
 * every part encodes (JSON and CBOR) well under the frame limit.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  approxBytes,
  changeMessages,
  chunkLimits,
  databaseMessages,
  recordEntries,
  snapshotMessages,
  type TooBig,
} from '../../src/db/chunks.js';
import { upd } from '../../src/db/global.js';
import { NOT_PART, PartialSnapshots } from '../../src/db/partial.js';
import type { DbRecord, FamilyRecord } from '../../src/db/value.js';
import { cborFraming, encodeFrames, jsonFraming } from '../../src/streams/framing/index.js';

const LIMIT = 16 * 1024;
const limits = chunkLimits(LIMIT);

const value = fc.oneof(
  fc.string({ maxLength: 300 }),
  fc.string({ unit: 'grapheme', maxLength: 100 }),
  fc.integer(),
  fc.double({ noNaN: true }),
  fc.constant(null),
  fc.array(fc.string({ maxLength: 20 }), { maxLength: 10 }),
  fc.dictionary(fc.string({ maxLength: 8 }), fc.integer(), { maxKeys: 5 }),
);
const key = fc.string({ minLength: 1, maxLength: 40 });
const family = fc.dictionary(key, value, { maxKeys: 400, noNullPrototype: true });
const db = fc.dictionary(fc.stringMatching(/^[a-z][a-z0-9_]{0,8}$/), family, {
  maxKeys: 6,
  noNullPrototype: true,
});

const noTooBig: TooBig = (f, k) => {
  throw new Error(`unexpected too-big entry ${f}/${k}`);
};

/** Every message encodes within the frame limit, in both framings. */
function fitsFrames(msgs: readonly unknown[][]): void {
  for (const m of msgs) {
    const frame = ['', ...m];
    expect(encodeFrames(jsonFraming, [frame]).length).toBeLessThanOrEqual(LIMIT);
    expect(encodeFrames(cborFraming, [frame]).length).toBeLessThanOrEqual(LIMIT);
  }
}

/** Fresh copies, as a decoder would hand them over. */
const wire = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

/** Perl's g_slave / g_set / g_upd handlers: every part's keys merge into the sender's entries. */
function perlMerge(msgs: readonly unknown[][], tag: string): DbRecord {
  const out: DbRecord = {};
  for (const [t, ...args] of msgs) {
    const parts: [string, FamilyRecord][] =
      t === tag
        ? Object.entries(args[0] as DbRecord)
        : [[args[0] as string, (args[1] ?? {}) as FamilyRecord]];
    if (t !== tag) expect(t).toBe('g_upd');
    for (const [f, rec] of parts) for (const [k, v] of Object.entries(rec)) (out[f] ??= {})[k] = v;
    for (const k of (t === 'g_upd' ? (args[2] as string[] | undefined) : undefined) ?? [])
      delete out[args[0] as string]?.[k];
  }
  return out;
}

const sameJson = (a: unknown, b: unknown) => expect(wire(a)).toEqual(wire(b));

describe('db parts: snapshots (g_chg1)', () => {
  it('a family that fits goes as one g_chg1, an empty one as g_chg1 F null', () => {
    expect([...snapshotMessages('f', recordEntries({ a: 1 }), limits, noTooBig)]).toEqual([
      ['g_chg1', 'f', { a: 1 }],
    ]);
    expect([...snapshotMessages('f', [], limits, noTooBig)]).toEqual([['g_chg1', 'f', null]]);
  });

  it('parts add up to the family, for a Perl monitor and for ours (one whole delivery), each under the limit', () => {
    fc.assert(
      fc.property(family, (rec) => {
        const msgs = [...snapshotMessages('f', recordEntries(rec), limits, noTooBig)].map(wire);
        fitsFrames(msgs);
        // Perl: g_chg1 replaces its copy, g_chg2 merges (trailing markers ignored)
        const perl: FamilyRecord = {};
        for (const [i, [tag, , part, del]] of msgs.entries()) {
          expect(tag).toBe(i === 0 ? 'g_chg1' : 'g_chg2');
          for (const [k, v] of Object.entries((part ?? {}) as FamilyRecord)) perl[k] = v;
          if (tag === 'g_chg2') expect(del).toEqual([]);
        }
        sameJson(perl, rec);
        // ours: nothing until the last part, then the whole family once
        const p = new PartialSnapshots();
        const delivered: (FamilyRecord | null)[] = [];
        const [first, ...rest] = msgs;
        const d0 = p.first('f', (first![2] ?? null) as FamilyRecord | null, first![3]);
        if (d0 !== undefined) delivered.push(d0);
        for (const m of rest) {
          expect(m[0]).toBe('g_chg2');
          const d = p.next('f', m[2] as FamilyRecord, m[3] as string[], m[4]);
          expect(d).not.toBe(NOT_PART);
          if (d !== undefined && d !== NOT_PART) delivered.push(d);
        }
        expect(delivered).toHaveLength(1);
        sameJson(delivered[0] ?? {}, rec);
        expect(p.next('f', {}, [], undefined)).toBe(NOT_PART); // done: later g_chg2 are changes again
      }),
      { numRuns: 60 },
    );
  });

  it('an entry too big for any frame is left out and reported; the rest still arrives', () => {
    const big = 'x'.repeat(LIMIT);
    const reported: string[] = [];
    const rec: FamilyRecord = { a: 1, huge: big, b: 2 };
    const msgs = [...snapshotMessages('f', recordEntries(rec), limits, (f, k) => reported.push(`${f}/${k}`))];
    expect(reported).toEqual(['f/huge']);
    expect(msgs).toEqual([['g_chg1', 'f', { a: 1, b: 2 }]]);
  });
});

describe('db parts: databases (g_slave, g_set)', () => {
  it('parts merge, as Perl merges g_slave/g_set and g_upd, into the database; the lead entry is in the first', () => {
    fc.assert(
      fc.property(db, (d) => {
        const withLead: DbRecord = { ...d, "'l": { ...(d["'l"] ?? {}), me: ['127.0.0.1:1'] } };
        const msgs = [...databaseMessages('g_set', withLead, limits, noTooBig, ["'l", 'me'])].map(wire);
        fitsFrames(msgs);
        expect(msgs[0]![0]).toBe('g_set');
        expect((msgs[0]![1] as DbRecord)["'l"]!['me']).toEqual(['127.0.0.1:1']);
        expect(msgs.slice(1).every((m) => m[0] === 'g_upd' && m.length === 3)).toBe(true);
        const nonEmpty = Object.fromEntries(
          Object.entries(withLead).filter(([, r]) => Object.keys(r).length),
        );
        sameJson(perlMerge(msgs, 'g_set'), nonEmpty);
      }),
      { numRuns: 60 },
    );
  });

  it('an empty database is one g_slave {}', () => {
    expect([...databaseMessages('g_slave', {}, limits, noTooBig)]).toEqual([['g_slave', {}]]);
  });
});

describe('db parts: changes (g_upd, g_chg2)', () => {
  it('a big change goes in several messages of the same forms, adding up to it', () => {
    fc.assert(
      fc.property(family, fc.uniqueArray(key, { maxLength: 800 }), (set, del0) => {
        const del = del0.filter((k) => !Object.hasOwn(set, k));
        const msgs = [...changeMessages('f', set, del, limits, noTooBig, upd('f'))].map(wire);
        fitsFrames(msgs);
        const fits = approxBytes(wire(set)) + approxBytes(del) <= limits.budget;
        if (fits) expect(msgs).toHaveLength(1);
        const setOut: FamilyRecord = Object.create(null) as FamilyRecord; // a key "__proto__" is a key
        const delOut: string[] = [];
        for (const m of msgs) {
          expect(m[0]).toBe('g_upd');
          expect(m[1]).toBe('f');
          for (const [k, v] of Object.entries((m[2] ?? {}) as FamilyRecord)) setOut[k] = v;
          delOut.push(...((m[3] as string[] | undefined) ?? []));
        }
        sameJson(setOut, set);
        expect(delOut).toEqual(del);
      }),
      { numRuns: 60 },
    );
  });
});

describe('db parts: approxBytes', () => {
  it('is at least the CBOR size and, for strings without escapes, the JSON size of a value', () => {
    fc.assert(
      fc.property(value, (v) => {
        const est = approxBytes(v);
        expect(est).toBeGreaterThanOrEqual(encodeFrames(cborFraming, [[v]]).length - 1);
      }),
      { numRuns: 300 },
    );
  });

  it('stops at a cycle or absurd nesting instead of overflowing the stack', () => {
    const a: unknown[] = [];
    a.push(a);
    expect(approxBytes(a)).toBe(Infinity);
  });
});
