/**
 * The full differential test of our CBOR codec against cbor-x: a million
 * generated frames in each direction (ours → cbor-x, cbor-x → ours, Perl's
 * shapes → both). `npm test` runs a seeded slice of the same properties
 * (spec/streams/cbor-differential.spec.ts); the intended differences are
 * named in spec/helpers/cborDifferential.ts.
 *
 * Usage: `npm run fuzz:cbor [-- --runs N] [-- --seed S]` (defaults: 1,000,000
 * per direction, a random seed, printed so that a failure can be replayed).
 * Exits non-zero on the first failing frame, after fast-check shrinks it.
 */
import fc from 'fast-check';
import { parseArgs } from 'node:util';
import { cborxToOurs, oursToCborx, perlToBoth } from '../spec/helpers/cborDifferential.js';

const { values } = parseArgs({ options: { runs: { type: 'string' }, seed: { type: 'string' } } });
const runs = Number(values.runs ?? 1_000_000);
const seed = values.seed === undefined ? Math.floor(Math.random() * 2 ** 31) : Number(values.seed);
if (!Number.isSafeInteger(runs) || runs < 1)
  throw new TypeError(`--runs must be a positive integer, got ${values.runs}`);
if (!Number.isSafeInteger(seed)) throw new TypeError(`--seed must be an integer, got ${values.seed}`);

console.log(`fuzz:cbor — ${runs.toLocaleString('en')} frames per direction, seed ${seed}`);
let failed = false;
for (const [name, property, offset] of [
  ['ours → cbor-x', oursToCborx, 0],
  ['cbor-x → ours', cborxToOurs, 1],
  ["Perl's shapes → ours and cbor-x", perlToBoth, 2],
] as const) {
  const started = performance.now();
  const details = fc.check(property as fc.IPropertyWithHooks<unknown>, {
    seed: seed + offset,
    numRuns: runs,
  });
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  if (details.failed) {
    failed = true;
    console.log(
      `FAIL ${name} (seed ${seed + offset}, ${seconds}s):\n${fc.defaultReportMessage(details) ?? ''}`,
    );
  } else {
    console.log(`ok   ${name}: ${details.numRuns.toLocaleString('en')} frames, ${seconds}s`);
  }
}
process.exitCode = failed ? 1 : 0;
