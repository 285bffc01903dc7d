/**
 * The plain-data rule of messages (issue #10, defect 2): only plain data
 * travels, a Port becomes its id, everything else is a TypeError naming the
 * path — locally as remotely — and nothing of the node (its secret, its TLS
 * private key) ever reaches the wire.
 */
import net from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { AempNode } from '../../src/index.js';
import { certDir, selfSignedPem, type CertDir } from '../helpers/certs.js';
import { makeKernel, tick } from '../helpers/kernel.js';
import { makeNode, nodeEvent } from '../helpers/nodes.js';
import { until } from '../helpers/net.js';

class Thing {
  x = 1;
}

/** Values that must not travel, with the path a TypeError names when the value is `msg[1]` of `snd(id, 'tag', value)`. */
function badValues(node: object): Array<[label: string, value: unknown, path: RegExp]> {
  const cycle: Record<string, unknown> = { a: [1] };
  (cycle.a as unknown[]).push(cycle);
  let deep: unknown = 'leaf';
  for (let i = 0; i < 600; i++) deep = [deep];
  return [
    ['the node', node, /msg\[1\] must be plain data, but it is a \w+/],
    ['the node inside an object', { node }, /msg\[1\]\.node must be plain data/],
    ['the node two levels down', [0, { 'odd key': [node] }], /msg\[1\]\[1\]\["odd key"\]\[0\] must be plain data/],
    ['a function', () => 1, /msg\[1\] must be plain data, but it is a function/],
    ['a symbol', Symbol('s'), /msg\[1\] must be plain data, but it is a symbol/],
    ['a Map', new Map([[1, 2]]), /msg\[1\] must be plain data, but it is a Map/],
    ['a Set', { s: new Set([1]) }, /msg\[1\]\.s must be plain data, but it is a Set/],
    ['a Date', [new Date(0)], /msg\[1\]\[0\] must be plain data, but it is a Date/],
    ['a class instance', new Thing(), /msg\[1\] must be plain data, but it is a Thing/],
    ['an Int16Array', new Int16Array(2), /but it is a Int16Array/],
    ['an ArrayBuffer', new ArrayBuffer(2), /but it is a ArrayBuffer/],
    ['a toJSON function', { toJSON: () => 'x' }, /msg\[1\]\.toJSON must be plain data, but it is a function/],
    ['a cycle', cycle, /msg\[1\]\.a\[1\] must be plain data, but it is msg\[1\] again \(a cycle\)/],
    ['601 levels of nesting', deep, /must be plain data, but it is nested deeper than 500 levels/],
  ];
}

describe('plain data, locally', () => {
  it('snd throws a TypeError naming the path of a value that is not plain data, and delivers nothing', async () => {
    const { k } = makeKernel('pd1');
    const got: unknown[] = [];
    const p = k.port((m) => got.push(m));
    for (const [label, value, path] of badValues(k)) {
      expect(() => k.snd(p.id, 'tag', value), label).toThrow(TypeError);
      expect(() => k.snd(p.id, 'tag', value), label).toThrow(path);
      // the same for a remote port id: the rule does not depend on where the port is
      expect(() => k.snd('elsewhere#x', 'tag', value), label).toThrow(path);
    }
    await tick();
    expect(got).toEqual([]);
  });

  it('a Port becomes its id; undefined, bigints, NaN, byte arrays and null-prototype objects are plain data', async () => {
    const { k } = makeKernel('pd2');
    const got: unknown[][] = [];
    const p = k.port((m) => got.push([...m]));
    const other = k.port(() => {});
    const bare = Object.assign(Object.create(null) as Record<string, unknown>, { port: other });
    const bytes = new Uint8Array([1, 2, 255]);
    const msg = ['tag', other, [other, { deep: [other] }], bare, undefined, 2n ** 70n, NaN, bytes, Buffer.from('ab')];
    k.snd(p.id, ...msg);
    await tick();
    expect(got).toHaveLength(1);
    const [m] = got as [unknown[]];
    expect(m.slice(0, 3)).toEqual(['tag', other.id, [other.id, { deep: [other.id] }]]);
    expect(Object.getPrototypeOf(m[3])).toBe(null);
    expect({ ...(m[3] as object) }).toEqual({ port: other.id });
    expect(m[4]).toBe(undefined);
    expect(m[5]).toBe(2n ** 70n);
    expect(m[6]).toBeNaN();
    expect(Buffer.isBuffer(m[7])).toBe(true); // a Buffer over the same memory
    expect([...(m[7] as Uint8Array)]).toEqual([1, 2, 255]);
    expect(m[8]).toBe(msg[8]);
    // the caller's arrays are not changed
    expect(msg[1]).toBe(other);
    expect((msg[2] as unknown[])[0]).toBe(other);
  });

  it('a message of plain data is delivered as the same array (no copy)', async () => {
    const { k } = makeKernel('pd3');
    const got: unknown[] = [];
    const p = k.port((m) => got.push(m));
    const msg = ['tag', 1, 'two', [3], { four: 4 }, null, true, 5n];
    k.sndMessage(p.id, msg);
    await tick();
    expect(got[0]).toBe(msg);
  });

  it('kil reasons, cal and after messages, mon messages and spawn arguments follow the same rule', () => {
    const { k } = makeKernel('pd4');
    const p = k.port(() => {});
    const q = k.port(() => {});
    k.register('F::init', () => {});
    const map = new Map();
    expect(() => k.kil(p.id, 'die', { why: map })).toThrow(/^kil: reason\[1\]\.why must be plain data, but it is a Map/);
    expect(p.alive).toBe(true);
    expect(() => k.cal(p.id, 'x', map, { timeout: 1 })).toThrow(/^cal: msg\[1\] must be plain data, but it is a Map/);
    expect(() => k.call(p.id, ['x', [map]])).toThrow(/^cal: msg\[1\]\[0\] must be plain data/);
    expect(() => k.after(1, p.id, 'x', map)).toThrow(/^after: msg\[1\] must be plain data/);
    expect(() => k.mon(q.id, p.id, 'x', map)).toThrow(/^mon: msg\[1\] must be plain data/);
    expect(() => k.spawn(k.id, 'F::init', 1, map)).toThrow(/^spawn: args\[1\] must be plain data, but it is a Map/);
    expect(() => k.spawn('elsewhere', 'F::init', () => 1)).toThrow(/^spawn: args\[0\] must be plain data, but it is a function/);
  });

  it('a kil reason holding a Port gives its id to the monitors', async () => {
    const { k } = makeKernel('pd5');
    const p = k.port(() => {});
    const q = k.port(() => {});
    const reasons: unknown[] = [];
    k.mon(p.id, (r) => reasons.push(r));
    k.kil(p.id, 'die', q);
    await until('the monitor ran', () => reasons.length === 1);
    expect(reasons).toEqual([['die', q.id]]);
  });
});

// ---- on the wire -------------------------------------------------------------

/** A TCP proxy on 127.0.0.1 that records every byte it forwards, both ways. */
async function tapProxy(target: string): Promise<{ address: string; bytes(): Buffer; close(): Promise<void> }> {
  const i = target.lastIndexOf(':');
  const chunks: Buffer[] = [];
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(Number(target.slice(i + 1)), target.slice(0, i));
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('data', (d: Buffer) => chunks.push(d));
      s.on('error', () => {});
      s.on('close', () => {
        client.destroy();
        upstream.destroy();
      });
    }
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    address: `127.0.0.1:${(server.address() as net.AddressInfo).port}`,
    bytes: () => Buffer.concat(chunks),
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

describe('plain data on the wire', () => {
  let certs: CertDir;
  let pem: string;
  beforeAll(() => {
    certs = certDir();
    pem = selfSignedPem(certs);
  });
  afterAll(() => certs.cleanup());
  const open: Array<{ close(): Promise<void> }> = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((n) => n.close()));
  });

  for (const framing of ['json', 'cbor'] as const) {
    it(`[${framing}] neither the secret nor the TLS key leaves the node, whatever is sent; a Port arrives as its id`, async () => {
      const secret = `wire-secret-${framing}-0123456789`;
      // `a` holds a secret and a certificate with its private key; `b` has no certificate, so the link is not TLS and the proxy reads it
      const a = await makeNode(`pda-${framing}`, { secret, cert: pem, framingFormat: [framing] });
      open.push(a);
      const proxy = await tapProxy(a.addresses[0]!);
      open.push(proxy);
      const b: AempNode = await makeNode(`pdb-${framing}`, { secret, framingFormat: [framing], addresses: { [a.id]: [proxy.address] } });
      open.push(b);
      const received: unknown[][] = [];
      const sink = b.port((m) => received.push([...m]));
      const up = nodeEvent(a, b.id, true);
      b.snd(`${a.id}#`, 'relay', 'hello'); // makes b connect through the proxy
      await up;

      const mine = a.port(() => {});
      const kernelLike: object = (mine as unknown as { host: object }).host;
      const refused: string[] = [];
      const attempt = (label: string, send: () => unknown, path: RegExp) => {
        try {
          send();
          refused.push(`${label}: sent`);
        } catch (e) {
          refused.push(e instanceof TypeError && path.test(e.message) ? 'TypeError' : `${label}: ${String(e)}`);
        }
      };
      const values = [...badValues(a), ...badValues(kernelLike)];
      for (const [label, value, path] of values) {
        attempt(`snd ${label}`, () => a.snd(sink.id, 'tag', value), path);
        attempt(`kil ${label}`, () => a.kil(`${b.id}#nosuch`, 'die', value), /^kil: reason\[1\]/);
        attempt(`spawn ${label}`, () => a.spawn(b.id, 'No::such', value), /^spawn: args\[0\]/);
        attempt(`db.set ${label}`, () => a.db.set('fam', 'k', value), /^db\.set: value/);
        attempt(`db.reg ${label}`, () => a.db.reg('fam', mine.id, value), /^db\.reg: value/);
        attempt(`cal ${label}`, () => a.cal(sink.id, value, { timeout: 1 }).subscribe({ error: () => {} }), /^cal: msg\[0\]/);
      }
      a.snd(sink.id, 'port', mine, { p: [mine] }, undefined, [undefined], { u: undefined, k: 1 });
      a.snd(sink.id, 'bytes', new Uint8Array([0x41, 0xe9, 0xff]), Buffer.from('xyz'));
      a.snd(sink.id, 'last');
      await until('the last message arrived', () => received.some((m) => m[0] === 'last'), 10_000);

      const wire = proxy.bytes();
      expect(wire.length).toBeGreaterThan(0);
      expect(wire.includes(Buffer.from(mine.id))).toBe(true); // the proxy did see the messages in clear
      expect(wire.includes(Buffer.from(secret)), 'the secret is on the wire').toBe(false);
      expect(wire.includes(Buffer.from('PRIVATE KEY')), 'the TLS private key is on the wire').toBe(false);
      const keyBody = pem.split('\n').filter((l) => l && !l.startsWith('-----'));
      for (const line of keyBody.slice(-5)) expect(wire.includes(Buffer.from(line)), 'a line of the PEM is on the wire').toBe(false);
      expect(received[0]).toEqual(['port', mine.id, { p: [mine.id] }, null, [null], { k: 1 }]);
      expect(received[1]).toEqual(['bytes', 'A\u00e9\u00ff', 'xyz']);
      expect(refused).toEqual(values.flatMap(() => Array<string>(6).fill('TypeError')));
    }, 20_000);
  }
});
