/**
 * The remote kernel: a {@link RemoteRouter} over real connections. It owns
 * one {@link RemoteNode} per other node, makes connections on demand (the
 * addresses come from `addresses`, the seeds, or a lookup registered with
 * {@link Network.addLookup} — the database's), accepts incoming ones, keeps
 * seeds connected, serves the monitoring protocol on the node port (`mon1`,
 * `mon0`, `kil0`) and publishes what it learns as Observables: node up/down
 * (`nodes$`), seeds up (`seedUp$`), a seed that is this node itself
 * (`selfSeed$`), a seed's id learned late (`seedKnown$`), failed seed
 * attempts (`seedFailed$`). Rooms above subscribe; nothing writes into it.
 *
 * Why this file is over 300 lines: it is one object whose parts share the
 * node table, the timers and the closed flag. Dialing (one connection
 * attempt) is in `dial.ts`, the reconnect schedule in `backoff.ts`; keeping
 * the seeds (`#keepSeed`) is the next to move out (`seeds.ts`).
 * @module
 */
import { EMPTY, Subject, Subscription, type Observable } from 'rxjs';
import { defer, type Message, type MonitorFn, type Reason, type RemoteRouter, type RouterHost } from '../kernel/index.js';
import type { LogFn } from '../log/index.js';
import type { Link, NodeEvent } from './link.js';
import { RemoteNode, type RemoteHost } from './remoteNode.js';
import { dial, type DialHost } from './dial.js';
import { Backoff } from './backoff.js';
import { failureKind, refuseClosing, refuseDuplicate, type AdmitAnswer, type AdmitRefusal } from '../streams/index.js';

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
    admit: (nodeId: string) => AdmitAnswer,
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

/** Looks up the addresses of a node (the database registers one). `null` = none known. */
export type AddressLookup = (node: string) => Promise<readonly string[] | null>;

export class Network implements RemoteRouter, RemoteHost {
  readonly #nodes = new Map<string, RemoteNode>();
  readonly #events = new Subject<NodeEvent>();
  readonly #log: LogFn;
  #listeners: { readonly addresses: readonly string[]; close(): Promise<void> }[] = [];
  #addresses: string[] = [];
  #closed = false;
  readonly #timers = new Set<NodeJS.Timeout>();
  /** Address lookups registered with {@link addLookup}, asked in order. */
  readonly #lookups: AddressLookup[] = [];
  readonly #selfSeeds = new Subject<string>();
  readonly #seedsKnown = new Subject<string>();
  /** Seeds whose node id we learned (from their greeting), address → node id. */
  readonly seedIds = new Map<string, string>();
  readonly #seedEvents = new Subject<{ address: string; node: string; link: Link }>();
  readonly #seedFailures = new Subject<SeedFailure>();
  /** The node the previous `snd` went to, and its id (cleared when that node is forgotten, so it never goes stale). */
  #lastId = '';
  #last: RemoteNode | undefined;
  /** What a connection attempt needs of this network (see `dial`). */
  readonly #dialHost: DialHost;
  /** The seeds' reconnect schedule: 0.6 s doubling, at most `monitorTimeout`. */
  readonly #seedBackoff: Backoff;

  constructor(
    private readonly kernel: RouterHost,
    private readonly links: LinkFactory,
    private readonly options: NetworkOptions,
  ) {
    this.#log = kernel.log;
    this.#seedBackoff = new Backoff(0.6, options.monitorTimeout);
    this.#dialHost = {
      selfId: kernel.id,
      options,
      connect: (address, admit, signal) => links.connect(address, admit, signal),
      timers: this.#timers,
      isClosed: () => this.#closed,
      addressesOf: (id) => this.#addressesOf(id),
      admitOutgoing: (id) => this.#admitOutgoing(id),
      log: (level, text) => this.#log(level, 'kernel', text),
    };
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

  /**
   * Seed addresses that turned out to be this node itself (each is dropped
   * from the seeds kept connected; the database then makes this node global).
   */
  get selfSeed$(): Observable<string> {
    return this.#selfSeeds.asObservable();
  }

  /**
   * Node ids of seeds learned while that node is already up (its own
   * connection to us came first, so ours was refused as "already
   * connected"): the database then treats it as a seed that came up.
   * Emitted in a microtask after the seed's greeting.
   */
  get seedKnown$(): Observable<string> {
    return this.#seedsKnown.asObservable();
  }

  /**
   * Registers an address lookup: asked for the addresses of a node this
   * node must connect to when neither the `addresses` option nor the seeds
   * name it (the database answers from its master: `g_find`, or the merged
   * `'l` on a global node). Lookups are asked in the order registered; the
   * first non-empty answer is used. Unsubscribe to remove it.
   */
  addLookup(lookup: AddressLookup): Subscription {
    this.#lookups.push(lookup);
    return new Subscription(() => {
      const i = this.#lookups.indexOf(lookup);
      if (i >= 0) this.#lookups.splice(i, 1);
    });
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
    this.#selfSeeds.complete();
    this.#seedsKnown.complete();
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
    void dial(this.#dialHost, node);
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
   *   not fail it before the connect deadline;
   * - but while a dial of the larger side has passed the peer's greeting
   *   (our auth line is out on it), the incoming one is held — counted as
   *   admitted, its auth line not sent — until that dial ends: established,
   *   the incoming one is refused; refused by the peer (or failed), the
   *   incoming one goes on. Held, it still times out as any handshake.
   *
   * Nothing queued is lost and no monitor fires. A Perl peer only refuses
   * once a connection is up, and completes two whose auth lines it got
   * (then switches, and Perl 2.02 loses the one it switched to); these rules
   * keep our auth line from ever being out on two connections to it.
   */
  #admitIncoming(id: string): AdmitAnswer {
    if (this.#closed) return refuseClosing();
    const n = this.#nodes.get(id);
    if (n?.link !== undefined) return refuseDuplicate(id);
    if (n?.state === 'connecting' && n.dialling) {
      if (this.kernel.id < id) return refuseDuplicate(id);
      // dials the peer may still complete (our auth line is out) are left to finish: a Perl peer
      // keeps whichever completes first on its side and drops its own dial then
      for (const d of n.dials ?? []) if (!d.greeted) d.abort.abort();
      if (n.greeted > 0) {
        n.incomingAdmitted(); // on its way: the attempt waits for it (the runner tells `abandoned` if it fails)
        return new Promise((resolve) =>
          n.whenGreetedSettled(() => {
            if (this.#closed) return resolve(refuseClosing());
            if (n.link !== undefined || this.#nodes.get(id) !== n) return resolve(refuseDuplicate(id));
            resolve(undefined);
          }),
        );
      }
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
    for (const lookup of this.#lookups) {
      const found = await lookup(id);
      if (found !== null && found.length) return found;
    }
    return null;
  }

  /**
   * Keeps a seed connected: a lost or failed seed connection is retried after
   * `base·(1+rand)` seconds (at most `monitorTimeout`), `base` starting at
   * 0.6 and doubling while attempts keep failing (PROTOCOL.md §4.2; the
   * schedule is {@link Backoff}'s).
   */
  #keepSeed(address: string, base: number): void {
    if (this.#closed) return;
    // after a loss, a short random wait: two seeds that lost each other do not dial each other in step again
    const again = () => this.#keepSeed(address, 0.05);
    // learn the seed's id from its greeting, as Perl does, whether or not this link is kept
    const admit = (id: string): AdmitRefusal | undefined => {
      if (id !== this.kernel.id && this.seedIds.get(address) !== id) {
        this.seedIds.set(address, id);
        if (this.isUp(id)) queueMicrotask(() => this.#seedsKnown.next(id));
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
            this.#selfSeeds.next(address);
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
          this.#keepSeed(address, this.#seedBackoff.grow(base));
        },
      );
    };
    // (1+rand)·base, capped at monitorTimeout as Perl caps the wait itself
    const t = setTimeout(
      () => {
        this.#timers.delete(t);
        attempt();
      },
      this.#seedBackoff.wait(base) * 1000,
    );
    this.#timers.add(t);
  }
}
