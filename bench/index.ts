/**
 * `npm run bench`: runs every bench module, prints one table, writes
 * `bench/results.json`. `npm run bench -- kernel framing` runs only the
 * named suites. Benchmarks never fail: a missed target is printed as MISS,
 * and a suite that throws is reported and skipped (exit code stays 0).
 * @module
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { benchKernel } from './kernel.js';
import { benchFraming } from './framing.js';
import { benchRemote } from './remote.js';
import { benchDb } from './db.js';
import { benchChurn } from './churn.js';
import { machineInfo, type Row } from './rows.js';
import { renderTable } from './table.js';

/** Every suite, in run order. Add a module here: `[name, benchXxx]`. */
const suites: Array<[name: string, run: () => Promise<Row[]>]> = [
  ['kernel', benchKernel],
  ['framing', benchFraming],
  ['remote', benchRemote],
  ['db', benchDb],
  ['churn', benchChurn],
];

async function main(): Promise<void> {
  const only = process.argv.slice(2);
  const chosen = only.length ? suites.filter(([name]) => only.includes(name)) : suites;
  const machine = machineInfo();
  const started = new Date();
  console.log(
    `aemp bench — node ${machine.node}, ${machine.cpu} ×${machine.cores}, ${machine.platform}/${machine.arch}, ` +
      `load average ${machine.loadAvg.map((l) => l.toFixed(2)).join(' ')} (other work skews the figures)`,
  );

  const rows: Row[] = [];
  const errors: Array<{ suite: string; error: string }> = [];
  const timings: Record<string, number> = {};
  for (const [name, run] of chosen) {
    process.stdout.write(`running ${name} … `);
    const t0 = performance.now();
    try {
      const got = await run();
      rows.push(...got);
      console.log(`${got.length} rows, ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    } catch (err) {
      const text = err instanceof Error ? (err.stack ?? err.message) : String(err);
      errors.push({ suite: name, error: text });
      console.log(`FAILED: ${text}`);
    }
    timings[name] = Math.round(performance.now() - t0);
  }

  console.log('\n' + renderTable(rows) + '\n');

  const file = fileURLToPath(new URL('./results.json', import.meta.url));
  const results = {
    date: started.toISOString(),
    durationMs: Math.round(Date.now() - started.getTime()),
    machine,
    suites: timings,
    rows,
    errors,
  };
  writeFileSync(file, JSON.stringify(results, null, 2) + '\n');
  console.log(`wrote ${file}`);
}

await main();
