/**
 * Names that are also members of `Object.prototype` (`constructor`,
 * `__proto__`, `toString` …) are ordinary names: wherever a peer or a user
 * hands us a node id, port name, request name, function name, family or key,
 * such a name finds nothing it was not given — and nothing it sends ends
 * the process (the setup file turns an unhandled rejection into a failure).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { firstValueFrom } from 'rxjs';
import { cborFraming, connect, jsonFraming, type Connection } from '../../src/streams/index.js';
import { PortKilled, type AempNode } from '../../src/index.js';
import { makeNode, rejection, SECRET } from '../helpers/nodes.js';
import { onFrames, until } from '../helpers/net.js';

const PROTO_NAMES = ['constructor', '__proto__', 'prototype', 'toString', 'valueOf', 'hasOwnProperty', 'isPrototypeOf'];

let node: AempNode & { logs: { message: string }[] };
const peers: Connection[] = [];

beforeAll(async () => {
  node = await makeNode('proto-target');
});
afterAll(async () => {
  for (const p of peers) p.complete();
  await node.close();
});

/** An authenticated peer of `node` speaking `framing`, with the frames it receives. */
async function peer(id: string, framing: 'json' | 'cbor') {
  const c = await connect(node.addresses[0]!, { nodeId: id, secret: SECRET, framingFormat: [framing] });
  peers.push(c);
  const frames: unknown[][] = [];
  onFrames(c, (f) => frames.push([...f]));
  return { c, frames };
}

describe('prototype names from a peer', () => {
  for (const framing of ['json', 'cbor'] as const) {
    it(`["", "snd", "constructor#x", 1] over ${framing} does not end the node`, async () => {
      const id = `hostile-${framing}`;
      const p = await peer(id, framing);
      const got: unknown[] = [];
      const sink = node.port((m) => got.push(m[0]));
      for (const name of PROTO_NAMES) p.c.next(['', 'snd', `${name}#x`, 1]);
      p.c.next(['', 'snd', sink.id, 'after']);
      await until('the message after', () => got.includes('after'));
      p.c.next(['', 'time', `${id}#t`]);
      await until('an answer to time', () => p.frames.some((f) => f[0] === 't'));
    });
  }
});

/** Names a table keyed by a plain object would confuse, and arbitrary ones. */
const names = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...PROTO_NAMES) },
  { weight: 1, arbitrary: fc.string({ minLength: 1, maxLength: 12 }) },
  { weight: 1, arbitrary: fc.constantFrom(...PROTO_NAMES).map((n) => `${n}::init`) },
);
const isProto = (name: string): boolean => PROTO_NAMES.includes(name);

/** Calls `f`; a `TypeError` (a name the API refuses) is fine, nothing else is thrown. */
function tolerant(f: () => void): void {
  try {
    f();
  } catch (err) {
    if (!(err instanceof TypeError)) throw err;
  }
}

describe('prototype names, locally (property)', () => {
  it('registry, spawn, ports, tags, node-port requests and the database treat them as ordinary names', async () => {
    const g = await makeNode('proto-local', { global: true, connectInterval: 0.5 });
    try {
      await fc.assert(
        fc.asyncProperty(names, async (name) => {
          // nothing registered under the name: the registry does not find Object.prototype members
          if (isProto(name)) expect(g.registered(name)).toBeUndefined();
          // spawn of an unregistered name dies, reporting it
          const unreg = g.spawn(g.id, name);
          const why = await rejection(firstValueFrom(g.mon(unreg)));
          expect(why).toBeInstanceOf(PortKilled);
          // registered, it runs
          const ran: unknown[] = [];
          g.register(name, (_self, arg) => void ran.push(arg));
          const p = g.spawn(g.id, name, 42);
          await until('the init function ran', () => ran.length === 1);
          g.kil(p);
          g.register(name, undefined);
          expect(g.registered(name)).toBeUndefined();
          // a tag handler of that name gets its messages; other prototype names go to the catch-all
          const got: unknown[] = [];
          const rest: unknown[] = [];
          const port = g.port((m) => void rest.push(m[0])).rcv(name, (args) => void got.push(args[0]));
          g.snd(port.id, name, 1);
          for (const other of PROTO_NAMES) if (other !== name) g.snd(port.id, other, 2);
          g.snd(port.id, name, 3);
          await until('both tagged messages', () => got.length === 2 && rest.length >= PROTO_NAMES.length - 1);
          expect(got).toEqual([1, 3]);
          expect(rest).toEqual(PROTO_NAMES.filter((o) => o !== name));
          port.kill();
          // sends, kills, monitors and node-port requests naming it locally
          tolerant(() => g.snd(`${name}#x`, 1));
          tolerant(() => g.snd(`${g.id}#${name}`, 1));
          tolerant(() => g.kil(`${g.id}#${name}`));
          tolerant(() => g.snd(`${g.id}#`, name, 1));
          tolerant(() => g.snd(`${g.id}#`, 'kil1', name));
          tolerant(() => g.snd(`${g.id}#`, 'snd', `${name}#x`, 1));
          if (isProto(name)) {
            // a node of that name has no address from Object.prototype: its ports are unreachable, not a crash
            const r = await rejection(firstValueFrom(g.mon(`${name}#x`)));
            expect(r).toBeInstanceOf(PortKilled);
            expect((r as PortKilled).reason[0]).toBe('transport_error');
          }
          // the database: a key of that name (in a family of that name, when it is a valid family name) is an own entry
          const family = /^[A-Za-z][A-Za-z0-9_:]*$/.test(name) ? name : 'protoFamily';
          const deltas: unknown[] = [];
          const watch = g.db.mon(family).subscribe((d) => deltas.push(d));
          const guard = g.db.set(family, name, 7);
          const fam = await firstValueFrom(g.db.family(family));
          expect(Object.hasOwn(fam, name)).toBe(true);
          expect(fam[name]).toBe(7);
          // the records the database hands out have no prototype: a lookup finds only what was set
          expect(Object.getPrototypeOf(fam)).toBeNull();
          expect(await firstValueFrom(g.db.keys(family))).toEqual([name]);
          guard.unsubscribe();
          const empty = await firstValueFrom(g.db.family(family));
          expect(Object.keys(empty)).toEqual([]);
          for (const n of PROTO_NAMES) expect(empty[n]).toBeUndefined();
          await until('the monitor saw the add and the delete', () => deltas.length >= 3);
          watch.unsubscribe();
          const [first, added, deleted] = deltas as { added: object; deleted: object }[];
          expect(Object.keys(first!.added)).toEqual([]);
          for (const d of [first!, added!, deleted!]) for (const r of Object.values(d)) if (typeof r === 'object') expect(Object.getPrototypeOf(r)).toBeNull();
          expect(Object.hasOwn(added!.added, name)).toBe(true);
          expect(Object.hasOwn(deleted!.deleted, name)).toBe(true);
        }),
        { numRuns: 40 },
      );
    } finally {
      await g.close();
    }
  });
});

describe('prototype names in frames from a peer (property)', () => {
  it('every node-port request, port name, family and key of such a name is answered or dropped, never a crash', async () => {
    const p = await peer('proto-peer', 'json');
    let q = 0;
    /** Sends `frames`, then waits (bounded) until a `time` request sent after them is answered. */
    const sendAll = async (frames: unknown[][]) => {
      for (const f of frames) p.c.next(f);
      const tag = `sync${++q}`;
      p.c.next(['', 'time', `proto-peer#${tag}`]);
      await until(`answer ${tag}`, () => p.frames.some((f) => f[0] === tag));
    };
    node.db.becomeGlobal();
    await fc.assert(
      fc.asyncProperty(names, async (name) => {
        const id = `q${++q}`;
        await sendAll([
          ['', 'snd', `${name}#x`, 1],
          ['', 'snd', `${node.id}#${name}`, 1],
          ['', 'snd', name, 1],
          ['', name, 1],
          [name, 1],
          ['', 'kil1', name],
          ['', 'kil0', name, 'x'],
          ['', 'mon1', name],
          ['', 'mon0', name],
          ['', 'can', name, `proto-peer#can-${id}`],
          ['', 'AnyEvent::MP::_spawn', name, name],
          ['', 'AnyEvent::MP::_spawn', `${id}a`, name, 1],
          ['', 'g_slave', { [name]: { [name]: 7 } }],
          ['', 'g_upd', name, { [name]: 8, constructor: 9 }, [name]],
          ['', 'g_set', { "'g": { [name]: null }, "'l": { [name]: ['127.0.0.1:1'] } }],
          ['', 'g_find', name],
          ['', 'g_mon1', name],
          ['', 'g_mon0', name],
          ['', 'g_db_family', name, `fam-${id}`],
          ['', 'g_db_keys', name, `keys-${id}`],
          ['', 'AnyEvent::MP::LogCatcher::connect', 0, `proto-peer#${name}`, name],
        ]);
        const can = p.frames.find((f) => f[0] === `can-${id}`);
        expect(can).toBeDefined();
        if (isProto(name)) expect(can![1]).toBe('');
        const fam = p.frames.find((f) => f[1] === 'g_reply' && f[2] === `fam-${id}`);
        expect(fam).toBeDefined();
        const rec = fam![3] as Record<string, unknown>;
        // what the peer set is there as an own entry; nothing inherited is reported as present
        for (const k of Object.keys(rec)) expect(Object.hasOwn(rec, k)).toBe(true);
        expect(rec[name] === 8 || rec[name] === 7 || !Object.hasOwn(rec, name)).toBe(true);
        p.frames.length = 0;
      }),
      { numRuns: 40 },
    );
  });
});

describe('prototype names as map keys on the wire (property)', () => {
  /** Objects whose keys are prototype names, random strings and lone surrogates (the JSON encoder's repair path), built with own properties only. */
  const keyName = fc.oneof(
    fc.constantFrom(...PROTO_NAMES),
    fc.string({ maxLength: 6 }),
    fc.constantFrom('\uD800', 'a\uDC00'),
  );
  const record = fc
    .array(fc.tuple(keyName, fc.oneof(fc.integer(), fc.string({ maxLength: 4 }))), { maxLength: 6 })
    .map((entries) => {
      const o: Record<string, unknown> = {};
      for (const [k, v] of entries) Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
      return o;
    });
  const wellFormed = (s: string): string => (s as unknown as { toWellFormed(): string }).toWellFormed();

  for (const framing of [jsonFraming, cborFraming]) {
    it(`${framing.name}: every key comes back as an own property with its value, none becomes the prototype`, () => {
      fc.assert(
        fc.property(record, (o) => {
          const decoder = framing.createDecoder();
          const frames: unknown[][] = [];
          decoder.push(framing.encode(['', 'tag', o]), (f) => frames.push([...f]));
          const back = frames[0]![2] as Record<string, unknown>;
          expect(Object.getPrototypeOf(back) === Object.prototype || Object.getPrototypeOf(back) === null).toBe(true);
          const expected = new Map(Object.keys(o).map((k) => [wellFormed(k), o[k]]));
          expect(new Map(Object.keys(back).map((k) => [k, back[k]]))).toEqual(expected);
        }),
        { numRuns: 300 },
      );
    });
  }
});
