/**
 * The remote kernel: a {@link RemoteRouter} over real connections. It owns
 * one {@link RemoteNode} per other node, makes connections on demand (the
 * addresses come from `addresses`, the seeds, or a lookup installed by the
 * database), accepts incoming ones, keeps seeds connected, serves the
 * monitoring protocol on the node port (`mon1`, `mon0`, `kil0`) and reports
 * node up/down events.
 * @module
 */
import { EMPTY, Subject, type Observable } from 'rxjs';
import type { Reason } from '../kernel/errors.js';
import type { Link, NodeEvent } from './link.js';
import { failureKind, refuseClosing, refuseDuplicate, type AdmitRefusal } from '../streams/index.js';
import type { LogFn } from '../log/log.js';
import type { Message } from '../kernel/message.js';
import type { Kernel } from '../kernel/node.js';
import type { MonitorFn } from '../kernel/port.js';
import { RemoteNode, type Dial, type RemoteHost } from './remoteNode.js';
import { defer } from '../kernel/defer.js';
import type { RemoteRouter } from '../kernel/router.js';

/** How the network opens and accepts links (the streams layer, or a test double). */
export interface LinkFactory {
  /**
   * Opens a link to `address`. `admit(nodeId)` is asked once the peer's
   * greeting names it: a returned refusal (kind and text) refuses the connection.
   * `signal` aborts the attempt while it is not established.
   */
  connect(address: string, admit: (nodeId: string) => AdmitRefusal | undefined, signal?: AbortSignal): Promise<Link>;
  /**
   * Listens on `binds`; links arrive authenticated. `abandoned(nodeId)` is
   * told when a connection that `admit` let in fails before it is established.
   */
  listen(
    binds: readonly string[],
    admit: (nodeId: string) => AdmitRefusal | undefined,
    onLink: (link: Link) => void,
    abandoned?: (nodeId: string) => void,
  ): Promise<{ readonly addresses: readonly string[]; close(): Promise<void> }>;
}

/** Settings of the network part of a node. */
export interface NetworkOptions {
  binds: readonly string[];
  seeds: readonly string[];
  addresses: Readonly<Record<string, readonly string[]>>;
  /** Seconds. */
  connectInterval: number;
  /** Seconds. */
  monitorTimeout: number;
}

/** One failed attempt to reach a seed. */
export interface SeedFailure {
  /** The seed's `host:port`. */
  readonly address: string;
  /** Why, as the connection reported it (e.g. `connect to 127.0.0.1:4040 failed: Connection refused`). */
  readonly reason: string;
}

/** Looks up the addresses of a node (the database installs one). `null` = none known. */
export type AddressLookup = (node: string) => Promise<readonly string[] | null>;

/** How a connection closed by the peer in its handshake fails (a refusal looks like this from our side). */
const PEER_CLOSED = /^(?:Unexpected end-of-file|Connection reset by peer|Broken pipe)$/;

export class Network implements RemoteRouter, RemoteHost {
  readonly #nodes = new Map<string, RemoteNode>();
  readonly #events = new Subject<NodeEvent>();
  readonly #log: LogFn;
  #listeners: { readonly addresses: readonly string[]; close(): Promise<void> }[] = [];
  #addresses: string[] = [];
  #closed = false;
  readonly #timers = new Set<NodeJS.Timeout>();
  /** Extra address lookup (installed by the database: `g_find` / the merged `'l`). */
  lookup: AddressLookup | undefined;
  /** Called when a seed turns out to be this node itself (the database then makes this node global). */
  onSelfSeed: ((address: string) => void) | undefined;
  /**
   * Called when the node id of a seed becomes known while that node is
   * already up (its own connection to us came first, so ours was refused
   * as "already connected"): the database then treats it as a seed that came up.
   */
  onSeedKnown: ((node: string) => void) | undefined;
  /** Seeds whose node id we learned (from their greeting), address → node id. */
  readonly seedIds = new Map<string, string>();
  readonly #seedEvents = new Subject<{ address: string; node: string; link: Link }>();
  readonly #seedFailures = new Subject<SeedFailure>();
  /** The node the previous `snd` went to, and its id (cleared when that node is forgotten, so it never goes stale). */
  #lastId = '';
  #last: RemoteNode | undefined;

  constructor(
    private readonly kernel: Kernel,
    private readonly links: LinkFactory,
    private readonly options: NetworkOptions,
  ) {
    this.#log = kernel.log;
    kernel.services.set('mon1', (from, [name]) => {
      if (typeof name !== 'string') throw new Error('mon1: port name must be a string');
      if (from === this.kernel.id) return; // our own node port asked by a local snd: there is no other node to tell
      this.node(from).watch(name);
    });
    kernel.services.set('mon0', (from, [name]) => {
      if (typeof name !== 'string') throw new Error('mon0: port name must be a string');
      this.#nodes.get(from)?.unwatch(name);
    });
    kernel.services.set('kil0', (from, [name, ...reason]) => {
      if (typeof name !== 'string') throw new Error('kil0: port name must be a string');
      this.#nodes.get(from)?.portDied(name, reason);
    });
  }

  /** Our node id. */
  get selfId(): string {
    return this.kernel.id;
  }

  /** Up/down events of other nodes, strictly alternating per node. */
  get nodes$(): Observable<NodeEvent> {
    return this.#events.asObservable();
  }

  /** Seed connections as they come up (the database's master selection listens). */
  get seedUp$(): Observable<{ address: string; node: string; link: Link }> {
    return this.#seedEvents.asObservable();
  }

  /** Failed attempts to reach a seed (it is tried again after a back-off), as they happen. */
  get seedFailed$(): Observable<SeedFailure> {
    return this.#seedFailures.asObservable();
  }

  /** The `host:port` addresses this node listens on. */
  get addresses(): readonly string[] {
    return this.#addresses;
  }

  /** Ids of the nodes connected now. */
  upNodes(): string[] {
    const up: string[] = [];
    for (const n of this.#nodes.values()) if (n.link !== undefined) up.push(n.id);
    return up;
  }

  /** Whether `node` is connected now. */
  isUp(node: string): boolean {
    return this.#nodes.get(node)?.link !== undefined;
  }

  /**
   * Flow control: resolves when everything sent to `node` so far has left
   * this process (queued frames flushed to a link and the link drained), or
   * can no longer leave: the connect attempt failed (refused, no known
   * address, timeout), the node went down, or this node closed. It never
   * rejects; what was lost is reported where it always is, to the monitors
   * of that node's ports (`transport_error`). `snd` itself never blocks; a
   * fast producer awaits this now and then to keep memory bounded.
   */
  async drained(node: string): Promise<void> {
    const n = this.#nodes.get(node);
    if (n === undefined || this.#closed) return;
    if (n.state === 'connecting' && n.queued > 0) await new Promise<void>((resolve) => n.whenSettled(resolve));
    if (n.state === 'up') await n.link?.drained();
  }

  /** Bytes waiting to leave for `node` (queued frames count as unknown size: see `queued`). */
  backlog$(node: string): Observable<number> {
    const link = this.#nodes.get(node)?.link;
    return link ? link.backlog$ : EMPTY;
  }

  /** The state of one other node (made on first use, forgotten once it is down and unused). */
  node(id: string): RemoteNode {
    let n = this.#nodes.get(id);
    if (n === undefined) this.#nodes.set(id, (n = new RemoteNode(id, this)));
    return n;
  }

  /** How many other nodes this node keeps state for now (memory checks). @internal */
  get tracked(): number {
    return this.#nodes.size;
  }

  /** Starts listening and connecting to the seeds. */
  async start(): Promise<void> {
    if (this.options.binds.length) {
      const l = await this.links.listen(
        this.options.binds,
        (id) => this.#admitIncoming(id),
        (link) => this.#incoming(link),
        (id) => this.#nodes.get(id)?.incomingEnded(),
      );
      this.#listeners.push(l);
      this.#addresses = [...l.addresses];
    }
    for (const seed of this.options.seeds) this.#keepSeed(seed, 0);
  }

  // ---- RemoteRouter --------------------------------------------------------

  snd(node: string, name: string, msg: Message): void {
    if (this.#closed) return;
    const frame = new Array(msg.length + 1);
    frame[0] = name;
    for (let i = 0; i < msg.length; i++) frame[i + 1] = msg[i];
    this.#sendTo(node).send(frame);
  }

  /**
   * {@link node} for `snd`: sends come in runs to one node, and `node` is a
   * fresh slice of a port id each time, so a Map lookup would hash it anew
   * per message; comparing it with the previous id is much cheaper.
   */
  #sendTo(node: string): RemoteNode {
    let n = this.#last;
    if (n === undefined || node !== this.#lastId) {
      n = this.node(node);
      this.#last = n;
      this.#lastId = node;
    }
    return n;
  }

  kil(node: string, name: string, reason: Reason): void {
    if (this.#closed) return;
    this.node(node).send(['', 'kil1', name, ...reason]);
  }

  mon(node: string, name: string, fn: MonitorFn): () => void {
    if (this.#closed) {
      let live = true;
      defer(() => live && fn(['transport_error', node, 'node closed']));
      return () => (live = false);
    }
    return this.node(node).monitor(name, fn);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    for (const t of this.#timers) clearTimeout(t);
    this.#timers.clear();
    for (const n of this.#nodes.values()) n.close();
    await Promise.all(this.#listeners.map((l) => l.close()));
    this.#events.complete();
    this.#seedEvents.complete();
    this.#seedFailures.complete();
  }

  // ---- RemoteHost ----------------------------------------------------------

  receive(node: RemoteNode, frame: unknown[]): void {
    const name = frame[0];
    if (typeof name !== 'string') {
      if (frame.length === 0) return; // [] — like [""], a no-op (Perl reads it as an empty node-port message)
      this.#log('warn', 'kernel', `dropped a frame from ${node.id} whose port name is not a string`);
      return;
    }
    frame.shift();
    this.kernel.deliverLocal(name, frame, node.id);
  }

  nodeEvent(node: RemoteNode, up: boolean, reason?: Reason): void {
    this.#log('info', 'kernel', up ? `node ${node.id} up` : `node ${node.id} down: ${String(reason?.[2])}`);
    this.#events.next(up ? { node: node.id, up } : { node: node.id, up, reason: reason ?? [] });
  }

  log(level: 'error' | 'warn' | 'info' | 'debug', text: string): void {
    this.#log(level, 'kernel', text);
  }

  monitorLocal(portName: string, fn: MonitorFn): () => void {
    const id = this.kernel.id + '#' + portName;
    if (portName !== '' && this.kernel.getPort(id) === undefined) {
      // answered at once, as Perl does: the kil0 goes out before replies to later frames
      fn(['no_such_port', 'cannot monitor nonexistent port', id]);
      return () => {};
    }
    return this.kernel.monitor(id, fn);
  }

  startConnect(node: RemoteNode): void {
    void this.#connect(node);
  }

  forget(node: RemoteNode): void {
    if (this.#nodes.get(node.id) === node) this.#nodes.delete(node.id);
    if (this.#last === node) {
      this.#last = undefined;
      this.#lastId = '';
    }
  }

  // ---- connecting ----------------------------------------------------------

  #admitOutgoing = (id: string): AdmitRefusal | undefined => {
    if (this.#nodes.get(id)?.link !== undefined) return refuseDuplicate(id);
    return undefined;
  };

  /**
   * Simultaneous connects ("crossing"): the connection opened by the smaller
   * node id wins, decided on both sides from what each knows at the peer's
   * greeting, so that exactly one of the two is ever established:
   *
   * - the smaller side refuses the incoming one while it dials itself (an
   *   attempt still looking up an address does not dial yet, and once a
   *   connection from the node is admitted it waits for that one instead of
   *   dialling);
   * - the larger side admits the incoming one and aborts its own dials
   *   that have not yet passed the peer's greeting; its
   *   attempt then ends with that connection (or fails when it fails), and a
   *   refusal of its own connection (the peer closing in the handshake) does
   *   not fail it before the connect deadline.
   *
   * Nothing queued is lost and no monitor fires. A Perl peer only refuses
   * once a connection is up; these rules keep our side from ever completing
   * two connections to it.
   */
  #admitIncoming(id: string): AdmitRefusal | undefined {
    if (this.#closed) return refuseClosing();
    const n = this.#nodes.get(id);
    if (n?.link !== undefined) return refuseDuplicate(id);
    if (n?.state === 'connecting' && n.dialling) {
      if (this.kernel.id < id) return refuseDuplicate(id);
      // dials the peer may still complete (our auth line is out) are left to finish: a Perl peer
      // keeps whichever completes first on its side and drops its own dial then
      for (const d of n.dials ?? []) if (!d.greeted) d.abort.abort();
    }
    this.node(id).incomingAdmitted();
    return undefined;
  }

  #incoming(link: Link): void {
    const n = this.#nodes.get(link.remoteNodeId);
    if (this.#closed) {
      link.error('node closing');
      return n?.incomingEnded();
    }
    if (n === undefined) return this.node(link.remoteNodeId).attach(link); // (admit always makes it)
    n.incomingEnded(link);
  }

  async #addressesOf(id: string): Promise<readonly string[] | null> {
    // own entries only: a node named `constructor` has no address from Object.prototype
    const fixed = Object.hasOwn(this.options.addresses, id) ? this.options.addresses[id] : undefined;
    if (Array.isArray(fixed) && fixed.length) return fixed;
    for (const [addr, node] of this.seedIds) if (node === id) return [addr];
    if (this.lookup) return this.lookup(id);
    return null;
  }

  async #connect(node: RemoteNode): Promise<void> {
    const { connectInterval, monitorTimeout } = this.options;
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
        this.#timers.delete(t);
      }
      if (node.attempt === attempt) {
        node.dialling = false;
        if (node.dials === dials) node.dials = undefined;
      }
      if (text !== undefined) node.attemptFailed(text, attempt);
    };
    /** Whether this attempt still speaks for the node (not ended, not overtaken by a link or a newer attempt). */
    const live = () => !done && node.attempt === attempt && !this.#closed;
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
    this.#timers.add(deadline);
    let addrs: readonly string[] | null;
    try {
      addrs = await this.#addressesOf(node.id);
    } catch (err) {
      addrs = null;
      this.#log('warn', 'kernel', `address lookup for ${node.id} failed: ${String(err)}`);
    }
    if (done) return;
    if (!live() || node.state !== 'connecting') return finish();
    if (!addrs || addrs.length === 0) return fail('no known address');
    const list = addrs;
    node.dialling = true;
    let interval = connectInterval;
    const spread = (monitorTimeout - connectInterval) / list.length;
    if (spread < interval) interval = spread;
    if (interval < 0.4) interval = 0.4;
    pending = list.length;
    const ended = () => {
      if (--pending !== 0) return;
      // crossing: a smaller peer closes our connection in its handshake because it dials us itself;
      // its connection is on its way in, so the deadline (or that connection) settles this attempt
      if (crossed && this.kernel.id > node.id) return;
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
        const counted = () => dial.greeted && node.attempt === attempt && !this.#closed;
        const admit = (id: string): AdmitRefusal | undefined => {
          const refusal = this.#admitOutgoing(id);
          if (refusal === undefined && id === node.id && node.attempt === attempt) {
            dial.greeted = true;
            node.dialGreeted();
          }
          return refusal;
        };
        this.links.connect(address, admit, dial.abort.signal).then(
          (link) => {
            dials.delete(dial);
            // a dial whose auth line went out is taken even when a link came meanwhile (see dialGreeted)
            if (!counted() || link.remoteNodeId !== node.id) {
              if (link.remoteNodeId !== node.id)
                this.#log('warn', 'kernel', `${address} is node ${link.remoteNodeId}, not ${node.id}`);
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
            if (PEER_CLOSED.test(lastError)) crossed = true;
            ended();
          },
        );
      };
      if (i === 0) go();
      else {
        const t = setTimeout(go, interval * 1000 * i * (0.9 + Math.random() * 0.1));
        timers.push(t);
        this.#timers.add(t);
      }
    });
  }

  /**
   * Keeps a seed connected: a lost or failed seed connection is retried after
   * `base·(1+rand)` seconds (at most `monitorTimeout`), `base` starting at
   * 0.6 and doubling while attempts keep failing (PROTOCOL.md §4.2).
   */
  #keepSeed(address: string, base: number): void {
    if (this.#closed) return;
    // after a loss, a short random wait: two seeds that lost each other do not dial each other in step again
    const again = () => this.#keepSeed(address, 0.05);
    // learn the seed's id from its greeting, as Perl does, whether or not this link is kept
    const admit = (id: string): AdmitRefusal | undefined => {
      if (id !== this.kernel.id && this.seedIds.get(address) !== id) {
        this.seedIds.set(address, id);
        if (this.isUp(id)) queueMicrotask(() => this.onSeedKnown?.(id));
      }
      const refusal = this.#admitOutgoing(id);
      if (refusal === undefined && id !== this.kernel.id) {
        // our auth line goes out: until this dial ends, a connection from that node is held (see dialGreeted)
        const n = this.node(id);
        n.dialGreeted();
        counted = { node: n, attempt: n.attempt };
      }
      return refusal;
    };
    let counted: { node: RemoteNode; attempt: number } | undefined;
    /** The dial's end, told to the node that counted it (unless that node went down or was dropped since). */
    const uncount = (): RemoteNode | undefined => {
      const c = counted;
      counted = undefined;
      return c && c.node.attempt === c.attempt && this.#nodes.get(c.node.id) === c.node ? c.node : undefined;
    };
    const attempt = () => {
      if (this.#closed) return;
      this.links.connect(address, admit).then(
        (link) => {
          if (this.#closed) return link.error('node closing');
          const id = link.remoteNodeId;
          this.seedIds.set(address, id);
          const n = uncount();
          if (n !== undefined) n.dialEnded(link, 'smaller');
          else this.node(id).attach(link, 'smaller');
          this.#seedEvents.next({ address, node: id, link });
          link.closed$.subscribe({ complete: again, error: again });
        },
        (err: unknown) => {
          uncount()?.dialEnded();
          const text = err instanceof Error ? err.message : String(err);
          const kind = failureKind(err);
          if (kind === 'self-connect') {
            this.#log('info', 'kernel', `seed ${address} is this node itself; dropped from the seed list`);
            this.onSelfSeed?.(address);
            return;
          }
          const known = this.seedIds.get(address);
          const link = known ? this.#nodes.get(known)?.link : undefined;
          if (link && kind === 'duplicate') {
            link.closed$.subscribe({ complete: again, error: again }); // connected through another link: watch it
            return;
          }
          this.#log('debug', 'kernel', `seed ${address}: ${text}`);
          this.#seedFailures.next({ address, reason: text });
          this.#keepSeed(address, Math.min(base ? base * 2 : 0.6, this.options.monitorTimeout));
        },
      );
    };
    // (1+rand)·base, capped at monitorTimeout as Perl caps the wait itself
    const t = setTimeout(
      () => {
        this.#timers.delete(t);
        attempt();
      },
      Math.min(base * (1 + Math.random()), this.options.monitorTimeout) * 1000,
    );
    this.#timers.add(t);
  }
}
