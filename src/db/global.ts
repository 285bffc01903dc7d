/**
 * The global-node service: the node-port requests a global node answers
 * (PROTOCOL.md §7) over its {@link MergedStore}.
 *
 * - `g_slave DB` registers a slave and makes its database an owner's
 *   entries; `g_upd` from a slave changes them; both are passed on to the
 *   other global nodes as the change of this node's slaves view (`g_upd`).
 * - `g_global` from another global node is answered with `g_set` (our slaves
 *   view); its `g_set` becomes that node's entries, and we mirror its `'l`
 *   entry and a `'g` entry for it into our own entries, so every global we
 *   talk to learns of it (that is how the globals find each other and mesh).
 * - a node going away loses everything it owned (monitors see deletions),
 *   and the mirrored `'l`/`'g` entries of it go too.
 * - `g_find` / `g_db_*` / `g_mon1` / `g_mon0` are answered from the merged
 *   view; every change of a monitored family is sent as `g_chg2`.
 *
 * The service never touches a socket: it is handed a `send` to node ports.
 * @module
 */
import type { LogFn } from '../log/index.js';
import {
  changeMessages,
  databaseMessages,
  familyParts,
  listParts,
  replyMessages,
  snapshotMessages,
  type ChunkLimits,
  type TooBig,
} from './chunks.js';
import { GLOBALS, LISTENERS } from './names.js';
import { Changes, MergedStore } from './store.js';
import type { DbRecord, FamilyRecord } from './value.js';

/** What the service needs from its node. */
export interface GlobalHost {
  /** This node's id. */
  readonly id: string;
  /** Sends `msg` to the node port of `node` (our own included). */
  send(node: string, ...msg: unknown[]): void;
  /** A node id appeared in `'g`: keep a connection to it. */
  keepGlobal(node: string): void;
  /** Logs. */
  readonly log: LogFn;
  /** Where big messages to other nodes are cut into parts (see `chunks.ts`). */
  readonly limits: ChunkLimits;
}

/** The three query kinds (`g_db_family`, `g_db_keys`, `g_db_values`). */
export type QueryKind = 'family' | 'keys' | 'values';

export class GlobalService {
  readonly store = new MergedStore();
  /** family → nodes monitoring it (`g_mon1`). */
  readonly #monitors = new Map<string, Set<string>>();
  /** Nodes that registered as our slaves (`g_slave DB`). */
  readonly slaves = new Set<string>();

  /** Reports an entry too big to send (logged). */
  readonly #tooBig: TooBig;

  /** Starts with this node's own database as its own entries. */
  constructor(
    private readonly host: GlobalHost,
    own: DbRecord,
  ) {
    this.#tooBig = (family, key, bytes) =>
      host.log(
        'warn',
        'db',
        `entry ${JSON.stringify(family)}/${JSON.stringify(key.slice(0, 80))} of about ${bytes} bytes is too big for a frame: not sent`,
      );
    const ch = new Changes();
    this.store.replace(host.id, own, ch);
    this.#publish(ch);
    for (const g of this.store.keys(GLOBALS)) if (g !== host.id) host.keepGlobal(g);
  }

  /** Whether `node` is listed in the merged `'g` (the mesh keeps connecting to it while it is). */
  listsGlobal(node: string): boolean {
    return this.store.has(GLOBALS, node);
  }

  /** The listen addresses of `node` from the merged `'l`, or `null`. */
  lookup(node: string): string[] | null {
    const v = this.store.get(LISTENERS, node);
    return Array.isArray(v) && v.every((a) => typeof a === 'string') ? (v as string[]) : null;
  }

  // ---- requests ------------------------------------------------------------

  /** `g_slave DB` from `from`: it is our slave now, `db` its whole local database. */
  slave(from: string, db: DbRecord): void {
    if (from === this.host.id) return;
    const ch = new Changes();
    if (this.store.globals.has(from)) {
      this.store.clear(from, ch);
      this.store.globals.delete(from);
    }
    this.slaves.add(from);
    this.store.replace(from, db, ch);
    this.#publish(ch);
  }

  /** `g_upd F SET DEL` from `from` (a slave, ourselves, or another global forwarding its slaves' change). */
  update(from: string, family: string, set: FamilyRecord | null, del: readonly string[] | null): void {
    const ch = new Changes();
    this.store.update(from, family, set, del, ch);
    this.#publish(ch);
  }

  /** `g_global` from `from`: it is a global node; answer with our slaves view. */
  global(from: string): void {
    if (from === this.host.id) return;
    this.#markGlobal(from);
    const db = this.store.slavesView();
    // our own 'l entry in the first message: Perl's g_set handler reads it from there
    for (const msg of databaseMessages('g_set', db, this.host.limits, this.#tooBig, [LISTENERS, this.host.id]))
      this.host.send(from, ...msg);
  }

  /** `g_set DB` from another global node: its slaves view replaces what it owned here. */
  set(from: string, db: DbRecord): void {
    if (from === this.host.id) return;
    this.#markGlobal(from);
    const ch = new Changes();
    this.store.replace(from, db, ch);
    const self = this.host.id;
    this.store.set(self, GLOBALS, from, null, ch);
    const listeners = Object.hasOwn(db, LISTENERS) ? db[LISTENERS] : undefined;
    const addrs = listeners !== undefined && Object.hasOwn(listeners, from) ? listeners[from] : undefined;
    if (Array.isArray(addrs)) this.store.set(self, LISTENERS, from, addrs, ch);
    this.#publish(ch);
  }

  /** `g_find NODE`: answer `g_found NODE ADDRS|null`. */
  find(from: string, node: string): void {
    this.host.send(from, 'g_found', node, this.lookup(node));
  }

  /**
   * `g_db_family` / `g_db_keys` / `g_db_values F ID [PARTS]`: answer
   * `g_reply ID RESULT`; in parts when the requester asked for them
   * (`PARTS` 1, sent by our nodes only) and the result is big.
   */
  query(from: string, kind: QueryKind, family: string, id: string, parts = false): void {
    if (parts && from !== this.host.id) {
      const { limits } = this.host;
      const pieces =
        kind === 'family'
          ? familyParts(family, this.store.entries(family), limits, this.#tooBig)
          : kind === 'keys'
            ? listParts(family, this.store.keys(family), limits, this.#tooBig)
            : listParts(family, this.store.values(family), limits, this.#tooBig);
      for (const msg of replyMessages(id, pieces, kind === 'family' ? {} : [])) this.host.send(from, ...msg);
      return;
    }
    const result =
      kind === 'family'
        ? (this.store.family(family) ?? {})
        : kind === 'keys'
          ? this.store.keys(family)
          : this.store.values(family);
    this.host.send(from, 'g_reply', id, result);
  }

  /** `g_mon1 F`: `from` monitors the family; answer `g_chg1 F HASH|null`. */
  monitor(from: string, family: string): void {
    let nodes = this.#monitors.get(family);
    if (nodes === undefined) this.#monitors.set(family, (nodes = new Set()));
    nodes.add(from);
    if (from === this.host.id) this.host.send(from, 'g_chg1', family, this.store.family(family));
    else
      for (const msg of snapshotMessages(family, this.store.entries(family), this.host.limits, this.#tooBig))
        this.host.send(from, ...msg);
  }

  /** `g_mon0 F`: `from` stops monitoring. */
  unmonitor(from: string, family: string): void {
    const nodes = this.#monitors.get(family);
    if (nodes === undefined) return;
    nodes.delete(from);
    if (nodes.size === 0) this.#monitors.delete(family);
  }

  /** Number of (family, node) monitor registrations. */
  get monitorCount(): number {
    let n = 0;
    for (const s of this.#monitors.values()) n += s.size;
    return n;
  }

  // ---- node events ---------------------------------------------------------

  /** A node came up: tell it we are global. */
  nodeUp(node: string): void {
    this.host.send(node, 'g_global');
  }

  /** A node went away: everything it owned goes, and so do its monitors and our mirrors of it. */
  nodeDown(node: string): void {
    if (node === this.host.id) return;
    const ch = new Changes();
    this.store.clear(node, ch);
    this.store.globals.delete(node);
    this.slaves.delete(node);
    for (const [family, nodes] of this.#monitors) {
      nodes.delete(node);
      if (nodes.size === 0) this.#monitors.delete(family);
    }
    this.store.del(this.host.id, GLOBALS, node, ch);
    this.store.del(this.host.id, LISTENERS, node, ch);
    this.#publish(ch);
  }

  // ---- internals -----------------------------------------------------------

  /**
   * `node` is a global: what it owned as a slave goes (its `g_set` brings it
   * back as a global's entries). That change is told to the globals known
   * before it, not to `node` itself.
   */
  #markGlobal(node: string): void {
    if (this.store.globals.has(node)) return;
    this.slaves.delete(node);
    if (this.store.owns(node)) {
      const ch = new Changes();
      this.store.clear(node, ch);
      this.#publish(ch);
    }
    this.store.globals.add(node);
  }

  /**
   * Sends what changed: `g_chg2` to monitors, `g_upd` of the slaves view to
   * the other globals. Messages to ourselves go last: they run our own
   * monitors' subscribers, whose reactions (a `db.set` …) must reach the
   * other nodes after this change, not before.
   */
  #publish(ch: Changes): void {
    const self = this.host.id;
    const { limits } = this.host;
    let local: unknown[][] | undefined;
    if (!ch.view.empty) {
      for (const [family, set, del] of ch.view.entries()) {
        const nodes = this.#monitors.get(family);
        if (nodes !== undefined) {
          let msgs: unknown[][] | undefined;
          for (const n of nodes) {
            if (n === self) {
              (local ??= []).push(['g_chg2', family, set, del]);
              continue;
            }
            msgs ??= [...changeMessages(family, set, del, limits, this.#tooBig, chg2(family))];
            for (const msg of msgs) this.host.send(n, ...msg);
          }
        }
        if (family === GLOBALS) for (const g of Object.keys(set)) if (g !== self) this.host.keepGlobal(g);
      }
    }
    if (!ch.slaves.empty && this.store.globals.size) {
      for (const [family, set, del] of ch.slaves.entries()) {
        const msgs = [...changeMessages(family, set, del, limits, this.#tooBig, upd(family))];
        for (const g of this.store.globals) for (const msg of msgs) this.host.send(g, ...msg);
      }
    }
    if (local !== undefined) for (const msg of local) this.host.send(self, ...msg);
  }
}

/** Makes `g_chg2 F SET DEL`. */
const chg2 =
  (family: string) =>
  (set: FamilyRecord, del: readonly string[]): unknown[] => ['g_chg2', family, set, del];

/** Makes `g_upd` messages of {@link updMessage}'s forms. */
export const upd =
  (family: string) =>
  (set: FamilyRecord, del: readonly string[]): unknown[] =>
    updMessage(family, set, del);

/** `g_upd F SET` (3 elements) for sets only, `g_upd F null DEL` for deletions only, both otherwise. */
export function updMessage(family: string, set: FamilyRecord, del: readonly string[]): unknown[] {
  if (del.length === 0) return ['g_upd', family, set];
  for (const _ in set) return ['g_upd', family, set, del];
  return ['g_upd', family, null, del];
}
