/**
 * The pure handshake: greeting parse/format, checks, negotiation, auth
 * lines, and the state machine line by line with every error text.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  AUTH_FAILURE,
  DEFAULT_AUTH_ACCEPT,
  ECHO_ATTACK,
  Handshake,
  HandshakeError,
  LineReader,
  NO_TLS_NO_SECRET,
  TALK_TO_MYSELF,
  authData,
  authNotAccepted,
  badNodeId,
  checkGreeting,
  chooseAuthMethod,
  chooseFraming,
  formatGreeting,
  lineTooLong,
  noCommonAuth,
  noCommonFraming,
  parseAuthLine,
  parseGreeting,
  perlInt,
  perlNumber,
  refuseDuplicate,
  unparsableGreeting,
  unsupportedRcvAuth,
  unusableRemoteFraming,
  versionMismatch,
  type HandshakeAction,
  type HandshakeConfig,
  type HandshakeResult,
} from '../../src/streams/handshake/index.js';

const NONCE_A = 'A'.repeat(88);
const NONCE_B = 'B'.repeat(88);

const cfg = (over: Partial<HandshakeConfig> = {}): HandshakeConfig => ({
  nodeId: 'me',
  secret: 's3cret',
  tls: false,
  authOffer: ['tls_sha3_512', 'hmac_sha3_512'],
  authAccept: [...DEFAULT_AUTH_ACCEPT],
  framings: ['cbor', 'json'],
  receivableFramings: ['cbor', 'json'],
  peerAddr: '127.0.0.1:1234',
  nonce: NONCE_A,
  ...over,
});

const peerGreeting = (over: { node?: string; auths?: string; framings?: string; kv?: string } = {}): string =>
  `aemp;1;${over.node ?? 'peer'};${over.auths ?? 'tls_sha3_512,hmac_sha3_512,tls_anon,cleartext'};${over.framings ?? 'cbor,json'};${over.kv ?? 'provider=AE-2.02;mproto=1;gproto=1;peeraddr=127.0.0.1:4040'}`;

const text = (a: HandshakeAction | undefined): string => {
  if (!a || a.type !== 'write') throw new Error(`expected a write, got ${JSON.stringify(a)}`);
  return Buffer.from(a.data).toString('utf8');
};
const failure = (acts: HandshakeAction[]): string | undefined =>
  (acts.find((a) => a.type === 'fail') as { reason: string } | undefined)?.reason;

/** The lines of a started machine, as the peer sees them. */
const linesOf = (hs: Handshake) => ({ line1: Buffer.from(hs.line1), line2: Buffer.from(hs.line2) });

/** Drives a machine to the point where it waits for the peer's auth line. */
function toAuth(c: HandshakeConfig, greeting = peerGreeting(), nonce = NONCE_B) {
  const hs = new Handshake(c);
  hs.start();
  expect(hs.receiveLine(greeting)).toEqual([]);
  const acts = hs.receiveLine(nonce);
  return { hs, acts, peer: { line1: Buffer.from(greeting), line2: Buffer.from(nonce) } };
}

/** Runs two machines against each other (TLS is a no-op here: same bytes). */
function talk(a: Handshake, b: Handshake) {
  const out = { a: [] as HandshakeAction[], b: [] as HandshakeAction[] };
  const toA: Uint8Array[] = [];
  const toB: Uint8Array[] = [];
  const route = (acts: HandshakeAction[], side: 'a' | 'b') => {
    for (const x of acts) {
      out[side].push(x);
      if (x.type === 'write') (side === 'a' ? toB : toA).push(x.data);
    }
  };
  route(a.start(), 'a');
  route(b.start(), 'b');
  for (let guard = 0; guard < 50 && (toA.length || toB.length); guard++) {
    while (toB.length) route(b.push(toB.shift()!), 'b');
    while (toA.length) route(a.push(toA.shift()!), 'a');
  }
  const est = (acts: HandshakeAction[]) =>
    (acts.find((x) => x.type === 'established') as { result: HandshakeResult } | undefined)?.result;
  return { a: est(out.a), b: est(out.b), failA: failure(out.a), failB: failure(out.b), out };
}

describe('Perl numbers and splits', () => {
  it.each([
    ['1', 1],
    ['1.0', 1],
    [' 1', 1],
    ['1abc', 1],
    ['2', 2],
    ['x', 0],
    ['', 0],
    [undefined, 0],
    ['.5', 0.5],
    ['1e0', 1],
  ])('perlNumber(%j) = %d', (s, n) => expect(perlNumber(s)).toBe(n));
  it('perlInt truncates', () => {
    expect(perlInt('1.9')).toBe(1);
    expect(perlInt('1.0')).toBe(1);
    expect(perlInt(undefined)).toBe(0);
  });
});

describe('greeting line 1', () => {
  it('formats the mandatory fields then the KEY=VALUE pairs', () => {
    expect(
      formatGreeting({
        nodeId: 'n',
        authAccept: ['a', 'b'],
        framings: ['cbor', 'json'],
        kv: [
          ['provider', 'AE-2.02'],
          ['tls', '1.0'],
        ],
      }),
    ).toBe('aemp;1;n;a,b;cbor,json;provider=AE-2.02;tls=1.0');
  });

  it('parses KEY=VALUE pairs in any order, key up to the first =', () => {
    const g = parseGreeting('aemp;1;n;x;json;b=1=2;a=;flag;=ignored;c=3');
    expect({ ...g.kv }).toEqual({ b: '1=2', a: '', flag: undefined, c: '3' });
    expect(g.kvOrder).toEqual(['b', 'a', 'flag', 'c']);
  });

  it('drops trailing empty fields like Perl split', () => {
    const g = parseGreeting('aemp;1;n;;json;;;');
    expect(g.fields).toEqual(['aemp', '1', 'n', '', 'json']);
    expect(g.authAccept).toEqual([]);
  });

  it('kv with prototype-ish keys stays plain data', () => {
    const g = parseGreeting('aemp;1;n;x;json;__proto__=1;constructor=2');
    expect(g.kv['__proto__']).toBe('1');
    expect(g.kv['constructor']).toBe('2');
  });
});

describe('checkGreeting (§2.3, in order)', () => {
  const own = { nodeId: 'me' };
  const err = (line: string) => {
    try {
      checkGreeting(parseGreeting(line), own);
      return undefined;
    } catch (e) {
      expect(e).toBeInstanceOf(HandshakeError);
      return (e as Error).message;
    }
  };
  it('accepts aemp version 1 and numeric equivalents', () => {
    expect(err('aemp;1;peer;x;json')).toBeUndefined();
    expect(err('aemp;1.0;peer;x;json')).toBeUndefined();
    expect(checkGreeting(parseGreeting('aemp;1;peer;x;json'), own)).toBe('aemp');
  });
  it('adopts aemp-dataconn (tolerated) and skips the self check for it', () => {
    expect(checkGreeting(parseGreeting('aemp-dataconn;1;me;x;json;dataconn_id=1@me'), own)).toBe(
      'aemp-dataconn',
    );
  });
  it('refuses other protocols', () => {
    expect(err('http/1.1;1;peer;x;json')).toBe(unparsableGreeting('aemp', 'http/1.1'));
    expect(err('GET / HTTP/1.1')).toBe("unparsable greeting, expected 'aemp', got 'GET / HTTP/1.1'");
    expect(err('aemp-foo;1;peer;x;json')).toBe(unparsableGreeting('aemp', 'aemp-foo'));
    expect(err('')).toBe(unparsableGreeting('aemp', ''));
  });
  it('refuses other versions', () => {
    expect(err('aemp;2;peer;x;json')).toBe('version mismatch (we: 1, they: 2)');
    expect(err('aemp;0;peer;x;json')).toBe(versionMismatch(1, '0'));
    expect(err('aemp')).toBe('version mismatch (we: 1, they: )');
  });
  it('refuses empty or #-containing node ids (strict)', () => {
    expect(err('aemp;1;;x;json')).toBe(badNodeId(''));
    expect(err('aemp;1;a#b;x;json')).toBe(badNodeId('a#b'));
  });
  it('refuses our own node id', () => {
    expect(err('aemp;1;me;x;json')).toBe(TALK_TO_MYSELF);
    expect(TALK_TO_MYSELF).toBe('I refuse to talk to myself');
  });
});

describe('negotiation (§2.4)', () => {
  it("walks the peer's accept list, first one in our offer", () => {
    expect(
      chooseAuthMethod(['cleartext', 'hmac_sha3_512'], ['hmac_sha3_512', 'cleartext'], {
        tls: false,
        secret: true,
      }),
    ).toBe('cleartext');
    expect(
      chooseAuthMethod(['tls_sha3_512', 'hmac_sha3_512'], ['tls_sha3_512', 'hmac_sha3_512'], {
        tls: false,
        secret: true,
      }),
    ).toBe('hmac_sha3_512');
    expect(
      chooseAuthMethod(['tls_sha3_512', 'hmac_sha3_512'], ['tls_sha3_512', 'hmac_sha3_512'], {
        tls: true,
        secret: true,
      }),
    ).toBe('tls_sha3_512');
    expect(
      chooseAuthMethod(['hmac_sha3_512', 'tls_anon'], ['hmac_sha3_512', 'tls_anon'], {
        tls: true,
        secret: false,
      }),
    ).toBe('tls_anon');
    expect(chooseAuthMethod(['foo'], ['foo'], { tls: true, secret: true })).toBeUndefined();
  });
  it("walks the peer's framing list, first one in ours", () => {
    expect(chooseFraming(['json', 'cbor'], ['cbor', 'json'])).toBe('json');
    expect(chooseFraming(['storable', 'cbor'], ['cbor', 'json'])).toBe('cbor');
    expect(chooseFraming(['storable'], ['cbor', 'json'])).toBeUndefined();
  });
});

describe('LineReader', () => {
  it('splits LF and CRLF lines and keeps the exact rest', () => {
    const r = new LineReader(4096);
    r.push(Buffer.from('one\r\ntwo\nthr'));
    expect(Buffer.from(r.next()!).toString()).toBe('one');
    expect(Buffer.from(r.next()!).toString()).toBe('two');
    expect(r.next()).toBeUndefined();
    r.push(Buffer.from('ee\n\x00\x01'));
    expect(Buffer.from(r.next()!).toString()).toBe('three');
    expect([...r.takeRest()]).toEqual([0, 1]);
    expect(r.pending).toBe(0);
  });
  it('allows a line of exactly the limit (LF included) and refuses one byte more', () => {
    const r = new LineReader(10);
    r.push(Buffer.from('123456789\n'));
    expect(r.next()).toHaveLength(9);
    r.push(Buffer.from('1234567890\n'));
    expect(() => r.next()).toThrow(lineTooLong(10));
  });
  it('refuses an unterminated line as soon as it reaches the limit', () => {
    const r = new LineReader(10);
    r.push(Buffer.from('123456789'));
    expect(r.next()).toBeUndefined();
    r.push(Buffer.from('0'));
    expect(() => r.next()).toThrow(HandshakeError);
  });
});

describe('state machine, line by line', () => {
  it('start() writes greeting line 1 and the nonce, LF-terminated', () => {
    const hs = new Handshake(cfg());
    const acts = hs.start();
    expect(acts).toHaveLength(1);
    expect(text(acts[0])).toBe(
      `aemp;1;me;${DEFAULT_AUTH_ACCEPT.join(',')};cbor,json;provider=AE-2.02;peeraddr=127.0.0.1:1234;mproto=1;gproto=1\n${NONCE_A}\n`,
    );
    expect(hs.state).toBe('greeting');
    expect(hs.start()).toEqual([]);
  });

  it('announces tls=1.0 only with a certificate', () => {
    expect(new Handshake(cfg({ tls: true })).line1.endsWith(';tls=1.0')).toBe(true);
    expect(new Handshake(cfg()).line1).not.toContain('tls=');
  });

  it('after both greeting lines writes the hmac auth line at once (before the peer auth line)', () => {
    const { hs, acts, peer } = toAuth(cfg());
    expect(acts).toHaveLength(1);
    const expected = authData('hmac_sha3_512', linesOf(hs), peer, {
      secret: Buffer.from('s3cret'),
      tls: false,
    });
    expect(text(acts[0])).toBe(`hmac_sha3_512;${expected};cbor\n`);
    expect(hs.state).toBe('auth');
  });

  it('sends cleartext when the peer prefers it and we offer it', () => {
    const { acts } = toAuth(
      cfg({ authOffer: ['cleartext', 'hmac_sha3_512'] }),
      peerGreeting({ auths: 'cleartext,hmac_sha3_512' }),
    );
    expect(text(acts[0])).toBe('cleartext;733363726574;cbor\n');
  });

  it('sends the framing the peer prefers (its list, its order)', () => {
    const { acts } = toAuth(cfg(), peerGreeting({ framings: 'storable,json,cbor' }));
    expect(text(acts[0])).toMatch(/;json\n$/);
  });

  it('starts TLS when both have certs, in the role given by the nonces, then writes the auth line', () => {
    const { acts } = toAuth(cfg({ tls: true }), peerGreeting({ kv: 'tls=1.0' }), NONCE_B);
    expect(acts[0]).toMatchObject({ type: 'starttls', role: 'client' }); // A… < B…
    expect(text(acts[1])).toMatch(/^tls_sha3_512;[0-9a-f]{128};cbor\n$/);
    const srv = toAuth(cfg({ tls: true, nonce: NONCE_B }), peerGreeting({ kv: 'tls=1.0' }), NONCE_A);
    expect(srv.acts[0]).toMatchObject({ type: 'starttls', role: 'server' });
  });

  it.each([
    ['tls=1', true],
    ['tls=1.9', true],
    ['tls=2.0', false],
    ['tls=0.9', false],
    ['tls', false],
    ['mproto=1', false],
  ])('peer kv %s → TLS %s', (kv, tls) => {
    const { acts } = toAuth(cfg({ tls: true }), peerGreeting({ kv }));
    expect(acts.some((a) => a.type === 'starttls')).toBe(tls);
  });

  it('does not use TLS when only the peer has a cert', () => {
    const { acts } = toAuth(cfg({ tls: false }), peerGreeting({ kv: 'tls=1.0' }));
    expect(acts.map((a) => a.type)).toEqual(['write']);
  });

  it('uses tls_anon when that is all both can do under TLS, without a secret', () => {
    const { acts } = toAuth(
      cfg({ tls: true, secret: undefined, authOffer: ['tls_anon'] }),
      peerGreeting({ kv: 'tls=1.0', auths: 'tls_anon' }),
    );
    expect(text(acts[1])).toBe('tls_anon;;cbor\n');
  });

  describe('errors after the greeting lines', () => {
    it('admit refusal (the kernel: already connected)', () => {
      const seen: string[] = [];
      const hs = new Handshake(
        cfg({ admit: (id) => (seen.push(id), refuseDuplicate(id)) }),
      );
      hs.start();
      expect(failure(hs.receiveLine(peerGreeting()))).toBe('peer already connected, not connecting again.');
      expect(seen).toEqual(['peer']);
      expect(hs.state).toBe('failed');
      expect(hs.receiveLine(NONCE_B)).toEqual([]);
    });
    it("admit 'hold': no auth line until resume; resume(undefined) goes on with the lines read meanwhile", () => {
      const a = new Handshake(cfg({ admit: () => 'hold' }));
      const b = new Handshake(cfg({ nodeId: 'peer', nonce: NONCE_B }));
      const fromB = b.start()[0] as { data: Uint8Array };
      a.start();
      // the peer's greeting and nonce in one chunk: nothing is written while held
      expect(a.push(fromB.data)).toEqual([]);
      expect(a.held).toBe(true);
      expect(a.state).toBe('nonce');
      const bActs = b.push(Buffer.from(`${a.line1}\n${a.line2}\n`));
      const bAuth = bActs.find((x) => x.type === 'write') as { data: Uint8Array };
      expect(a.push(bAuth.data)).toEqual([]); // the peer's auth line waits too
      const acts = a.resume(undefined);
      expect(acts.map((x) => x.type)).toEqual(['write', 'established']);
      expect(text(acts[0])).toMatch(/^hmac_sha3_512;/);
      expect(b.push((acts[0] as { data: Uint8Array }).data)[0]!.type).toBe('established');
      expect(a.resume(undefined)).toEqual([]); // nothing held any more
    });
    it("admit 'hold' then a refusal: fails with it, no auth line written", () => {
      const hs = new Handshake(cfg({ admit: () => 'hold' }));
      hs.start();
      expect(hs.receiveLine(peerGreeting())).toEqual([]);
      expect(hs.receiveLine(NONCE_B)).toEqual([]);
      expect(hs.resume(refuseDuplicate('peer'))).toEqual([
        { type: 'fail', reason: 'peer already connected, not connecting again.', kind: 'duplicate' },
      ]);
      expect(hs.state).toBe('failed');
    });
    it("admit 'hold': a peer flooding lines meanwhile is cut off", () => {
      const hs = new Handshake(cfg({ admit: () => 'hold', maxLineBytes: 200 }));
      hs.start();
      expect(hs.receiveLine(peerGreeting())).toEqual([]);
      expect(failure(hs.push(Buffer.from('x\n'.repeat(250))))).toBe(lineTooLong(200));
    });
    it('admit is not asked for a data connection, nor when an earlier check failed', () => {
      const seen: string[] = [];
      const hs = new Handshake(cfg({ admit: (id) => void seen.push(id) }));
      hs.start();
      expect(hs.receiveLine('aemp-dataconn;1;peer;hmac_sha3_512;json;dataconn_id=1@peer')).toEqual([]);
      const hs2 = new Handshake(cfg({ admit: (id) => void seen.push(id) }));
      hs2.start();
      expect(failure(hs2.receiveLine('aemp;1;me;x;json'))).toBe(TALK_TO_MYSELF);
      expect(seen).toEqual([]);
    });
    it('an exact echo of an aemp greeting hits the self check first', () => {
      const hs = new Handshake(cfg());
      hs.start();
      expect(hs.receiveLine(hs.line1)).toEqual([{ type: 'fail', reason: TALK_TO_MYSELF, kind: 'self-connect' }]);
    });
    it('echo attack on a data connection greeting (self check skipped, echo check fires)', () => {
      const line1 = 'aemp-dataconn;1;me;hmac_sha3_512;json;dataconn_id=1@me';
      const hs = new Handshake(cfg({ greetingLine1: line1 }));
      hs.start();
      expect(hs.receiveLine(line1)).toEqual([]);
      expect(failure(hs.receiveLine(NONCE_A))).toBe(ECHO_ATTACK);
      expect(ECHO_ATTACK).toBe('authentication error, echo attack?');
    });
    it('no common auth type', () => {
      expect(failure(toAuth(cfg(), peerGreeting({ auths: 'md6,foo' })).acts)).toBe(noCommonAuth('md6,foo'));
      expect(failure(toAuth(cfg(), peerGreeting({ auths: 'tls_sha3_512,tls_anon' })).acts)).toBe(
        'tls_sha3_512,tls_anon: no common auth type supported',
      );
      expect(failure(toAuth(cfg(), peerGreeting({ auths: '' })).acts)).toBe(
        ': no common auth type supported',
      );
    });
    it('no common framing', () => {
      expect(failure(toAuth(cfg(), peerGreeting({ framings: 'storable' })).acts)).toBe(
        noCommonFraming('storable'),
      );
      expect(failure(toAuth(cfg({ framings: ['json'] }), peerGreeting({ framings: 'cbor' })).acts)).toBe(
        'cbor: no common framing method supported',
      );
    });
    it('neither TLS nor secret', () => {
      expect(failure(toAuth(cfg({ secret: undefined })).acts)).toBe(NO_TLS_NO_SECRET);
      expect(NO_TLS_NO_SECRET).toBe('unable to handshake TLS and no shared secret configured');
      expect(failure(toAuth(cfg({ secret: '' })).acts)).toBe(NO_TLS_NO_SECRET);
    });
    it('TLS without secret but the peer only accepts secret-based methods', () => {
      expect(
        failure(
          toAuth(
            cfg({ tls: true, secret: undefined }),
            peerGreeting({ auths: 'hmac_sha3_512', kv: 'tls=1.0' }),
          ).acts,
        ),
      ).toBe(noCommonAuth('hmac_sha3_512'));
    });
  });

  describe('the peer auth line', () => {
    const setup = (c: Partial<HandshakeConfig> = {}, greeting = peerGreeting()) => {
      const r = toAuth(cfg(c), greeting);
      const own = linesOf(r.hs);
      const expectedFrom = (method: string, tls = false, secret: string | undefined = 's3cret') =>
        authData(method, r.peer, own, {
          secret: secret === undefined ? undefined : Buffer.from(secret),
          tls,
        });
      return { ...r, own, expectedFrom };
    };

    it('accepts a correct hmac line and reports both sides', () => {
      const { hs, expectedFrom } = setup();
      const acts = hs.receiveLine(`hmac_sha3_512;${expectedFrom('hmac_sha3_512')};json`);
      expect(acts).toHaveLength(1);
      expect(acts[0]).toMatchObject({
        type: 'established',
        result: {
          protocol: 'aemp',
          remoteNodeId: 'peer',
          tls: false,
          local: { framing: 'cbor', authMethod: 'hmac_sha3_512' },
          remote: { framing: 'json', authMethod: 'hmac_sha3_512' },
        },
      });
      expect(hs.state).toBe('established');
      expect(hs.receiveLine('x')).toEqual([]);
    });
    it('accepts CRLF-terminated lines through push()', () => {
      const { hs, expectedFrom } = setup();
      const acts = hs.push(Buffer.from(`hmac_sha3_512;${expectedFrom('hmac_sha3_512')};json\r\n["x"]`));
      expect(acts[0]!.type).toBe('established');
      expect(Buffer.from((acts[0] as { rest: Uint8Array }).rest).toString()).toBe('["x"]');
    });
    it('accepts cleartext (hex of the secret)', () => {
      const { hs } = setup();
      expect(hs.receiveLine('cleartext;733363726574;cbor')[0]!.type).toBe('established');
    });
    it('refuses a wrong hmac', () => {
      const { hs, expectedFrom } = setup();
      const wrong = expectedFrom('hmac_sha3_512', false, 'other')!;
      expect(hs.receiveLine(`hmac_sha3_512;${wrong};json`)).toEqual([{ type: 'fail', reason: AUTH_FAILURE, kind: 'auth' }]);
      expect(AUTH_FAILURE).toBe('authentication failure/shared secret mismatch');
    });
    it('refuses an hmac over the wrong order (own lines first from our view)', () => {
      const { hs, own, peer } = setup();
      const swapped = authData('hmac_sha3_512', own, peer, { secret: Buffer.from('s3cret'), tls: false });
      expect(failure(hs.receiveLine(`hmac_sha3_512;${swapped};json`))).toBe(AUTH_FAILURE);
    });
    it('refuses upper-case hex and empty data', () => {
      const a = setup();
      expect(
        failure(a.hs.receiveLine(`hmac_sha3_512;${a.expectedFrom('hmac_sha3_512')!.toUpperCase()};json`)),
      ).toBe(AUTH_FAILURE);
      const b = setup();
      expect(failure(b.hs.receiveLine('hmac_sha3_512;;json'))).toBe(AUTH_FAILURE);
    });
    it('refuses a wrong cleartext', () => {
      expect(failure(setup().hs.receiveLine('cleartext;733363726575;json'))).toBe(AUTH_FAILURE);
    });
    it('refuses tls_anon and tls_sha3_512 outside TLS', () => {
      expect(failure(setup().hs.receiveLine('tls_anon;;json'))).toBe(AUTH_FAILURE);
      const s = setup();
      expect(failure(s.hs.receiveLine(`tls_sha3_512;${s.expectedFrom('tls_sha3_512', true)};json`))).toBe(
        AUTH_FAILURE,
      );
    });
    it('accepts tls_sha3_512 and tls_anon under TLS', () => {
      const t = setup({ tls: true }, peerGreeting({ kv: 'tls=1.0' }));
      expect(t.hs.receiveLine(`tls_sha3_512;${t.expectedFrom('tls_sha3_512', true)};cbor`)[0]).toMatchObject({
        type: 'established',
        result: { tls: true, tlsRole: 'client', remote: { authMethod: 'tls_sha3_512' } },
      });
      const u = setup({ tls: true }, peerGreeting({ kv: 'tls=1.0' }));
      expect(u.hs.receiveLine('tls_anon;;cbor')[0]!.type).toBe('established');
    });
    it('refuses an unknown method with Perl text', () => {
      expect(failure(setup().hs.receiveLine('md6;abc;json'))).toBe(unsupportedRcvAuth('md6'));
      expect(unsupportedRcvAuth('md6')).toBe('md6: fatal, selected unsupported rcv auth method');
      expect(failure(setup().hs.receiveLine(''))).toBe(': fatal, selected unsupported rcv auth method');
    });
    it('is strict: refuses a known method that is not in our authAccept (Perl would accept)', () => {
      const { hs } = setup({ authAccept: ['hmac_sha3_512'] });
      expect(failure(hs.receiveLine('cleartext;733363726574;json'))).toBe(authNotAccepted('cleartext'));
    });
    it('refuses a framing we cannot decode', () => {
      const { hs, expectedFrom } = setup();
      expect(failure(hs.receiveLine(`hmac_sha3_512;${expectedFrom('hmac_sha3_512')};storable`))).toBe(
        unusableRemoteFraming('storable'),
      );
      const s = setup();
      expect(failure(s.hs.receiveLine(`hmac_sha3_512;${s.expectedFrom('hmac_sha3_512')}`))).toBe(
        ': unusable remote framing',
      );
    });
    it('accepts a framing outside our list if we can decode it (like Perl)', () => {
      const { hs, expectedFrom } = setup({ framings: ['cbor'] });
      expect(hs.receiveLine(`hmac_sha3_512;${expectedFrom('hmac_sha3_512')};json`)[0]!.type).toBe(
        'established',
      );
    });
    it('ignores extra ;KEY=VALUE fields of the auth line', () => {
      const { hs, expectedFrom } = setup();
      expect(hs.receiveLine(`hmac_sha3_512;${expectedFrom('hmac_sha3_512')};json;x=1`)[0]!.type).toBe(
        'established',
      );
    });
  });

  describe('line limits', () => {
    it('refuses a greeting over 4096 bytes, before its LF arrives', () => {
      const hs = new Handshake(cfg());
      hs.start();
      expect(hs.push(Buffer.from('aemp;1;' + 'x'.repeat(3000)))).toEqual([]);
      expect(hs.push(Buffer.from('y'.repeat(1200)))).toEqual([{ type: 'fail', reason: lineTooLong(4096), kind: 'protocol' }]);
    });
    it('refuses an over-long auth line', () => {
      const { hs } = toAuth(cfg());
      expect(failure(hs.push(Buffer.from(`hmac_sha3_512;${'0'.repeat(5000)};json\n`)))).toBe(
        lineTooLong(4096),
      );
    });
    it('honours maxLineBytes', () => {
      const hs = new Handshake(cfg({ maxLineBytes: 100 }));
      hs.start();
      expect(failure(hs.receiveLine(peerGreeting({ kv: 'x='.padEnd(120, 'x') })))).toBe(lineTooLong(100));
    });
    it('accepts a greeting of exactly 4095 bytes plus LF', () => {
      const base = peerGreeting({ kv: 'pad=' });
      const line = base + 'p'.repeat(4095 - base.length);
      const hs = new Handshake(cfg());
      hs.start();
      expect(hs.push(Buffer.from(line + '\n'))).toEqual([]);
      expect(hs.state).toBe('nonce');
    });
  });

  it('abort() fails once', () => {
    const hs = new Handshake(cfg());
    hs.start();
    expect(hs.abort('Connection timed out')).toEqual([{ type: 'fail', reason: 'Connection timed out' }]);
    expect(hs.abort('again')).toEqual([]);
    expect(hs.push(Buffer.from('x\n'))).toEqual([]);
  });
});

describe('two machines against each other', () => {
  const combos: [string, Partial<HandshakeConfig>, Partial<HandshakeConfig>, object, object][] = [
    [
      'defaults, secret',
      {},
      {},
      { framing: 'cbor', authMethod: 'hmac_sha3_512' },
      { framing: 'cbor', authMethod: 'hmac_sha3_512' },
    ],
    [
      'json-only vs cbor,json: both send json',
      { framings: ['json'] },
      {},
      { framing: 'json' },
      { framing: 'json' },
    ],
    [
      "json,cbor vs cbor,json: each sends the other's favourite",
      { framings: ['json', 'cbor'] },
      {},
      { framing: 'cbor' },
      { framing: 'json' },
    ],
    [
      'cleartext',
      { authOffer: ['cleartext'], authAccept: ['cleartext'] },
      { authOffer: ['cleartext'], authAccept: ['cleartext'] },
      { authMethod: 'cleartext' },
      { authMethod: 'cleartext' },
    ],
    [
      'tls both',
      { tls: true },
      { tls: true },
      { authMethod: 'tls_sha3_512' },
      { authMethod: 'tls_sha3_512' },
    ],
    [
      'tls anon, no secret',
      { tls: true, secret: undefined, authOffer: ['tls_anon'] },
      { tls: true, secret: undefined, authOffer: ['tls_anon'] },
      { authMethod: 'tls_anon' },
      { authMethod: 'tls_anon' },
    ],
    [
      'tls one side only',
      { tls: true },
      {},
      { authMethod: 'hmac_sha3_512' },
      { authMethod: 'hmac_sha3_512' },
    ],
  ];
  it.each(combos)('%s', (_name, ca, cb, localA, localB) => {
    const a = new Handshake(cfg({ nodeId: 'a', nonce: undefined, ...ca }));
    const b = new Handshake(cfg({ nodeId: 'b', nonce: undefined, ...cb }));
    const r = talk(a, b);
    expect(r.failA).toBeUndefined();
    expect(r.failB).toBeUndefined();
    expect(r.a!.local).toMatchObject(localA);
    expect(r.b!.local).toMatchObject(localB);
    expect(r.a!.remote).toEqual(r.b!.local);
    expect(r.b!.remote).toEqual(r.a!.local);
    expect(r.a!.remoteNodeId).toBe('b');
    if (r.a!.tls) expect(new Set([r.a!.tlsRole, r.b!.tlsRole])).toEqual(new Set(['client', 'server']));
  });
  it('different secrets: both sides report the mismatch', () => {
    const r = talk(
      new Handshake(cfg({ nodeId: 'a', nonce: undefined })),
      new Handshake(cfg({ nodeId: 'b', nonce: undefined, secret: 'other' })),
    );
    expect(r.failA).toBe(AUTH_FAILURE);
    expect(r.failB).toBe(AUTH_FAILURE);
  });
  it('cbor-only vs json-only: no common framing', () => {
    const r = talk(
      new Handshake(cfg({ nodeId: 'a', framings: ['cbor'] })),
      new Handshake(cfg({ nodeId: 'b', framings: ['json'], nonce: NONCE_B })),
    );
    expect(r.failA).toBe('json: no common framing method supported');
    expect(r.failB).toBe('cbor: no common framing method supported');
  });
});

describe('fuzz', () => {
  const typedOnly = (f: () => void) => {
    try {
      f();
    } catch (e) {
      if (!(e instanceof HandshakeError)) throw e;
    }
  };
  const fieldChars = fc.constantFrom(...'aemp;1=,-_.:/#\r\n \x00é\u{1F600}tlsjsoncbr0123456789'.split(''));
  const lineArb = fc.oneof(
    fc.string({ maxLength: 200 }),
    fc.string({ unit: fieldChars, maxLength: 120 }),
    fc
      .tuple(
        fc.constantFrom('aemp', 'aemp-dataconn', 'aemp-x', 'AEMP', ''),
        fc.constantFrom('1', '1.0', '2', '', 'x', ' 1'),
        fc.string({ unit: fieldChars, maxLength: 12 }),
        fc.array(fc.constantFrom('tls_sha3_512', 'hmac_sha3_512', 'tls_anon', 'cleartext', 'x', ''), {
          maxLength: 5,
        }),
        fc.array(fc.constantFrom('cbor', 'json', 'storable', ''), { maxLength: 4 }),
        fc.array(fc.string({ unit: fieldChars, maxLength: 10 }), { maxLength: 6 }),
      )
      .map(([p, v, n, a, f, kv]) => [p, v, n, a.join(','), f.join(','), ...kv].join(';')),
  );

  it('parseGreeting/checkGreeting/parseAuthLine never throw anything but HandshakeError (20 000 cases)', () => {
    fc.assert(
      fc.property(lineArb, (line) => {
        const g = parseGreeting(line);
        expect(typeof g.nodeId).toBe('string');
        typedOnly(() => checkGreeting(g, { nodeId: 'me' }));
        const a = parseAuthLine(line);
        expect(typeof a.method + typeof a.data + typeof a.framing).toBe('stringstringstring');
      }),
      { numRuns: 20_000 },
    );
  });

  it('formatGreeting ∘ parseGreeting round-trips any well-formed greeting, kv in any order', () => {
    const token = fc.string({
      unit: fc.constantFrom(...'abcdefxyz0123456789_-.:/'.split('')),
      minLength: 1,
      maxLength: 10,
    });
    fc.assert(
      fc.property(
        token,
        fc.array(token, { maxLength: 4 }),
        fc.array(token, { maxLength: 4 }),
        fc.uniqueArray(
          fc.tuple(token, fc.string({ unit: fc.constantFrom(...'abc=01.'.split('')), maxLength: 6 })),
          {
            selector: ([k]) => k,
            maxLength: 6,
          },
        ),
        (nodeId, authAccept, framings, kv) => {
          const line = formatGreeting({ nodeId, authAccept, framings, kv });
          const g = parseGreeting(line);
          expect(g.nodeId).toBe(nodeId);
          expect(g.authAccept).toEqual(authAccept);
          if (kv.length) expect(g.framings).toEqual(framings);
          expect(g.kvOrder).toEqual(kv.map(([k]) => k));
          for (const [k, v] of kv) expect(g.kv[k]).toBe(v);
        },
      ),
      { numRuns: 2_000 },
    );
  });

  it('the state machine never throws on arbitrary bytes in arbitrary chunks (10 000 cases)', () => {
    const chunk = fc.oneof(
      fc.uint8Array({ maxLength: 300 }),
      lineArb.map((l) => Buffer.from(l + '\n')),
      fc.constant(Buffer.from(peerGreeting() + '\n' + NONCE_B + '\n')),
      fc.constant(Buffer.from('hmac_sha3_512;00;json\n')),
    );
    fc.assert(
      fc.property(
        fc.array(chunk, { maxLength: 6 }),
        fc.boolean(),
        fc.integer({ min: 16, max: 5000 }),
        (chunks, tls, max) => {
          const hs = new Handshake(cfg({ tls, maxLineBytes: max }));
          hs.start();
          let ended = false;
          for (const c of chunks) {
            const acts = hs.push(c);
            for (const a of acts) {
              expect(['write', 'starttls', 'established', 'fail']).toContain(a.type);
              if (ended) throw new Error('action after the end');
              if (a.type === 'fail' || a.type === 'established') ended = true;
            }
          }
          expect(['greeting', 'nonce', 'auth', 'established', 'failed']).toContain(hs.state);
        },
      ),
      { numRuns: 10_000 },
    );
  });
});
