/**
 * The option type `createNode(options)` takes, and the effective
 * configuration the resolver hands back.
 *
 * Every key of AnyEvent::MP's rc file (PROTOCOL.md §11.3) appears here
 * camelCased; `keys.ts` holds the exact mapping (`framing_format` ↔
 * `framingFormat`, `auth_offer` ↔ `authOffer` …). Times are in seconds, as
 * in Perl.
 * @module
 */

/**
 * A service to start after configure: `'Pkg::'` (load a module),
 * `'Pkg::func'` (call it) or `['Pkg::func', arg…]` (call it with arguments).
 */
export type ServiceSpec = string | readonly [string, ...unknown[]];

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
 * Unknown keys (from the options or the file, including Perl's `eval`, which
 * aemp never runs) are kept in `extra`.
 */
export interface ResolvedConfig {
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
  readonly binds: readonly string[];
  readonly seeds: readonly string[];
  readonly secret: string | undefined;
  /** PEM text (read from `certFile` when that is what was configured). */
  readonly cert: string | undefined;
  /** The file `cert` was read from, if it came from `certFile`. */
  readonly certFile: string | undefined;
  readonly framingFormat: readonly string[];
  readonly authOffer: readonly string[];
  readonly authAccept: readonly string[];
  /** Seconds. */
  readonly monitorTimeout: number;
  /** Seconds. */
  readonly connectInterval: number;
  readonly autocork: boolean;
  readonly nodelay: boolean;
  readonly secure: boolean;
  /** The remote-spawn allow-list, `undefined` when not given (see {@link NodeOptions.spawnAllow}). */
  readonly spawnAllow: readonly string[] | undefined;
  readonly services: readonly ServiceSpec[];
  readonly maxFrameBytes: number;
  readonly maxLineBytes: number;
  readonly global: boolean;
  readonly addresses: Readonly<Record<string, readonly string[]>>;
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
