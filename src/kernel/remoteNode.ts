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
 * @module
 */
import type { Reason } from './errors.js';
import type { Link } from './link.js';
import type { MonitorFn } from './port.js';

/** What a remote node needs from the network it belongs to (not public API; kept in the declarations, which name it). */
export interface RemoteHost {
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
}

export type RemoteState = 'down' | 'connecting' | 'up';

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
   * A link is established. The node-up event comes first; frames sent by its
   * subscribers queue behind the ones already waiting; then the queue is
   * flushed in order; only then are the peer's frames read — also those that
   * came in the same TCP segment as its auth line (a Perl node flushes its
   * queue right behind the auth line), so that what they ask for (`kil0`
   * answers to `mon1`…) finds the node up, as on a Perl node.
   */
  attach(link: Link): void {
    const old = this.link;
    if (old !== undefined) {
      // a second link completed (simultaneous connects): the newer replaces the older, as Perl does
      this.link = undefined;
      this.#lost('switched connections');
      old.close('switched connections');
    }
    this.link = link;
    this.state = 'connecting';
    link.closed$.subscribe({
      complete: () => this.linkEnded(link, 'Unexpected end-of-file'),
      error: (err: unknown) => this.linkEnded(link, err instanceof Error ? err.message : String(err)),
    });
    this.#wasUp = true;
    this.host.nodeEvent(this, true);
    if (this.link !== link) return; // lost while announcing
    const q = this.#queue;
    this.#queue = [];
    for (const f of q) this.#write(link, f);
    this.state = 'up';
    link.onFrame((frame) => this.host.receive(this, frame));
  }

  /**
   * Writes one frame; a frame the framing cannot encode (a BigInt, a cycle…)
   * is logged and dropped alone, never leaving the node half attached.
   */
  #write(link: Link, frame: readonly unknown[]): void {
    try {
      link.write(frame);
    } catch (err) {
      this.host.log('error', `message to ${this.id} dropped, it cannot be encoded: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  /** The link ended (or a stale one did, which is ignored). */
  linkEnded(link: Link, text: string): void {
    if (this.link !== link) return;
    this.link = undefined;
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
    this.#queue = [];
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
    link?.close('node closing');
  }
}
