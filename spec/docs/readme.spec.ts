/**
 * The README's code runs. Every ```ts block that imports from `aemp` is
 * either the exact text of a file under `examples/` (its first line says
 * which: `// examples/NAME.ts`; the file imports `../src/index.js` where the
 * README says `aemp`) — then that file is run — or a whole program of its
 * own, which is run as it stands with `aemp` pointing at `src/`. Each must
 * end by itself with exit code 0 and nothing on stderr.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const README = readFileSync(join(ROOT, 'README.md'), 'utf8');
const SPOOL = join(ROOT, '.tmp', 'readme');

interface Block {
  readonly line: number;
  readonly code: string;
}

/** The ```ts blocks of a markdown text that import from `aemp`, with their line numbers. */
export function tsBlocks(markdown: string): Block[] {
  const blocks: Block[] = [];
  const re = /^```ts\n([\s\S]*?)^```$/gm;
  for (const m of markdown.matchAll(re)) {
    const code = m[1]!;
    if (!/from 'aemp(\/classic)?'/.test(code)) continue;
    blocks.push({ line: markdown.slice(0, m.index).split('\n').length, code });
  }
  return blocks;
}

const AS_IN_EXAMPLES: readonly [RegExp, string][] = [
  [/from 'aemp'/g, "from '../src/index.js'"],
  [/from 'aemp\/classic'/g, "from '../src/classic.js'"],
];

function run(file: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', file], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

const blocks = tsBlocks(README);

describe('README code blocks', () => {
  it('there are blocks to run (the extraction works)', () => {
    expect(blocks.length).toBeGreaterThanOrEqual(5);
  });

  it.each(blocks.map((b) => [b.line, b] as const))('the block at README.md:%i runs', async (_line, block) => {
    const named = /^\/\/ (examples\/[\w./-]+\.ts)\n/.exec(block.code);
    let file: string;
    if (named) {
      file = join(ROOT, named[1]!);
      let expected = block.code;
      for (const [from, to] of AS_IN_EXAMPLES) expected = expected.replace(from, to);
      expect(readFileSync(file, 'utf8'), `${named[1]} differs from the README block`).toBe(expected);
    } else {
      mkdirSync(SPOOL, { recursive: true });
      file = join(SPOOL, `block-${block.line}.ts`);
      const code = block.code
        .replace(/from 'aemp'/g, `from '${join(ROOT, 'src/index.js')}'`)
        .replace(/from 'aemp\/classic'/g, `from '${join(ROOT, 'src/classic.js')}'`);
      writeFileSync(file, code);
    }
    const r = await run(file);
    expect({ code: r.code, stderr: r.stderr }, r.stdout).toEqual({ code: 0, stderr: '' });
  }, 90_000);
});
