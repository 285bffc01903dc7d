/**
 * Dialing: one connection attempt to another node, with its deadline
 * (`connectInterval`, the address lookup included), its dials to each known
 * address spread over the time left (see {@link dialSpacing}), and its half
 * of the crossing-connection rule (the other half, admitting incoming
 * connections, is `Network`'s `#admitIncoming`, which documents the rule).
 * The attempt ends the node's `connecting` state through the
 * `RemoteNode`'s methods; it never throws.
 * @module
 */
import { failureKind, type AdmitRefusal } from '../streams/index.js';
import type { Link } from './link.js';
import type { Dial, RemoteNode } from './remoteNode.js';

/** What an attempt needs of the network (the `Network` gives it; not public API). */
export interface DialHost {
  /** Our own node id. */
  readonly selfId: string;
  /** Whether the network closed. */
  isClosed(): boolean;
  /** Seconds: the attempt's deadline and the handshake timeout. */
  readonly options: { readonly connectInterval: number; readonly monitorTimeout: number };
  /** Opens a link (the network's `LinkFactory.connect`). */
  connect(address: string, admit: (nodeId: string) => AdmitRefusal | undefined, signal?: AbortSignal): Promise<Link>;
  /** Timers that the network's `close()` clears. */
  readonly timers: Set<NodeJS.Timeout>;
  /** The addresses of a node: configured, learned from a seed, or looked up. */
  addressesOf(id: string): Promise<readonly string[] | null>;
  /** Whether our own dial may go on once the peer's greeting names `id` (a typed refusal stops it). */
  admitOutgoing(id: string): AdmitRefusal | undefined;
  /** Logs. */
  log(level: 'error' | 'warn' | 'info' | 'debug', text: string): void;
}

/** Whether a dial failed because the peer closed it in its handshake (a refusal looks like this from our side). */
function peerClosed(err: unknown): boolean {
  const kind = failureKind(err);
  return kind === 'eof' || kind === 'reset';
}

/**
 * Seconds between the starts of the dials of one attempt to `count`
 * addresses: `connectInterval`, or less so that they all start before the
 * handshake timeout (`(monitorTimeout − connectInterval) / count`), but at
 * least 0.4 (PROTOCOL.md §4.2). Dial `i` starts at `i · spacing · (0.9 + 0.1·rand)`.
 */
export function dialSpacing(connectInterval: number, monitorTimeout: number, count: number): number {
  let interval = connectInterval;
  const spread = (monitorTimeout - connectInterval) / count;
  if (spread < interval) interval = spread;
  if (interval < 0.4) interval = 0.4;
  return interval;
}

/**
 * One connection attempt to `node` (its current `attempt`): looks up its
 * addresses, dials them, and hands the first link that speaks for the node
 * to it, or fails the attempt with the last error.
 */
export async function dial(host: DialHost, node: RemoteNode): Promise<void> {
  const { connectInterval, monitorTimeout } = host.options;
  const attempt = node.attempt;
  let done = false;
  const timers: NodeJS.Timeout[] = [];
  const dials = new Set<Dial>();
  node.dials = dials;
  const finish = (text?: string) => {
    if (done) return;
    done = true;
    for (const t of timers) {
      clearTimeout(t);
      host.timers.delete(t);
    }
    if (node.attempt === attempt) {
      node.dialling = false;
      if (node.dials === dials) node.dials = undefined;
    }
    if (text !== undefined) node.attemptFailed(text, attempt);
  };
  /** Whether this attempt still speaks for the node (not ended, not overtaken by a link or a newer attempt). */
  const live = () => !done && node.attempt === attempt && !host.isClosed();
  // a failure waits while a connection from the node is in its handshake: that one may still bring it up
  const fail = (text: string) => {
    if (!live()) return finish();
    if (node.incoming > 0) return node.whenIncomingSettled(() => fail(text));
    finish(text);
  };
  // the deadline covers the address lookup too (a slave's g_find to a master that is not there)
  let pending = -1;
  let lastError = 'connect timeout';
  const deadline = setTimeout(() => fail(pending === 0 ? lastError : 'connect timeout'), connectInterval * 1000);
  timers.push(deadline);
  host.timers.add(deadline);
  let addrs: readonly string[] | null;
  try {
    addrs = await host.addressesOf(node.id);
  } catch (err) {
    addrs = null;
    host.log('warn', `address lookup for ${node.id} failed: ${String(err)}`);
  }
  if (done) return;
  if (!live() || node.state !== 'connecting') return finish();
  if (!addrs || addrs.length === 0) return fail('no known address');
  const list = addrs;
  node.dialling = true;
  const interval = dialSpacing(connectInterval, monitorTimeout, list.length);
  pending = list.length;
  const ended = () => {
    if (--pending !== 0) return;
    // crossing: a smaller peer closes our connection in its handshake because it dials us itself;
    // its connection is on its way in, so the deadline (or that connection) settles this attempt
    if (crossed && host.selfId > node.id) return;
    fail(lastError);
  };
  let crossed = false;
  list.forEach((address, i) => {
    const go = (): void => {
      if (!live()) return finish();
      if (node.incoming > 0) return node.whenIncomingSettled(go); // that connection decides first
      if (node.link !== undefined) return finish();
      const dial: Dial = { abort: new AbortController(), greeted: false };
      dials.add(dial);
      // counted in node.greeted while this attempt is the node's (#lost and close reset the count)
      const counted = () => dial.greeted && node.attempt === attempt && !host.isClosed();
      const admit = (id: string): AdmitRefusal | undefined => {
        const refusal = host.admitOutgoing(id);
        if (refusal === undefined && id === node.id && node.attempt === attempt) {
          dial.greeted = true;
          node.dialGreeted();
        }
        return refusal;
      };
      host.connect(address, admit, dial.abort.signal).then(
        (link) => {
          dials.delete(dial);
          // a dial whose auth line went out is taken even when a link came meanwhile (see dialGreeted)
          if (!counted() || link.remoteNodeId !== node.id) {
            if (link.remoteNodeId !== node.id)
              host.log('warn', `${address} is node ${link.remoteNodeId}, not ${node.id}`);
            link.error('not needed');
            ended();
            return;
          }
          finish();
          node.dialEnded(link);
        },
        (err: unknown) => {
          dials.delete(dial);
          if (counted()) node.dialEnded();
          if (!dial.abort.signal.aborted) lastError = err instanceof Error ? err.message : String(err);
          if (peerClosed(err)) crossed = true;
          ended();
        },
      );
    };
    if (i === 0) go();
    else {
      const t = setTimeout(go, interval * 1000 * i * (0.9 + Math.random() * 0.1));
      timers.push(t);
      host.timers.add(t);
    }
  });
}
