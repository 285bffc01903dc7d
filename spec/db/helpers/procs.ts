/**
 * Child-process nodes (spec/fixtures/node.ts) driven through their database
 * commands: requests with bounded waits, and `db.mon` events as Observables.
 */
import { createServer } from 'node:net';
import { createInterface } from 'node:readline';
import { filter, firstValueFrom, Subject, timeout } from 'rxjs';
import { applyDelta } from '../../../src/db/index.js';
import type { FamilyDelta } from '../../../src/db/index.js';
import { startChild, type ChildNode } from '../../helpers/child.js';

export interface Info {
  id: string;
  master: string | null;
  global: boolean;
  up: string[];
}

export interface DbChild extends ChildNode {
  /** Runs one command; rejects on error or after `ms`. */
  cmd<T = unknown>(op: string, ...args: unknown[]): Promise<T>;
  /** Starts a monitor in the child; its events are collected in a {@link MonLog}. */
  mon(family: string): Promise<MonLog>;
  info(): Promise<Info>;
}

/** Starts a child node that takes database commands. */
export async function startDbChild(options: Record<string, unknown>): Promise<DbChild> {
  const child = await startChild({ secret: 'db-secret', stderrLog: 'error', ...options });
  const results = new Subject<{ id: number; ok: boolean; value?: unknown; error?: string }>();
  const events = new Subject<{ mon: number; delta: FamilyDelta }>();
  createInterface({ input: child.proc.stdout! }).on('line', (line) => {
    if (line.startsWith('RESULT ')) results.next(JSON.parse(line.slice(7)));
    else if (line.startsWith('EVENT ')) events.next(JSON.parse(line.slice(6)));
  });
  let next = 0;
  const cmd = async <T>(op: string, ...args: unknown[]): Promise<T> => {
    const id = ++next;
    const reply = firstValueFrom(
      results.pipe(
        filter((r) => r.id === id),
        timeout({ first: 15_000, with: () => Promise.reject(new Error(`${child.id}: ${op} got no answer`)) }),
      ),
    );
    child.proc.stdin!.write(JSON.stringify({ id, op, args }) + '\n');
    const r = await reply;
    if (!r.ok) throw new Error(`${child.id}: ${op}: ${r.error}`);
    return r.value as T;
  };
  const mon = async (family: string) => {
    const log = new MonLog();
    const id = next + 1; // events may arrive right after the command is handled
    events.pipe(filter((e) => e.mon === id)).subscribe((e) => log.push(e.delta));
    await cmd('mon', family);
    return log;
  };
  return Object.assign(child, { cmd, mon, info: () => cmd<Info>('info') });
}

/** A free TCP port on 127.0.0.1 (for nodes that must know each other's address before they start). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

/** Waits (bounded) until `check` resolves true, asking again every `everyMs`. */
export async function until(
  what: string,
  check: () => Promise<boolean>,
  ms = 15_000,
  everyMs = 50,
): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** The deltas one monitor in a child emitted, and the family they add up to. */
export class MonLog {
  readonly deltas: FamilyDelta[] = [];
  readonly contents = new Map<string, unknown>();
  readonly #changed = new Subject<void>();
  #cursor = 0;

  push(d: FamilyDelta): void {
    this.deltas.push(d);
    applyDelta(this.contents, d);
    this.#changed.next();
  }

  /** The next delta (after the last one a `next` returned) matching `pred`; bounded by `ms`. */
  async next(what: string, pred: (d: FamilyDelta) => boolean, ms = 15_000): Promise<FamilyDelta> {
    const find = () => {
      for (let i = this.#cursor; i < this.deltas.length; i++) {
        if (pred(this.deltas[i]!)) {
          this.#cursor = i + 1;
          return this.deltas[i]!;
        }
      }
      return undefined;
    };
    const now = find();
    if (now) return now;
    await firstValueFrom(
      this.#changed.pipe(
        filter(() => this.deltas.slice(this.#cursor).some(pred)),
        timeout({
          first: ms,
          with: () =>
            Promise.reject(
              new Error(`timed out after ${ms} ms waiting for ${what}; got ${JSON.stringify(this.deltas)}`),
            ),
        }),
      ),
    );
    return find()!;
  }

  /**
   * Waits until the family (all deltas applied) satisfies `pred`; bounded by
   * `ms`. Later `next` calls look only at deltas after this point.
   */
  async until(
    what: string,
    pred: (family: ReadonlyMap<string, unknown>) => boolean,
    ms = 15_000,
  ): Promise<void> {
    if (!pred(this.contents)) {
      await firstValueFrom(
        this.#changed.pipe(
          filter(() => pred(this.contents)),
          timeout({
            first: ms,
            with: () =>
              Promise.reject(
                new Error(
                  `timed out after ${ms} ms waiting for ${what}; have ${JSON.stringify([...this.contents])}`,
                ),
              ),
          }),
        ),
      );
    }
    this.#cursor = this.deltas.length;
  }
}
