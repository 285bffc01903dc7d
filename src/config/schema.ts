/**
 * The settings: every key of the configuration, defined once.
 *
 * One entry of {@link SETTINGS} per setting says everything about it: its
 * camelCase name (the entry's key, used by `createNode` options and
 * `ResolvedConfig`), its name in the rc file (`rc`, AnyEvent::MP's
 * snake_case), its role, its value type (check, coercion, how `aemp set`
 * reads it), its built-in default, its help text, and — for the settings
 * with their own `aemp setX`/`delX` commands — how those look in the help.
 * The rest of the configuration layer and the `aemp` command read this
 * table: the key mapping (`keys.ts`), the defaults (`defaults.ts`), the
 * checks (`validate.ts`), the resolved configuration's type and values
 * (`options.ts`, `resolve.ts`), the profile editor's list keys, the CLI's
 * configuration commands (`src/cli/config/`). (The file is long on purpose:
 * it is the whole table, one entry per setting, and the types read from it.)
 *
 * ## Adding a setting
 * 1. Add one entry here: key (camelCase), `rc` (snake_case), `role`
 *    (`'value'` for a node setting), `type` (one of `checks.ts`, or a new
 *    {@link ValueType} there), `default` (leave it out when "not given"
 *    means `undefined`), `help`, and `cli` if it deserves its own
 *    `aemp setX`/`delX` pair in a help group (every `'value'` setting can be
 *    set with `aemp set KEY VALUE` anyway).
 * 2. Add the documented field to `NodeOptions` in `options.ts` (the
 *    public option type; the compiler insists, and checks its type against
 *    the entry). `ResolvedConfig` gets the field by itself.
 * 3. Use `config.yourSetting` where it matters; write a test.
 * @module
 */
import {
  addressBook,
  boolean,
  byteCount,
  seconds,
  services,
  string,
  stringList,
  type ServiceSpec,
  type ValueType,
} from './checks.js';

/**
 * What a setting is for:
 * - `value`: a node setting, resolved into `ResolvedConfig` and
 *   settable with `aemp set`;
 * - `control`: steers resolution itself (which file, which profile,
 *   precedence), never stored as a value;
 * - `file`: the rc file's own structure (`parent`, `version`);
 * - `perl`: known from Perl but never used here (`eval`: kept in `extra`).
 */
export type Role = 'value' | 'control' | 'file' | 'perl';

/** The help group of a setting's `aemp setX`/`delX` commands. */
export type CliGroup = 'identity' | 'addresses' | 'lowLevel';

/** How a setting appears as its own `aemp setX`/`delX` commands. */
export interface CliSpec {
  /** The help group the commands are listed in. */
  readonly group: CliGroup;
  /** The argument's name in the usage line (`setseeds <seeds>`). */
  readonly arg: string;
  /** The argument's description. */
  readonly about: string;
  /** Entries are seed addresses, checked as `host:port` on the command line. */
  readonly seeds?: true;
  /** Also `addX`/`delX` commands for one entry of the list (`one` is X). */
  readonly list?: { readonly one: string; readonly about: string };
}

/** One setting (see the module documentation). */
export interface SettingSpec {
  /** Its name in the rc file (AnyEvent::MP's, snake_case). */
  readonly rc: string;
  readonly role: Role;
  /** Its value type; none for keys that are never checked (`eval`, `version`). */
  readonly type?: ValueType<unknown>;
  /** The built-in default; absent: not given means `undefined`. */
  readonly default?: unknown;
  /** What it does, in a few words (help texts). */
  readonly help: string;
  /** Its own `aemp setX`/`delX` commands, if any. */
  readonly cli?: CliSpec;
}

/**
 * Every setting, in the order help texts list them. Keys are the camelCase
 * names. (Our own data: look settings up by user-given names only through
 * `keys.ts`, whose tables are `Map`s.)
 */
export const SETTINGS = {
  // ---- identity and authentication -----------------------------------------
  /** The node id (template, §1.1): `%n` = host name, `%u` or a trailing `/` = RUNIQ. Default `"<profile>/"`. */
  nodeid: {
    rc: 'nodeid',
    role: 'value',
    type: string,
    help: 'the node id template',
    cli: {
      group: 'identity',
      arg: 'id',
      about: 'node id template: %n = host name, %u or a trailing / = a random id',
    },
  },
  /** Shared secret for `hmac_sha3_512` / `tls_sha3_512` auth. */
  secret: {
    rc: 'secret',
    role: 'value',
    type: string,
    help: 'the shared secret',
    cli: { group: 'identity', arg: 'secret', about: 'the shared secret every node of the network uses' },
  },
  /** PEM text (read from `certFile` when that is what was configured). */
  cert: {
    rc: 'cert',
    role: 'value',
    type: string,
    help: 'a certificate and its private key (PEM text): enables TLS',
  },
  /** The file `cert` was read from, if it came from `certFile`. */
  certFile: { rc: 'cert_file', role: 'value', type: string, help: 'a PEM file to read cert from' },

  // ---- addresses and services ------------------------------------------------
  seeds: {
    rc: 'seeds',
    role: 'value',
    type: stringList,
    default: Object.freeze([] as string[]),
    help: 'the addresses a node connects to on start',
    cli: {
      group: 'addresses',
      arg: 'seeds',
      about: 'host:port,host:port… (or a JSON array)',
      seeds: true,
      list: { one: 'seed', about: 'host:port' },
    },
  },
  binds: {
    rc: 'binds',
    role: 'value',
    type: stringList,
    default: Object.freeze(['*']),
    help: 'where a node listens',
    cli: {
      group: 'addresses',
      arg: 'binds',
      about: 'host:port,… (host * = every public address, port 0 or * = any free one)',
      list: { one: 'bind', about: 'host:port' },
    },
  },
  services: {
    rc: 'services',
    role: 'value',
    type: services,
    default: Object.freeze([] as ServiceSpec[]),
    help: 'what a node starts',
    cli: {
      group: 'addresses',
      arg: 'services',
      about: 'Name::func,… or a JSON array (["Name::func", args…] entries)',
      list: { one: 'service', about: 'Name::func, or a JSON array ["Name::func", args…]' },
    },
  },

  // ---- low level ---------------------------------------------------------------
  /** Seconds. */
  monitorTimeout: {
    rc: 'monitor_timeout',
    role: 'value',
    type: seconds,
    default: 30,
    help: 'handshake timeout, retry back-off cap',
    cli: { group: 'lowLevel', arg: 'seconds', about: 'seconds' },
  },
  /** Seconds. */
  connectInterval: {
    rc: 'connect_interval',
    role: 'value',
    type: seconds,
    default: 2,
    help: 'per-node connect deadline',
    cli: { group: 'lowLevel', arg: 'seconds', about: 'seconds' },
  },
  framingFormat: {
    rc: 'framing_format',
    role: 'value',
    type: stringList,
    default: Object.freeze(['cbor', 'json']),
    help: 'framings offered and accepted',
    cli: { group: 'lowLevel', arg: 'formats', about: 'cbor,json (preference order)' },
  },
  authOffer: {
    rc: 'auth_offer',
    role: 'value',
    type: stringList,
    default: Object.freeze(['tls_sha3_512', 'hmac_sha3_512']),
    help: 'auth methods this node sends',
    cli: { group: 'lowLevel', arg: 'methods', about: 'tls_sha3_512,hmac_sha3_512' },
  },
  authAccept: {
    rc: 'auth_accept',
    role: 'value',
    type: stringList,
    default: Object.freeze(['tls_sha3_512', 'hmac_sha3_512', 'tls_anon', 'cleartext']),
    help: 'auth methods this node accepts',
    cli: { group: 'lowLevel', arg: 'methods', about: 'tls_sha3_512,hmac_sha3_512,tls_anon,cleartext' },
  },
  autocork: {
    rc: 'autocork',
    role: 'value',
    type: boolean,
    default: false,
    help: 'batch writes',
    cli: { group: 'lowLevel', arg: 'bool', about: 'true/false (or 1/0)' },
  },
  nodelay: {
    rc: 'nodelay',
    role: 'value',
    type: boolean,
    default: true,
    help: 'TCP_NODELAY',
    cli: { group: 'lowLevel', arg: 'bool', about: 'true/false (or 1/0)' },
  },
  secure: {
    rc: 'secure',
    role: 'value',
    type: boolean,
    default: false,
    help: 'refuse remote execution (node-port eval and spawn)',
  },
  /** The remote-spawn allow-list, `undefined` when not given (see `NodeOptions.spawnAllow`). */
  spawnAllow: {
    rc: 'spawn_allow',
    role: 'value',
    type: stringList,
    help: 'the registered functions other nodes may spawn here',
  },
  global: {
    rc: 'global',
    role: 'value',
    type: boolean,
    default: false,
    help: 'make this node a global node',
  },
  maxFrameBytes: {
    rc: 'max_frame_bytes',
    role: 'value',
    type: byteCount,
    default: 16 * 1024 * 1024,
    help: 'the largest data frame accepted, in bytes',
  },
  maxLineBytes: {
    rc: 'max_line_bytes',
    role: 'value',
    type: byteCount,
    default: 4096,
    help: 'the longest handshake line accepted, in bytes',
  },
  addresses: {
    rc: 'addresses',
    role: 'value',
    type: addressBook,
    default: Object.freeze(Object.create(null) as Record<string, readonly string[]>),
    help: 'known node addresses: node id → host:port list',
  },

  // ---- resolution and file structure ----------------------------------------
  profile: {
    rc: 'profile',
    role: 'control',
    type: string,
    help: 'the profile to use (default the host name)',
  },
  norc: { rc: 'norc', role: 'control', type: boolean, help: 'ignore the rc file' },
  force: { rc: 'force', role: 'control', type: boolean, help: 'let the options win over the rc file' },
  rcPath: { rc: 'rc_path', role: 'control', type: string, help: 'the rc file to read' },
  parent: { rc: 'parent', role: 'file', type: string, help: 'the profile a profile inherits from' },
  version: { rc: 'version', role: 'file', help: "the rc file's format version" },
  eval: { rc: 'eval', role: 'perl', help: 'Perl code a Perl node runs (never run here)' },
} as const satisfies Readonly<Record<string, SettingSpec>>;

/** The settings table's type. */
export type Settings = typeof SETTINGS;
/** A setting's camelCase name. */
export type SettingKey = keyof Settings;

/** The settings of a role. */
export type KeyOfRole<R extends Role> = {
  [K in SettingKey]: Settings[K]['role'] extends R ? K : never;
}[SettingKey];

/** The value type of setting `K` (what its check returns). */
export type SettingValue<K extends SettingKey> = Settings[K] extends { readonly type: ValueType<infer T> }
  ? T
  : unknown;

/** The settings that have a built-in default. */
export type DefaultedKey = {
  [K in SettingKey]: Settings[K] extends { readonly default: unknown } ? K : never;
}[SettingKey];

/**
 * The node settings as `ResolvedConfig` holds them: the value's type,
 * `| undefined` when there is no default. (`nodeid` is not here: the
 * resolved configuration holds it expanded, next to its template.)
 */
export type ResolvedSettings = {
  readonly [K in Exclude<KeyOfRole<'value'>, 'nodeid'>]: K extends DefaultedKey
    ? SettingValue<K>
    : SettingValue<K> | undefined;
};

/** The rc-file keys of the settings with `addX`/`delX` commands for one list entry. */
export type ListKey = {
  [K in SettingKey]: Settings[K] extends { readonly cli: { readonly list: object } }
    ? Settings[K]['rc']
    : never;
}[SettingKey];

/** Every setting as `[name, spec]`, in table order. */
export const SETTING_ENTRIES: readonly (readonly [SettingKey, SettingSpec])[] = Object.freeze(
  Object.entries(SETTINGS) as [SettingKey, SettingSpec][],
);

/** Compile-time: every default is a value of its setting's type. */
type BadDefaults = {
  [K in SettingKey]: Settings[K] extends { readonly default: infer D }
    ? D extends SettingValue<K>
      ? never
      : K
    : never;
}[SettingKey];
/** Fails to compile (naming the setting) when a default does not fit its type. */
export type DefaultsFitTheirTypes = [BadDefaults] extends [never] ? true : BadDefaults;
const defaultsFit: DefaultsFitTheirTypes = true;
void defaultsFit;
