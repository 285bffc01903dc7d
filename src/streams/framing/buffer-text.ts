/**
 * Fast text ⇄ bytes conversions on Node `Buffer`s.
 *
 * Node's `Buffer.prototype` has had `latin1Slice`, `utf8Slice` and `utf8Write`
 * (the workers behind `toString`/`write`) since its beginning, but
 * `@types/node` does not declare them. They skip the argument normalisation of
 * the public methods, which matters on the per-string hot path. When they are
 * missing (another runtime), the public methods are used instead.
 *
 * @module
 */
import { Buffer } from 'node:buffer';

interface BufferWorkers {
  latin1Slice(start: number, end: number): string;
  utf8Slice(start: number, end: number): string;
  utf8Write(text: string, offset: number, length?: number): number;
}

const proto = Buffer.prototype as unknown as Partial<BufferWorkers>;
const hasWorkers =
  typeof proto.latin1Slice === 'function' &&
  typeof proto.utf8Slice === 'function' &&
  typeof proto.utf8Write === 'function';

/** `buf[start, end)` as latin1 text (one code point per octet). */
export const latin1Slice: (buf: Buffer, start: number, end: number) => string = hasWorkers
  ? (buf, start, end) => (buf as unknown as BufferWorkers).latin1Slice(start, end)
  : (buf, start, end) => buf.toString('latin1', start, end);

/** `buf[start, end)` as UTF-8 text (invalid sequences become U+FFFD; validate first where that matters). */
export const utf8Slice: (buf: Buffer, start: number, end: number) => string = hasWorkers
  ? (buf, start, end) => (buf as unknown as BufferWorkers).utf8Slice(start, end)
  : (buf, start, end) => buf.toString('utf8', start, end);

/** Write `text` as UTF-8 at `offset` (the caller made room for it); returns the bytes written. */
export const utf8Write: (buf: Buffer, text: string, offset: number) => number = hasWorkers
  ? (buf, text, offset) => (buf as unknown as BufferWorkers).utf8Write(text, offset)
  : (buf, text, offset) => buf.write(text, offset, 'utf8');
