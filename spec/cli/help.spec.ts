/**
 * `--help` on every command. Each command's help is checked in-process
 * through `runCli` (the same code the process runs, without paying for
 * ~60 process starts); the top-level help, `help COMMAND`, `--version` and
 * a chain's cutting are checked as real processes.
 */
import { describe, expect, it } from 'vitest';
import { buildProgram, CliContext, runCli } from '../../src/cli/index.js';
import { cutChain } from '../../src/cli/chain.js';
import { aemp, rcIn, tempDir } from './helpers.js';

const dir = tempDir();

function buffered(): { ctx: CliContext; out: () => string; err: () => string } {
  let out = '';
  let err = '';
  const ctx = new CliContext(
    { PERL_ANYEVENT_MP_RC: `${dir}/never-written` },
    { write: (s: string) => (out += s) },
    { write: (s: string) => (err += s) },
  );
  return { ctx, out: () => out, err: () => err };
}

const names = buildProgram(new CliContext({})).commands.map((c) => c.name());

describe('aemp --help', () => {
  it('knows every command of Perl aemp that makes sense here, and ours', () => {
    const perl = [
      'snd',
      'cal',
      'mon',
      'run',
      'setnodeid',
      'delnodeid',
      'setsecret',
      'gensecret',
      'delsecret',
      'setcert',
      'gencert',
      'delcert',
      'setseeds',
      'delseeds',
      'addseed',
      'delseed',
      'setbinds',
      'delbinds',
      'addbind',
      'delbind',
      'setservices',
      'delservices',
      'addservice',
      'delservice',
      'profile',
      'delprofile',
      'setparent',
      'delparent',
      'showprofile',
      'showconfig',
      ...[
        'monitor_timeout',
        'connect_interval',
        'framing_format',
        'auth_offer',
        'auth_accept',
        'autocork',
        'nodelay',
      ].flatMap((k) => [`set${k}`, `del${k}`]),
    ];
    const ours = ['nodes', 'db', 'watch', 'ping', 'logs', 'set', 'del'];
    expect(names).toEqual(expect.arrayContaining([...perl, ...ours]));
  });

  it.each(names)('%s --help prints its usage and exits 0', async (name) => {
    const { ctx, out, err } = buffered();
    expect(await runCli([name, '--help'], ctx)).toBe(0);
    expect(err()).toBe('');
    expect(out()).toMatch(new RegExp(`^Usage: aemp ${name}\\b`));
    expect(out()).toMatch(/\n\s+-h, --help\s+display help for command/);
  });

  it('setX is also X (Perl: any setX is available as plain X)', () => {
    const program = buildProgram(new CliContext({}));
    for (const c of program.commands.filter((c) => /^set./.test(c.name()) && c.name() !== 'set')) {
      expect(c.aliases()).toContain(c.name().slice(3));
    }
  });

  it('cuts a command line into sub-commands left to right', () => {
    const program = buildProgram(new CliContext({}));
    expect(
      cutChain(
        [
          '--rc',
          'f',
          'profile',
          'seed',
          'setbinds',
          'a:1',
          '--json',
          'secret',
          'x',
          'showconfig',
          'seed',
          'k',
          'v',
        ],
        program,
      ),
    ).toEqual({
      globals: ['--rc', 'f', '--json'],
      segments: [
        ['profile', 'seed'],
        ['setbinds', 'a:1'],
        ['secret', 'x'],
        ['showconfig', 'seed', 'k', 'v'],
      ],
    });
    expect(cutChain(['cal', '--timeout', '3', 'a#b', '-1', 'x', '--', '--literal'], program)).toEqual({
      globals: [],
      segments: [['cal', '--timeout', '3', 'a#b', '-1', 'x', '--', '--literal']],
    });
  });

  it('top-level help, help COMMAND and --version as real processes', async () => {
    const rc = rcIn(dir);
    const [top, helpCmd, version, none] = await Promise.all([
      aemp(['--help'], rc),
      aemp(['help', 'setseeds'], rc),
      aemp(['--version'], rc),
      aemp([], rc),
    ]);
    expect(top.code).toBe(0);
    for (const heading of [
      'Identity and authentication:',
      'Addresses and services:',
      'Profiles:',
      'Low-level settings:',
      'Network',
      'Running a node:',
      'Looking at a running network:',
    ]) {
      expect(top.stdout).toContain(heading);
    }
    expect(helpCmd).toMatchObject({ code: 0 });
    expect(helpCmd.stdout).toMatch(/^Usage: aemp setseeds\|seeds \[options\] <seeds>/);
    expect(version).toMatchObject({ code: 0, stdout: '0.1.0\n' });
    expect(none.code).toBe(2); // no command: the help, on stderr
    expect(none.stderr).toMatch(/^Usage: aemp/);
  });
});
