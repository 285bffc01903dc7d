/**
 * `aemp logs`: follow the log records of every node, as AnyEvent::MP's
 * LogCatcher does (PROTOCOL.md §10). For every other node N it makes a port
 * P and sends `["AnyEvent::MP::LogCatcher::connect", 0, P, LEVEL]` to N's
 * node port; N then sends each record at LEVEL or worse to P as
 * `[TIME, CONTEXT, LEVEL, TEXT]`, and stops when P dies. Nodes come from
 * the database's `'l` family (or, without one, the seeds and the nodes that
 * connect), and are caught again when they come back.
 * @module
 */
import type { Command } from 'commander';
import type { Subscription } from 'rxjs';
import { cleanLogText, LOG_CATCHER_CONNECT, LOG_FIELD_MAX_BYTES, LOG_LEVELS } from '../index.js';
import { secondsArg } from './args.js';
import { DEFAULT_WAIT, withClient, type ClientNode } from './clientNode.js';
import type { CliContext } from './context.js';
import { UsageError } from './errors.js';
import { LOOK } from './helpGroups.js';
import { LISTENERS } from './nodesCommand.js';
import { untilSignal } from './signals.js';

/** How long to wait before catching a node again whose connection was lost. */
const RETRY_MS = 2000;

function levelName(severity: unknown): string {
  return typeof severity === 'number' ? (LOG_LEVELS[severity - 1] ?? String(severity)) : String(severity);
}

/** Prints one forwarded record (a peer's text: made safe for one line, as our own log lines are). */
function printRecord(ctx: CliContext, node: string, msg: readonly unknown[]): void {
  const [time, context, severity, text] = msg;
  // a peer's TIME: a number a Date can hold (toISOString throws beyond ±8.64e12 s), else now
  const t = typeof time === 'number' && Math.abs(time) < 8.64e12 ? time : Date.now() / 1000;
  if (ctx.globals.json) {
    ctx.json({ node, time: t, level: levelName(severity), severity, context, message: text });
    return;
  }
  const when = new Date(t * 1000).toISOString().replace('T', ' ').slice(0, 23);
  const level = cleanLogText(levelName(severity), LOG_FIELD_MAX_BYTES);
  const where = cleanLogText(String(context), LOG_FIELD_MAX_BYTES);
  ctx.out(
    `${when} ${level.padEnd(5)} [${cleanLogText(node, LOG_FIELD_MAX_BYTES)}] ${where}: ${cleanLogText(String(text))}`,
  );
}

/** Catches the logs of `client`'s network until a signal. */
async function catchLogs(
  ctx: CliContext,
  client: ClientNode,
  severity: number,
  only: readonly string[],
): Promise<void> {
  const { node } = client;
  const attached = new Map<string, string>(); // node id → our catching port
  const wanted = new Set<string>(only);
  const retries = new Set<NodeJS.Timeout>();
  const attach = (id: string) => {
    if (id === node.id || attached.has(id)) return;
    const port = node.port((msg) => printRecord(ctx, id, msg));
    attached.set(id, port.id);
    node.snd(`${id}#`, LOG_CATCHER_CONNECT, 0, port.id, severity);
  };
  const detach = (id: string) => {
    const port = attached.get(id);
    if (port === undefined) return;
    attached.delete(id);
    node.kil(port);
  };
  const subs: Subscription[] = [];
  subs.push(
    node.nodes$.subscribe((e) => {
      if (e.up) {
        if (wanted.has(e.node)) attach(e.node);
        return;
      }
      detach(e.node);
      // still listed: try again in a while (sending the request makes the connection)
      if (!wanted.has(e.node)) return;
      const t = setTimeout(() => {
        retries.delete(t);
        if (wanted.has(e.node)) attach(e.node);
      }, RETRY_MS);
      retries.add(t);
    }),
  );
  if (only.length) {
    for (const id of only) attach(id);
  } else {
    subs.push(
      node.db.mon(LISTENERS).subscribe((d) => {
        for (const [id, addresses] of [...Object.entries(d.added), ...Object.entries(d.changed)]) {
          if (!Array.isArray(addresses) || addresses.length === 0) continue; // no listener: cannot be reached
          wanted.add(id);
          attach(id);
        }
        for (const id of Object.keys(d.deleted)) {
          wanted.delete(id);
          detach(id);
        }
      }),
    );
  }
  try {
    await untilSignal();
  } finally {
    for (const s of subs) s.unsubscribe();
    for (const t of retries) clearTimeout(t);
    for (const id of [...attached.keys()]) detach(id);
  }
}

/** Registers `logs`. */
export function registerLogsCommand(program: Command, ctx: CliContext): void {
  program
    .command('logs')
    .option('-l, --level <level>', `the least severe level to show (${LOG_LEVELS.join(', ')})`, 'info')
    .option('--node <id...>', 'only these nodes (default: every node the network knows, as they come and go)')
    .option('--wait <seconds>', 'how long to wait for a seed', String(DEFAULT_WAIT))
    .description("follow the log records of every node (AnyEvent::MP's LogCatcher protocol), until Ctrl-C")
    .addHelpText(
      'after',
      '\nNodes started with "aemp run" serve log catchers (Perl nodes do too, unless secure).\nWith --json: one {"node","time","level","severity","context","message"} object per line.',
    )
    .helpGroup(LOOK)
    .action(async (opts: { level: string; node?: string[]; wait: string }) => {
      const i = (LOG_LEVELS as readonly string[]).indexOf(opts.level);
      const severity = /^[1-9]$/.test(opts.level) ? Number(opts.level) : i + 1;
      if (severity === 0) throw new UsageError(`--level must be one of ${LOG_LEVELS.join(', ')} (or 1-9)`);
      await withClient(
        ctx,
        'logs',
        (client) => catchLogs(ctx, client, severity, opts.node ?? []),
        secondsArg(opts.wait, '--wait'),
      );
    });
}
