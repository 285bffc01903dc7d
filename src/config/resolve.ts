/**
 * Resolution: from `createNode` options, the rc file and the built-in
 * defaults to the effective configuration (PROTOCOL.md §11.2).
 * @module
 */
import { readFileSync } from 'node:fs';
import { hostname as osHostname } from 'node:os';
import { DEFAULTS, defaultNodeIdTemplate } from './defaults.js';
import { ConfigError } from './errors.js';
import { makeRuniq } from './ids.js';
import { camelizeKeys, getOwn, setOwn, settingOf, snakifyKeys } from './keys.js';
import { expandNodeId, nodeIdProblem } from './node-id.js';
import { deepEqual } from './deep-equal.js';
import type { ConfigOverride, NodeOptions, ResolvedConfig } from './options.js';
import { fileLayers, withoutControlKeys, type Layer } from './profiles.js';
import { readRcFile, type RcData } from './rc-file.js';
import { rcPath as defaultRcPath, type Env } from './rc-path.js';
import { SETTING_ENTRIES, type ResolvedSettings } from './schema.js';
import { normalizeLayer } from './validate.js';

/** Where resolution gets what is not in the options. */
export interface ResolveContext {
  /** The environment for the rc file path (default `process.env`). */
  readonly env?: Env;
  /** The host name: the default profile and `%n` (default `os.hostname()`). */
  readonly hostname?: string;
  /** The RUNIQ for `%u` / a trailing `/` (default a fresh {@link makeRuniq}). */
  readonly runiq?: string;
  /** Use this parsed rc file content instead of reading the file. */
  readonly rcData?: RcData;
}

/** The node settings a resolved configuration holds as they were merged (`nodeid` is expanded). */
const RESOLVED_KEYS = SETTING_ENTRIES.filter(([k, spec]) => spec.role === 'value' && k !== 'nodeid').map(
  ([k]) => k,
);

/** The name of the layer of `createNode`'s own options. */
const OPTIONS_LAYER = 'createNode options';

/** The steering options, read before anything else. */
interface Steering {
  readonly options: Record<string, unknown>;
  readonly hostname: string;
  readonly profile: string | undefined;
  readonly norc: boolean;
  readonly force: boolean;
  readonly rcPath: string | undefined;
}

function steer(options: Readonly<Record<string, unknown>>, ctx: ResolveContext, where: string): Steering {
  const o = normalizeLayer(options, where);
  const norc = o.norc === true;
  return {
    options: o,
    hostname: ctx.hostname ?? osHostname(),
    profile: o.profile as string | undefined,
    norc,
    force: o.force === true,
    rcPath: norc ? undefined : ((o.rcPath as string | undefined) ?? defaultRcPath(ctx.env ?? process.env)),
  };
}

/**
 * Stacks layers, later ones winning; `undefined`/`null` values do not
 * count. `cert` and `certFile` are one slot: the layer that gives either
 * decides both.
 * @throws TypeError when one layer gives both `cert` and `certFile`.
 */
export function mergeLayers(layers: readonly Layer[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const { where, values } of layers) {
    const v = camelizeKeys(values, where);
    const hasCert = v.cert !== undefined && v.cert !== null;
    const hasFile = v.certFile !== undefined && v.certFile !== null;
    if (hasCert && hasFile) throw new TypeError(`cert and certFile both given (${where})`);
    if (hasCert || hasFile) {
      delete out.cert;
      delete out.certFile;
    }
    for (const [key, value] of Object.entries(v)) {
      if (value !== undefined && value !== null) setOwn(out, key, value);
    }
  }
  return out;
}

/**
 * The layers for a resolution, lowest first: the built-in defaults, then
 * the options and the file's layers in the order `force` says.
 */
function stack(
  s: Steering,
  defaults: Record<string, unknown>,
  data: RcData | undefined,
  normalize: boolean,
): Layer[] {
  const norm = (l: Layer): Layer =>
    normalize ? { where: l.where, values: normalizeLayer(l.values, l.where) } : l;
  const opts: Layer = { where: OPTIONS_LAYER, values: withoutControlKeys(s.options) };
  const file = data === undefined ? [] : fileLayers(data, s.profile, s.rcPath).map(norm);
  const base: Layer = { where: 'built-in defaults', values: defaults };
  return s.force ? [base, ...file, opts] : [base, opts, ...file];
}

function loadData(s: Steering, ctx: ResolveContext): RcData | undefined {
  if (s.norc) return undefined;
  if (ctx.rcData !== undefined) return ctx.rcData;
  return s.rcPath === undefined ? undefined : readRcFile(s.rcPath).data;
}

/**
 * The effective configuration for `createNode(options)`.
 *
 * The profile is `options.profile`, else the host name. Precedence:
 * built-in defaults < options < the rc file's top level < the profile's
 * parents (root first) < the profile itself; `force: true` puts the
 * options on top, `norc: true` leaves the file out. An unknown profile
 * contributes nothing (only the file's top level applies). The node id
 * template (default `"<profile>/"`) is expanded with the host name and
 * RUNIQ, and `certFile` is read when it is what configures the
 * certificate.
 *
 * @throws TypeError naming the key when a value has the wrong type (in the
 *   options or in the file), or when the node id is not valid.
 * @throws ConfigError when the rc file cannot be read or parsed, its
 *   profiles are malformed or form a `parent` cycle, or `certFile` cannot be read.
 */
export function resolveConfig(options: NodeOptions = {}, ctx: ResolveContext = {}): ResolvedConfig {
  const s = steer(options as Readonly<Record<string, unknown>>, ctx, 'createNode options');
  const profile = s.profile ?? s.hostname;
  const steering = { ...s, profile };
  const defaults = { ...DEFAULTS, nodeid: defaultNodeIdTemplate(profile) };
  const layers = stack(steering, defaults, loadData(s, ctx), true);
  const merged = mergeLayers(layers);

  const runiq = ctx.runiq ?? makeRuniq();
  const template = merged.nodeid as string;
  const { nodeid, randomized } = expandNodeId(template, { hostname: s.hostname, runiq });
  const problem = nodeIdProblem(nodeid);
  if (problem !== undefined) {
    throw new TypeError(
      `nodeid ${problem}: ${JSON.stringify(nodeid)} (template ${JSON.stringify(template)})`,
    );
  }

  let cert = merged.cert as string | undefined;
  const certFile = merged.certFile as string | undefined;
  if (cert === undefined && certFile !== undefined) {
    try {
      cert = readFileSync(certFile, 'utf8');
    } catch (e) {
      throw new ConfigError(certFile, `cannot read certificate: ${(e as Error).message}`, { cause: e });
    }
  }

  const settings: Record<string, unknown> = {};
  for (const key of RESOLVED_KEYS) setOwn(settings, key, getOwn(merged, key));
  const values = settings as ResolvedSettings; // each checked by normalizeLayer, defaults from the table
  const extra: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(merged))
    if ((settingOf(k)?.role ?? 'perl') === 'perl') setOwn(extra, k, v);

  return Object.freeze({
    profile,
    hostname: s.hostname,
    nodeid,
    nodeidTemplate: template,
    nodeidRandomized: randomized,
    runiq,
    ...values,
    cert,
    rcPath: s.norc ? undefined : s.rcPath,
    extra: Object.freeze(extra),
    overridden: Object.freeze(s.force ? [] : overriddenOptions(layers)),
  });
}

/**
 * The options (the `createNode options` layer) that a later layer of the
 * stack replaced with a different value, each with the last layer that did.
 */
function overriddenOptions(layers: readonly Layer[]): ConfigOverride[] {
  const at = layers.findIndex((l) => l.where === OPTIONS_LAYER);
  if (at < 0) return [];
  const given = camelizeKeys(layers[at]!.values, OPTIONS_LAYER);
  const out: ConfigOverride[] = [];
  for (const [key, value] of Object.entries(given)) {
    if (value === undefined || value === null) continue;
    let by: string | undefined;
    let winner: unknown = value;
    for (const later of layers.slice(at + 1)) {
      const v = getOwn(camelizeKeys(later.values, later.where), key);
      if (v !== undefined && v !== null) {
        by = later.where;
        winner = v;
      }
    }
    if (by !== undefined && !deepEqual(winner, value)) out.push({ key, by });
  }
  return out;
}

/**
 * The merged configuration for `profile` in the rc file's own terms
 * (snake_case keys, values as written, no coercion or node id expansion),
 * the way Perl's `aemp showconfig` shows it: built-in defaults < `options`
 * < top level < parents < profile (with `force`/`norc` in `options`
 * honoured). Without a profile only the top level applies. Unlike Perl's,
 * the result leaves out the structural `profile`, `version` and `parent` keys.
 * @throws ConfigError on a broken profile structure or a cycle.
 */
export function mergedRcConfig(
  data: RcData,
  profile: string | undefined,
  options: Readonly<Record<string, unknown>> = {},
  file?: string,
): Record<string, unknown> {
  const s: Steering = { ...steer(options, { hostname: '' }, 'options'), profile, rcPath: file };
  const defaults: Record<string, unknown> = { ...DEFAULTS };
  if (profile !== undefined) defaults.nodeid = defaultNodeIdTemplate(profile);
  const merged = mergeLayers(stack(s, defaults, s.norc ? undefined : data, false));
  return snakifyKeys(merged);
}
