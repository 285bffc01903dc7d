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
 * messages and watches node up/down events.
 * @module
 */
import { Observable, Subscription, type Subscriber } from 'rxjs';
import type { AsyncIterableX } from 'ix/asynciterable/asynciterablex';
import { assertPortId, NameCounter, type Kernel } from '../kernel/index.js';
import { Backoff, type NodeEvent } from '../remote/index.js';
import { DEFAULT_MAX_FRAME_BYTES } from '../streams/framing/limits.js';
import { changeMessages, chunkLimits, databaseMessages, type ChunkLimits, type TooBig } from './chunks.js';
import type { FamilyDelta } from './delta.js';
import { GlobalService, upd, type GlobalHost, type QueryKind } from './global.js';
import { deltaIterable, type DeltaIterableOptions } from './iterable.js';
import { assertKey, assertReadableFamily, assertWritableFamily, GLOBALS, LISTENERS } from './names.js';
import { NOT_PART, PartialSnapshots } from './partial.js';
import {
  deepEqual,
  describe,
  ownRecord,
  ownValue,
  putOwn,
  wireDb,
  wireHash,
  wireKeys,
  wireString,
  type DbRecord,
  type FamilyRecord,
} from './value.js';
import { FamilyWatch } from './watch.js';

/** What the database needs of the network part of its node (the kernel's `Network` fits). */
export interface DbNetwork {
  /** Up/down events of other nodes. */
  readonly nodes$: Observable<NodeEvent>;
  /** Our listen addresses (our `'l` entry). */
  readonly addresses: readonly string[];
  /** Seed address → node id, for the seeds we connected to. */
  readonly seedIds: ReadonlyMap<string, string>;
  /** Whether a node is connected now. */
  isUp(node: string): boolean;
  /** Nodes connected now. */
  upNodes(): string[];
  /** The address lookup hook; the database installs it. */
  lookup: ((node: string) => Promise<readonly string[] | null>) | undefined;
  /** Called when a seed turns out to be this node itself (the database becomes global). */
  onSelfSeed?: ((address: string) => void) | undefined;
  /** Called when a seed's id becomes known while it is already up (the database treats it as a seed that came up). */
  onSeedKnown?: ((node: string) => void) | undefined;
}

/** Settings of a node's database. */
export interface DatabaseOptions {
  /** Seed addresses, in order of preference for the master. */
  readonly seeds: readonly string[];
  /** Start as a global node. */
  readonly global: boolean;
  /** Seconds: the back-off cap of the global mesh's reconnects. */
  readonly monitorTimeout: number;
  /**
   * The largest frame this node accepts (default 16 MiB), taken as what
   * peers accept too: bigger database messages go out in parts, and an
   * entry too big for any frame is not sent (logged).
   */
  readonly maxFrameBytes?: number | undefined;
}

interface Entry {
  value: unknown;
  /** Which `set` put it there; a guard only deletes its own. */
  gen: number;
}

interface Request {
  readonly msg: readonly unknown[];
  readonly kind: QueryKind;
  readonly done: (result: unknown) => void;
  /** The parts of a reply that comes in parts, so far. */
  parts: unknown[] | undefined;
}

interface Find {
  readonly promise: Promise<readonly string[] | null>;
  readonly resolve: (addrs: readonly string[] | null) => void;
}

interface Keeper {
  backoff: number;
  timer: NodeJS.Timeout | undefined;
  stop: (() => void) | undefined;
}

const QUERY_TAGS: Record<QueryKind, string> = {
  family: 'g_db_family',
  keys: 'g_db_keys',
  values: 'g_db_values',
};

export class Database {
  readonly #kernel: Kernel;
  readonly #net: DbNetwork;
  readonly #options: DatabaseOptions;
  readonly #log: Kernel['log'];
  readonly #local = new Map<string, Map<string, Entry>>();
  #gen = 0;
  #service: GlobalService | undefined;
  #master: string | undefined;
  readonly #ids = new NameCounter();
  readonly #requests = new Map<string, Request>();
  readonly #finds = new Map<string, Find>();
  readonly #watches = new Map<string, FamilyWatch>();
  readonly #knownGlobals = new Set<string>();
  readonly #keepers = new Map<string, Keeper>();
  readonly #partial = new PartialSnapshots();
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
    const s = kernel.services;
    s.set('g_slave', (from, args) => this.#onSlave(from, args));
    s.set('g_global', (from) => this.#onGlobal(from));
    s.set('g_chg1', (from, args) => this.#onChg1(from, args));
    s.set('g_chg2', (from, args) => this.#onChg2(from, args));
    s.set('g_reply', (from, args) => this.#onReply(from, args));
    s.set('g_found', (from, args) => this.#onFound(from, args));
    network.lookup = (node) => this.#lookup(node);
    network.onSelfSeed = () => this.becomeGlobal();
    network.onSeedKnown = (node) => this.#seedUp(node);
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
    return this.#query('family', family) as Observable<Record<string, unknown>>;
  }

  /** The keys of a family (`db_keys`): one value, then complete. */
  keys(family: string): Observable<string[]> {
    assertReadableFamily(family, 'db.keys: family');
    return this.#query('keys', family) as Observable<string[]>;
  }

  /** The values of a family (`db_values`): one value, then complete. */
  values(family: string): Observable<unknown[]> {
    assertReadableFamily(family, 'db.values: family');
    return this.#query('values', family) as Observable<unknown[]>;
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
    return new Observable<FamilyDelta>((subscriber) => {
      if (this.#closed) {
        subscriber.complete();
        return;
      }
      let watch = this.#watches.get(family);
      if (watch === undefined) {
        this.#watches.set(family, (watch = new FamilyWatch(family)));
        this.#toMaster('g_mon1', family);
      }
      const w = watch;
      w.add(subscriber);
      return () => this.#unwatch(w, subscriber);
    }) as Observable<FamilyDelta<V>>;
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
    return this.#master;
  }

  /** What this node set, as `{ family: { key: value } }` (its `'l` entry included). */
  localDb(): DbRecord {
    const out: DbRecord = {};
    for (const [f, fam] of this.#local) {
      const rec: FamilyRecord = {};
      for (const [k, e] of fam) putOwn(rec, k, e.value);
      putOwn(out, f, rec);
    }
    return out;
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
    this.#master = undefined;
    this.#put(GLOBALS, id, null);
    const host: GlobalHost = {
      id,
      send: (node, ...msg) => this.#kernel.sndMessage(node + '#', msg),
      keepGlobal: (node) => this.#keepGlobal(node),
      log: this.#log,
      limits: this.#limits,
    };
    const service = new GlobalService(host, this.localDb());
    this.#service = service;
    const s = this.#kernel.services;
    s.set('g_set', (from, [db]) => service.set(from, wireDb(db, 'g_set: database')));
    s.set('g_upd', (from, [f, set, del]) =>
      service.update(
        from,
        wireString(f, 'g_upd: family'),
        wireHash(set, 'g_upd: set'),
        wireKeys(del, 'g_upd: del'),
      ),
    );
    s.set('g_find', (from, [node]) => service.find(from, wireString(node, 'g_find: node')));
    for (const kind of ['family', 'keys', 'values'] as const) {
      const tag = QUERY_TAGS[kind];
      s.set(tag, (from, [f, reqId, parts]) =>
        service.query(
          from,
          kind,
          wireString(f, `${tag}: family`),
          wireString(reqId, `${tag}: request id`),
          parts === 1,
        ),
      );
    }
    s.set('g_mon1', (from, [f]) => service.monitor(from, wireString(f, 'g_mon1: family')));
    s.set('g_mon0', (from, [f]) => service.unmonitor(from, wireString(f, 'g_mon0: family')));
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
    this.#subscription.unsubscribe();
    for (const k of this.#keepers.values()) {
      if (k.timer !== undefined) clearTimeout(k.timer);
      k.stop?.();
    }
    this.#keepers.clear();
    const watches = [...this.#watches.values()];
    this.#watches.clear();
    for (const w of watches) w.complete();
    const requests = [...this.#requests.values()];
    this.#requests.clear();
    for (const r of requests) r.done(closedError);
    for (const f of this.#finds.values()) f.resolve(null);
    this.#finds.clear();
    if (this.#net.lookup !== undefined) this.#net.lookup = undefined;
    this.#net.onSelfSeed = undefined;
    this.#net.onSeedKnown = undefined;
  }

  // ---- local entries -----------------------------------------------------------

  /** Sets an entry of ours and tells the master if it changed; returns the entry's generation. */
  #put(family: string, key: string, value: unknown): number {
    let fam = this.#local.get(family);
    if (fam === undefined) this.#local.set(family, (fam = new Map()));
    const old = fam.get(key);
    const gen = ++this.#gen;
    fam.set(key, { value, gen });
    if (old === undefined || !deepEqual(old.value, value)) {
      const set: FamilyRecord = {};
      putOwn(set, key, value);
      this.#toMasterAll(changeMessages(family, set, [], this.#limits, this.#tooBig, upd(family)));
    }
    return gen;
  }

  #remove(family: string, keys: readonly string[]): void {
    const fam = this.#local.get(family);
    if (fam === undefined) return;
    const gone: string[] = [];
    for (const k of keys) if (fam.delete(k)) gone.push(k);
    if (fam.size === 0) this.#local.delete(family);
    if (gone.length) this.#toMasterAll(changeMessages(family, {}, gone, this.#limits, this.#tooBig, upd(family)));
  }

  #unset(family: string, key: string, gen: number): void {
    if (this.#local.get(family)?.get(key)?.gen === gen) this.#remove(family, [key]);
  }

  // ---- master --------------------------------------------------------------------

  #toMaster(...msg: unknown[]): void {
    if (this.#master !== undefined && !this.#closed) this.#kernel.sndMessage(this.#master + '#', msg);
  }

  #toMasterAll(msgs: Iterable<unknown[]>): void {
    if (this.#master === undefined || this.#closed) return;
    for (const msg of msgs) this.#kernel.sndMessage(this.#master + '#', msg);
  }

  #setMaster(node: string): void {
    this.#master = node;
    this.#partial.clear();
    const self = node === this.#kernel.id;
    if (!self) this.#log('info', 'db', `selected new master: ${node}`);
    if (!self)
      this.#toMasterAll(
        databaseMessages('g_slave', this.localDb(), this.#limits, this.#tooBig, [LISTENERS, this.#kernel.id]),
      );
    for (const family of this.#watches.keys()) this.#toMaster('g_mon1', family);
    for (const node of this.#finds.keys()) this.#toMaster('g_find', node);
    for (const r of this.#requests.values()) {
      r.parts = undefined;
      this.#toMaster(...r.msg);
    }
  }

  /** Seed node ids that are up now, in the order of the seeds list. */
  #upSeeds(): string[] {
    const out: string[] = [];
    for (const address of this.#options.seeds) {
      const id = this.#net.seedIds.get(address);
      if (id !== undefined && id !== this.#kernel.id && this.#net.isUp(id) && !out.includes(id)) out.push(id);
    }
    return out;
  }

  #isSeed(node: string): boolean {
    for (const id of this.#net.seedIds.values()) if (id === node) return true;
    return false;
  }

  #nodeUp(node: string): void {
    if (this.#closed) return;
    this.#service?.nodeUp(node);
    const keeper = this.#keepers.get(node);
    if (keeper !== undefined) keeper.backoff = 0;
    if (this.#isSeed(node)) this.#seedUp(node);
  }

  /** A seed is up: ask it to become global and, lacking a master, take it. */
  #seedUp(node: string): void {
    if (this.#closed || !this.#net.isUp(node)) return;
    // as a Perl node does: once when the seed's greeting arrives, once on node-up
    this.#kernel.sndMessage(node + '#', ['g_slave']);
    this.#kernel.sndMessage(node + '#', ['g_slave']);
    if (this.#master === undefined) this.#setMaster(node);
  }

  #nodeDown(node: string): void {
    if (this.#closed) return;
    this.#service?.nodeDown(node);
    if (node !== this.#master) return;
    this.#master = undefined;
    this.#log('warn', 'db', `lost master ${node}`);
    const next = this.#upSeeds()[0] ?? [...this.#knownGlobals].find((g) => this.#net.isUp(g));
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
    else if (this.#master === undefined && this.#net.isUp(from)) this.#setMaster(from);
  }

  #fromMaster(from: string, tag: string): boolean {
    if (from === this.#master) return true;
    this.#log(
      'debug',
      'db',
      `${tag} from ${from}, which is not our master (${this.#master ?? 'none'}): ignored`,
    );
    return false;
  }

  /** `g_chg1 F HASH [MORE]`: the whole family, or the first part of it (`MORE` 1, from our nodes). */
  #onChg1(from: string, [f, hash, more]: readonly unknown[]): void {
    const family = wireString(f, 'g_chg1: family');
    const contents = wireHash(hash, 'g_chg1: contents');
    if (!this.#fromMaster(from, 'g_chg1')) return;
    const whole = this.#partial.first(family, contents, more);
    if (whole !== undefined) this.#watches.get(family)?.full(whole);
  }

  /** `g_chg2 F SET DEL [MORE]`: a change, or a further part of a family sent in parts. */
  #onChg2(from: string, [f, set, del, more]: readonly unknown[]): void {
    const family = wireString(f, 'g_chg2: family');
    const s = wireHash(set, 'g_chg2: set');
    const d = wireKeys(del, 'g_chg2: del');
    if (!this.#fromMaster(from, 'g_chg2')) return;
    const whole = this.#partial.next(family, s, d, more);
    if (whole === NOT_PART) this.#watches.get(family)?.change(s, d);
    else if (whole !== undefined) this.#watches.get(family)?.full(whole);
  }

  /** `g_reply ID RESULT [MORE]`: an answer, or a part of one (`MORE` 1: more follow, 0: the last). */
  #onReply(from: string, [reqId, result, more]: readonly unknown[]): void {
    const id = wireString(reqId, 'g_reply: request id');
    if (!this.#fromMaster(from, 'g_reply')) return;
    const r = this.#requests.get(id);
    if (r === undefined) return;
    let value: unknown;
    if (r.kind === 'family') value = ownRecord(wireHash(result, 'g_reply: family') ?? {});
    else if (r.kind === 'keys') value = wireKeys(result, 'g_reply: keys') ?? [];
    else if (result === null || result === undefined) value = [];
    else if (Array.isArray(result)) value = result;
    else throw new Error(`g_reply: values must be an array, got ${describe(result)}`);
    if (more === 1) {
      (r.parts ??= []).push(value);
      return;
    }
    if (r.parts !== undefined) value = joinParts(r.kind, [...r.parts, value]);
    this.#requests.delete(id);
    r.done(value);
  }

  #onFound(from: string, [n, addrs]: readonly unknown[]): void {
    const node = wireString(n, 'g_found: node');
    const list = wireKeys(addrs, 'g_found: addresses');
    if (!this.#fromMaster(from, 'g_found')) return;
    const f = this.#finds.get(node);
    if (f === undefined) return;
    this.#finds.delete(node);
    f.resolve(list);
  }

  // ---- queries and lookups -----------------------------------------------------------

  #query(kind: QueryKind, family: string): Observable<unknown> {
    return new Observable<unknown>((subscriber) => {
      if (this.#closed) {
        subscriber.error(closedError);
        return;
      }
      const id = this.#ids.next();
      // the trailing 1 asks our masters for a big answer in parts (a Perl master ignores it)
      const msg = [QUERY_TAGS[kind], family, id, 1];
      this.#requests.set(id, {
        msg,
        kind,
        parts: undefined,
        done: (result) => {
          if (result === closedError) subscriber.error(new Error(`db.${kind}: node closed`));
          else {
            subscriber.next(result);
            subscriber.complete();
          }
        },
      });
      this.#toMaster(...msg);
      return () => this.#requests.delete(id);
    });
  }

  #lookup(node: string): Promise<readonly string[] | null> {
    if (this.#service !== undefined) return Promise.resolve(this.#service.lookup(node));
    if (this.#closed) return Promise.resolve(null);
    // Without a master the question waits for one, as on a Perl node: until the
    // connect deadline ('connect timeout'), during which a connection from that
    // node itself still delivers what was queued for it.
    const pending = this.#finds.get(node);
    if (pending !== undefined) return pending.promise;
    let resolve!: (addrs: readonly string[] | null) => void;
    const promise = new Promise<readonly string[] | null>((r) => (resolve = r));
    this.#finds.set(node, { promise, resolve });
    this.#toMaster('g_find', node);
    return promise;
  }

  #unwatch(w: FamilyWatch, subscriber: Subscriber<FamilyDelta>): void {
    if (w.remove(subscriber) || this.#watches.get(w.family) !== w) return;
    this.#watches.delete(w.family);
    this.#toMaster('g_mon0', w.family);
  }

  // ---- the global mesh ---------------------------------------------------------------

  /**
   * Keeps a connection to another global node while it is listed in `'g`:
   * a node-port monitor makes the connection and tells when it fails or is
   * lost; the next attempt follows after `base·(1+rand)` seconds, `base`
   * starting at 0.3 and doubling up to `monitorTimeout` (PROTOCOL.md §4.2;
   * the schedule is remote's {@link Backoff}).
   */
  #keepGlobal(node: string): void {
    if (node === this.#kernel.id || this.#keepers.has(node) || this.#closed) return;
    const k: Keeper = { backoff: 0, timer: undefined, stop: undefined };
    this.#keepers.set(node, k);
    const schedule = new Backoff(0.3, this.#options.monitorTimeout);
    const attempt = (): void => {
      k.timer = undefined;
      if (this.#closed) return;
      if (!this.#service?.listsGlobal(node)) {
        this.#keepers.delete(node);
        return;
      }
      k.stop = this.#kernel.monitor(node + '#', () => {
        k.stop = undefined;
        k.backoff = schedule.grow(k.backoff);
        if (!this.#closed) k.timer = setTimeout(attempt, schedule.wait(k.backoff) * 1000);
      });
    };
    k.timer = setTimeout(attempt, 0);
  }
}

/** The answer a reply in parts adds up to. */
function joinParts(kind: QueryKind, parts: readonly unknown[]): unknown {
  if (kind !== 'family') return (parts as unknown[][]).flat();
  const out: FamilyRecord = {};
  for (const part of parts as FamilyRecord[]) for (const k of Object.keys(part)) putOwn(out, k, part[k]);
  return out;
}

/** Marks pending requests ended by `close()`. */
const closedError = Symbol('closed');
