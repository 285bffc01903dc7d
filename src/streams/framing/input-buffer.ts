/**
 * Holds the bytes of a frame that has started but not yet ended.
 *
 * Decoders append here only what must wait for the next chunk; complete
 * frames are decoded straight out of the caller's chunk.
 *
 * @module
 */
import { Buffer } from 'node:buffer';
import { FramingError } from './framing-error.js';

/**
 * View a pushed chunk as a Node `Buffer` without copying (the decoders use
 * Buffer's string slicing). Anything but a `Uint8Array` is a
 * {@link FramingError} naming `framing`.
 */
export function asBuffer(bytes: Uint8Array, framing: string): Buffer {
  if (Buffer.isBuffer(bytes)) return bytes;
  if (!(bytes instanceof Uint8Array)) throw new FramingError(`${framing}: push() needs a Uint8Array, got ${bytes === null ? 'null' : typeof bytes}`);
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** A growable byte buffer holding one partial frame at `[0, length)`. */
export class InputBuffer {
  /** Storage; only `[0, length)` is meaningful. */
  buf: Buffer = Buffer.alloc(0);
  /** Bytes held. */
  length = 0;

  /** Append `src[from, to)`. */
  append(src: Uint8Array, from: number, to: number): void {
    const n = to - from;
    if (n <= 0) return;
    const need = this.length + n;
    if (need > this.buf.length) {
      const next = Buffer.allocUnsafe(Math.max(need, this.buf.length * 2, 256));
      this.buf.copy(next, 0, 0, this.length);
      this.buf = next;
    }
    this.buf.set(src.subarray(from, to), this.length);
    this.length = need;
  }

  /** Replace the content with `src[from, to)` (which may lie inside this buffer). */
  assign(src: Uint8Array, from: number, to: number): void {
    if (src === this.buf) {
      this.buf.copyWithin(0, from, to);
      this.length = to - from;
    } else {
      this.length = 0;
      this.append(src, from, to);
    }
  }

  /** Drop the content; a large buffer is released so one huge frame does not pin memory. */
  clear(): void {
    this.length = 0;
    if (this.buf.length > 1024 * 1024) this.buf = Buffer.alloc(0);
  }
}
