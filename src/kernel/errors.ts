/**
 * Typed errors that travel as `error` notifications in aemp's streams.
 * @module
 */
import { jsonText } from './message.js';

/** A kill reason: empty = normal kill, otherwise `[type, ...details]`. */
export type Reason = readonly unknown[];

/**
 * A port (or what it stood for) ended abnormally. `reason` is the
 * AnyEvent::MP kill reason, e.g. `['die', 'boom']`,
 * `['transport_error', node, text]`, `['no_such_port', text, portId]`.
 */
export class PortKilled extends Error {
  override readonly name = 'PortKilled';
  /** Stable code for this error class. */
  readonly code = 'port_killed';
  constructor(
    /** The id of the port that died. */
    readonly port: string,
    /** The kill reason array (never empty: an empty reason is a normal end). */
    readonly reason: Reason,
  ) {
    super(`port ${port} killed: ${formatReason(reason)}`);
  }
  /** The reason type, `reason[0]` as a string (`'die'`, `'transport_error'` …). */
  get type(): string {
    return String(this.reason[0]);
  }
}

/** A `cal` got no reply within its timeout. */
export class CallTimeout extends Error {
  override readonly name = 'CallTimeout';
  /** Stable code for this error class. */
  readonly code = 'call_timeout';
  constructor(
    /** The port that was called. */
    readonly port: string,
    /** The timeout in seconds. */
    readonly timeout: number,
  ) {
    super(`call to ${port} timed out after ${timeout}s`);
  }
}

/** Renders a reason for logs: `die: "boom"` style, JSON for the details. */
export function formatReason(reason: Reason): string {
  if (reason.length === 0) return '(normal)';
  return reason.map((r) => (typeof r === 'string' ? r : safeJson(r))).join(', ');
}

function safeJson(v: unknown): string {
  return jsonText(v);
}
