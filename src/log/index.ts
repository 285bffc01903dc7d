/**
 * The log room (bottom layer): log records with AnyEvent::Log's levels, a
 * node's log stream (`Logger`, `node.log$`), and the cleaning of
 * peer-supplied text so a log line is one safe line. Every other room may
 * import it; it imports nothing of ours. Library code logs only through here,
 * never with `console`.
 * @module
 */
export { Logger, LOG_LEVELS, severityOf, type LogLevel, type LogRecord, type LogFn } from './log.js';
export { cleanLogText, LOG_MESSAGE_MAX_BYTES, LOG_FIELD_MAX_BYTES } from './logText.js';
