/**
 * Ctrl-C during `npm start`: a real SIGINT to the whole process group (what a
 * terminal sends: npm, the demo and its worker processes) at several moments
 * ends everything cleanly — exit 130, no stack trace, no worker left behind.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { inBatches } from '../cli/helpers.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function gone(pids: readonly number[], ms: number): Promise<number[]> {
  const end = Date.now() + ms;
  for (;;) {
    const left = pids.filter(alive);
    if (left.length === 0 || Date.now() > end) return left;
    await new Promise((r) => setTimeout(r, 50));
  }
}

interface Outcome {
  code: number | null;
  signal: NodeJS.Signals | null;
  output: string;
  orphans: number[];
}

/** The demo as `npm start` runs it, or its script alone (`tsx examples/main.ts`). */
const COMMANDS = {
  npm: ['npm', ['start', '--silent']],
  demo: [process.execPath, ['--import', 'tsx', 'examples/main.ts']],
} as const;

/** Runs the demo in its own process group and sends SIGINT to the group once `moment` matches a line. */
function interruptAt(moment: RegExp, how: keyof typeof COMMANDS = 'demo'): Promise<Outcome> {
  const [cmd, args] = COMMANDS[how];
  const child = spawn(cmd, args, { cwd: ROOT, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  let sent = false;
  const workers: number[] = [];
  const onData = (d: Buffer) => {
    output += d.toString();
    for (const m of output.matchAll(/process (\d+) started/g)) if (!workers.includes(Number(m[1]))) workers.push(Number(m[1]));
    if (!sent && moment.test(output)) {
      sent = true;
      process.kill(-child.pid!, 'SIGINT');
    }
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  return new Promise((resolve) => {
    const timer = setTimeout(() => process.kill(-child.pid!, 'SIGKILL'), 40_000);
    child.once('close', async (code, signal) => {
      clearTimeout(timer);
      if (!sent) output += '\n(the moment never came)';
      resolve({ code, signal, output, orphans: await gone(workers, 10_000) });
    });
  });
}

describe('npm start and Ctrl-C', () => {
  it('ends cleanly with exit 130 at every moment: before the workers, while they start, mid-run, right after a kill', async () => {
    const moments = [/a secret for this run/, /process \d+ started/, /job +1 →/, /killing worker beta/];
    const runs = [
      ...moments.map((m) => ({ m, how: 'demo' as const })),
      { m: /all three workers are in the family/, how: 'npm' as const },
    ];
    const outcomes = await inBatches(
      runs.map(({ m, how }) => () => interruptAt(m, how)),
      2,
    );
    for (const [i, o] of outcomes.entries()) {
      const { m, how } = runs[i]!;
      const where = `${how}, moment ${m}:\n${o.output}`;
      expect(o.output, where).not.toContain('(the moment never came)');
      // npm itself dies of the SIGINT (a shell shows 130 for that as well); the demo exits 130
      if (how === 'npm') expect(o.code === 130 || o.signal === 'SIGINT', where).toBe(true);
      else expect(o.code, where).toBe(130);
      expect(o.output, where).not.toMatch(/\n\s+at .+[(:]\d+/); // no stack trace
      expect(o.output, where).not.toMatch(/no workers left|Error/);
      expect(o.orphans, where).toEqual([]);
    }
  }, 120_000);
});
