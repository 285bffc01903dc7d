/**
 * `createNode`: resolve the configuration (options, rc file, profile),
 * build the node, start listening and connecting.
 * @module
 */
import { filter } from 'rxjs';
import { makeUniq, resolveConfig, type NodeOptions, type ResolveContext, type ResolvedConfig } from './config/index.js';
import { type InitFn } from './kernel/index.js';
import { LOG_LEVELS, severityOf, type LogLevel, type LogRecord } from './log/index.js';
import { serveLogCatcher } from './kernel/index.js';
import { Network, streamLinks } from './remote/index.js';
import { cleanLogText, LOG_FIELD_MAX_BYTES, LOG_MESSAGE_MAX_BYTES } from './log/index.js';
import { AempNode } from './node.js';
import { Database } from './db/index.js';
import { startServices } from './services.js';

/** Options of {@link createNode}: every rc-file key camelCased, plus a few of ours. */
export interface CreateNodeOptions extends NodeOptions {
  /**
   * The default log sink: records at this level or worse go to stderr.
   * Default `'warn'`; `false` turns the sink off (subscribe to `node.log$`
   * yourself).
   */
  stderrLog?: LogLevel | false;
  /** Resolution context (env, host name, rc data): for tests and embedding. */
  context?: ResolveContext;
  /**
   * Spawnable functions to register before anything starts (the same as
   * calling `node.register(name, init)` for each), so that `services`
   * (from these options or the rc file) can name them.
   */
  functions?: Readonly<Record<string, InitFn>>;
}

/**
 * Creates a node: resolves its configuration the way AnyEvent::MP's
 * `configure` does (built-in defaults < these options < rc file top level <
 * profile parents < profile; `force`, `norc`), listens on `binds`, and keeps
 * `seeds` connected, then starts `services` (see `services.ts`). Several
 * nodes may live in one process; they share nothing.
 *
 * @example
 * ```ts
 * const node = await createNode({ nodeid: 'worker/', binds: ['127.0.0.1:0'], secret: 's3cret', norc: true });
 * const p = node.port((msg) => console.log('got', msg));
 * node.snd(p.id, 'hello');
 * await node.close();
 * ```
 */
export async function createNode(options: CreateNodeOptions = {}): Promise<AempNode> {
  if (typeof options !== 'object' || options === null) throw new TypeError('createNode: options must be an object');
  const { stderrLog = 'warn', context, functions = {}, ...nodeOptions } = options;
  if (typeof functions !== 'object' || functions === null) throw new TypeError('createNode: functions must be an object of init functions');
  if (stderrLog !== false && !LOG_LEVELS.includes(stderrLog))
    throw new TypeError(`createNode: stderrLog must be a log level or false, got ${String(stderrLog)}`);
  const config = resolveConfig(nodeOptions, context);
  const node = new AempNode(
    {
      id: config.nodeid,
      uniq: config.nodeidRandomized ? '' : makeUniq(),
      runiq: config.runiq,
      secure: config.secure,
      spawnAllow: config.spawnAllow,
    },
    config,
  );
  if (stderrLog !== false) {
    const max = severityOf(stderrLog);
    node.log$.pipe(filter((r) => r.severity <= max)).subscribe((r) => process.stderr.write(formatLogLine(r)));
  }
  logOverrides(node, config.overridden);
  for (const [name, init] of Object.entries(functions)) node.register(name, init);
  const network = new Network(node, streamLinks(node, config), config);
  node.attachNetwork(network);
  // AnyEvent::MP::LogCatcher's serving side (`aemp logs`); a secure node refuses it, as Perl's does
  if (!config.secure) serveLogCatcher(node);
  const { seeds, global, monitorTimeout, maxFrameBytes } = config;
  const db = new Database(node, network, { seeds, global, monitorTimeout, maxFrameBytes });
  node.attachDatabase(db);
  try {
    await network.start();
    db.start();
    await startServices(node, config.services);
  } catch (err) {
    await node.close();
    throw err;
  }
  return node;
}

/**
 * Says at `info` which of the caller's options the rc file replaced, and by
 * which layer (AnyEvent::MP's precedence: the profile wins unless `force`).
 */
function logOverrides(node: AempNode, overridden: ResolvedConfig['overridden']): void {
  const byLayer = new Map<string, string[]>();
  for (const { key, by } of overridden) byLayer.set(by, [...(byLayer.get(by) ?? []), key]);
  for (const [by, keys] of byLayer)
    node.log(
      'info',
      'config',
      `${by} overrides the createNode option${keys.length > 1 ? 's' : ''} ${keys.join(', ')} (force: true keeps the options)`,
    );
}

/**
 * One log record as a stderr line: `2026-11-25 06:10:00.123 warn  [node] context: text`.
 * Every field is made safe (control characters escaped, long fields cut), so
 * the line is one line and under 2048 bytes whatever the record holds.
 */
export function formatLogLine(r: LogRecord): string {
  const t = new Date(r.time).toISOString().replace('T', ' ').slice(0, 23);
  const node = cleanLogText(String(r.node), LOG_FIELD_MAX_BYTES);
  const context = cleanLogText(String(r.context), LOG_FIELD_MAX_BYTES);
  return `${t} ${r.level.padEnd(5)} [${node}] ${context}: ${cleanLogText(String(r.message), LOG_MESSAGE_MAX_BYTES)}\n`;
}
