/**
 * The cli room (top of the house): the `aemp` command. A client of the
 * package like any other: it imports only the public API (`../index.js`),
 * never another room's files. {@link runCli} runs one command line;
 * `main.ts` is the process entry (`bin/aemp.js`). `program.ts` holds the
 * global options and registers the command groups: configuration
 * (`configCommands.ts`), the network commands (`networkCommands.ts`: one file
 * per command), `run`, looking at a running network (`watchCommands.ts`:
 * `nodes`, `db`, `watch`; and `logsCommand.ts`). A network command's own
 * node: `clientNode.ts`.
 * @module
 */
export { runCli } from './run.js';
export { CliContext, type GlobalOptions, type Output } from './context.js';
export { CliError, UsageError } from './errors.js';
export { buildProgram, VERSION } from './program.js';
