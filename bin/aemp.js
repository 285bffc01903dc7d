#!/usr/bin/env node
// The `aemp` command's launcher. After `npm run build` it runs the compiled
// CLI (dist/cli/main.js); in a source checkout (or with AEMP_FROM_SOURCE=1,
// which the tests set so that a stale build is never what they test) it
// runs src/cli/main.ts through tsx's loader.
import { existsSync } from 'node:fs';
import process from 'node:process';
import { URL, fileURLToPath, pathToFileURL } from 'node:url';

const compiled = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url));
if (existsSync(compiled) && !process.env.AEMP_FROM_SOURCE) {
  await import(pathToFileURL(compiled).href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/cli/main.ts');
}
