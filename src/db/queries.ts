/**
 * The read queries of a node's database — `db.family`, `db.keys`,
 * `db.values` — asked of the master (`g_db_family` / `g_db_keys` /
 * `g_db_values F ID 1`) and answered with `g_reply ID RESULT [MORE]`, a
 * big answer in parts. Pending queries are asked again of a new master
 * and error when the node closes.
 * @module
 */
import { Observable } from 'rxjs';
import { NameCounter } from '../kernel/index.js';
import type { QueryKind } from './global.js';
import { describe, ownRecord, putOwn, wireHash, wireKeys, type FamilyRecord } from './value.js';

/** The node-port tags of the three queries. */
export const QUERY_TAGS: Readonly<Record<QueryKind, string>> = {
  family: 'g_db_family',
  keys: 'g_db_keys',
  values: 'g_db_values',
};

interface Request {
  readonly msg: readonly unknown[];
  readonly kind: QueryKind;
  readonly done: (result: unknown) => void;
  /** The parts of a reply that comes in parts, so far. */
  parts: unknown[] | undefined;
}

/** Marks pending requests ended by `close()`. */
const closedError = Symbol('closed');

export class Queries {
  readonly #ids = new NameCounter();
  readonly #requests = new Map<string, Request>();
  #closed = false;

  /** `toMaster` sends a message to the current master (nothing while there is none). */
  constructor(private readonly toMaster: (msg: readonly unknown[]) => void) {}

  /** One query: one value, then complete; errors when the node closes first. */
  query(kind: QueryKind, family: string): Observable<unknown> {
    return new Observable<unknown>((subscriber) => {
      if (this.#closed) {
        subscriber.error(closedError); // (as before the split: the bare marker, not an Error)
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
      this.toMaster(msg);
      return () => this.#requests.delete(id);
    });
  }

  /** `g_reply ID RESULT [MORE]` from the master: an answer, or a part of one (`MORE` 1: more follow, 0: the last). */
  reply(id: string, result: unknown, more: unknown): void {
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

  /** A new master: every pending query is asked again (parts so far forgotten). */
  resend(): void {
    for (const r of this.#requests.values()) {
      r.parts = undefined;
      this.toMaster(r.msg);
    }
  }

  /** The node closes: pending queries error. */
  close(): void {
    this.#closed = true;
    const requests = [...this.#requests.values()];
    this.#requests.clear();
    for (const r of requests) r.done(closedError);
  }
}

/** The answer a reply in parts adds up to. */
function joinParts(kind: QueryKind, parts: readonly unknown[]): unknown {
  if (kind !== 'family') return (parts as unknown[][]).flat();
  const out: FamilyRecord = {};
  for (const part of parts as FamilyRecord[]) for (const k of Object.keys(part)) putOwn(out, k, part[k]);
  return out;
}
