/**
 * The setup file really fails the culprit test: a separate vitest runs
 * spec/fixtures/unhandled/stray.fixture.ts (an unhandled rejection, an
 * uncaught exception, a child node dying of an unhandled rejection, then an
 * innocent test) and must exit non-zero with exactly the culprits red.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

it('an unhandled rejection or uncaught exception, here or in a child node, fails the test it happened in', () => {
  const dir = mkdtempSync(join(tmpdir(), 'aemp-stray-'));
  try {
    const out = join(dir, 'result.json');
    const run = spawnSync(
      process.execPath,
      [
        join(ROOT, 'node_modules/vitest/vitest.mjs'),
        'run',
        '--config',
        'spec/fixtures/unhandled/vitest.config.ts',
        '--reporter=json',
        `--outputFile=${out}`,
      ],
      { cwd: ROOT, encoding: 'utf8', timeout: 60_000 },
    );
    expect(run.status, run.stderr).toBe(1);
    const result = JSON.parse(readFileSync(out, 'utf8')) as {
      testResults: { assertionResults: { title: string; status: string; failureMessages: string[] }[] }[];
    };
    const tests = result.testResults.flatMap((f) => f.assertionResults);
    const status = Object.fromEntries(tests.map((t) => [t.title, t.status]));
    expect(status).toEqual({
      'culprit: an unhandled rejection in the test process': 'failed',
      'culprit: an uncaught exception in the test process': 'failed',
      'culprit: a child node dies of an unhandled rejection': 'failed',
      'innocent: a test after them passes': 'passed',
    });
    const why = (title: string) => tests.find((t) => t.title === title)!.failureMessages.join('\n');
    expect(why('culprit: an unhandled rejection in the test process')).toContain('stray rejection in the test process');
    expect(why('culprit: an uncaught exception in the test process')).toContain('stray exception in the test process');
    expect(why('culprit: a child node dies of an unhandled rejection')).toContain('stray rejection in a child node');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
