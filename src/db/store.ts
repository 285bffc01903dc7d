/**
 * The merged database of a global node: every entry is owned by the node
 * that set it, several owners may hold the same key, and the visible value
 * of a key is the one written last by an owner that still holds it. When
 * that owner deletes the key (or goes away), the next most recent owner's
 * value shows again — a *change*, not a deletion.
 *
 * Owners are of two kinds. *Slave-class* owners are this node itself and
 * its slaves: the merge of their entries alone (the "slaves view") is what
 * this node tells other global nodes (`g_set`, forwarded `g_upd`). Owners
 * in {@link MergedStore.globals} are other global nodes: their entries are
 * their own slaves views, kept here but never passed on.
 *
 * Every mutation reports what changed in the full view (for monitors, as
 * `g_chg2`) and in the slaves view (for the other globals, as `g_upd`) into
 * a {@link Changes}. Pure data structure: no I/O.
 * @module
 */
import { deepEqual } from '../config/index.js';
import { emptyRecord, putOwn, type DbRecord, type FamilyRecord } from './value.js';

/** One owner's value of one key; the list runs from the most recent writer to the oldest. */
interface Cell {
  readonly owner: string;
  value: unknown;
  next: Cell | undefined;
}

const DELETED: unique symbol = Symbol('deleted');

/** Per-family changes of one view: key → new value, or deleted. Later notes of a key replace earlier ones. */
export class ChangeSet {
  readonly #families = new Map<string, Map<string, unknown>>();

  /** Notes that `key` of `family` now shows `value`. */
  set(family: string, key: string, value: unknown): void {
    this.#family(family).set(key, value);
  }

  /** Notes that `key` of `family` is gone. */
  del(family: string, key: string): void {
    this.#family(family).set(key, DELETED);
  }

  /** True when nothing was noted. */
  get empty(): boolean {
    return this.#families.size === 0;
  }

  /** The families touched, each as the `SET` hash and `DEL` key list of the wire messages. */
  *entries(): Generator<[family: string, set: FamilyRecord, del: string[]]> {
    for (const [family, keys] of this.#families) {
      const set: FamilyRecord = {};
      const del: string[] = [];
      for (const [k, v] of keys) {
        if (v === DELETED) del.push(k);
        else putOwn(set, k, v);
      }
      yield [family, set, del];
    }
  }

  #family(family: string): Map<string, unknown> {
    let m = this.#families.get(family);
    if (m === undefined) this.#families.set(family, (m = new Map()));
    return m;
  }
}

/** What one operation changed: in the full view, and in the slaves view. */
export class Changes {
  readonly view = new ChangeSet();
  readonly slaves = new ChangeSet();
}

export class MergedStore {
  /** family → key → the most recent writer's cell (head of the owner list). */
  readonly #view = new Map<string, Map<string, Cell>>();
  /** owner → family → keys it holds. */
  readonly #owned = new Map<string, Map<string, Set<string>>>();
  /** Owners that are other global nodes (everything else is slave-class). */
  readonly globals = new Set<string>();

  /** Whether `owner` holds any entry. */
  owns(owner: string): boolean {
    return this.#owned.has(owner);
  }

  /** Owners holding entries. */
  owners(): IterableIterator<string> {
    return this.#owned.keys();
  }

  /** Number of families with at least one key. */
  get familyCount(): number {
    return this.#view.size;
  }

  /** The visible value of a key, or `undefined`. */
  get(family: string, key: string): unknown {
    return this.#view.get(family)?.get(key)?.value;
  }

  /** Whether a key is visible. */
  has(family: string, key: string): boolean {
    return this.#view.get(family)?.has(key) ?? false;
  }

  /** Number of visible keys of a family. */
  size(family: string): number {
    return this.#view.get(family)?.size ?? 0;
  }

  /** The visible family as a fresh record, or `null` when it has no keys. */
  family(family: string): FamilyRecord | null {
    const fam = this.#view.get(family);
    if (fam === undefined) return null;
    const out: FamilyRecord = emptyRecord();
    for (const [k, cell] of fam) putOwn(out, k, cell.value);
    return out;
  }

  /** The visible entries of a family, as (key, value) pairs. */
  *entries(family: string): Generator<readonly [string, unknown]> {
    const fam = this.#view.get(family);
    if (fam !== undefined) for (const [k, cell] of fam) yield [k, cell.value];
  }

  /** The visible keys of a family. */
  keys(family: string): string[] {
    const fam = this.#view.get(family);
    return fam === undefined ? [] : [...fam.keys()];
  }

  /** The visible values of a family, in the order of {@link keys}. */
  values(family: string): unknown[] {
    const fam = this.#view.get(family);
    const out: unknown[] = [];
    if (fam !== undefined) for (const cell of fam.values()) out.push(cell.value);
    return out;
  }

  /** The merge of the slave-class owners' entries: what this node tells other globals (`g_set`). */
  slavesView(): DbRecord {
    const out: DbRecord = {};
    for (const [family, fam] of this.#view) {
      let rec: FamilyRecord | undefined;
      for (const [k, head] of fam) {
        const cell = this.#firstSlave(head);
        if (cell === undefined) continue;
        if (rec === undefined) putOwn(out, family, (rec = {}));
        putOwn(rec, k, cell.value);
      }
    }
    return out;
  }

  /** `owner` sets `key` of `family` to `value` (a repeat of its current value changes nothing). */
  set(owner: string, family: string, key: string, value: unknown, out: Changes): void {
    let fam = this.#view.get(family);
    if (fam === undefined) this.#view.set(family, (fam = new Map()));
    const head = fam.get(key);
    let prev: Cell | undefined;
    let cur = head;
    while (cur !== undefined && cur.owner !== owner) {
      prev = cur;
      cur = cur.next;
    }
    // the one comparison of the common case: an owner changing its own visible (and slave) value
    if (cur !== undefined && deepEqual(cur.value, value)) return;
    const slave = !this.globals.has(owner);
    const oldSlave = slave ? this.#firstSlave(head) : undefined;
    let rest = head;
    if (cur !== undefined) {
      if (prev === undefined) rest = cur.next;
      else prev.next = cur.next;
    } else this.#index(owner, family).add(key);
    fam.set(key, { owner, value, next: rest });
    // `cur` differs from `value` (compared above): no need to compare it again as the head or first slave
    if (head === undefined || head === cur || !deepEqual(head.value, value)) out.view.set(family, key, value);
    if (slave && (oldSlave === undefined || oldSlave === cur || !deepEqual(oldSlave.value, value)))
      out.slaves.set(family, key, value);
  }

  /** `owner` deletes `key` of `family` (nothing happens unless it holds it). */
  del(owner: string, family: string, key: string, out: Changes): void {
    const fam = this.#view.get(family);
    const head = fam?.get(key);
    if (fam === undefined || head === undefined) return;
    let prev: Cell | undefined;
    let cur: Cell | undefined = head;
    while (cur !== undefined && cur.owner !== owner) {
      prev = cur;
      cur = cur.next;
    }
    if (cur === undefined) return;
    const slave = !this.globals.has(owner);
    const oldSlave = slave ? this.#firstSlave(head) : undefined;
    let newHead: Cell | undefined = head;
    if (prev === undefined) newHead = cur.next;
    else prev.next = cur.next;
    this.#unindex(owner, family, key);
    if (newHead === undefined) {
      fam.delete(key);
      if (fam.size === 0) this.#view.delete(family);
      out.view.del(family, key);
    } else {
      fam.set(key, newHead);
      if (cur === head && !deepEqual(cur.value, newHead.value)) out.view.set(family, key, newHead.value);
    }
    if (slave && oldSlave === cur) {
      const next = this.#firstSlave(newHead);
      if (next === undefined) out.slaves.del(family, key);
      else if (!deepEqual(cur.value, next.value)) out.slaves.set(family, key, next.value);
    }
  }

  /** `g_upd`: `owner` sets the keys of `set`, then deletes the keys of `del`. */
  update(
    owner: string,
    family: string,
    set: FamilyRecord | null,
    del: readonly string[] | null,
    out: Changes,
  ): void {
    if (set !== null) for (const k of Object.keys(set)) this.set(owner, family, k, set[k], out);
    if (del !== null) for (const k of del) this.del(owner, family, k, out);
  }

  /**
   * `g_slave DB` / `g_set DB`: `owner`'s entries become exactly `db` — its
   * keys missing from `db` are deleted, the others set (unchanged values
   * change nothing).
   */
  replace(owner: string, db: DbRecord, out: Changes): void {
    const owned = this.#owned.get(owner);
    if (owned !== undefined) {
      for (const [family, keys] of [...owned]) {
        const next = Object.hasOwn(db, family) ? db[family] : undefined;
        for (const k of [...keys])
          if (next === undefined || !Object.hasOwn(next, k)) this.del(owner, family, k, out);
      }
    }
    for (const family of Object.keys(db)) {
      const fam = db[family] as FamilyRecord;
      for (const k of Object.keys(fam)) this.set(owner, family, k, fam[k], out);
    }
  }

  /** Removes everything `owner` holds (it went away). */
  clear(owner: string, out: Changes): void {
    const owned = this.#owned.get(owner);
    if (owned === undefined) return;
    for (const [family, keys] of [...owned]) for (const k of [...keys]) this.del(owner, family, k, out);
    this.#owned.delete(owner);
  }

  /** Rough count of stored cells (all owners' entries). */
  get cellCount(): number {
    let n = 0;
    for (const fams of this.#owned.values()) for (const keys of fams.values()) n += keys.size;
    return n;
  }

  #firstSlave(cell: Cell | undefined): Cell | undefined {
    while (cell !== undefined && this.globals.has(cell.owner)) cell = cell.next;
    return cell;
  }

  #index(owner: string, family: string): Set<string> {
    let fams = this.#owned.get(owner);
    if (fams === undefined) this.#owned.set(owner, (fams = new Map()));
    let keys = fams.get(family);
    if (keys === undefined) fams.set(family, (keys = new Set()));
    return keys;
  }

  #unindex(owner: string, family: string, key: string): void {
    const fams = this.#owned.get(owner);
    const keys = fams?.get(family);
    if (fams === undefined || keys === undefined) return;
    keys.delete(key);
    if (keys.size === 0) {
      fams.delete(family);
      if (fams.size === 0) this.#owned.delete(owner);
    }
  }
}
