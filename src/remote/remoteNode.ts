/**
 * The state this node keeps about one other node: its link, the queue of
 * frames waiting for a link, the monitors we hold on its ports, and the
 * monitors it holds on ours (`mon1` → `kil0`).
 *
 * The promise kept here is "no silent holes": when the link is lost, the
 * queue is dropped and every monitor on that node's ports fires with
 * `['transport_error', node, text]` *before* any later message can reach
 * that node (a later send starts a new connection, which only delivers
 * after these callbacks ran).
 *
 * A node that is down and that nothing refers to any more (no monitor
 * either way, nothing queued, no connection on its way in) is forgotten:
 * the network drops this object, so that nodes that came and went cost
 * nothing afterwards.
 *
 * Why this file is over 300 lines: it is one state machine (down →
 * connecting → up, with held links and greeted dials of the crossing rule)
 * whose every method reads the same few fields; split, each part would
 * need them all. About a third of it is the comments that state its rules.
 * @module
 */
import type { MonitorFn, Reason } from '../kernel/index.js';
import type { Link } from './link.js';

/** What a remote node needs from the network it belongs to (not public API; kept in the declarations, which name it). */
export interface RemoteHost {
  /** Our own node id. */
  readonly selfId: string;
  /** Starts a connection attempt to this node. */
  startConnect(node: RemoteNode): void;
  /** Handles one incoming frame from `node`. */
  receive(node: RemoteNode, frame: unknown[]): void;
  /** Reports up/down. */
  nodeEvent(node: RemoteNode, up: boolean, reason?: Reason): void;
  /** Logs. */
  log(level: 'error' | 'warn' | 'info' | 'debug', text: string): void;
  /** Registers a monitor on a local port (for `mon1`); returns the remover. */
  monitorLocal(portName: string, fn: MonitorFn): () => void;
  /** This node is down and nothing refers to it: drop it. */
  forget(node: RemoteNode): void;
}

export type RemoteState = 'down' | 'connecting' | 'up';

/** One dial of a connection attempt (the crossing rule aborts the losing ones). */
export interface Dial {
  /** Aborts it while it is not established. */
  readonly abort: AbortController;
  /** The peer's greeting was admitted: our auth line is out, so the peer may complete this connection. */
  greeted: boolean;
}

/** The end of a link's frames, watched through its `closed$` instead. */
const endWatchedElsewhere = (): void => {};

export class RemoteNode {
  state: RemoteState = 'down';
  link: Link | undefined;
  #queue: (readonly unknown[])[] = [];
  /** Our monitors on its ports: port name → callbacks. */
  readonly #monitors = new Map<string, MonitorFn[]>();
  /** Its monitors on our ports: our port name → remover of the kil0 forwarder. */
  readonly #watched = new Map<string, () => void>();
  #wasUp = false;
  /** Counts connection attempts, so that a stale attempt's failure cannot fail a newer one. */
  attempt = 0;
  /** Whether the current attempt is dialling (it has addresses): only then does it compete with an incoming connection. */
  dialling = false;
  /** The current attempt's dials (aborted when an incoming connection from a smaller node id wins the crossing). */
  dials: Set<Dial> | undefined;
  /** Incoming connections from this node past its greeting (admitted) whose handshake has not ended. */
  #incoming = 0;
  /** Run once no incoming handshake is pending (see {@link whenIncomingSettled}). */
  #incomingWaiters: (() => void)[] | undefined;
  /** Our dials to it whose auth line is out: the peer may still complete them (see {@link dialGreeted}). */
  #greeted = 0;
  /** Run once no greeted dial is pending (see {@link whenGreetedSettled}). */
  #greetedWaiters: (() => void)[] | undefined;
  /** Why the link ended while a greeted dial was pending; reported if that dial fails too. */
  #heldLoss: string | undefined;
  /** Run once the state leaves `'connecting'` (see {@link whenSettled}). */
  #settleWaiters: (() => void)[] | undefined;

  constructor(
    readonly id: string,
    private readonly host: RemoteHost,
  ) {}

  /** Sends a frame now if connected, else queues it and makes sure a connection is being made. */
  send(frame: readonly unknown[]): void {
    if (this.state === 'up') {
      this.#write(this.link as Link, frame);
      return;
    }
    this.#queue.push(frame);
    if (this.state === 'down') this.connect();
  }

  /** Frames waiting for a link. */
  get queued(): number {
    return this.#queue.length;
  }

  /** Incoming handshakes from this node that were admitted and have not ended. */
  get incoming(): number {
    return this.#incoming;
  }

  /** An incoming connection from this node passed its greeting. */
  incomingAdmitted(): void {
    this.#incoming++;
  }

  /**
   * An admitted incoming handshake ended: `link` is the connection when it
   * succeeded (attached here), `undefined` when it failed.
   */
  incomingEnded(link?: Link): void {
    if (this.#incoming > 0) this.#incoming--;
    if (link !== undefined) this.attach(link);
    if (this.#incoming === 0 && this.#incomingWaiters !== undefined) {
      const ws = this.#incomingWaiters;
      this.#incomingWaiters = undefined;
      for (const w of ws) w();
    }
    this.#release();
  }

  /**
   * A dial of ours passed the peer's greeting: our auth line is out, so the
   * peer may complete that connection (a Perl peer keeps whichever completes
   * first on its side and drops the others). Until it ends, a link that
   * comes in meanwhile is held (not written to) and a link that ends is not
   * yet a loss: nothing queued goes into a connection the peer may drop.
   */
  dialGreeted(): void {
    this.#greeted++;
  }

  /**
   * A greeted dial ended: with its link (attached now; `keep` as for
   * {@link attach}), or failed.
   */
  dialEnded(link?: Link, keep: 'newer' | 'smaller' = 'newer'): void {
    if (this.#greeted > 0) this.#greeted--;
    if (link !== undefined) {
      this.attach(link, keep);
      return this.#greetedSettled();
    }
    if (this.#greeted > 0) return;
    if (this.link !== undefined) {
      if (this.state === 'connecting') this.#flushUp(this.link);
    } else if (this.#heldLoss !== undefined && this.state === 'connecting') {
      const text = this.#heldLoss;
      this.#heldLoss = undefined;
      this.#lost(text);
    }
    this.#greetedSettled();
    this.#release();
  }

  /** Our dials to it whose auth line is out and which have not ended (see {@link dialGreeted}). */
  get greeted(): number {
    return this.#greeted;
  }

  /** Runs `fn` once no greeted dial of ours is pending (at once if none is); also when the node is lost or closed. */
  whenGreetedSettled(fn: () => void): void {
    if (this.#greeted === 0) return fn();
    (this.#greetedWaiters ??= []).push(fn);
  }

  #greetedSettled(): void {
    const ws = this.#greetedWaiters;
    if (this.#greeted > 0 || ws === undefined) return;
    this.#greetedWaiters = undefined;
    for (const w of ws) w();
  }

  /** Runs `fn` once no admitted incoming handshake is pending (at once if none is). */
  whenIncomingSettled(fn: () => void): void {
    if (this.#incoming === 0) return fn();
    (this.#incomingWaiters ??= []).push(fn);
  }

  /** Runs `fn` once the node is no longer connecting: up, down or closed (at once if it is not connecting). */
  whenSettled(fn: () => void): void {
    if (this.state !== 'connecting') return fn();
    (this.#settleWaiters ??= []).push(fn);
  }

  #settled(): void {
    const ws = this.#settleWaiters;
    if (ws === undefined) return;
    this.#settleWaiters = undefined;
    for (const w of ws) w();
  }

  /** Hands this object back to the network once it is down and nothing refers to it. */
  #release(): void {
    if (
      this.state === 'down' &&
      this.link === undefined &&
      this.#incoming === 0 &&
      this.#queue.length === 0 &&
      this.#monitors.size === 0 &&
      this.#watched.size === 0
    )
      this.host.forget(this);
  }

  /** Starts a connection attempt unless one runs or a link is up. */
  connect(): void {
    if (this.state !== 'down') return;
    this.state = 'connecting';
    this.attempt++;
    this.host.startConnect(this);
  }

  /**
   * Monitors port `name` there: the first local monitor sends `mon1`, the
   * last one removed sends `mon0`. A node port (`''`) sends nothing and fires
   * only on transport errors, but a connection is made so that it can.
   */
  monitor(name: string, fn: MonitorFn): () => void {
    let list = this.#monitors.get(name);
    if (list === undefined) {
      this.#monitors.set(name, (list = [fn]));
      if (name !== '') this.send(['', 'mon1', name]);
      else this.connect();
    } else list.push(fn);
    return () => {
      const l = this.#monitors.get(name);
      if (l === undefined) return;
      const i = l.indexOf(fn);
      if (i < 0) return;
      l.splice(i, 1);
      if (l.length === 0) {
        this.#monitors.delete(name);
        if (name !== '' && this.state !== 'down') this.send(['', 'mon0', name]);
        this.#release();
      }
    };
  }

  /** `kil0`: its port `name` died; run our monitors of it once. */
  portDied(name: string, reason: Reason): void {
    const list = this.#monitors.get(name);
    if (list === undefined) return;
    this.#monitors.delete(name);
    for (const fn of list) this.#run(fn, reason);
  }

  /** `mon1`: it wants to know when our port `name` dies. */
  watch(name: string): void {
    if (this.#watched.has(name)) return;
    let done = false;
    const remove = this.host.monitorLocal(name, (reason) => {
      done = true;
      this.#watched.delete(name);
      if (this.state === 'up') this.send(['', 'kil0', name, ...reason]);
    });
    if (!done) this.#watched.set(name, remove);
  }

  /** `mon0`: it no longer wants to know. */
  unwatch(name: string): void {
    const remove = this.#watched.get(name);
    if (remove === undefined) return;
    this.#watched.delete(name);
    remove();
  }

  /**
   * A link is established. A second one, while one is held or up, replaces
   * it quietly (`keep: 'newer'`, as a Perl node does), or, with `keep:
   * 'smaller'`, only when it is the one the smaller node id opened. The node-up event comes first; frames sent by its
   * subscribers queue behind the ones already waiting; then the queue is
   * flushed in order; only then are the peer's frames read — also those that
   * came in the same TCP segment as its auth line (a Perl node flushes its
   * queue right behind the auth line), so that what they ask for (`kil0`
   * answers to `mon1`…) finds the node up, as on a Perl node.
   */
  attach(link: Link, keep: 'newer' | 'smaller' = 'newer'): void {
    const old = this.link;
    if (old !== undefined && keep === 'smaller' && this.#openedBySmaller(old) && !this.#openedBySmaller(link)) {
      // Both connections of a crossing completed (seeds that dial each other before either knows
      // the other's id; neither side wrote to either while its own dial was pending): both sides
      // keep the one the smaller node id opened, so this one closes without touching the node.
      this.host.log('info', `${this.id}: second connection not needed`);
      link.error('already connected');
      if (this.#greeted === 0 && this.state === 'connecting') this.#flushUp(old);
      return;
    }
    const hold = this.#greeted > 0; // a dial of ours the peer may complete instead: wait for it before writing
    if (!hold) {
      this.attempt++; // an attempt still running is stale now: it must not attach a second link
      this.dialling = false;
      this.dials = undefined;
    }
    this.#heldLoss = undefined;
    this.link = link;
    link.closed$.subscribe({
      complete: () => this.linkEnded(link, 'Unexpected end-of-file'),
      error: (err: unknown) => this.linkEnded(link, err instanceof Error ? err.message : String(err)),
    });
    if (old !== undefined) {
      // A second link completed while one is up: simultaneous connects with a peer that does not
      // settle them (a Perl node keeps whichever completed last on its side). Switch to the newer
      // one, as Perl does, but quietly: the node stays up, no monitor fires, nothing is dropped
      // (what was written to the old link has been handed to it and leaves before it closes).
      this.host.log('info', `${this.id}: switched connections`);
      old.error('switched connections');
      if (this.state === 'up') {
        this.#read(link);
        return;
      }
      // the old one was still being announced: this one takes over its flush below
    }
    this.state = 'connecting';
    if (!this.#wasUp) {
      this.#wasUp = true;
      this.host.nodeEvent(this, true);
      if (this.link !== link) return; // lost or switched while announcing
    }
    if (!hold) this.#flushUp(link);
  }

  /** Whether `link` is the connection the smaller of the two node ids opened. */
  #openedBySmaller(link: Link): boolean {
    return link.initiator === this.host.selfId < this.id;
  }

  /** Flushes the queue to `link`, marks the node up, then reads the peer's frames. */
  #flushUp(link: Link): void {
    const q = this.#queue;
    this.#queue = [];
    for (const f of q) this.#write(link, f);
    this.state = 'up';
    this.#settled();
    this.#read(link);
  }

  /** Reads the peer's frames from `link` (its end is watched through `closed$` by `attach`). */
  #read(link: Link): void {
    link.subscribe({ next: (frame) => this.host.receive(this, frame), error: endWatchedElsewhere });
  }

  /**
   * Writes one frame; a frame the framing cannot encode (a BigInt, a cycle…)
   * is logged and dropped alone, never leaving the node half attached.
   */
  #write(link: Link, frame: readonly unknown[]): void {
    try {
      link.next(frame);
    } catch (err) {
      this.host.log('error', `message to ${this.id} dropped, it cannot be encoded: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  /** The link ended (or a stale one did, which is ignored). */
  linkEnded(link: Link, text: string): void {
    if (this.link !== link) return;
    this.link = undefined;
    if (this.#greeted > 0) {
      // a dial of ours may still bring it up (the peer dropped this one for it): not a loss yet
      this.state = 'connecting';
      this.#heldLoss = text;
      return;
    }
    this.#lost(text);
  }

  /** Connection attempt number `attempt` failed; ignored when a link came up meanwhile or a newer attempt runs. */
  attemptFailed(text: string, attempt: number): void {
    if (this.state !== 'connecting' || this.link !== undefined || attempt !== this.attempt) return;
    this.#lost(text);
  }

  #lost(text: string): void {
    this.state = 'down';
    this.dialling = false;
    this.dials = undefined;
    this.#greeted = 0;
    this.#heldLoss = undefined;
    this.attempt++; // whatever attempt still runs is stale
    this.#queue = [];
    this.#greetedSettled();
    const reason: Reason = ['transport_error', this.id, text];
    for (const remove of this.#watched.values()) remove();
    this.#watched.clear();
    const monitors = [...this.#monitors.values()];
    this.#monitors.clear();
    for (const list of monitors) for (const fn of list) this.#run(fn, reason);
    if (this.#wasUp) {
      this.#wasUp = false;
      this.host.nodeEvent(this, false, reason);
    }
    this.#settled();
    this.#release();
  }

  #run(fn: MonitorFn, reason: Reason): void {
    try {
      fn(reason);
    } catch (err) {
      this.host.log('error', `monitor callback for a port on ${this.id} threw: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  /** Closes the link, if any, and forgets everything. */
  close(): void {
    // our monitors of its ports end too (every `mon`/`cal` must end): as `mon` on a closed network does
    const pending = [...this.#monitors.values()];
    this.#monitors.clear();
    for (const list of pending) for (const fn of list) this.#run(fn, ['transport_error', this.id, 'node closed']);
    const link = this.link;
    this.link = undefined;
    this.state = 'down';
    this.#queue = [];
    for (const remove of this.#watched.values()) remove();
    this.#watched.clear();
    this.#monitors.clear();
    this.attempt++;
    this.dials = undefined;
    this.#greeted = 0;
    this.#greetedSettled();
    link?.error('node closing');
    this.#settled();
    const ws = this.#incomingWaiters;
    this.#incomingWaiters = undefined;
    this.#incoming = 0;
    for (const w of ws ?? []) w();
  }
}
