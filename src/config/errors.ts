/**
 * The error the configuration layer throws for problems with the rc file
 * (unreadable, not valid relaxed JSON, a broken profile structure, a cycle of
 * `parent` links) or with files it names (`certFile`).
 *
 * Wrong *types* of individual keys are reported as `TypeError`s naming the
 * key instead (see `validate.ts`).
 * @module
 */

/**
 * A configuration file could not be used. `file` names it (when there is
 * one) and `problem` says what is wrong with it; the message is
 * `"<file>: <problem>"`.
 */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  /** Stable code for this error class. */
  readonly code = 'config';
  constructor(
    /** The file the problem is about, if any (the rc file, a certificate file). */
    readonly file: string | undefined,
    /** What is wrong, without the file name. */
    readonly problem: string,
    options?: { cause?: unknown },
  ) {
    super(file === undefined ? problem : `${file}: ${problem}`, options);
  }
}
