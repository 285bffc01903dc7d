/**
 * The configuration sub-commands as real processes: chains edit the rc
 * file left to right, the previous file is kept as `<file>~`, a failing
 * chain writes nothing, and bad input exits non-zero with a clear message.
 */
import { X509Certificate } from 'node:crypto';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { aemp, inBatches, rcIn, tempDir } from './helpers.js';

const dir = tempDir();
const read = (rc: string): unknown => JSON.parse(readFileSync(rc, 'utf8'));

describe('aemp configuration commands', () => {
  it('processes a chain left to right, profile switching the target, and keeps the old file as ~', async () => {
    const rc = rcIn(dir);
    const first = await aemp(['profile', 'seed', 'setbinds', '127.0.0.1:4040', 'setsecret', 'x'], rc);
    expect(first).toMatchObject({ code: 0, stdout: '', stderr: '' });
    const afterFirst = readFileSync(rc, 'utf8');
    expect(read(rc)).toEqual({ version: 1, profile: { seed: { binds: ['127.0.0.1:4040'], secret: 'x' } } });
    expect(afterFirst).toContain('"binds" : [\n'); // the Perl-style pretty format
    expect(statSync(rc).mode & 0o777).toBe(0o600);
    expect(existsSync(`${rc}~`)).toBe(false); // nothing to keep the first time

    const second = await aemp(
      [
        'setseeds',
        '127.0.0.1:4040,127.0.0.1:4041',
        'addseed',
        '127.0.0.1:4042',
        'delseed',
        '127.0.0.1:4040',
        'monitor_timeout',
        '10',
        'setautocork',
        'true',
        'profile',
        'worker',
        'setparent',
        'seed',
        'nodeid',
        'worker/%u',
        'addservice',
        '["My::Svc::start",1,"a"]',
        'addservice',
        'My::Other::',
        'setframing_format',
        'json',
        'profile',
        'seed',
        'delsecret',
        'secret',
        '"quoted json"',
      ],
      rc,
    );
    expect(second).toMatchObject({ code: 0, stdout: '', stderr: '' });
    expect(read(rc)).toEqual({
      version: 1,
      seeds: ['127.0.0.1:4041', '127.0.0.1:4042'],
      monitor_timeout: '10',
      autocork: true,
      profile: {
        seed: { binds: ['127.0.0.1:4040'], secret: 'quoted json' },
        worker: {
          parent: 'seed',
          nodeid: 'worker/%u',
          services: [['My::Svc::start', 1, 'a'], 'My::Other::'],
          framing_format: ['json'],
        },
      },
    });
    expect(readFileSync(`${rc}~`, 'utf8')).toBe(afterFirst);

    // showconfig takes the rest of the line (KEY VALUE pairs), so it comes last
    const shown = await aemp(['--json', 'showprofile', 'worker', 'showconfig', 'worker'], rc);
    expect(shown.code).toBe(0);
    const [profile, config] = shown.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(config).toMatchObject({
      nodeid: 'worker/%u',
      secret: 'quoted json',
      binds: ['127.0.0.1:4040'],
      seeds: ['127.0.0.1:4041', '127.0.0.1:4042'],
      monitor_timeout: '10',
      autocork: true,
      framing_format: ['json'],
      nodelay: true, // a built-in default
    });
    expect(profile).toEqual((read(rc) as { profile: { worker: unknown } }).profile.worker);

    // pretty output without --json; showconfig KEY VALUE pairs are configure arguments (the file wins)
    const pretty = await aemp(['showconfig', 'worker', 'connect_interval', '7', 'nodeid', 'ignored/'], rc);
    expect(pretty.code).toBe(0);
    expect(pretty.stdout).toMatch(/^\{\n {3}"/);
    expect(JSON.parse(pretty.stdout)).toMatchObject({ connect_interval: 7, nodeid: 'worker/%u' });

    // removals, and a run that changes nothing writes nothing
    const before = readFileSync(rc, 'utf8');
    const noop = await aemp(['delbinds', 'profile', 'nobody', 'delnodeid'], rc);
    expect(noop.code).toBe(0);
    expect(readFileSync(rc, 'utf8')).toBe(before);
    const del = await aemp(
      ['profile', 'worker', 'delparent', 'delservice', 'My::Other::', 'delprofile', 'seed', 'delseeds'],
      rc,
    );
    expect(del.code).toBe(0);
    expect(read(rc)).toEqual({
      version: 1,
      seeds: ['127.0.0.1:4041', '127.0.0.1:4042'], // delseeds edited profile worker, which has none
      monitor_timeout: '10',
      autocork: true,
      profile: {
        worker: { nodeid: 'worker/%u', services: [['My::Svc::start', 1, 'a']], framing_format: ['json'] },
      },
    });
    expect(readFileSync(`${rc}~`, 'utf8')).toBe(before);
  });

  it('takes a single JSON array as the whole command line, and JSON values', async () => {
    const rc = rcIn(dir);
    const r = await aemp(
      ['["profile","p","setseeds",["127.0.0.1:1","[::1]:2"],"set","addresses",{"n":["127.0.0.1:3"]}]'],
      rc,
    );
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(read(rc)).toEqual({
      version: 1,
      profile: { p: { seeds: ['127.0.0.1:1', '[::1]:2'], addresses: { n: ['127.0.0.1:3'] } } },
    });
  });

  it('sets secure mode and its spawn allow-list', async () => {
    const rc = rcIn(dir);
    const r = await aemp(['set', 'secure', 'true', 'set', 'spawn_allow', 'My::Worker::init,My::Other::init'], rc);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(read(rc)).toEqual({ version: 1, secure: true, spawn_allow: ['My::Worker::init', 'My::Other::init'] });
  });

  it('gensecret makes 64 alphanumeric characters, fresh each time', async () => {
    const rc = rcIn(dir);
    expect((await aemp(['gensecret', 'profile', 'p', 'gensecret'], rc)).code).toBe(0);
    const data = read(rc) as { secret: string; profile: { p: { secret: string } } };
    expect(data.secret).toMatch(/^[0-9A-Za-z]{64}$/);
    expect(data.profile.p.secret).toMatch(/^[0-9A-Za-z]{64}$/);
    expect(data.profile.p.secret).not.toBe(data.secret);
  });

  it('gencert stores a self-signed certificate with its key; setcert reads and checks a PEM file', async () => {
    const rc = rcIn(dir);
    const r = await aemp(['gencert'], rc);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    const pem = (read(rc) as { cert: string }).cert;
    expect(pem).toMatch(/-----BEGIN CERTIFICATE-----[\s\S]+-----END CERTIFICATE-----/);
    expect(pem).toMatch(/-----BEGIN PRIVATE KEY-----[\s\S]+-----END PRIVATE KEY-----/);
    const x509 = new X509Certificate(pem);
    expect(x509.subject).toBe('CN=AnyEvent::MP');
    expect(x509.issuer).toBe('CN=AnyEvent::MP');
    expect(x509.publicKey.asymmetricKeyDetails?.modulusLength).toBe(2048);

    const file = join(dir, 'node.pem');
    writeFileSync(file, pem);
    const rc2 = rcIn(dir);
    expect((await aemp(['profile', 'tls', 'setcert', file], rc2)).code).toBe(0);
    expect((read(rc2) as { profile: { tls: { cert: string } } }).profile.tls.cert).toBe(pem);
    expect((await aemp(['profile', 'tls', 'delcert'], rc2)).code).toBe(0);
    expect(read(rc2)).toEqual({ version: 1, profile: { tls: {} } });

    const certOnly = join(dir, 'cert-only.pem');
    writeFileSync(
      certOnly,
      pem.replace(/-----BEGIN PRIVATE KEY-----[\s\S]+-----END PRIVATE KEY-----\n?/, ''),
    );
    const bad = await aemp(['setcert', certOnly], rc2);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toBe(`aemp: ${certOnly}: no private key (BEGIN PRIVATE KEY) found\n`);
    const missing = await aemp(['setcert', join(dir, 'nope.pem')], rc2);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^aemp: cannot read .*nope\.pem: ENOENT\n$/);
  });

  it('exits non-zero with a clear message on bad input, and a failing chain writes nothing', async () => {
    const rc = rcIn(dir);
    expect((await aemp(['setsecret', 'keep'], rc)).code).toBe(0);
    const before = readFileSync(rc, 'utf8');
    const cases: [string[], number, RegExp][] = [
      [
        ['setsecret', 'changed', 'setseeds', 'nohostport'],
        2,
        /^aemp: a seed must be host:port .*"nohostport"/,
      ],
      [['setsecrte', 'x'], 2, /unknown command 'setsecrte'[\s\S]*Did you mean setsecret\?/],
      [['setsecret'], 2, /missing required argument 'secret'/],
      [['gensecret', 'extra'], 2, /gensecret: unexpected argument 'extra'/],
      [
        ['monitor_timeout', 'soon'],
        2,
        /^aemp: monitor_timeout must be a positive number of seconds, got the string "soon"/,
      ],
      [['setnodelay', 'maybe'], 2, /^aemp: nodelay must be a boolean, got the string "maybe"/],
      [['setseeds', '[1,2'], 2, /^aemp: seeds "\[1,2" starts like JSON but is not valid JSON/],
      [['setparent', 'x'], 2, /^aemp: setparent needs a profile first/],
      [
        ['profile', 'a', 'setparent', 'b', 'profile', 'b', 'setparent', 'a'],
        1,
        /^aemp: .*profile parent cycle: "b" → "a" → "b"$/m,
      ],
      [['delprofile', 'ghost'], 1, /^aemp: no profile "ghost" in /],
      [['showprofile', 'ghost'], 1, /^aemp: no profile "ghost" in /],
      [['set', 'colour', 'blue'], 2, /^aemp: unknown configuration key "colour"/],
      [['set', 'eval', '1'], 2, /^aemp: eval: aemp never runs Perl code/],
      [['setnodeid', '["not","a","string"]'], 2, /^aemp: nodeid must be a string/],
      [['showconfig', 'p', 'odd'], 2, /KEY VALUE pairs/],
    ];
    const runs = await inBatches(
      cases.map(
        ([args]) =>
          () =>
            aemp(args, rc),
      ),
      5,
    );
    runs.forEach((r, i) => {
      const [args, code, message] = cases[i]!;
      expect({ args, code: r.code }).toEqual({ args, code });
      expect(r.stderr).toMatch(message);
      expect(r.stdout).toBe('');
    });
    expect(readFileSync(rc, 'utf8')).toBe(before);
  });

  it('refuses to touch an rc file it cannot parse', async () => {
    const rc = rcIn(dir);
    writeFileSync(rc, '{ "secret": "s", oops }');
    const r = await aemp(['setsecret', 'x'], rc);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      new RegExp(`^aemp: ${rc.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: not valid JSON`),
    );
    expect(readFileSync(rc, 'utf8')).toBe('{ "secret": "s", oops }');
    expect(existsSync(`${rc}~`)).toBe(false);
  });

  it("edits an rc file written by Perl's aemp without disturbing the rest", async () => {
    const rc = rcIn(dir);
    writeFileSync(
      rc,
      '{"monitor_timeout":"10","profile":{"child":{"nodeid":"child/%u","parent":"testp"},"testp":{"secret":"s","binds":["*:4040"]}},"version":1}',
    );
    const r = await aemp(['--json', 'profile', 'child', 'addbind', '127.0.0.1:0', 'showconfig', 'child'], rc);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({
      nodeid: 'child/%u',
      secret: 's',
      binds: ['127.0.0.1:0'],
      monitor_timeout: '10',
    });
    expect(read(rc)).toEqual({
      monitor_timeout: '10',
      version: 1,
      profile: {
        child: { nodeid: 'child/%u', parent: 'testp', binds: ['127.0.0.1:0'] },
        testp: { secret: 's', binds: ['*:4040'] },
      },
    });
  });

  it('--rc picks the file', async () => {
    const rc = rcIn(dir);
    const other = rcIn(dir);
    expect((await aemp(['--rc', other, 'setsecret', 'here'], rc)).code).toBe(0);
    expect(existsSync(rc)).toBe(false);
    expect(read(other)).toEqual({ version: 1, secret: 'here' });
  });
});
