/**
 * The serving side of AnyEvent::MP's LogCatcher (PROTOCOL.md §10): a
 * node-port service `AnyEvent::MP::LogCatcher::connect`. A catcher on node
 * X sends `["AnyEvent::MP::LogCatcher::connect", 0, "X#P", LEVEL]` to our
 * node port; from then on every record of ours at LEVEL or more severe goes
 * to port P as `[TIME, CONTEXT, LEVEL, TEXT]` (TIME in seconds, LEVEL
 * 1 = fatal … 9 = trace), until P dies.
 *
 * A separate file so that it stays an ordinary client of the kernel: it
 * only adds to `kernel.services`, reads `log$` and uses `snd`/`mon`. A
 * secure node (`secure: true`) does not install it, as a secure Perl node
 * refuses this function-name request.
 * @module
 */
import { Subscription, filter } from 'rxjs';
import { severityOf, LOG_LEVELS, type LogLevel } from '../log/index.js';
import type { Kernel } from './node.js';

/** The node-port request a catcher sends. */
export const LOG_CATCHER_CONNECT = 'AnyEvent::MP::LogCatcher::connect';

/** AnyEvent::Log's other names for levels. */
const LEVEL_ALIASES: Readonly<Record<string, number>> = { emerg: 1, crit: 3, err: 4, warning: 5, notice: 6 };

/** A LEVEL as a catcher may send it: 1…9, or a level name (AnyEvent::Log's aliases included). */
function levelOf(v: unknown): number {
  if (typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= 9) return v;
  if (typeof v === 'string' && /^[1-9]$/.test(v)) return Number(v);
  if (typeof v === 'string' && (LOG_LEVELS as readonly string[]).includes(v))
    return severityOf(v as LogLevel);
  if (typeof v === 'string' && Object.hasOwn(LEVEL_ALIASES, v)) return LEVEL_ALIASES[v] as number;
  throw new Error(`${LOG_CATCHER_CONNECT}: bad level ${JSON.stringify(v)}`);
}

/**
 * Serves log catchers on `kernel`'s node port. Returns a Subscription:
 * unsubscribing removes the service and detaches every catcher.
 */
export function serveLogCatcher(kernel: Kernel): Subscription {
  const all = new Subscription();
  kernel.services.set(LOG_CATCHER_CONNECT, (_from, [version, port, level]) => {
    if (version !== 0 && version !== '0')
      throw new Error(`${LOG_CATCHER_CONNECT}: unknown protocol version ${JSON.stringify(version)}`);
    if (typeof port !== 'string' || port.indexOf('#') <= 0)
      throw new Error(`${LOG_CATCHER_CONNECT}: bad port id`);
    const max = levelOf(level);
    let forwarding = false;
    const one = kernel.log$.pipe(filter((r) => r.severity <= max)).subscribe((r) => {
      if (forwarding) return; // a record logged while forwarding one: never loop
      forwarding = true;
      try {
        kernel.snd(port, r.time / 1000, r.context, r.severity, r.message);
      } finally {
        forwarding = false;
      }
    });
    one.add(kernel.mon(port, () => one.unsubscribe()));
    all.add(one);
    one.add(() => all.remove(one));
  });
  all.add(() => {
    kernel.services.delete(LOG_CATCHER_CONNECT);
  });
  return all;
}
