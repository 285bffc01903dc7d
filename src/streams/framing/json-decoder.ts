/**
 * The incremental JSON frame decoder: concatenated JSON arrays in, frames out.
 *
 * A byte scanner finds where each top-level array ends, keeping its state
 * (nesting depth, inside a string, after a backslash) across chunks, so every
 * byte is looked at exactly once however the stream is split. All structural
 * characters are ASCII and UTF-8 continuation bytes never are, so scanning
 * bytes is safe even with a multi-byte character split between chunks.
 * Complete frames are then turned into text — the whole run of frames of a
 * chunk in one native call when it is ASCII — and given to `JSON.parse`, which
 * does the validation.
 *
 * Rules: between frames only JSON whitespace is allowed; a frame must be an
 * array (anything else at top level fails at once, as the byte that starts
 * it); text must be valid UTF-8 (Perl's JSON::XS refuses anything else too);
 * nesting is limited to {@link MAX_NESTING_DEPTH}.
 *
 * @module
 */
import { isAscii, isUtf8, type Buffer } from 'node:buffer';
import { latin1Slice, utf8Slice } from './buffer-text.js';
import { FramingError, describeError } from './framing-error.js';
import { InputBuffer, asBuffer } from './input-buffer.js';
import { MAX_NESTING_DEPTH } from './limits.js';
import type { Frame, FrameDecoder } from './types.js';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;

function describeByte(b: number): string {
  return b >= 0x20 && b < 0x7f ? `'${String.fromCharCode(b)}'` : `byte 0x${b.toString(16).padStart(2, '0')}`;
}

function tooBig(size: number, max: number): FramingError {
  return new FramingError(`json: frame of ${size} bytes exceeds the limit of ${max} bytes`);
}

/** Text of one frame's bytes: latin1 when ASCII, UTF-8 when valid, else a {@link FramingError}. */
function frameText(src: Buffer, start: number, end: number): string {
  const view = src.subarray(start, end);
  if (isAscii(view)) return latin1Slice(src, start, end);
  if (isUtf8(view)) return utf8Slice(src, start, end);
  throw new FramingError('json: frame is not valid UTF-8');
}

/** {@link FrameDecoder} for the `json` framing. */
export class JsonFrameDecoder implements FrameDecoder {
  /** Bytes of a frame that started in an earlier chunk and has not ended yet. */
  private readonly partial = new InputBuffer();
  private depth = 0;
  private inString = false;
  private escaped = false;
  private failure: unknown = null;
  /** Scratch list of complete frames found in a chunk: start, end offsets (a negative start = began in `partial`). */
  private readonly bounds: number[] = [];
  /** Scratch list of frame texts awaiting `JSON.parse`. */
  private readonly texts: string[] = [];

  /** @param maxFrameBytes - largest accepted frame in bytes (whitespace between frames not counted). */
  constructor(private readonly maxFrameBytes: number) {}

  get pending(): number {
    return this.partial.length;
  }

  push(chunk: Uint8Array, onFrame: (frame: Frame) => void): void {
    if (this.failure !== null) throw this.failure;
    const src = asBuffer(chunk);
    const end = src.length;
    const max = this.maxFrameBytes;
    const bounds = this.bounds;
    let count = 0;
    let problem: FramingError | null = null;

    // 1. Scan: find the complete frames, carrying the state across chunks.
    let depth = this.depth;
    let inString = this.inString;
    let escaped = this.escaped;
    let frameStart = -this.partial.length;
    let i = 0;
    scan: while (i < end) {
      if (inString) {
        if (escaped) {
          escaped = false;
          i++;
        }
        for (;;) {
          if (i >= end) break scan;
          const b = src[i++]!;
          if (b === QUOTE) break;
          if (b === BACKSLASH) {
            if (i < end) i++;
            else escaped = true;
          }
        }
        inString = false;
        continue;
      }
      const b = src[i++]!;
      if (depth === 0) {
        if (b === OPEN_ARRAY) {
          frameStart = i - 1;
          depth = 1;
        } else if (b !== 0x20 && b !== 0x0a && b !== 0x0d && b !== 0x09) {
          problem = new FramingError(`json: frame must be an array, got ${describeByte(b)} where a frame should start`);
          break;
        }
      } else if (b === QUOTE) {
        inString = true;
      } else if (b === OPEN_ARRAY || b === OPEN_OBJECT) {
        if (++depth > MAX_NESTING_DEPTH) {
          problem = new FramingError(`json: frame nested deeper than ${MAX_NESTING_DEPTH} levels`);
          break;
        }
      } else if (b === CLOSE_ARRAY || b === CLOSE_OBJECT) {
        if (--depth === 0) {
          if (i - frameStart > max) {
            problem = tooBig(i - frameStart, max);
            break;
          }
          bounds[count++] = frameStart;
          bounds[count++] = i;
        }
      }
    }

    // 2. Text: decode the complete frames before the partial buffer is reused.
    const texts = this.texts;
    let frames = 0;
    try {
      let k = 0;
      if (count > 0 && bounds[0]! < 0) {
        const partial = this.partial;
        partial.append(src, 0, bounds[1]!);
        texts[frames++] = frameText(partial.buf, 0, partial.length);
        partial.clear();
        k = 2;
      }
      if (k < count) {
        const first = bounds[k]!;
        const last = bounds[count - 1]!;
        if (isAscii(src.subarray(first, last))) {
          const run = latin1Slice(src, first, last);
          for (; k < count; k += 2) texts[frames++] = run.slice(bounds[k]! - first, bounds[k + 1]! - first);
        } else {
          for (; k < count; k += 2) texts[frames++] = frameText(src, bounds[k]!, bounds[k + 1]!);
        }
      }
    } catch (error) {
      problem = error instanceof FramingError ? error : new FramingError(`json: decoder failure: ${describeError(error)}`, { cause: error });
    }

    // 3. Keep the unfinished frame, if any, and the scanner state.
    if (problem === null && depth > 0) {
      if (frameStart >= 0) this.partial.assign(src, frameStart, end);
      else this.partial.append(src, 0, end);
      if (this.partial.length > max) problem = tooBig(this.partial.length, max);
    }
    this.depth = depth;
    this.inString = inString;
    this.escaped = escaped;

    // 4. Parse and deliver, in order; a failure comes after the frames before it.
    for (let f = 0; f < frames; f++) {
      const text = texts[f]!;
      texts[f] = '';
      let frame: Frame;
      try {
        frame = JSON.parse(text) as Frame;
      } catch (error) {
        texts.fill('', f, frames);
        this.failure = new FramingError(`json: malformed frame: ${describeError(error)}`, { cause: error });
        throw this.failure;
      }
      try {
        onFrame(frame);
      } catch (error) {
        texts.fill('', f, frames);
        this.failure = new FramingError('json: decoder stopped because an onFrame callback threw', { cause: error });
        throw error;
      }
    }
    if (problem !== null) {
      this.failure = problem;
      throw problem;
    }
  }
}
