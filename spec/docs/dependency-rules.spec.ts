/**
 * The house rules of `.dependency-cruiser.cjs` (ARCHITECTURE.md) catch what
 * they promise. `npm run lint` shows the real tree breaks none; this runs
 * the same rules, through the `depcruise` command, over a small tree laid
 * out like `src/` in which each rule is broken once — also by a file the
 * config lists as a temporary exception, in an import its exception does not
 * cover — and checks that exactly those imports are reported.
 */
import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const DEPCRUISE = join(ROOT, 'node_modules', 'dependency-cruiser', 'bin', 'dependency-cruise.mjs');

/** The temporary exceptions of the config (see there). */
const EXCEPTIONS = (
  createRequire(import.meta.url)(join(ROOT, '.dependency-cruiser.cjs')) as {
    exceptions: readonly { rule: string; from: readonly string[]; to?: readonly string[] }[];
  }
).exceptions;

/** Whether the config lets `from` import `to` against `rule` for now. */
function excepted(rule: string, from: string, to: string): boolean {
  return EXCEPTIONS.some(
    (e) => e.rule === rule && e.from.includes(from) && (e.to === undefined || e.to.includes(to)),
  );
}

/** The tree: path → text. `import type` is used where only the circle matters. */
const TREE: Record<string, string> = {
  'package.json': '{ "name": "fixture", "type": "module", "devDependencies": { "vitest": "*" } }',
  'tsconfig.json':
    '{ "compilerOptions": { "module": "NodeNext", "moduleResolution": "NodeNext", "strict": true } }',
  // the front and the entry points
  'src/index.ts': "export * from './createNode.js';\nexport * from './operators/index.js';\n",
  'src/createNode.ts':
    "import { Logger } from './log/index.js';\nimport { Kernel } from './kernel/index.js';\nimport { Db } from './db/index.js';\n" +
    "import { frame } from './streams/index.js';\n" +
    "import { cleanLogText } from './log/logText.js';\n" + // front-door-only: past log's index.ts
    'export const createNode = () => [Logger, Kernel, Db, cleanLogText, frame];\n',
  'src/classic.ts': "import { createNode } from './createNode.js';\nexport const configure = createNode;\n",
  // log
  'src/log/index.ts': "export { Logger } from './log.js';\nexport { cleanLogText } from './logText.js';\n",
  'src/log/log.ts': "import { x } from './missing.js';\nexport class Logger {}\nexport const y = x;\n", // not-to-unresolvable
  'src/log/logText.ts': 'export const cleanLogText = (s: string) => s;\n',
  // streams
  'src/streams/index.ts': "export * from './framing/index.js';\nexport * from './transport/index.js';\n",
  'src/streams/framing/index.ts': "export { frame } from './codec.js';\n",
  'src/streams/framing/codec.ts':
    "import { connect } from '../transport/index.js';\nexport const frame = connect;\n", // streams-layering
  'src/streams/transport/index.ts': "export { connect } from './connect.js';\n",
  'src/streams/transport/connect.ts':
    "import { Logger } from '../../log/log.js';\nexport const connect = Logger;\n", // streams-front-door-only
  // kernel
  'src/kernel/index.ts': "export { Kernel } from './node.js';\nexport { jsonText } from './message.js';\n",
  'src/kernel/node.ts':
    "import { Logger } from '../log/index.js';\nimport { Db } from '../db/index.js';\nexport class Kernel extends Logger {}\nexport const d = Db;\n", // layering: kernel → db
  'src/kernel/message.ts': 'export const jsonText = (v: unknown) => JSON.stringify(v);\n',
  // db
  'src/db/index.ts': "export { Db } from './database.js';\n",
  'src/db/database.ts': "import { Kernel } from '../kernel/index.js';\nexport class Db { k = Kernel; }\n",
  // operators: a circle of types, and a dead file
  'src/operators/index.ts': "export { a } from './a.js';\n",
  'src/operators/a.ts': "import type { B } from './b.js';\nexport type A = { b?: B };\nexport const a = 1;\n",
  'src/operators/b.ts': "import type { A } from './a.js';\nexport type B = { a?: A };\n",
  'src/operators/dead.ts': 'export const dead = 1;\n', // no-orphans, no-unreachable
  'src/operators/test-only.ts': "import { it } from 'vitest';\nexport const t = it;\n", // not-to-dev-dep (and unreachable)
  // cli: context.ts is (for now) an exception for kernel/message.ts, never for kernel/node.ts
  'src/cli/main.ts': "import { run } from './run.js';\nrun();\n",
  'src/cli/run.ts':
    "import { createNode } from '../index.js';\nimport { jsonText } from './context.js';\nexport const run = () => [createNode, jsonText];\n",
  'src/cli/context.ts':
    "import { jsonText } from '../kernel/message.js';\nimport { Kernel } from '../kernel/node.js';\nexport { jsonText };\nexport const k = Kernel;\n",
};

/** What the rules must report: `rule from → to` (or `rule from` for a rule about one file). */
const EXPECTED = [
  'front-door-only src/createNode.ts → src/log/logText.ts',
  'not-to-unresolvable src/log/log.ts → ./missing.js',
  'streams-layering src/streams/framing/codec.ts → src/streams/transport/index.ts',
  'streams-front-door-only src/streams/transport/connect.ts → src/log/log.ts',
  'layering src/kernel/node.ts → src/db/index.ts',
  // a circle is reported once, at one of its imports
  'no-circular src/db/database.ts → src/kernel/index.ts', // kernel → db → kernel
  'no-circular src/operators/a.ts → src/operators/b.ts', // types only
  'no-orphans src/operators/dead.ts',
  'no-unreachable src/operators/dead.ts',
  'no-unreachable src/operators/test-only.ts',
  'not-to-dev-dep src/operators/test-only.ts → vitest',
  'front-door-only src/cli/context.ts → src/kernel/node.ts',
  'cli-uses-public-api-only src/cli/context.ts → src/kernel/node.ts',
  // while the exception for cli/context.ts → kernel/message.ts is listed, that import passes
  ...['front-door-only', 'cli-uses-public-api-only']
    .filter((rule) => !excepted(rule, 'src/cli/context.ts', 'src/kernel/message.ts'))
    .map((rule) => `${rule} src/cli/context.ts → src/kernel/message.ts`),
];

interface Violation {
  readonly from: string;
  readonly to: string;
  readonly rule: { readonly name: string };
}

let dir = '';

beforeAll(() => {
  // inside the checkout, so that packages resolve from its node_modules
  mkdirSync(join(ROOT, '.tmp'), { recursive: true });
  dir = mkdtempSync(join(ROOT, '.tmp', 'rules-'));
  for (const [path, text] of Object.entries(TREE)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Runs `depcruise src` with the project's rules in the fixture tree; its violations. */
function cruise(): Promise<Violation[]> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [DEPCRUISE, 'src', '--config', join(ROOT, '.dependency-cruiser.cjs'), '--output-type', 'json'],
      { cwd: dir, maxBuffer: 16 << 20 },
      (err, stdout, stderr) => {
        // exit code = number of errors; the report is on stdout either way
        try {
          resolve((JSON.parse(stdout) as { summary: { violations: Violation[] } }).summary.violations);
        } catch {
          reject(new Error(`depcruise gave no report (${String(err)}): ${stderr}`));
        }
      },
    );
  });
}

/** `rule from → to`, with a package import shown by its name. */
function describeViolation(v: Violation): string {
  const to = v.to.replace(/^.*node_modules\/([^/]+)\/.*$/, '$1');
  return v.from === v.to ? `${v.rule.name} ${v.from}` : `${v.rule.name} ${v.from} → ${to}`;
}

describe('the dependency rules (.dependency-cruiser.cjs)', () => {
  it('report each broken rule, and nothing else, in a tree laid out like src/', async () => {
    const found = (await cruise()).map(describeViolation);
    expect([...new Set(found)].sort()).toEqual([...EXPECTED].sort());
  });
});
