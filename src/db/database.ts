/**
 * `node.db`: the distributed database of AnyEvent::MP 2.x as seen from one
 * node, and the node's part in it.
 *
 * Every node keeps its own entries (what it set: its local database) and
 * has a *master*: the first seed that came up, or itself when it is a
 * global node. Writes go to the master as `g_upd`, reads and monitors are
 * requests to the master (`g_db_*`, `g_mon1`), answered with `g_reply` and
 * `g_chg1`/`g_chg2`. On a new master everything is sent again: `g_slave`
 * with the whole local database, the monitors, the pending requests.
 *
 * A node becomes global when configured so, when it finds itself among its
 * seeds, or when a peer asks it with `g_slave`; it then runs the
 * {@link GlobalService}, is its own master, keeps connections to every
 * other global node listed in `'g`, and answers address lookups from its
 * merged `'l`.
 *
 * Messages that would carry more than a fraction of the frame limit — a
 * big family, database, change or query answer — go in parts, in forms a
 * Perl node reads with the same meaning (`chunks.ts`); a snapshot in parts
 * reaches `db.mon` subscribers as one first event (`partial.ts`).
 *
 * It is an ordinary client of the kernel: it sends and receives node-port
 * messages. Of the remote room it only subscribes to what the network
 * publishes (node up/down, seeds that are this node, seed ids learned
 * late) and registers its address lookup with `addLookup`.
 *
 * This file is the façade and the wiring; each idea has its own file:
 * `localEntries.ts` (what this node set), `master.ts` (who the master is,
 * sending to it, choosing the next), `queries.ts` (`db.family`/`keys`/
 * `values`), `finds.ts` (address lookups via the master), `watches.ts`
 * (`db.mon`), `mesh.ts` (a global's connections to the other globals),
 * `serveGlobal.ts` (a global node's services over `global.ts`),
 * `serveEveryNode.ts` (the answers every node takes from its master),
 * `options.ts` (what it needs of the network, its settings).
 *
 * Over 300 lines for one reason: the TSDoc of the public API lives here.
 * @module
 */
import { Subscription, type Observable } from 'rxjs';
import type { AsyncIterableX } from 'ix/asynciterable/asynciterablex';
import { assertPortId, type Kernel } from '../kernel/index.js';
import { DEFAULT_MAX_FRAME_BYTES } from '../streams/index.js';
import { changeMessages, chunkLimits, databaseMessages, type ChunkLimits, type TooBig } from './chunks.js';
import type { FamilyDelta } from './delta.js';
import { Finds } from './finds.js';
import { GlobalService, upd, type GlobalHost } from './global.js';
import { deltaIterable, type DeltaIterableOptions } from './iterable.js';
import { LocalEntries } from './localEntries.js';
import { Master } from './master.js';
import { GlobalMesh } from './mesh.js';
import { assertKey, assertReadableFamily, assertWritableFamily, GLOBALS, LISTENERS } from './names.js';
import { Queries } from './queries.js';
import { serveGlobal } from './serveGlobal.js';
import { ownValue, putOwn, wireDb, type DbRecord, type FamilyRecord } from './value.js';
import { Watches } from './watches.js';
import type { DatabaseOptions, DbNetwork } from './options.js';
import { serveEveryNode } from './serveEveryNode.js';

export class Database {
  readonly #kernel: Kernel;
  readonly #net: DbNetwork;
  readonly #options: DatabaseOptions;
  readonly #log: Kernel['log'];
  readonly #local = new LocalEntries();
  readonly #master: Master;
  readonly #queries: Queries;
  readonly #finds: Finds;
  readonly #watches: Watches;
  readonly #mesh: GlobalMesh;
  #service: GlobalService | undefined;
  readonly #knownGlobals = new Set<string>();
  readonly #limits: ChunkLimits;
  readonly #tooBig: TooBig;
  readonly #subscription = new Subscription();
  #closed = false;

  /** @internal — made by `createNode`, which calls {@link Database.start} once the node listens. */
  constructor(kernel: Kernel, network: DbNetwork, options: DatabaseOptions) {
    this.#kernel = kernel;
    this.#net = network;
    this.#options = options;
    this.#log = kernel.log;
    this.#limits = chunkLimits(options.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES);
    this.#tooBig = (family, key, bytes) =>
      this.#log(
        'warn',
        'db',
        `entry ${JSON.stringify(family)}/${JSON.stringify(key.slice(0, 80))} of about ${bytes} bytes is too big for a frame: not sent to the master`,
      );
    const master = (this.#master = new Master(kernel, this.#log, network, options.seeds));
    const toMaster = (msg: readonly unknown[]) => master.send(msg);
    this.#queries = new Queries(toMaster);
    this.#finds = new Finds(toMaster);
    this.#watches = new Watches(toMaster);
    this.#mesh = new GlobalMesh(kernel, (node) => this.#service?.listsGlobal(node) ?? false, options.monitorTimeout);
    const s = kernel.services;
    s.set('g_slave', (from, args) => this.#onSlave(from, args));
    s.set('g_global', (from) => this.#onGlobal(from));
    serveEveryNode(s, { master, watches: this.#watches, queries: this.#queries, finds: this.#finds });
    this.#subscription.add(network.addLookup((node) => this.#lookup(node)));
    this.#subscription.add(network.selfSeed$.subscribe(() => this.becomeGlobal()));
    this.#subscription.add(network.seedKnown$.subscribe((node) => this.#seedUp(node)));
    this.#subscription.add(
      network.nodes$.subscribe((ev) => {
        if (ev.up) this.#nodeUp(ev.node);
        else this.#nodeDown(ev.node);
      }),
    );
  }

  /**
   * Publishes this node's listeners (`'l`) and, if configured or if one of
   * the seeds is one of our own addresses, turns global. Called once the
   * node listens. @internal
   */
  start(): void {
    this.#put(LISTENERS, this.#kernel.id, [...this.#net.addresses]);
    const mine = new Set(this.#net.addresses);
    if (this.#options.global || this.#options.seeds.some((s) => mine.has(s))) this.becomeGlobal();
  }

  // ---- public API ------------------------------------------------------------

  /**
   * Sets `key` of `family` to `value` (`db_set`). The entry is owned by this
   * node: it disappears when this node goes away. `undefined` is stored as
   * `null`; objects are copied. Nothing is sent when the value equals what
   * this node had set already. Unsubscribing the returned Subscription
   * deletes the key — unless a later `set` of the same key replaced it.
   */
  set(family: string, key: string, value?: unknown): Subscription {
    assertWritableFamily(family, 'db.set: family');
    assertKey(key, 'db.set: key');
    const gen = this.#put(family, key, ownValue(value, 'db.set: value'));
    return new Subscription(() => this.#unset(family, key, gen));
  }

  /** Deletes keys of `family` that this node set (`db_del`); keys it did not set are ignored. */
  del(family: string, ...keys: string[]): void {
    assertWritableFamily(family, 'db.del: family');
    for (const k of keys) assertKey(k, 'db.del: key');
    this.#remove(family, keys);
  }

  /**
   * Registers a port in a family (`db_reg`): the key is the port id, the
   * value `value` (default `null`). The port is monitored and the key
   * deleted when it dies; unsubscribing deletes it too.
   */
  reg(family: string, portId: string, value?: unknown): Subscription {
    assertWritableFamily(family, 'db.reg: family');
    assertPortId(portId, 'db.reg: port id');
    const gen = this.#put(family, portId, ownValue(value, 'db.reg: value'));
    const guard = new Subscription(() => this.#unset(family, portId, gen));
    guard.add(this.#kernel.monitor(portId, () => guard.unsubscribe()));
    return guard;
  }

  /** The whole family as a record (`db_family`): one value, then complete (`{}` when empty). */
  family(family: string): Observable<Record<string, unknown>> {
    assertReadableFamily(family, 'db.family: family');
    return this.#queries.query('family', family) as Observable<Record<string, unknown>>;
  }

  /** The keys of a family (`db_keys`): one value, then complete. */
  keys(family: string): Observable<string[]> {
    assertReadableFamily(family, 'db.keys: family');
    return this.#queries.query('keys', family) as Observable<string[]>;
  }

  /** The values of a family (`db_values`): one value, then complete. */
  values(family: string): Observable<unknown[]> {
    assertReadableFamily(family, 'db.values: family');
    return this.#queries.query('values', family) as Observable<unknown[]>;
  }

  /**
   * Monitors a family (`db_mon`) as a stream of {@link FamilyDelta}s
   * `{ family, added, changed, deleted }` (records key → value; `deleted`
   * holds the last values). The first event holds the whole family as
   * `added` (all three records empty for an empty family); then one event
   * per change the master reports (never an empty one). Fold the events
   * with the `familyMap()` operator to get the family itself.
   *
   * Subscribers of one family on this node share one upstream monitor
   * (`g_mon1`); the last one to unsubscribe ends it (`g_mon0`). A subscriber
   * joining a family that is already being followed gets its first event
   * synchronously, during `subscribe`. After a fail-over to a new master,
   * subscribers see only what differs from what they had. Completes when
   * the node closes; never errors.
   *
   * @example
   * ```ts
   * node.db.mon('workers').subscribe(({ added, deleted }) => {
   *   for (const id of Object.keys(added)) console.log('worker up', id);
   *   for (const id of Object.keys(deleted)) console.log('worker gone', id);
   * });
   * ```
   */
  mon<V = unknown>(family: string): Observable<FamilyDelta<V>> {
    assertReadableFamily(family, 'db.mon: family');
    return this.#watches.mon(family) as Observable<FamilyDelta<V>>;
  }

  /**
   * `db.mon` for pull consumers: an async iterable (ix `AsyncIterableX`)
   * with a bounded buffer. See {@link deltaIterable} for the overflow
   * policy (by default, deltas that do not fit are merged into the last
   * buffered one, so nothing is lost and memory stays bounded).
   */
  iterate<V = unknown>(family: string, options?: DeltaIterableOptions): AsyncIterableX<FamilyDelta<V>> {
    return deltaIterable(this.mon<V>(family), options);
  }

  /** Whether this node is a global node. */
  get isGlobal(): boolean {
    return this.#service !== undefined;
  }

  /** The current master's node id (this node's own id on a global node), if any. */
  get master(): string | undefined {
    return this.#master.node;
  }


  /** What this node set, as `{ family: { key: value } }` (its `'l` entry included). */
  localDb(): DbRecord {
    return this.#local.snapshot();
  }

  /** The global service, on a global node. @internal */
  get service(): GlobalService | undefined {
    return this.#service;
  }

  /**
   * Turns this node into a global node (idempotent): it starts the global
   * service over its own entries, announces itself (`g_global`) to every
   * node it is connected to, lists itself in `'g` and becomes its own master.
   */
  becomeGlobal(): void {
    if (this.#service !== undefined || this.#closed) return;
    const id = this.#kernel.id;
    this.#log('info', 'db', 'starting global service');
    // we are our own master from here on: our 'g entry is not news for a former master
    this.#master.node = undefined;
    this.#put(GLOBALS, id, null);
    const host: GlobalHost = {
      id,
      send: (node, ...msg) => this.#kernel.sndMessage(node + '#', msg),
      keepGlobal: (node) => this.#mesh.keep(node),
      log: this.#log,
      limits: this.#limits,
    };
    const service = new GlobalService(host, this.localDb());
    this.#service = service;
    serveGlobal(this.#kernel.services, service);
    for (const node of this.#net.upNodes()) service.nodeUp(node);
    // Globals that announced themselves while we were a slave will not do it
    // again: give them our database now (a Perl global answers with its own).
    for (const g of this.#knownGlobals) if (g !== id && this.#net.isUp(g)) service.global(g);
    this.#setMaster(id);
  }

  /** Stops everything: monitors complete, pending queries error, the mesh stops. @internal */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#master.close();
    this.#subscription.unsubscribe();
    this.#mesh.close();
    this.#watches.close();
    this.#queries.close();
    this.#finds.close();
  }

  // ---- local entries -----------------------------------------------------------

  /**
   * Sets an entry of ours and tells the master if it changed; returns the
   * entry's generation. On a global node the master is this node, whose
   * store compares the value with this same old one: it is compared there
   * only (an unchanged value then changes nothing in the store).
   */
  #put(family: string, key: string, value: unknown): number {
    if (this.#local.put(family, key, value, this.#service === undefined)) {
      const set: FamilyRecord = {};
      putOwn(set, key, value);
      this.#master.sendAll(changeMessages(family, set, [], this.#limits, this.#tooBig, upd(family)));
    }
    return this.#local.gen;
  }

  #remove(family: string, keys: readonly string[]): void {
    const gone = this.#local.remove(family, keys);
    if (gone.length) this.#master.sendAll(changeMessages(family, {}, gone, this.#limits, this.#tooBig, upd(family)));
  }

  #unset(family: string, key: string, gen: number): void {
    if (this.#local.holds(family, key, gen)) this.#remove(family, [key]);
  }

  // ---- master --------------------------------------------------------------------

  /** `node` is our master now: it gets our database (unless it is us) and everything pending again. */
  #setMaster(node: string): void {
    this.#master.node = node;
    this.#watches.newMaster();
    if (node !== this.#kernel.id) {
      this.#log('info', 'db', `selected new master: ${node}`);
      this.#master.sendAll(
        databaseMessages('g_slave', this.localDb(), this.#limits, this.#tooBig, [LISTENERS, this.#kernel.id]),
      );
    }
    this.#watches.resend();
    this.#finds.resend();
    this.#queries.resend();
  }

  #nodeUp(node: string): void {
    if (this.#closed) return;
    this.#service?.nodeUp(node);
    this.#mesh.nodeUp(node);
    if (this.#master.isSeed(node)) this.#seedUp(node);
  }

  /** A seed is up: ask it to become global and, lacking a master, take it. */
  #seedUp(node: string): void {
    if (this.#closed || !this.#net.isUp(node)) return;
    // as a Perl node does: once when the seed's greeting arrives, once on node-up
    this.#kernel.sndMessage(node + '#', ['g_slave']);
    this.#kernel.sndMessage(node + '#', ['g_slave']);
    if (this.#master.node === undefined) this.#setMaster(node);
  }

  #nodeDown(node: string): void {
    if (this.#closed) return;
    this.#service?.nodeDown(node);
    if (node !== this.#master.node) return;
    this.#master.node = undefined;
    this.#log('warn', 'db', `lost master ${node}`);
    const next = this.#master.next(this.#knownGlobals);
    if (next !== undefined) this.#setMaster(next);
  }

  // ---- node-port services (every node) -----------------------------------------------

  #onSlave(from: string, args: readonly unknown[]): void {
    const db = args.length && args[0] !== null ? wireDb(args[0], 'g_slave: database') : undefined;
    this.becomeGlobal();
    if (db !== undefined) this.#service?.slave(from, db);
  }

  #onGlobal(from: string): void {
    this.#knownGlobals.add(from);
    if (this.#service !== undefined) this.#service.global(from);
    else if (this.#master.node === undefined && this.#net.isUp(from)) this.#setMaster(from);
  }

  /** The network's address lookup: the merged `'l` on a global node, else the master's answer. */
  #lookup(node: string): Promise<readonly string[] | null> {
    if (this.#service !== undefined) return Promise.resolve(this.#service.lookup(node));
    if (this.#closed) return Promise.resolve(null);
    // Without a master the question waits for one, as on a Perl node: until the
    // connect deadline ('connect timeout'), during which a connection from that
    // node itself still delivers what was queued for it.
    return this.#finds.find(node);
  }
}
