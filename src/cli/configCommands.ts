/**
 * The configuration sub-commands of `aemp` (PROTOCOL.md §12): they edit the
 * rc file through {@link RcEditor} — at the top level, or in the profile
 * that a preceding `profile NAME` switched to — and show profiles and
 * effective configurations. Nothing is written until every sub-command of
 * the command line succeeded; then the file is written once (keeping the
 * previous version as `<file>~`), and only if something changed.
 * @module
 */
import { randomInt } from 'node:crypto';
import { hostname } from 'node:os';
import type { Command } from 'commander';
import { formatRcJson, ID_ALPHABET, isKnownKey, setOwn, toSnakeKey, type ListKey } from '../index.js';
import { decodeArg, listArg, clip } from './args.js';
import { generateCertPem, readCertFile } from './certificate.js';
import type { CliContext } from './context.js';
import { CliError, UsageError } from './errors.js';

/** How a value given on the command line becomes the stored value. */
type Kind = 'string' | 'list' | 'seeds' | 'services' | 'number' | 'boolean' | 'json';

/** Every key `set KEY VALUE` accepts, with its kind. */
const KINDS: Readonly<Record<string, Kind>> = {
  nodeid: 'string',
  secret: 'string',
  cert: 'string',
  cert_file: 'string',
  seeds: 'seeds',
  binds: 'list',
  services: 'services',
  framing_format: 'list',
  auth_offer: 'list',
  auth_accept: 'list',
  monitor_timeout: 'number',
  connect_interval: 'number',
  autocork: 'boolean',
  nodelay: 'boolean',
  secure: 'boolean',
  spawn_allow: 'list',
  global: 'boolean',
  max_frame_bytes: 'number',
  max_line_bytes: 'number',
  addresses: 'json',
};

const SEED_RE = /^(?:\[[^\]]+\]|[^:[\]\s]+):(\d{1,5})$/;

/** A `host:port` seed address. @throws UsageError otherwise. */
export function checkSeed(seed: unknown): string {
  const m = typeof seed === 'string' ? SEED_RE.exec(seed) : null;
  const port = m ? Number(m[1]) : 0;
  if (!m || port < 1 || port > 65535) {
    throw new UsageError(
      `a seed must be host:port (port 1-65535), got ${typeof seed === 'string' ? clip(seed) : JSON.stringify(seed)}`,
    );
  }
  return seed as string;
}

const TRUE = new Set(['true', 'yes', 'on']);
const FALSE = new Set(['false', 'no', 'off']);

/** The stored value of `arg` for `key` (snake_case). */
export function valueFor(key: string, arg: string): unknown {
  const kind = Object.hasOwn(KINDS, key) ? KINDS[key]! : 'json';
  switch (kind) {
    case 'list':
    case 'services':
      return listArg(arg, key);
    case 'seeds':
      return listArg(arg, key).map(checkSeed);
    case 'boolean': {
      const l = arg.toLowerCase();
      if (TRUE.has(l)) return true;
      if (FALSE.has(l)) return false;
      return decodeArg(arg, key);
    }
    default:
      return decodeArg(arg, key);
  }
}

/** A fresh secret: 64 random characters of `0-9A-Za-z` (Perl's patched `aemp gensecret`). */
export function generateSecret(length = 64): string {
  let s = '';
  for (let i = 0; i < length; i++) s += ID_ALPHABET[randomInt(ID_ALPHABET.length)];
  return s;
}

/** Wraps editor errors (TypeError for bad values, ConfigError for the file) as user errors. */
function edit(fn: () => void): void {
  try {
    fn();
  } catch (e) {
    if (e instanceof TypeError) throw new UsageError(e.message);
    throw e;
  }
}

/** Prints data as the rc file would hold it (pretty), or one line with --json. */
function show(ctx: CliContext, value: unknown): void {
  if (ctx.globals.json) ctx.json(value);
  else ctx.out(formatRcJson(value));
}

const TARGET_NOTE =
  'Edits the profile chosen by a preceding "profile NAME", else the top level of the rc file.';

/** Registers the configuration sub-commands. */
export function registerConfigCommands(program: Command, ctx: CliContext): void {
  const group = (c: Command, heading: string) => c.helpGroup(heading);
  const ID = 'Identity and authentication:';
  const ADDR = 'Addresses and services:';
  const PROF = 'Profiles:';
  const LOW = 'Low-level settings:';

  const setter = (heading: string, key: string, arg: string, about: string, extra = '') => {
    group(
      program
        .command(`set${key}`)
        .alias(key)
        .argument(`<${arg}>`, about)
        .description(`set ${key}${extra}`)
        .addHelpText('after', `\n${TARGET_NOTE}`)
        .action((value: string) => edit(() => ctx.editor().setKey(ctx.target, key, valueFor(key, value)))),
      heading,
    );
    group(
      program
        .command(`del${key}`)
        .description(`remove ${key} (the profile then inherits it)`)
        .addHelpText('after', `\n${TARGET_NOTE}`)
        .action(() => edit(() => ctx.editor().delKey(ctx.target, key))),
      heading,
    );
  };
  const listEditors = (key: ListKey, one: string, arg: string, about: string) => {
    group(
      program
        .command(`add${one}`)
        .argument(`<${arg}>`, about)
        .description(`add one entry to ${key}`)
        .addHelpText('after', `\n${TARGET_NOTE}`)
        .action((value: string) =>
          edit(() => {
            const v = key === 'seeds' ? checkSeed(decodeArg(value, one)) : decodeArg(value, one);
            ctx.editor().addToList(ctx.target, key, v);
          }),
        ),
      ADDR,
    );
    group(
      program
        .command(`del${one}`)
        .argument(`<${arg}>`, about)
        .description(`remove one entry from ${key}`)
        .addHelpText('after', `\n${TARGET_NOTE}`)
        .action((value: string) =>
          edit(() => ctx.editor().delFromList(ctx.target, key, decodeArg(value, one))),
        ),
      ADDR,
    );
  };

  // ---- identity and authentication ----------------------------------------
  setter(
    ID,
    'nodeid',
    'id',
    'node id template: %n = host name, %u or a trailing / = a random id',
    ' (the node id template)',
  );
  setter(ID, 'secret', 'secret', 'the shared secret every node of the network uses', ' (the shared secret)');
  group(
    program
      .command('gensecret')
      .description('set secret to 64 fresh random alphanumeric characters')
      .addHelpText(
        'after',
        `\n${TARGET_NOTE}\nCopy the rc file (or the secret) to every host of the network.`,
      )
      .action(() => edit(() => ctx.editor().setKey(ctx.target, 'secret', generateSecret()))),
    ID,
  );
  group(
    program
      .command('setcert')
      .alias('cert')
      .argument('<file>', 'a PEM file holding the certificate and its private key')
      .description('store a certificate and key (PEM) as cert: enables TLS')
      .addHelpText('after', `\n${TARGET_NOTE}\nThe file's content is stored in the rc file, not its name.`)
      .action((file: string) => {
        const pem = readCertFile(file);
        edit(() => ctx.editor().setKey(ctx.target, 'cert', pem));
      }),
    ID,
  );
  group(
    program
      .command('gencert')
      .description(
        'generate a self-signed certificate (openssl, RSA 2048, CN=AnyEvent::MP) and store it as cert',
      )
      .addHelpText('after', `\n${TARGET_NOTE}`)
      .action(async () => {
        const pem = await generateCertPem();
        edit(() => ctx.editor().setKey(ctx.target, 'cert', pem));
      }),
    ID,
  );
  group(
    program
      .command('delcert')
      .description('remove cert')
      .addHelpText('after', `\n${TARGET_NOTE}`)
      .action(() => edit(() => ctx.editor().delKey(ctx.target, 'cert'))),
    ID,
  );

  // ---- addresses and services -----------------------------------------------
  setter(
    ADDR,
    'seeds',
    'seeds',
    'host:port,host:port… (or a JSON array)',
    ': the addresses a node connects to on start',
  );
  listEditors('seeds', 'seed', 'seed', 'host:port');
  setter(
    ADDR,
    'binds',
    'binds',
    'host:port,… (host * = every public address, port 0 or * = any free one)',
    ': where a node listens',
  );
  listEditors('binds', 'bind', 'bind', 'host:port');
  setter(
    ADDR,
    'services',
    'services',
    'Name::func,… or a JSON array (["Name::func", args…] entries)',
    ': what a node starts',
  );
  listEditors('services', 'service', 'service', 'Name::func, or a JSON array ["Name::func", args…]');

  // ---- profiles ---------------------------------------------------------------
  group(
    program
      .command('profile')
      .argument('<name>', 'profile name')
      .description('make the following set…/del… sub-commands edit profile NAME')
      .addHelpText('after', '\nExample: aemp profile seed setbinds 127.0.0.1:4040 setsecret s3cret')
      .action((name: string) => {
        ctx.target = name;
      }),
    PROF,
  );
  group(
    program
      .command('delprofile')
      .argument('<name>', 'profile name')
      .description('remove profile NAME from the rc file')
      .action((name: string) =>
        edit(() => {
          const e = ctx.editor();
          if (e.showProfile(name) === undefined)
            throw new CliError(`no profile ${JSON.stringify(name)} in ${ctx.rcPath()}`);
          e.delProfile(name);
        }),
      ),
    PROF,
  );
  group(
    program
      .command('setparent')
      .alias('parent')
      .argument('<name>', 'the parent profile')
      .description('make the current profile inherit from profile NAME')
      .addHelpText('after', '\nNeeds a profile: aemp profile worker setparent common')
      .action((name: string) =>
        edit(() => {
          const target = needProfile(ctx, 'setparent');
          const e = ctx.editor();
          if (e.showProfile(name) === undefined)
            ctx.note(`aemp: note: profile ${JSON.stringify(name)} does not exist (yet)`);
          e.setParent(target, name);
        }),
      ),
    PROF,
  );
  group(
    program
      .command('delparent')
      .description('remove the parent of the current profile')
      .action(() => edit(() => ctx.editor().delParent(needProfile(ctx, 'delparent')))),
    PROF,
  );
  group(
    program
      .command('showprofile')
      .argument('[name]', 'profile name (default: the one "profile NAME" chose)')
      .description('print a profile as stored (JSON)')
      .action((name: string | undefined) => {
        const n = name ?? ctx.target;
        if (n === undefined) throw new UsageError('showprofile needs a profile name');
        const p = ctx.editor().showProfile(n);
        if (p === undefined) throw new CliError(`no profile ${JSON.stringify(n)} in ${ctx.rcPath()}`);
        show(ctx, p);
      }),
    PROF,
  );
  group(
    program
      .command('showconfig')
      .argument('[name]', 'profile name (default: the one "profile NAME" chose, else the host name)')
      .argument('[settings...]', 'KEY VALUE pairs given as configure arguments')
      .description(
        'print the effective configuration of a profile (JSON): defaults, top level, parents, profile',
      )
      .action((name: string | undefined, settings: string[]) => {
        if (settings.length % 2) throw new UsageError('showconfig: settings must be KEY VALUE pairs');
        const options: Record<string, unknown> = {};
        for (let i = 0; i < settings.length; i += 2) {
          const key = settings[i] as string;
          setOwn(options, key, valueFor(toSnakeKey(key), settings[i + 1] as string));
        }
        const profile = name ?? ctx.target ?? hostname();
        let merged: Record<string, unknown> = {};
        edit(() => {
          merged = ctx.editor().showConfig(profile, options);
        });
        show(ctx, merged);
      }),
    PROF,
  );

  // ---- low level ---------------------------------------------------------------
  setter(
    LOW,
    'monitor_timeout',
    'seconds',
    'seconds',
    ': handshake timeout, retry back-off cap (default 30)',
  );
  setter(LOW, 'connect_interval', 'seconds', 'seconds', ': per-node connect deadline (default 2)');
  setter(LOW, 'framing_format', 'formats', 'cbor,json (preference order)', ': framings offered and accepted');
  setter(LOW, 'auth_offer', 'methods', 'tls_sha3_512,hmac_sha3_512', ': auth methods this node sends');
  setter(
    LOW,
    'auth_accept',
    'methods',
    'tls_sha3_512,hmac_sha3_512,tls_anon,cleartext',
    ': auth methods this node accepts',
  );
  setter(LOW, 'autocork', 'bool', 'true/false (or 1/0)', ': batch writes');
  setter(LOW, 'nodelay', 'bool', 'true/false (or 1/0)', ': TCP_NODELAY');
  group(
    program
      .command('set')
      .argument('<key>', `a configuration key: ${Object.keys(KINDS).join(', ')}`)
      .argument(
        '<value>',
        'the value (lists: a,b or JSON; booleans: true/false; JSON when it starts with [ { ")',
      )
      .description('set any configuration key')
      .addHelpText('after', `\n${TARGET_NOTE}`)
      .action((key: string, value: string) => {
        const k = settableKey(key);
        edit(() => ctx.editor().setKey(ctx.target, k, valueFor(k, value)));
      }),
    LOW,
  );
  group(
    program
      .command('del')
      .argument('<key>', 'a configuration key')
      .description('remove any configuration key')
      .addHelpText('after', `\n${TARGET_NOTE}`)
      .action((key: string) => {
        const k = settableKey(key);
        edit(() => ctx.editor().delKey(ctx.target, k));
      }),
    LOW,
  );
}

function needProfile(ctx: CliContext, what: string): string {
  if (ctx.target === undefined)
    throw new UsageError(`${what} needs a profile first: aemp profile NAME ${what} …`);
  return ctx.target;
}

function settableKey(key: string): string {
  const k = toSnakeKey(key);
  if (k === 'eval')
    throw new UsageError(
      'eval: aemp never runs Perl code; edit the rc file by hand to keep one for Perl nodes',
    );
  if (!isKnownKey(k) || !Object.hasOwn(KINDS, k)) {
    throw new UsageError(`unknown configuration key ${clip(key)} (known: ${Object.keys(KINDS).join(', ')})`);
  }
  return k;
}
