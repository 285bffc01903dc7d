/**
 * The cli room (top of the house): the `aemp` command. A client of the
 * package like any other: it imports only the public API (src/index.ts).
 * {@link runCli} runs one command line; `main.ts` is the process entry
 * (`bin/aemp.js`).
 * @module
 */
export { runCli } from './run.js';
export { CliContext, type GlobalOptions, type Output } from './context.js';
export { CliError, UsageError } from './errors.js';
export { buildProgram, VERSION } from './program.js';
