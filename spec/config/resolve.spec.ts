import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  ConfigError,
  DEFAULTS,
  resolveConfig,
  type NodeOptions,
  type RcData,
  type ResolvedConfig,
} from '../../src/config/index.js';
import { useTmpDirs } from './tmpdir.js';

const tmp = useTmpDirs();
const R = 'Qx3abcdefZ';
const ctx = (rcData?: RcData) => ({ hostname: 'myhost', runiq: R, env: {}, rcData });

/** A file with a three-level chain: top < base < mid < leaf. */
const CHAIN: RcData = {
  secret: 'top',
  monitor_timeout: 5,
  connect_interval: 7,
  seeds: ['top:1'],
  binds: ['top:0'],
  version: 1,
  profile: {
    base: { secret: 'base', monitor_timeout: 6, seeds: ['base:1'] },
    mid: { parent: 'base', secret: 'mid', seeds: ['mid:1'] },
    leaf: { parent: 'mid', secret: 'leaf' },
    myhost: { nodeid: 'h/%n/%u', secure: true },
  },
};

type Row = [name: string, data: RcData | undefined, options: NodeOptions, expected: Partial<ResolvedConfig>];

const rows: Row[] = [
  [
    'built-in defaults',
    undefined,
    { norc: true },
    {
      profile: 'myhost',
      nodeid: `myhost/${R}`,
      nodeidTemplate: 'myhost/',
      nodeidRandomized: true,
      binds: ['*'],
      seeds: [],
      framingFormat: ['cbor', 'json'],
      authOffer: ['tls_sha3_512', 'hmac_sha3_512'],
      authAccept: ['tls_sha3_512', 'hmac_sha3_512', 'tls_anon', 'cleartext'],
      monitorTimeout: 30,
      connectInterval: 2,
      nodelay: true,
      autocork: false,
      secure: false,
      global: false,
      services: [],
      addresses: {},
      secret: undefined,
      cert: undefined,
      rcPath: undefined,
      extra: {},
    },
  ],
  [
    'options over defaults',
    {},
    { secret: 's', monitorTimeout: '9', nodelay: false, binds: ['127.0.0.1:0'], global: true },
    { secret: 's', monitorTimeout: 9, nodelay: false, binds: ['127.0.0.1:0'], global: true },
  ],
  [
    'options in snake_case are accepted too',
    {},
    { monitor_timeout: 4 } as NodeOptions,
    { monitorTimeout: 4 },
  ],
  [
    'file top level over options',
    { secret: 'file', monitor_timeout: '10' },
    { secret: 'opt', monitorTimeout: 3, connectInterval: 1 },
    { secret: 'file', monitorTimeout: 10, connectInterval: 1 },
  ],
  [
    'parents root first, the profile itself last',
    CHAIN,
    { profile: 'leaf' },
    {
      secret: 'leaf',
      monitorTimeout: 6,
      connectInterval: 7,
      seeds: ['mid:1'],
      binds: ['top:0'],
      nodeid: `leaf/${R}`,
    },
  ],
  ['a middle profile', CHAIN, { profile: 'mid' }, { secret: 'mid', monitorTimeout: 6, seeds: ['mid:1'] }],
  ['the profile wins over options', CHAIN, { profile: 'leaf', secret: 'opt' }, { secret: 'leaf' }],
  [
    'force: options win over the file',
    CHAIN,
    { profile: 'leaf', secret: 'opt', monitorTimeout: 1, force: true },
    { secret: 'opt', monitorTimeout: 1, connectInterval: 7, seeds: ['mid:1'] },
  ],
  [
    'norc: the file is ignored',
    CHAIN,
    { profile: 'leaf', norc: true, secret: 'opt' },
    { secret: 'opt', seeds: [] },
  ],
  [
    'unknown profile: just the top level',
    CHAIN,
    { profile: 'nobody' },
    { secret: 'top', monitorTimeout: 5, seeds: ['top:1'], nodeid: `nobody/${R}`, profile: 'nobody' },
  ],
  [
    'default profile is the host name; its nodeid template is expanded',
    CHAIN,
    {},
    { profile: 'myhost', nodeid: `h/myhost/${R}`, nodeidTemplate: 'h/%n/%u', secure: true, secret: 'top' },
  ],
  ['a fixed nodeid is not randomised', {}, { nodeid: 'fixed' }, { nodeid: 'fixed', nodeidRandomized: false }],
  [
    'a missing parent ends the chain',
    { secret: 'top', profile: { p: { parent: 'ghost', seeds: ['p:1'] } } },
    { profile: 'p' },
    { secret: 'top', seeds: ['p:1'] },
  ],
  [
    'null in the file does not override',
    { secret: 'top', profile: { p: { secret: null } } },
    { profile: 'p' },
    { secret: 'top' },
  ],
  [
    'undefined options do not override defaults',
    {},
    { monitorTimeout: undefined, binds: undefined },
    { monitorTimeout: 30, binds: ['*'] },
  ],
  [
    'unknown keys pass through into extra, eval is never run',
    { my_app: { x: 1 }, eval: 'system "rm -rf /"' },
    { appFlag: true } as NodeOptions,
    { extra: { appFlag: true, my_app: { x: 1 }, eval: 'system "rm -rf /"' } },
  ],
  [
    'structural keys do not leak into the result',
    { version: 1, profile: { p: { parent: 'q' }, q: {} }, norc: true, force: true },
    { profile: 'p' },
    { extra: {}, profile: 'p' },
  ],
  [
    'Perl-style booleans and numbers',
    { nodelay: '0', autocork: 1, secure: '', max_frame_bytes: '1024', max_line_bytes: 100 },
    {},
    { nodelay: false, autocork: true, secure: false, maxFrameBytes: 1024, maxLineBytes: 100 },
  ],
  [
    'services and addresses',
    { services: ['A::', ['A::f', 1, 'x']], addresses: { 'n/1': ['127.0.0.1:4040'] } },
    {},
    { services: ['A::', ['A::f', 1, 'x']], addresses: { 'n/1': ['127.0.0.1:4040'] } },
  ],
];

describe('resolveConfig', () => {
  it.each(rows)('%s', (_name, data, options, expected) => {
    const c = resolveConfig(options, ctx(data));
    expect(c).toMatchObject(expected as Record<string, unknown>);
    if ('extra' in expected) expect(c.extra).toEqual(expected.extra);
  });

  it('returns every key camelCased, frozen', () => {
    const c = resolveConfig({ norc: true }, ctx());
    expect(Object.keys(c).every((k) => !k.includes('_'))).toBe(true);
    expect(Object.isFrozen(c)).toBe(true);
    expect(c.framingFormat).toEqual(DEFAULTS.framingFormat);
  });

  it.each([
    ['a two-profile cycle', { profile: { a: { parent: 'b' }, b: { parent: 'a' } } }, 'a', /"a" → "b" → "a"/],
    ['a self-parent', { profile: { a: { parent: 'a' } } }, 'a', /"a" → "a"/],
    [
      'a cycle above the profile',
      { profile: { a: { parent: 'b' }, b: { parent: 'c' }, c: { parent: 'b' } } },
      'a',
      /"b" → "c" → "b"/,
    ],
    ['a non-object profile table', { profile: 'x' }, 'a', /"profile" must be an object/],
    ['a non-object profile', { profile: { a: [1] } }, 'a', /profile "a" must be an object/],
    ['a non-string parent', { profile: { a: { parent: 1 } } }, 'a', /"parent" must be a profile name/],
  ])('%s → ConfigError', (_name, data, profile, message) => {
    expect(() => resolveConfig({ profile }, ctx(data))).toThrow(ConfigError);
    expect(() => resolveConfig({ profile }, ctx(data))).toThrow(message);
  });

  it('a cycle elsewhere in the file does not matter', () => {
    const data = { profile: { a: { parent: 'b' }, b: { parent: 'a' }, ok: { secret: 's' } } };
    expect(resolveConfig({ profile: 'ok' }, ctx(data)).secret).toBe('s');
  });

  it.each([
    ['options', {}, { monitorTimeout: 'soon' } as NodeOptions, /monitorTimeout.*createNode options/],
    ['options, a list', {}, { seeds: 'a:1' } as unknown as NodeOptions, /seeds must be an array/],
    ['the top level', { monitor_timeout: 'x' }, {}, /monitor_timeout.*top level/],
    ['a profile', { profile: { p: { binds: '*' } } }, { profile: 'p' }, /binds.*profile "p"/],
    [
      'a parent',
      { profile: { p: { parent: 'q' }, q: { nodelay: 'no' } } },
      { profile: 'p' },
      /nodelay.*profile "q"/,
    ],
    ['the node id', {}, { nodeid: 'a#b' }, /nodeid contains '#'/],
    ['an empty node id', { nodeid: '' }, {}, /nodeid is empty/],
    ['cert and certFile in one layer', {}, { cert: 'x', certFile: '/y' }, /cert and certFile/],
    ['one key twice', {}, { monitorTimeout: 1, monitor_timeout: 2 } as NodeOptions, /given twice/],
  ])('wrong types in %s → TypeError naming the key', (_name, data, options, message) => {
    expect(() => resolveConfig(options, ctx(data))).toThrow(TypeError);
    expect(() => resolveConfig(options, ctx(data))).toThrow(message);
  });

  it('a bad value in a profile not used does not matter', () => {
    const data = { profile: { other: { monitor_timeout: 'x' } } };
    expect(resolveConfig({ profile: 'p' }, ctx(data)).monitorTimeout).toBe(30);
  });

  it('makes a RUNIQ and uses the host name when not given', () => {
    const c = resolveConfig({ norc: true, nodeid: 'w/%u' });
    expect(c.nodeid).toMatch(/^w\/[0-9A-Za-z]{9}[0-9A-Z]$/);
    expect(c.nodeid).toBe(`w/${c.runiq}`);
    expect(c.hostname.length).toBeGreaterThan(0);
    expect(c.profile).toBe(c.hostname);
  });
});

describe('resolveConfig and the rc file on disk', () => {
  it('reads $PERL_ANYEVENT_MP_RC', () => {
    const f = join(tmp(), 'rc');
    writeFileSync(f, '{"secret":"from-env-rc"}');
    const c = resolveConfig({}, { hostname: 'h', env: { PERL_ANYEVENT_MP_RC: f, HOME: '/nonexistent' } });
    expect(c.secret).toBe('from-env-rc');
    expect(c.rcPath).toBe(f);
  });

  it('reads $HOME/.perl-anyevent-mp', () => {
    const d = tmp();
    writeFileSync(join(d, '.perl-anyevent-mp'), '{"secret":"from-home"}');
    expect(resolveConfig({}, { hostname: 'h', env: { HOME: d } }).secret).toBe('from-home');
  });

  it('reads $APPDATA/perl-anyevent-mp', () => {
    const d = tmp();
    writeFileSync(join(d, 'perl-anyevent-mp'), '{"secret":"from-appdata"}');
    expect(resolveConfig({}, { hostname: 'h', env: { APPDATA: d } }).secret).toBe('from-appdata');
  });

  it('rcPath overrides the env', () => {
    const d = tmp();
    writeFileSync(join(d, 'mine'), '{"secret":"mine"}');
    writeFileSync(join(d, '.perl-anyevent-mp'), '{"secret":"home"}');
    expect(resolveConfig({ rcPath: join(d, 'mine') }, { hostname: 'h', env: { HOME: d } }).secret).toBe(
      'mine',
    );
  });

  it('a missing file is an empty configuration', () => {
    const c = resolveConfig({}, { hostname: 'h', env: { HOME: tmp() } });
    expect(c.secret).toBeUndefined();
    expect(c.monitorTimeout).toBe(30);
  });

  it('no path at all is an empty configuration', () => {
    expect(resolveConfig({}, { hostname: 'h', env: {} }).rcPath).toBeUndefined();
  });

  it('a broken file is a ConfigError naming it', () => {
    const f = join(tmp(), 'rc');
    writeFileSync(f, '{"secret": }');
    expect(() => resolveConfig({}, { hostname: 'h', env: { PERL_ANYEVENT_MP_RC: f } })).toThrow(ConfigError);
    expect(() => resolveConfig({}, { hostname: 'h', env: { PERL_ANYEVENT_MP_RC: f } })).toThrow(f);
  });

  it('norc does not even read a broken file', () => {
    const f = join(tmp(), 'rc');
    writeFileSync(f, '{"secret": }');
    expect(
      resolveConfig({ norc: true }, { hostname: 'h', env: { PERL_ANYEVENT_MP_RC: f } }).secret,
    ).toBeUndefined();
  });

  it('certFile is read when it wins', () => {
    const d = tmp();
    const pem = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
    writeFileSync(join(d, 'node.pem'), pem);
    const c = resolveConfig({ certFile: join(d, 'node.pem') }, ctx({}));
    expect(c.cert).toBe(pem);
    expect(c.certFile).toBe(join(d, 'node.pem'));
  });

  it('a cert in a higher layer replaces a lower certFile (not read)', () => {
    const c = resolveConfig({ certFile: '/nonexistent.pem' }, ctx({ cert: 'PEM' }));
    expect(c.cert).toBe('PEM');
    expect(c.certFile).toBeUndefined();
  });

  it('a certFile in a higher layer replaces a lower cert', () => {
    const d = tmp();
    writeFileSync(join(d, 'p.pem'), 'FROMFILE');
    const c = resolveConfig({ cert: 'OPT' }, ctx({ cert_file: join(d, 'p.pem') }));
    expect(c.cert).toBe('FROMFILE');
  });

  it('an unreadable certFile is a ConfigError naming it', () => {
    expect(() => resolveConfig({ certFile: '/nonexistent/x.pem' }, ctx({}))).toThrow(
      /\/nonexistent\/x\.pem: cannot read/,
    );
  });
});
