/**
 * What this node set: its local database (`db_set`/`db_reg` entries, its
 * `'l` entry), each entry with the generation of the `set` that put it
 * there, so that a guard deletes only its own. Pure data: the database
 * tells the master what changed.
 * @module
 */
import { deepEqual } from '../config/index.js';
import { putOwn, type DbRecord, type FamilyRecord } from './value.js';

interface Entry {
  value: unknown;
  /** Which `set` put it there; a guard only deletes its own. */
  gen: number;
}

export class LocalEntries {
  readonly #families = new Map<string, Map<string, Entry>>();
  #gen = 0;

  /** The generation of the last {@link put}. */
  get gen(): number {
    return this.#gen;
  }

  /**
   * Sets an entry (a new generation, see {@link gen}); returns whether its
   * value changed — the one comparison of a `db.set` on a slave. With
   * `compare` false (a global node, whose merged store compares anyway) it
   * says "changed" without comparing.
   */
  put(family: string, key: string, value: unknown, compare = true): boolean {
    let fam = this.#families.get(family);
    if (fam === undefined) this.#families.set(family, (fam = new Map()));
    const old = fam.get(key);
    const gen = ++this.#gen;
    if (old === undefined) {
      fam.set(key, { value, gen });
      return true;
    }
    const changed = !compare || !deepEqual(old.value, value);
    old.value = value;
    old.gen = gen;
    return changed;
  }

  /** Deletes keys; returns those that were there. */
  remove(family: string, keys: readonly string[]): string[] {
    const fam = this.#families.get(family);
    if (fam === undefined) return [];
    const gone: string[] = [];
    for (const k of keys) if (fam.delete(k)) gone.push(k);
    if (fam.size === 0) this.#families.delete(family);
    return gone;
  }

  /** Whether `key` of `family` is still the one put by generation `gen`. */
  holds(family: string, key: string, gen: number): boolean {
    return this.#families.get(family)?.get(key)?.gen === gen;
  }

  /** Everything, as `{ family: { key: value } }`. */
  snapshot(): DbRecord {
    const out: DbRecord = {};
    for (const [f, fam] of this.#families) {
      const rec: FamilyRecord = {};
      for (const [k, e] of fam) putOwn(rec, k, e.value);
      putOwn(out, f, rec);
    }
    return out;
  }
}
