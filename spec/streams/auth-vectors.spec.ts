/**
 * Conformance of the pure handshake parts with the captured Perl vectors
 * (spec/vectors/aemp): auth values, greeting form, TLS role.
 */
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  Handshake,
  authData,
  formatAuthLine,
  parseAuthLine,
  parseGreeting,
  tlsRole,
  type GreetingLines,
} from '../../src/streams/handshake/index.js';
import { VECTORS_DIR } from '../helpers/vectors.js';

const VECTORS = pathToFileURL(VECTORS_DIR.endsWith('/') ? VECTORS_DIR : `${VECTORS_DIR}/`);
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- vector JSON, checked by the expectations
const load = (name: string): Record<string, any> => JSON.parse(readFileSync(new URL(name, VECTORS), 'utf8'));

const lines = (side: { greeting1: string; greeting2: string }): GreetingLines => ({
  line1: Buffer.from(side.greeting1),
  line2: Buffer.from(side.greeting2),
});

describe.each(['json', 'cbor'])('%s.json vector', (name) => {
  const v = load(`${name}.json`);
  const c = lines(v.connector);
  const a = lines(v.acceptor);
  const secret = Buffer.from(v.secret as string);

  it('uses the test secret s3cret', () => {
    expect(v.secret).toBe('s3cret');
    expect(secret.toString('hex')).toBe(v.secret_hex);
  });

  it('recomputes both hmac_sha3_512 auth lines from the greetings', () => {
    const cData = authData('hmac_sha3_512', c, a, { secret, tls: false });
    const aData = authData('hmac_sha3_512', a, c, { secret, tls: false });
    expect(cData).toBe(v.auth.connector_expected);
    expect(aData).toBe(v.auth.acceptor_expected);
    expect(formatAuthLine({ method: 'hmac_sha3_512', data: cData!, framing: name })).toBe(
      v.connector.auth_line,
    );
    expect(formatAuthLine({ method: 'hmac_sha3_512', data: aData!, framing: name })).toBe(
      v.acceptor.auth_line,
    );
  });

  it('parses both auth lines back', () => {
    expect(parseAuthLine(v.connector.auth_line)).toEqual({
      method: 'hmac_sha3_512',
      data: v.auth.connector_sent,
      framing: name,
    });
    expect(parseAuthLine(v.acceptor.auth_line).data).toBe(v.auth.acceptor_sent);
  });

  it('a wrong secret does not match', () => {
    expect(authData('hmac_sha3_512', c, a, { secret: Buffer.from('s3cres'), tls: false })).not.toBe(
      v.auth.connector_expected,
    );
  });

  it('cleartext data is the hex of the secret', () => {
    expect(authData('cleartext', c, a, { secret, tls: false })).toBe('733363726574');
  });

  it.each(['connector', 'acceptor'])('parses the %s greeting like the recorded parse', (side) => {
    const rec = v[side].parsed_greeting1;
    const g = parseGreeting(v[side].greeting1);
    expect(g.protocol).toBe(rec.protocol);
    expect(g.version).toBe(rec.version);
    expect(g.nodeId).toBe(rec.node);
    expect(g.authAccept).toEqual(rec.auth_accept);
    expect(g.framings).toEqual(rec.framings);
    expect({ ...g.kv }).toEqual(rec.kv);
    expect(g.kvOrder).toEqual(rec.kv_order);
  });

  it('the raw capture starts with the recorded greeting and auth lines', () => {
    const c2s = readFileSync(new URL(`raw/${name}.conn0.c2s.bin`, VECTORS));
    const head = `${v.connector.greeting1}\n${v.connector.greeting2}\n${v.connector.auth_line}\n`;
    expect(c2s.subarray(0, head.length).toString('latin1')).toBe(head);
    expect(head.length).toBe(v.connector.data_offset);
  });
});

describe('tls.json vector', () => {
  const v = load('tls.json');
  const c = lines(v.connector);
  const a = lines(v.acceptor);

  it('recomputes both tls_sha3_512 values (own lines first)', () => {
    expect(authData('tls_sha3_512', c, a, { tls: true })).toBe(v.auth.connector_sends);
    expect(authData('tls_sha3_512', a, c, { tls: true })).toBe(v.auth.acceptor_sends);
  });

  it('tls_sha3_512 and tls_anon cannot be computed outside TLS', () => {
    expect(authData('tls_sha3_512', c, a, { tls: false })).toBeUndefined();
    expect(authData('tls_anon', c, a, { tls: false })).toBeUndefined();
    expect(authData('tls_anon', c, a, { tls: true })).toBe('');
  });

  it('picks the recorded TLS roles', () => {
    expect(tlsRole(c.line2, a.line2)).toBe('server');
    expect(tlsRole(a.line2, c.line2)).toBe('client');
    expect(v.tls_role.connector).toBe('TLS server');
    expect(v.tls_role.acceptor).toBe('TLS client');
  });

  it('both greetings announce tls=1.0', () => {
    expect(parseGreeting(v.connector.greeting1).kv.tls).toBe('1.0');
    expect(parseGreeting(v.acceptor.greeting1).kv.tls).toBe('1.0');
  });

  it('our state machine, fed the connector greeting as acceptor with a cert, starts TLS in the recorded role', () => {
    const hs = new Handshake({
      nodeId: 'seed-tls',
      tls: true,
      authOffer: ['tls_sha3_512', 'hmac_sha3_512'],
      authAccept: ['tls_sha3_512', 'hmac_sha3_512', 'tls_anon', 'cleartext'],
      framings: ['cbor'],
      receivableFramings: ['cbor', 'json'],
      peerAddr: '127.0.0.1:43836',
      nonce: v.acceptor.greeting2,
    });
    hs.start();
    const acts = hs.push(Buffer.from(`${v.connector.greeting1}\n${v.connector.greeting2}\n`));
    expect(acts[0]).toMatchObject({ type: 'starttls', role: 'client' });
    // The auth line we would send inside TLS is exactly the recorded one's form.
    expect(acts[1]!.type).toBe('write');
    const sent = Buffer.from((acts[1] as { data: Uint8Array }).data).toString();
    const ownLines: GreetingLines = { line1: Buffer.from(hs.line1), line2: Buffer.from(hs.line2) };
    expect(sent).toBe(`tls_sha3_512;${authData('tls_sha3_512', ownLines, c, { tls: true })};cbor\n`);
  });
});

describe('our own lines have the recorded form', () => {
  const v = load('json.json');
  const hs = new Handshake({
    nodeId: 'client-json',
    secret: 's3cret',
    tls: false,
    authOffer: ['tls_sha3_512', 'hmac_sha3_512'],
    authAccept: ['tls_sha3_512', 'hmac_sha3_512', 'tls_anon', 'cleartext'],
    framings: ['json'],
    receivableFramings: ['cbor', 'json'],
    peerAddr: '127.0.0.1:14100',
  });

  it('greeting line 1 parses back with the same fields as Perl sends', () => {
    const ours = parseGreeting(hs.line1);
    const perl = parseGreeting(v.connector.greeting1);
    expect(ours.fields.slice(0, 5)).toEqual(perl.fields.slice(0, 5));
    expect({ ...ours.kv }).toEqual({ ...perl.kv });
    expect([...ours.kvOrder].sort()).toEqual([...perl.kvOrder].sort());
    expect(hs.line1.length).toBe(v.connector.greeting1.length);
  });

  it('the nonce line is 88 characters of base64 of 66 octets', () => {
    expect(hs.line2).toMatch(/^[A-Za-z0-9+/]{88}$/);
    expect(Buffer.from(hs.line2, 'base64')).toHaveLength(66);
    expect(hs.line2.length).toBe(v.connector.greeting2.length);
  });

  it('with a cert the greeting ends in tls=1.0 like the TLS capture', () => {
    const t = new Handshake({
      nodeId: 'client-tls',
      tls: true,
      authOffer: [],
      authAccept: ['tls_sha3_512', 'hmac_sha3_512', 'tls_anon', 'cleartext'],
      framings: ['cbor'],
      receivableFramings: ['cbor'],
      peerAddr: '127.0.0.1:14102',
    });
    const ours = parseGreeting(t.line1);
    expect(ours.kv.tls).toBe('1.0');
    expect(t.line1.length).toBe(load('tls.json').connector.greeting1.length);
  });

  it('our auth line against the recorded acceptor greeting has the recorded length and form', () => {
    const h = new Handshake({
      nodeId: 'client-json',
      secret: 's3cret',
      tls: false,
      authOffer: ['tls_sha3_512', 'hmac_sha3_512'],
      authAccept: ['tls_sha3_512', 'hmac_sha3_512', 'tls_anon', 'cleartext'],
      framings: ['json'],
      receivableFramings: ['cbor', 'json'],
      peerAddr: '127.0.0.1:14100',
      nonce: v.connector.greeting2,
    });
    h.start();
    const acts = h.push(Buffer.from(`${v.acceptor.greeting1}\n${v.acceptor.greeting2}\n`));
    expect(acts).toHaveLength(1);
    const line = Buffer.from((acts[0] as { data: Uint8Array }).data).toString();
    expect(line).toMatch(/^hmac_sha3_512;[0-9a-f]{128};json\n$/);
    expect(line.length).toBe(v.connector.auth_line.length + 1);
  });
});

describe.each(['json', 'cbor'])('replaying raw/%s.conn0 through the state machine', (name) => {
  const v = load(`${name}.json`);
  const s2c = readFileSync(new URL(`raw/${name}.conn0.s2c.bin`, VECTORS));
  const c2s = readFileSync(new URL(`raw/${name}.conn0.c2s.bin`, VECTORS));
  const common = {
    secret: 's3cret',
    tls: false,
    authOffer: ['tls_sha3_512', 'hmac_sha3_512'],
    authAccept: ['tls_sha3_512', 'hmac_sha3_512', 'tls_anon', 'cleartext'],
    framings: [name],
    receivableFramings: ['cbor', 'json'],
  };
  const asConnector = () =>
    new Handshake({
      ...common,
      nodeId: v.connector.parsed_greeting1.node,
      peerAddr: v.connector.parsed_greeting1.kv.peeraddr,
      greetingLine1: v.connector.greeting1,
      nonce: v.connector.greeting2,
    });
  const asAcceptor = () =>
    new Handshake({
      ...common,
      nodeId: v.acceptor.parsed_greeting1.node,
      peerAddr: v.acceptor.parsed_greeting1.kv.peeraddr,
      greetingLine1: v.acceptor.greeting1,
      nonce: v.acceptor.greeting2,
    });

  const run = (hs: Handshake, input: Buffer, cuts: number[]) => {
    const out = [...hs.start()];
    let prev = 0;
    for (const cut of [...cuts, input.length]) {
      out.push(...hs.push(input.subarray(prev, cut)));
      prev = cut;
      if (hs.state === 'established' || hs.state === 'failed') break;
    }
    return out;
  };

  it('as connector, in one piece: sends the recorded bytes and hands over exactly the frame bytes', () => {
    const hs = asConnector();
    const acts = run(hs, s2c, []);
    const written = Buffer.concat(
      acts.filter((a) => a.type === 'write').map((a) => (a as { data: Uint8Array }).data),
    );
    expect(written.toString('latin1')).toBe(c2s.subarray(0, v.connector.data_offset).toString('latin1'));
    const est = acts.find((a) => a.type === 'established') as Extract<
      (typeof acts)[number],
      { type: 'established' }
    >;
    expect(est.result).toMatchObject({
      protocol: 'aemp',
      remoteNodeId: v.acceptor.parsed_greeting1.node,
      tls: false,
      local: { framing: name, authMethod: 'hmac_sha3_512' },
      remote: { framing: name, authMethod: 'hmac_sha3_512' },
    });
    expect(Buffer.from(est.rest).equals(s2c.subarray(v.acceptor.data_offset))).toBe(true);
  });

  it('as acceptor, split at every byte boundary of the handshake: same result every time', () => {
    const end = v.connector.data_offset + 40;
    for (let cut = 1; cut < end; cut++) {
      const hs = asAcceptor();
      const acts = run(hs, c2s, [cut]);
      const written = Buffer.concat(
        acts.filter((a) => a.type === 'write').map((a) => (a as { data: Uint8Array }).data),
      );
      expect(written.toString('latin1')).toBe(s2c.subarray(0, v.acceptor.data_offset).toString('latin1'));
      const est = acts.find((a) => a.type === 'established') as { rest: Uint8Array } | undefined;
      expect(est, `cut at ${cut}`).toBeDefined();
      // The rest is whatever of the pushed input came after the auth line.
      const restStart = v.connector.data_offset;
      const pushedEnd = cut >= restStart ? cut : c2s.length;
      expect(Buffer.from(est!.rest).equals(c2s.subarray(restStart, pushedEnd)), `cut at ${cut}`).toBe(true);
    }
  });
});
