/**
 * The `aemp` command: {@link runCli} runs one command line. `main.ts` is the
 * process entry (`bin/aemp.js`).
 * @module
 */
export { runCli } from './run.js';
export { CliContext, type GlobalOptions, type Output } from './context.js';
export { CliError, UsageError } from './errors.js';
export { buildProgram, VERSION } from './program.js';
