/**
 * Runs one `aemp` command line: cuts it into sub-commands (`chain.ts`),
 * runs them left to right on one {@link CliContext}, writes the rc file if
 * the edits changed it, and turns failures into a message on stderr and an
 * exit code (0 ok, 1 failure, 2 bad command line).
 * @module
 */
import { CommanderError } from 'commander';
import { ConfigError } from '../index.js';
import { expandJsonArgv } from './args.js';
import { checkChain, cutChain } from './chain.js';
import { CliContext } from './context.js';
import { CliError } from './errors.js';
import { buildProgram } from './program.js';

/** Runs the command line `argv` (without `node` and the script); resolves to the exit code. */
export async function runCli(argv: readonly string[], ctx: CliContext = new CliContext()): Promise<number> {
  const args = expandJsonArgv(argv);
  try {
    const program = buildProgram(ctx);
    const { globals, segments } = cutChain(args, program);
    // the whole line is checked before the first sub-command runs
    checkChain(segments, program);
    if (segments.length === 0) segments.push([]);
    for (const segment of segments) {
      await buildProgram(ctx).parseAsync([...globals, ...segment], { from: 'user' });
    }
    ctx.flush();
    return 0;
  } catch (e) {
    return report(e, ctx);
  }
}

function report(e: unknown, ctx: CliContext): number {
  if (e instanceof CommanderError) {
    // commander printed its message (or the help) already
    if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version') return 0;
    return e.exitCode === 0 ? 0 : 2;
  }
  if (e instanceof CliError) {
    if (e.message !== '') ctx.note(`aemp: ${e.message}`); // '' = the command printed its outcome already
    return e.exitCode;
  }
  if (e instanceof ConfigError) {
    ctx.note(`aemp: ${e.message}`);
    return 1;
  }
  const text = e instanceof Error ? e.message : String(e);
  ctx.note(`aemp: ${text}`);
  if (process.env.AEMP_DEBUG && e instanceof Error && e.stack) ctx.note(e.stack);
  return 1;
}
