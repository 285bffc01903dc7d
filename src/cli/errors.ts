/**
 * The errors the `aemp` command reports: a message for stderr and an exit
 * code. Everything else that escapes a command is reported by its message
 * too (see `main.ts`), with exit code 1.
 * @module
 */

/** A failure with a message meant for the user. Exit code 1 unless given. */
export class CliError extends Error {
  override readonly name: string = 'CliError';
  constructor(
    message: string,
    /** The process exit code. */
    readonly exitCode = 1,
  ) {
    super(message);
  }
}

/** The command line itself is wrong (exit code 2, as commander's own usage errors). */
export class UsageError extends CliError {
  override readonly name = 'UsageError';
  constructor(message: string) {
    super(message, 2);
  }
}

/**
 * Runs `fn`; a `TypeError` it throws (the library's answer to a wrong
 * argument, such as a family name) becomes a {@link UsageError}.
 */
export function typeErrorsAsUsage<T>(fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof TypeError) throw new UsageError(e.message);
    throw e;
  }
}
