/**
 * Log records with AnyEvent::Log's levels. Library code logs through a
 * node's {@link Logger}; nothing in `src/` calls `console.*`.
 * @module
 */
import { Subject, type Observable } from 'rxjs';
import { cleanLogText, LOG_FIELD_MAX_BYTES, LOG_MESSAGE_MAX_BYTES } from './logText.js';

/** AnyEvent::Log level names, most severe first (1 = fatal … 9 = trace). */
export const LOG_LEVELS = ['fatal', 'alert', 'critical', 'error', 'warn', 'note', 'info', 'debug', 'trace'] as const;
/** A level name. */
export type LogLevel = (typeof LOG_LEVELS)[number];

/** One log record. */
export interface LogRecord {
  /** Level name. */
  readonly level: LogLevel;
  /** Numeric level, 1 (fatal) … 9 (trace), as AnyEvent::Log numbers them. */
  readonly severity: number;
  /**
   * The text, made safe for a log line: control characters (and bidi
   * overrides, lone surrogates) appear as visible escapes such as `\n` or
   * `\x1b`, and a text over {@link LOG_MESSAGE_MAX_BYTES} UTF-8 bytes is cut,
   * ending with `…[cut, N chars]`. Peers cannot forge lines through it.
   */
  readonly message: string;
  /** Where it came from, e.g. `'kernel'`, `'transport'`, `'db'` (made safe as `message` is). */
  readonly context: string;
  /** The node that logged it. */
  readonly node: string;
  /** Milliseconds since the epoch. */
  readonly time: number;
}

/** Level name → severity number. */
export function severityOf(level: LogLevel): number {
  return LOG_LEVELS.indexOf(level) + 1;
}

/** A function that logs one record; what the lower layers are handed. */
export type LogFn = (level: LogLevel, context: string, message: string) => void;

/**
 * A node's log: a hot stream of records plus a `log` function to feed it.
 * Records are emitted synchronously; nobody subscribed means they are dropped
 * (the node's default stderr sink is one subscriber).
 */
export class Logger {
  readonly #subject = new Subject<LogRecord>();
  /** Every record this node logs. */
  readonly records$: Observable<LogRecord> = this.#subject.asObservable();
  constructor(private readonly nodeId: () => string) {}
  /** Logs one record. */
  readonly log: LogFn = (level, context, message) => {
    if (!this.#subject.observed) return;
    this.#subject.next({
      level,
      severity: severityOf(level),
      message: cleanLogText(String(message), LOG_MESSAGE_MAX_BYTES),
      context: cleanLogText(String(context), LOG_FIELD_MAX_BYTES),
      node: this.nodeId(),
      time: Date.now(),
    });
  };
  /** Completes the stream. */
  close(): void {
    this.#subject.complete();
  }
}
