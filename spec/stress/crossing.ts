/**
 * `npm run stress`: 100 crossing-connect trials between two real processes
 * (spec/remote/crossing/driver.ts). Prints the counts; exits 1 on any fault.
 * `npm run stress -- 300 7` runs 300 trials with seed 7.
 */
import { crossingTrials } from '../remote/crossing/driver.js';

const n = Number(process.argv[2] ?? 100);
const seed = Number(process.argv[3] ?? 1);
const r = await crossingTrials(n, seed);
console.log(
  `crossing connects: ${r.trials} trials, ${r.lost} cal(s) lost, ${r.errors} cal(s) failed, ${r.downs} node-down event(s)`,
);
for (const f of r.faults.slice(0, 20)) console.log(`  trial ${f.trial} side ${f.side}: ${f.what}`);
process.exit(r.faults.length ? 1 : 0);
