/**
 * The live-node fuzz harness: generated hostile input (see generators.ts)
 * sent over real loopback sockets to one node, in batches. After each batch
 * the node must be alive, answer an honest newcomer's `time` request, and
 * an honest node connected since the start must still be connected and
 * answer a `cal`. Used by `npm run fuzz` (spec/fuzz/run.ts, a child-process
 * target, ≥ 100,000 cases) and by the seeded slice in fuzz.spec.ts.
 */
import fc from 'fast-check';
import { badFrame, encodeFrame, frame, preAuthCase, PROTO_NAMES, type GenOptions } from './generators.js';
import { honestPeers } from './honest.js';
import { dataSession, preAuth } from './sessions.js';
import { FUZZ_MAX_FRAME_BYTES, type Target } from './target.js';

export { childTarget, inProcessTarget, FUZZ_MAX_FRAME_BYTES, SECRET, type Target } from './target.js';

/** Counts of what was sent and seen. */
export interface FuzzStats {
  cases: number;
  preAuth: number;
  frames: number;
  malformed: number;
  sessions: number;
  batches: number;
}

/** Something that went wrong: a failure of the node under test. */
export interface FuzzFailure {
  readonly batch: number;
  readonly what: string;
}

/** Options of {@link runFuzz}. */
export interface FuzzOptions {
  readonly target: Target;
  readonly seed: number;
  /** Stop after at least this many cases. */
  readonly cases: number;
  /** Cases per batch (checks run between batches). */
  readonly batchSize?: number;
  /** Sessions in flight at once. */
  readonly concurrency?: number;
  /** First batch number (to replay one batch of a run: same seed, `firstBatch` = its number). */
  readonly firstBatch?: number;
  /** Called after each batch. */
  readonly progress?: (stats: FuzzStats) => void;
  /** Generators to leave out: `preAuth`, `frames`, `malformed`. */
  readonly skip?: readonly string[];
  /** Known defects (keys of {@link KNOWN_DEFECTS}) whose triggers are left out of the cases. */
  readonly avoid?: readonly string[];
}

/**
 * Defects the fuzz found that other branches are fixing: what triggers them
 * and what the generators leave out while `avoid` names them. Delete each
 * entry once its fix is merged (and see spec/fuzz/fuzz.spec.ts).
 */
export const KNOWN_DEFECTS: Readonly<
  Record<string, { readonly what: string; readonly excludeNames: readonly string[] }>
> = {
  // none open: 'proto-node-id' (a node id named after an Object.prototype method ended the process) is fixed
};

/** Deterministic per-(seed, batch, session) seeds. */
function mix(seed: number, a: number, b: number): number {
  let h = (seed ^ 0x9e3779b9) >>> 0;
  h = Math.imul(h ^ a, 0x85ebca6b) >>> 0;
  h = Math.imul(h ^ b, 0xc2b2ae35) >>> 0;
  return (h ^ (h >>> 16)) | 0;
}

/** Runs `jobs` with at most `n` in flight. */
async function pool<T>(jobs: (() => Promise<T>)[], n: number): Promise<T[]> {
  const out: T[] = new Array<T>(jobs.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(n, jobs.length) }, async () => {
      while (next < jobs.length) {
        const i = next++;
        out[i] = await jobs[i]!();
      }
    }),
  );
  return out;
}

/** Node ids for data sessions: mostly plain and unique, some exactly a prototype name. */
function sessionId(batch: number, i: number, gen: GenOptions): string {
  if (i < PROTO_NAMES.length && batch % 4 === 0 && !gen.excludeNames.has(PROTO_NAMES[i]!))
    return PROTO_NAMES[i]!;
  return `fz-${batch}-${i}${i % 7 === 3 ? '\x1b[0m' : ''}`;
}

/**
 * Runs the fuzz until `cases` cases were sent or a check fails. Returns
 * the stats and the first failure (undefined when none).
 */
export async function runFuzz(o: FuzzOptions): Promise<{ stats: FuzzStats; failure?: FuzzFailure }> {
  const { target, seed } = o;
  const batchSize = o.batchSize ?? 2000;
  const concurrency = o.concurrency ?? 8;
  const skip = new Set(o.skip ?? []);
  const gen: GenOptions = {
    excludeNames: new Set((o.avoid ?? []).flatMap((k) => KNOWN_DEFECTS[k]?.excludeNames ?? [])),
  };
  const stats: FuzzStats = { cases: 0, preAuth: 0, frames: 0, malformed: 0, sessions: 0, batches: 0 };
  const honest = await honestPeers(target);
  try {
    for (let batch = o.firstBatch ?? 0; stats.cases < o.cases; batch++) {
      const jobs: (() => Promise<string | undefined>)[] = [];
      let planned = 0;
      const bs = Math.min(batchSize, o.cases - stats.cases);
      // about 10% pre-authentication cases, one connection each
      if (!skip.has('preAuth')) {
        const pre = fc.sample(preAuthCase(gen), {
          seed: mix(seed, batch, -1),
          numRuns: Math.max(1, Math.round(bs / 10)),
        });
        pre.forEach((c, i) => jobs.push(() => preAuth(target.port, c, `fz-pre-${batch}-${i}`)));
        stats.preAuth += pre.length;
        planned += pre.length;
      }
      // the rest: authenticated sessions of 20–200 hostile frames, some ending malformed
      for (let i = 0; planned < bs; i++) {
        const cbor = i % 2 === 1;
        const me = sessionId(batch, i, gen);
        const r = mix(seed, batch, i);
        const n = 5 + (Math.abs(r) % 120);
        const frames = skip.has('frames')
          ? []
          : fc.sample(frame(cbor, me, gen), { seed: r, numRuns: n }).map((f) => encodeFrame(f, cbor));
        const killer =
          Math.abs(r >> 8) % 2 === 0 && !skip.has('malformed')
            ? fc.sample(badFrame(cbor, FUZZ_MAX_FRAME_BYTES, me, gen), {
                seed: r ^ 0x5bd1e995,
                numRuns: 1,
              })[0]
            : undefined;
        jobs.push(() => dataSession(target.port, me, r, cbor, frames, killer));
        stats.frames += frames.length;
        stats.malformed += killer ? 1 : 0;
        stats.sessions++;
        planned += frames.length + (killer ? 1 : 0) + (frames.length === 0 && !killer ? 1 : 0);
      }
      const results = await pool(jobs, concurrency);
      stats.cases += planned;
      stats.batches++;
      const first = results.find((r) => r !== undefined);
      // a session that failed because the target is dying: let its death be seen (bounded)
      for (let i = 0; first !== undefined && !target.dead() && i < 40; i++)
        await new Promise((w) => setTimeout(w, 50));
      const dead = target.dead();
      const failed = dead ? `target dead: ${dead}` : (first ?? (await honest.check(batch)));
      o.progress?.({ ...stats });
      if (failed !== undefined) return { stats, failure: { batch, what: failed } };
    }
    return { stats };
  } finally {
    await honest.close();
  }
}
