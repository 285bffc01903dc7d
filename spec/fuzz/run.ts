/**
 * `npm run fuzz`: at least 100,000 generated hostile cases against a live
 * node in a child process, over loopback (see harness.ts). Prints the seed
 * (replay with `--seed`, one batch with `--batch`), counts and time; exits 1
 * on the first failed check.
 *
 * Known defects being fixed elsewhere (harness.ts KNOWN_DEFECTS) are left
 * out unless `--all`.
 *
 *   npm run fuzz -- [--cases N] [--seed S] [--batch B] [--batch-size N] [--concurrency N] [--in-process] [--all]
 */
import { parseArgs } from 'node:util';
import { childTarget, inProcessTarget, KNOWN_DEFECTS, runFuzz } from './harness.js';

const { values } = parseArgs({
  options: {
    cases: { type: 'string', default: '100000' },
    seed: { type: 'string' },
    batch: { type: 'string' },
    'batch-size': { type: 'string', default: '2000' },
    concurrency: { type: 'string', default: '8' },
    'in-process': { type: 'boolean', default: false },
    all: { type: 'boolean', default: false },
  },
});

const seed = values.seed !== undefined ? Number(values.seed) : Math.floor(Math.random() * 2 ** 31);
const firstBatch = values.batch !== undefined ? Number(values.batch) : 0;
const batchSize = Number(values['batch-size']);
// one batch when replaying one
const cases = values.batch !== undefined && values.cases === '100000' ? batchSize : Number(values.cases);
for (const [k, v] of Object.entries({
  seed,
  firstBatch,
  batchSize,
  cases,
  concurrency: Number(values.concurrency),
}))
  if (!Number.isSafeInteger(v) || v < 0) throw new TypeError(`fuzz: --${k} must be a non-negative integer`);

console.log(
  `fuzz: seed ${seed}, ${cases} cases from batch ${firstBatch}, ${batchSize} per batch, ${values.concurrency} at once, target ${values['in-process'] ? 'in this process' : 'a child process'}`,
);
const avoid = values.all ? [] : Object.keys(KNOWN_DEFECTS);
for (const k of avoid)
  console.log(`  leaving out known defect ${k}: ${KNOWN_DEFECTS[k]!.what} (--all to include)`);
const started = Date.now();
const target = values['in-process'] ? await inProcessTarget() : await childTarget();
let uncaught: unknown;
const onUncaught = (e: unknown) => {
  console.log('FAILED: uncaught in the fuzzing process:', e);
  uncaught ??= e;
  process.exitCode = 1;
};
process.on('uncaughtException', onUncaught);
process.on('unhandledRejection', onUncaught);
let code = 0;
try {
  const { stats, failure } = await runFuzz({
    target,
    seed,
    cases,
    batchSize,
    firstBatch,
    concurrency: Number(values.concurrency),
    avoid,
    progress: (s) => {
      const t = ((Date.now() - started) / 1000).toFixed(1);
      console.log(
        `  batch ${firstBatch + s.batches - 1}: ${s.cases} cases (${s.preAuth} before auth, ${s.frames} frames in ${s.sessions} sessions, ${s.malformed} malformed) in ${t} s`,
      );
      if (uncaught !== undefined) throw uncaught;
    },
  });
  const secs = (Date.now() - started) / 1000;
  console.log(
    `fuzz: ${stats.cases} cases in ${secs.toFixed(1)} s (${Math.round(stats.cases / secs)}/s): ${stats.preAuth} before auth, ${stats.frames} frames in ${stats.sessions} sessions, ${stats.malformed} malformed`,
  );
  if (failure) {
    console.log(
      `FAILED in batch ${failure.batch} (replay: npm run fuzz -- --seed ${seed} --batch ${failure.batch}):\n  ${failure.what}`,
    );
    code = 1;
  }
  if (uncaught !== undefined) code = 1;
  if (target.suspicious.size) {
    console.log(
      `${target.suspicious.size} suspicious log line(s) of the target (our bugs rather than refusals?):`,
    );
    for (const line of target.suspicious.values()) console.log(`  ${line}`);
  } else console.log('no suspicious log lines on the target');
} finally {
  await target.close();
}
process.exit(code || (process.exitCode ?? 0));
