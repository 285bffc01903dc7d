/**
 * The option type `createNode(options)` takes, and the effective
 * configuration the resolver hands back.
 *
 * Every setting is defined in the settings table (`schema.ts`): its rc-file
 * name, type, default and check. {@link NodeOptions} is the documented
 * public form of the table's `value` and `control` settings (checked
 * against the table at compile time); {@link ResolvedConfig}'s settings are
 * derived from it. Times are in seconds, as in Perl.
 * @module
 */
import type { ServiceSpec } from './checks.js';
import type { KeyOfRole, ResolvedSettings, SettingValue } from './schema.js';

export type { ServiceSpec };

/**
 * Everything `createNode` accepts. All keys are optional; what is missing
 * comes from the rc file's profile or from the built-in defaults
 * (`defaults.ts`).
 *
 * Precedence (PROTOCOL.md §11.2): built-in defaults < these options < the
 * rc file's top level < the profile's parent chain (root first) < the
 * profile itself. With `force: true` these options win over the file; with
 * `norc: true` the file is not read at all.
 *
 * Keys given as `undefined` (or `null`) count as not given. Numbers given as
 * numeric strings (`'10'`, as Perl's `aemp` writes them) are accepted.
 */
export interface NodeOptions {
  /**
   * Node id template (§1.1): `%n` becomes the host name, `%u` and a
   * trailing `/` become the process's RUNIQ. Default `"<profile>/"`.
   */
  nodeid?: string;
  /**
   * Listen specs `host:port`; host `*` = every public interface address,
   * port `*` or `0` = ephemeral, bare `port` = `<hostname>:port`.
   * Default `['*']`.
   */
  binds?: readonly string[];
  /** Seed addresses `host:port` to connect to and keep connected. Default none. */
  seeds?: readonly string[];
  /** Shared secret for `hmac_sha3_512` / `tls_sha3_512` auth. Default none. */
  secret?: string;
  /**
   * PEM text holding the certificate *and* its private key — the text
   * itself, as in Perl (whose `aemp setcert FILE` stores the file's
   * contents). Enables the TLS offer. Default none.
   */
  cert?: string;
  /**
   * Our extra: a path to read `cert` from. Within one layer (options, file
   * top level, a profile) give either `cert` or `certFile`, not both; the
   * layer that wins decides, and the file is read only if it wins.
   */
  certFile?: string;
  /**
   * Framings offered and accepted, in order of preference. Default
   * `['cbor', 'json']` (we never offer Perl's `storable`).
   */
  framingFormat?: readonly string[];
  /** Auth methods this node may send. Default `['tls_sha3_512', 'hmac_sha3_512']`. */
  authOffer?: readonly string[];
  /**
   * Auth methods this node advertises and (unlike Perl) enforces. Default
   * `['tls_sha3_512', 'hmac_sha3_512', 'tls_anon', 'cleartext']`.
   */
  authAccept?: readonly string[];
  /** Handshake read timeout and retry back-off cap, in seconds. Default 30. */
  monitorTimeout?: number | string;
  /** Per-node connect deadline and address spacing, in seconds. Default 2. */
  connectInterval?: number | string;
  /** Batch writes (AnyEvent::Handle autocork). Default false. */
  autocork?: boolean;
  /** Set TCP_NODELAY. Default true. */
  nodelay?: boolean;
  /**
   * AnyEvent::MP's secure mode: refuse node-port `eval` and every node-port
   * request that names a function — so every remote `spawn` (and the
   * LogCatcher service) — logging `remote execution not allowed`, as a
   * secure Perl node does. Default false. To let peers spawn some
   * registered functions all the same, list them in {@link spawnAllow}.
   */
  secure?: boolean;
  /**
   * Our extra: the registered functions other nodes may `spawn` here (an
   * allow-list, also in `secure` mode). Not given (the default): a secure
   * node refuses every remote spawn, any other node runs every registered
   * function a peer names. Given: peers may spawn exactly these (when
   * registered), secure or not; `[]` refuses every remote spawn. Local
   * `spawn` and `services` are never restricted.
   */
  spawnAllow?: readonly string[];
  /** Services to start after configure. Default none. */
  services?: readonly ServiceSpec[];

  /** The profile to use; default the host name. */
  profile?: string;
  /** Ignore the rc file entirely. */
  norc?: boolean;
  /** Let these options win over the rc file. */
  force?: boolean;
  /**
   * The rc file to read instead of the default
   * (`$PERL_ANYEVENT_MP_RC`, else `$HOME/.perl-anyevent-mp`, else
   * `$APPDATA/perl-anyevent-mp`).
   */
  rcPath?: string;

  /** Our extra: the largest data frame accepted, in bytes. Default 16 MiB. */
  maxFrameBytes?: number | string;
  /**
   * Our extra: the longest greeting/auth line accepted during the handshake,
   * in bytes. Default 4096 (Perl's handshake read buffer limit).
   */
  maxLineBytes?: number | string;
  /** Our extra: make this node a global node. Default false. */
  global?: boolean;
  /**
   * Our extra: explicitly known node addresses, node id → `host:port` list
   * (for tests and small setups without seeds). Default none.
   */
  addresses?: Readonly<Record<string, readonly string[]>>;
}

/**
 * The effective configuration: every key resolved, coerced and validated.
 * The node settings (`binds`, `seeds`, `monitorTimeout` …, see
 * {@link NodeOptions}) come from the settings table (`schema.ts`): each has
 * its value type, `| undefined` when it has no default (`secret`, `cert`,
 * `certFile`, `spawnAllow`). Unknown keys (from the options or the file,
 * including Perl's `eval`, which aemp never runs) are kept in `extra`.
 */
export interface ResolvedConfig extends ResolvedSettings {
  /** The profile name that was used (the option, else the host name). */
  readonly profile: string;
  /** The host name used for `%n`, bare-port binds and the default profile. */
  readonly hostname: string;
  /** The node id: `nodeidTemplate` expanded (§1.1). */
  readonly nodeid: string;
  /** The node id template before expansion. */
  readonly nodeidTemplate: string;
  /**
   * True when expansion replaced `%u` or a trailing `/`; the local port-name
   * prefix UNIQ is then empty.
   */
  readonly nodeidRandomized: boolean;
  /** This node's RUNIQ (remote-spawn prefix, the `%u` value). */
  readonly runiq: string;
  /** The rc file that was consulted, or `undefined` (`norc`, or no path could be formed). */
  readonly rcPath: string | undefined;
  /** Keys nobody here knows, passed through as given (camelCase where known). */
  readonly extra: Readonly<Record<string, unknown>>;
  /**
   * Settings given in the `createNode` options that the rc file replaced
   * with a different value (AnyEvent::MP's precedence: the file wins unless
   * `force: true`), each with the layer that won. `createNode` logs them at
   * `info`.
   */
  readonly overridden: readonly ConfigOverride[];
}

/** One option the rc file replaced (see {@link ResolvedConfig.overridden}). */
export interface ConfigOverride {
  /** The setting (camelCase). */
  readonly key: string;
  /** Where the winning value came from, e.g. `rc file ~/.perl-anyevent-mp, profile "seed"`. */
  readonly by: string;
}

// ---- compile-time agreement of NodeOptions with the settings table ---------

/** The settings `createNode` takes: the node settings and the control keys. */
type OptionKey = KeyOfRole<'value' | 'control'>;
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
/** Options whose type cannot hold their setting's checked value. */
type Misfits = {
  [K in OptionKey]: SettingValue<K> extends NonNullable<NodeOptions[K]> ? never : K;
}[OptionKey];
/** `true`, or the keys where {@link NodeOptions} and the table disagree (then this fails to compile). */
export type NodeOptionsMatchSchema =
  Same<keyof NodeOptions, OptionKey> extends true
    ? [Misfits] extends [never]
      ? true
      : Misfits
    : Exclude<keyof NodeOptions, OptionKey> | Exclude<OptionKey, keyof NodeOptions>;
const optionsMatch: NodeOptionsMatchSchema = true;
void optionsMatch;
