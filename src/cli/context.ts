/**
 * What the sub-commands of one `aemp` invocation share: the global options,
 * the rc file editor (loaded on first use, saved once at the end or before
 * a command that starts a node), the profile `profile NAME` switched to,
 * and the output streams.
 * @module
 */
import { jsonText, RcEditor, rcPath, type Env } from '../index.js';
import { CliError } from './errors.js';

/** The options every command takes (given anywhere on the command line). */
export interface GlobalOptions {
  /** The rc file (else `$PERL_ANYEVENT_MP_RC`, `$HOME/.perl-anyevent-mp`, `$APPDATA/perl-anyevent-mp`). */
  rc?: string;
  /** The profile of the node a network command makes (default `aemp`). */
  profile?: string;
  /** Machine-readable output. */
  json?: boolean;
  /** Seeds for a network command's node, instead of the configured ones. */
  seed?: string[];
  /** Log level of a network command's own node on stderr. */
  verbose?: boolean;
}

/** Where output goes (process streams, or buffers in tests). */
export interface Output {
  write(text: string): unknown;
}

export class CliContext {
  /** The profile that `set…`/`del…` edit (`undefined`: the file's top level). */
  target: string | undefined;
  /** The global options (the same for every sub-command of one invocation). */
  globals: GlobalOptions = {};
  #editor: RcEditor | undefined;

  constructor(
    readonly env: Env = process.env,
    readonly stdout: Output = process.stdout,
    readonly stderr: Output = process.stderr,
  ) {}

  /** The rc file path. @throws CliError when none can be formed. */
  rcPath(): string {
    const path = this.globals.rc ?? rcPath(this.env);
    if (path === undefined || path === '') {
      throw new CliError('no rc file: give --rc FILE, or set PERL_ANYEVENT_MP_RC or HOME');
    }
    return path;
  }

  /** The rc file editor, loaded on first use. @throws ConfigError when the file cannot be read. */
  editor(): RcEditor {
    this.#editor ??= RcEditor.load(this.rcPath());
    return this.#editor;
  }

  /** Whether an editor was loaded and holds unsaved changes. */
  get dirty(): boolean {
    return this.#editor?.changed ?? false;
  }

  /**
   * Saves pending edits (only if anything changed). Commands that start a
   * node call it first, so that `aemp setsecret x run` runs with `x`.
   */
  flush(): boolean {
    return this.#editor?.save() ?? false;
  }

  /** Writes one line (or lines) to stdout. */
  out(text: string): void {
    this.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
  }

  /** Writes one line to stderr (notes, warnings, progress). */
  note(text: string): void {
    this.stderr.write(text.endsWith('\n') ? text : `${text}\n`);
  }

  /** Prints a value as one line of JSON. */
  json(value: unknown): void {
    this.out(jsonText(value));
  }
}
