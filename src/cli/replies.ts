/**
 * Waiting for an answer from another node, as the network commands do:
 * a bounded wait, and a dead port or an unreachable node told in words.
 * @module
 */
import { EmptyError, firstValueFrom, throwError, timeout, type Observable } from 'rxjs';
import { jsonText, PortKilled, type AempNode, type Message, type Reason } from '../index.js';
import type { ClientNode } from './clientNode.js';
import { CliError } from './errors.js';

/** A reason as the user reads it: `transport_error` gets words around it. */
export function explainReason(reason: Reason): string {
  if (reason[0] === 'transport_error') {
    const hint = reason[2] === 'no known address' ? ' (is it running, and known to the seeds?)' : '';
    return `cannot reach node ${String(reason[1])}: ${String(reason[2])}${hint}`;
  }
  if (reason[0] === 'no_such_port') return 'no such port';
  return `the port died: ${jsonText(reason)}`;
}

/** The first value of `source` within `seconds` (0 = no limit), else a CliError with `what`. */
export function within<T>(source: Observable<T>, seconds: number, what: () => string): Promise<T> {
  const bounded =
    seconds > 0
      ? source.pipe(timeout({ first: seconds * 1000, with: () => throwError(() => new CliError(what())) }))
      : source;
  return firstValueFrom(bounded);
}

/**
 * Confirms that what was sent to `node` before has arrived there: a `snd`
 * relay round trip through its node port (what Perl's `aemp snd` does).
 */
export async function confirmDelivery(client: ClientNode, node: string, seconds: number): Promise<void> {
  try {
    await within(
      client.node.call(`${node}#`, ['snd']),
      seconds,
      () => `no confirmation from node ${node} within ${seconds} s`,
    );
  } catch (e) {
    if (e instanceof PortKilled) throw new CliError(explainReason(e.reason));
    throw e;
  }
}

/** `cal`: one reply, or a CliError saying why there is none. */
export async function callOnce(
  node: AempNode,
  port: string,
  msg: Message,
  seconds: number,
): Promise<Message> {
  try {
    return await within(node.call(port, msg), seconds, () => `no reply from ${port} within ${seconds} s`);
  } catch (e) {
    if (e instanceof PortKilled) throw new CliError(`${port}: ${explainReason(e.reason)}`);
    if (e instanceof EmptyError) throw new CliError(`${port} ended without replying`);
    throw e;
  }
}
