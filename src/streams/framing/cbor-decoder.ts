/**
 * The incremental CBOR frame decoder: concatenated CBOR arrays in, frames out.
 *
 * Complete frames are decoded straight out of the caller's chunk by the reader
 * (one pass, no copy). When a chunk ends inside a frame, only that frame's
 * bytes are kept, and a {@link CborScanner} finds its end as more bytes come,
 * looking at each byte once; the frame is then decoded whole.
 *
 * @module
 */
import type { Buffer } from 'node:buffer';
import { CborScanner } from './cbor-scanner.js';
import { INCOMPLETE, readEnd, readItem } from './cbor-reader.js';
import { FramingError, describeError } from './framing-error.js';
import { InputBuffer, asBuffer } from './input-buffer.js';
import type { Frame, FrameDecoder } from './types.js';

/** First byte of a self-describe tag (0xd9d9f7), the only allowed lead-in to the frame array. */
const TAG16 = 0xd9;
/** How many bytes of a new chunk to add at least, while completing a split frame. */
const MIN_STEP = 256;

function notAnArray(initial: number): FramingError {
  const kinds = ['an unsigned integer', 'a negative integer', 'a byte string', 'a text string', 'an array', 'a map', 'a tagged item', 'a simple value or float'];
  return new FramingError(`cbor: frame must be an array, got ${kinds[initial >> 5]} (initial byte 0x${initial.toString(16).padStart(2, '0')})`);
}

function tooBig(size: number, max: number): FramingError {
  return new FramingError(`cbor: frame of ${size} bytes exceeds the limit of ${max} bytes`);
}

/** {@link FrameDecoder} for the `cbor` framing. */
export class CborFrameDecoder implements FrameDecoder {
  private readonly partial = new InputBuffer();
  private readonly scanner = new CborScanner();
  private failure: unknown = null;

  /** @param maxFrameBytes - largest accepted frame in bytes. */
  constructor(private readonly maxFrameBytes: number) {}

  get pending(): number {
    return this.partial.length;
  }

  push(chunk: Uint8Array, onFrame: (frame: Frame) => void): void {
    if (this.failure !== null) throw this.failure;
    const max = this.maxFrameBytes;
    let delivering = false;
    try {
      const src = asBuffer(chunk, 'cbor');
      const end = src.length;
      let pos = 0;
      if (this.partial.length > 0) {
        pos = this.completePartial(src);
        if (pos < 0) return;
        const frame = this.takePartialFrame();
        delivering = true;
        onFrame(frame);
        delivering = false;
      }
      while (pos < end) {
        const initial = src[pos]!;
        if (initial >> 5 !== 4 && initial !== TAG16) throw notAnArray(initial);
        let value: unknown;
        try {
          value = readItem(src, pos, end);
        } catch (error) {
          if (error !== INCOMPLETE) throw error;
          this.keepPartial(src, pos, end);
          return;
        }
        const next = readEnd();
        if (next - pos > max) throw tooBig(next - pos, max);
        if (!Array.isArray(value)) throw new FramingError('cbor: frame must be an array, got a tagged non-array item');
        pos = next;
        delivering = true;
        onFrame(value);
        delivering = false;
      }
    } catch (error) {
      if (delivering) {
        this.failure = new FramingError('cbor: decoder stopped because an onFrame callback threw', { cause: error });
        throw error;
      }
      const failure =
        error instanceof FramingError ? error : new FramingError(`cbor: decoder failure: ${describeError(error)}`, { cause: error });
      this.failure = failure;
      throw failure;
    }
  }

  /** Keep `src[from, to)`, the start of a frame, and scan it. */
  private keepPartial(src: Buffer, from: number, to: number): void {
    this.partial.assign(src, from, to);
    this.scanner.reset();
    const found = this.scanner.scan(this.partial.buf, this.partial.length, this.maxFrameBytes);
    if (found >= 0) throw new FramingError('cbor: decoder failure: reader and scanner disagree on a frame end');
    if (this.partial.length > this.maxFrameBytes) throw tooBig(this.partial.length, this.maxFrameBytes);
  }

  /**
   * Add bytes of `src` to the split frame until it is complete. Returns the
   * offset in `src` just past the frame, or -1 if all of `src` was consumed
   * and the frame is still incomplete.
   */
  private completePartial(src: Buffer): number {
    const partial = this.partial;
    const end = src.length;
    let off = 0;
    let step = MIN_STEP;
    while (off < end) {
      const take = Math.min(end - off, Math.max(step, this.scanner.needed(partial.length)));
      partial.append(src, off, off + take);
      off += take;
      step *= 2;
      const frameEnd = this.scanner.scan(partial.buf, partial.length, this.maxFrameBytes);
      if (frameEnd >= 0) {
        off -= partial.length - frameEnd;
        partial.length = frameEnd;
        return off;
      }
    }
    if (partial.length > this.maxFrameBytes) throw tooBig(partial.length, this.maxFrameBytes);
    return -1;
  }

  /** Decode the now complete split frame and forget its bytes. */
  private takePartialFrame(): Frame {
    const partial = this.partial;
    let value: unknown;
    try {
      value = readItem(partial.buf, 0, partial.length);
    } catch (error) {
      if (error === INCOMPLETE) throw new FramingError('cbor: decoder failure: scanner reported a frame end the reader disagrees with');
      throw error;
    }
    if (readEnd() !== partial.length) throw new FramingError('cbor: decoder failure: scanner and reader disagree on a frame end');
    if (partial.length > this.maxFrameBytes) throw tooBig(partial.length, this.maxFrameBytes);
    if (!Array.isArray(value)) throw new FramingError('cbor: frame must be an array, got a tagged non-array item');
    partial.clear();
    return value;
  }
}
