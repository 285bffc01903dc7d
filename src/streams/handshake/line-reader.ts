/**
 * Handshake line splitting: LF or CR LF, with a length limit, and the exact
 * rest of the input after any line (for switching to TLS or frame mode).
 * @module
 */
import { HandshakeError } from './handshake-error.js';
import { lineTooLong } from './texts.js';

const EMPTY = new Uint8Array(0);

/** Splits bytes into lines; one reader per handshake. */
export class LineReader {
  #buf: Uint8Array = EMPTY;
  #pos = 0;

  /** @param maxLineBytes longest allowed line, counting its LF. */
  constructor(readonly maxLineBytes: number) {}

  /** Appends input. */
  push(chunk: Uint8Array): void {
    if (chunk.length === 0) return;
    const rest = this.#buf.subarray(this.#pos);
    this.#buf = rest.length === 0 ? chunk : Buffer.concat([rest, chunk]);
    this.#pos = 0;
  }

  /**
   * The next complete line without its terminator (a CR before the LF is
   * dropped), or `undefined` when no complete line is buffered.
   * @throws {HandshakeError} when a line (complete or not) exceeds the limit.
   */
  next(): Uint8Array | undefined {
    const buf = this.#buf;
    const start = this.#pos;
    const lf = buf.indexOf(0x0a, start);
    if (lf < 0) {
      if (buf.length - start >= this.maxLineBytes) throw new HandshakeError(lineTooLong(this.maxLineBytes), 'protocol');
      return undefined;
    }
    if (lf + 1 - start > this.maxLineBytes) throw new HandshakeError(lineTooLong(this.maxLineBytes), 'protocol');
    this.#pos = lf + 1;
    const end = lf > start && buf[lf - 1] === 0x0d ? lf - 1 : lf;
    return buf.subarray(start, end);
  }

  /** Takes everything buffered after the last returned line, leaving the reader empty. */
  takeRest(): Uint8Array {
    const rest = this.#buf.subarray(this.#pos);
    this.#buf = EMPTY;
    this.#pos = 0;
    return rest;
  }

  /** Bytes buffered and not yet returned as a line. */
  get pending(): number {
    return this.#buf.length - this.#pos;
  }
}
