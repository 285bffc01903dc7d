/**
 * Integers beyond 2^53 (issue #10, defect 7): decoded as exact `BigInt`s in
 * both framings, encoded back exactly (CBOR: 64-bit integer heads, bignum
 * tags 2/3 beyond; JSON: plain digits), so that a node relaying a Perl
 * node's 64-bit integers passes every digit through.
 */
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import type { AempNode } from '../../src/index.js';
import { cborFraming, jsonFraming, type Framing } from '../../src/streams/framing/index.js';
import { mayHoldBigInts } from '../../src/streams/framing/json-exact.js';
import { jsonText } from '../../src/kernel/message.js';
import { makeKernel, tick } from '../helpers/kernel.js';
import { until, type RawPeer } from '../helpers/net.js';
import { perlPeer } from '../helpers/perl-peer.js';
import { makeNode } from '../helpers/nodes.js';

function roundTrip(framing: Framing, frame: unknown[]): unknown[] {
  const out: unknown[][] = [];
  framing.createDecoder().push(framing.encode(frame), (f) => out.push(f));
  expect(out).toHaveLength(1);
  return out[0]!;
}

/** An integer as it decodes: a number within ±(2^53−1), a bigint beyond. */
const decoded = (n: bigint): number | bigint => (n >= -(2n ** 53n) + 1n && n <= 2n ** 53n - 1n ? Number(n) : n);

/** Integers of every size: around 2^53, 2^63, 2^64, and far beyond. */
const anyInteger = fc.oneof(
  fc.bigInt({ min: -(2n ** 54n), max: 2n ** 54n }),
  fc.bigInt({ min: -(2n ** 65n), max: 2n ** 65n }),
  fc.bigInt({ min: -(2n ** 300n), max: 2n ** 300n }),
  fc.constantFrom(2n ** 53n - 1n, 2n ** 53n, -(2n ** 53n) + 1n, -(2n ** 53n), 2n ** 63n - 1n, -(2n ** 63n), 2n ** 64n - 1n, 2n ** 64n, -(2n ** 64n), -(2n ** 64n) - 1n),
);

describe('integers beyond 2^53', () => {
  it('a bigint of any size round-trips exactly in both framings (a number within the safe range)', () => {
    fc.assert(
      fc.property(fc.array(anyInteger, { maxLength: 6 }), (ints) => {
        const frame = ['p', ...ints, { k: ints }];
        const expected = ['p', ...ints.map(decoded), { k: ints.map(decoded) }];
        expect(roundTrip(jsonFraming, frame)).toEqual(expected);
        expect(roundTrip(cborFraming, frame)).toEqual(expected);
      }),
      { numRuns: 300 },
    );
  });

  it('relaying JSON → CBOR → JSON keeps the digits of every integer, and CBOR → JSON → CBOR the bytes', () => {
    fc.assert(
      fc.property(fc.array(anyInteger, { minLength: 1, maxLength: 6 }), (ints) => {
        const text = `["p",${ints.join(',')},{"k":[${ints.join(',')}]}]`;
        const fromJson: unknown[][] = [];
        jsonFraming.createDecoder().push(Buffer.from(text), (f) => fromJson.push(f));
        const viaCbor = roundTrip(cborFraming, fromJson[0]!);
        expect(Buffer.from(jsonFraming.encode(viaCbor)).toString()).toBe(text);
        const cbor = Buffer.from(cborFraming.encode(fromJson[0]!));
        const viaJson = roundTrip(jsonFraming, roundTrip(cborFraming, fromJson[0]!));
        expect(Buffer.from(cborFraming.encode(viaJson)).equals(cbor)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('JSON: the quick test for a 16-digit run agrees with /\\d{16}/', () => {
    const text = fc.string({ unit: fc.constantFrom('0', '1', '5', '9', 'x', ',', '.', '-', '"'), maxLength: 80 });
    fc.assert(
      fc.property(text, (t) => {
        expect(mayHoldBigInts(t)).toBe(/\d{16}/.test(t));
      }),
      { numRuns: 3000 },
    );
  });

  it('JSON: only integers leave the number type; floats, exponents and digit runs in strings do not', () => {
    const text = '["p",9007199254740993,9007199254740993.5,1e300,12345678901234567e3,-0,"12345678901234567890",{"12345678901234567890":1}]';
    const out: unknown[][] = [];
    jsonFraming.createDecoder().push(Buffer.from(text), (f) => out.push(f));
    expect(out[0]).toEqual(['p', 9007199254740993n, Number('9007199254740993.5'), 1e300, Number('12345678901234567e3'), -0, '12345678901234567890', { '12345678901234567890': 1 }]);
    expect(Object.is(out[0]![5], -0)).toBe(true);
  });

  it('JSON: an integer of more than 4300 digits stays a number (turning digits into a BigInt costs quadratic time)', () => {
    const long = '9'.repeat(4300);
    const out: unknown[][] = [];
    jsonFraming.createDecoder().push(Buffer.from(`["p",${long},-${long},${long}9]`), (f) => out.push(f));
    expect(out[0]).toEqual(['p', BigInt(long), -BigInt(long), Infinity]);
  });

  it('CBOR: a bignum of more than 1786 bytes (~4300 digits) is ±Infinity; leading zero bytes do not count', () => {
    const bignum = (tag: number, bytes: Buffer) => Buffer.concat([Buffer.from([tag, 0x59, bytes.length >> 8, bytes.length & 0xff]), bytes]);
    const limit = Buffer.alloc(1786, 0xff);
    const over = Buffer.concat([Buffer.from([1]), limit]);
    const padded = Buffer.concat([Buffer.alloc(5000), Buffer.from([1, 0])]);
    const out: unknown[][] = [];
    cborFraming
      .createDecoder()
      .push(Buffer.concat([Buffer.from([0x84]), bignum(0xc2, limit), bignum(0xc2, over), bignum(0xc3, over), bignum(0xc2, padded)]), (f) => out.push(f));
    expect(out[0]).toEqual([BigInt('0x' + limit.toString('hex')), Infinity, -Infinity, 256]);
  });

  it('CBOR: what Perl writes for 2^63−1, -2^63, 2^64−1 and a Math::BigInt is read exactly', () => {
    const bytes = Buffer.from('85 1b7fffffffffffffff 3b7fffffffffffffff 1bffffffffffffffff c24d018ee90ff6c373e0ee4e3f0ad2 c3 4d 018ee90ff6c373e0ee4e3f0ad1'.replace(/ /g, ''), 'hex');
    const out: unknown[][] = [];
    cborFraming.createDecoder().push(bytes, (f) => out.push(f));
    expect(out[0]).toEqual([2n ** 63n - 1n, -(2n ** 63n), 2n ** 64n - 1n, 123456789012345678901234567890n, -123456789012345678901234567890n]);
  });
});

describe('bigints where values are shown', () => {
  it('an unhandled bigint tag, a bigint kill reason and its log line show the digits (JSON.stringify would throw)', async () => {
    const { k, logs } = makeKernel('bigshow');
    const p = k.port();
    k.snd(p.id, 2n ** 64n, 'x');
    await tick();
    expect(p.alive).toBe(false);
    const q = k.port(() => {});
    k.kil(q.id, 'die', { n: -(2n ** 70n) });
    await until('both deaths logged', () => logs.filter((l) => l.message.includes('died with reason')).length === 2);
    const lines = logs.map((l) => l.message).filter((m) => m.includes('died with reason'));
    expect(lines[0]).toContain(`"no callback found for message '18446744073709551616'"`);
    expect(lines[1]).toContain(`["die",{"n":-1180591620717411303424}]`);
    expect(jsonText([1n, { a: [2n ** 64n] }, 'x"\u0001'], 1)).toBe(`[\n 1,\n {\n  "a": [\n   18446744073709551616\n  ]\n },\n "x\\"\\u0001"\n]`);
  });
});

// ---- a relay between two Perl-like peers ---------------------------------------

const peers: RawPeer[] = [];
const open: AempNode[] = [];
afterEach(async () => {
  for (const p of peers.splice(0)) p.socket.destroy();
  await Promise.all(open.splice(0).map((n) => n.close()));
});

const hex = (n: bigint): string => {
  const h = n.toString(16);
  return h.length & 1 ? '0' + h : h;
};

describe('a node relaying between Perl nodes', () => {
  const big = 123456789012345678901234567890n;
  const wire = {
    // what JSON::XS writes (Math::BigInt as its digits with allow_bignum)
    json: `9223372036854775807,-9223372036854775808,18446744073709551615,${big},9007199254740993`,
    // what CBOR::XS writes: 64-bit integer heads, a Math::BigInt as tag 2 on its bytes
    cbor: `1b7fffffffffffffff 3b7fffffffffffffff 1bffffffffffffffff c24d${hex(big)} 1b0020000000000001`.replace(/ /g, ''),
  };

  for (const framing of ['json', 'cbor'] as const) {
    it(`[${framing}] passes 2^63−1, -2^63, 2^64−1, a Math::BigInt and 2^53+1 through unchanged`, async () => {
      const node = await makeNode(`relay-${framing}`, { framingFormat: [framing] });
      open.push(node);
      const relay = node.port((m) => node.snd(m[0] as string, ...m.slice(1)));
      const relayName = relay.id.slice(relay.id.indexOf('#') + 1);
      const from = await perlPeer(node, `perl-a-${framing}/x`, framing, peers);
      const to = await perlPeer(node, `perl-b-${framing}/y`, framing, peers);
      // perl-a: snd $relay, "perl-b/y#sink", "v", <the integers>
      if (framing === 'json') from.write(`["${relayName}","perl-b-json/y#sink","v",${wire.json}]`);
      else {
        const head = Buffer.from([0x88]);
        const text = (s: string) => Buffer.concat([Buffer.from([0x40 | s.length]), Buffer.from(s)]); // byte strings, as Perl sends them
        from.write(Buffer.concat([head, text(relayName), text('perl-b-cbor/y#sink'), text('v'), Buffer.from(wire.cbor, 'hex')]));
      }
      const expected =
        framing === 'json' ? Buffer.from(`["sink","v",${wire.json}]`) : Buffer.from(`876473696e6b6176${wire.cbor}`, 'hex');
      let got = Buffer.alloc(0);
      await until('the relayed frame at perl-b', () => {
        got = Buffer.concat([got, to.takeBuffered()]);
        return got.includes(expected);
      }).catch(() => {});
      expect(framing === 'json' ? got.toString() : got.toString('hex')).toContain(framing === 'json' ? expected.toString() : expected.toString('hex'));
    });
  }
});

