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
 * Integers beyond ±(2^53−1) are decoded as `BigInt` ({@link parseExact}, used
 * only for frames holding a run of 16 digits), so that a relayed 64-bit
 * integer keeps every digit.
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
import { mayHoldBigInts, parseExact } from './json-exact.js';
import { MAX_NESTING_DEPTH } from './limits.js';
import type { Frame, FrameDecoder } from './types.js';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_ARRAY = 0x5b;

/** Entries of the scratch frame list kept between pushes; a longer list is dropped after use. */
const BOUNDS_KEPT = 64 * 1024;

/** Byte classes inside a frame: one table lookup instead of a chain of comparisons. */
const ORDINARY = 0;
const STRING = 1;
const OPEN = 2;
const CLOSE = 3;
const CLASS = new Uint8Array(256);
CLASS[QUOTE] = STRING;
CLASS[OPEN_ARRAY] = OPEN;
CLASS[0x7b] = OPEN; // {
CLASS[0x5d] = CLOSE; // ]
CLASS[0x7d] = CLOSE; // }

/** {@link skipString} result: the chunk ended inside a string. */
const IN_STRING_AT_END = -1;
/** {@link skipString} result: the chunk ended inside a string, right after a backslash. */
const ESCAPED_AT_END = -2;

/**
 * Skip string content from `i` (just past the opening quote, or where the
 * previous chunk stopped): the offset just past the closing quote, or
 * {@link IN_STRING_AT_END} / {@link ESCAPED_AT_END} when the chunk ends first.
 */
function skipString(src: Buffer, i: number, end: number): number {
  while (i < end) {
    const b = src[i++]!;
    if (b === QUOTE) return i;
    if (b === BACKSLASH) {
      if (i === end) return ESCAPED_AT_END;
      i++;
    }
  }
  return IN_STRING_AT_END;
}

function describeByte(b: number): string {
  return b >= 0x20 && b < 0x7f ? `'${String.fromCharCode(b)}'` : `byte 0x${b.toString(16).padStart(2, '0')}`;
}

function tooBig(size: number, max: number): FramingError {
  return new FramingError(`json: frame of ${size} bytes exceeds the limit of ${max} bytes`);
}

/** A {@link FramingError} for whatever went wrong while decoding (a `SyntaxError` from `JSON.parse`, mostly). */
function asFramingError(error: unknown): FramingError {
  if (error instanceof FramingError) return error;
  if (error instanceof SyntaxError) return new FramingError(`json: malformed frame: ${error.message}`, { cause: error });
  return new FramingError(`json: decoder failure: ${describeError(error)}`, { cause: error });
}

/** Text of one frame's bytes: latin1 when ASCII, UTF-8 when valid, else a {@link FramingError}. */
function frameText(src: Buffer, start: number, end: number): string {
  const view = src.subarray(start, end);
  if (isAscii(view)) return latin1Slice(src, start, end);
  if (isUtf8(view)) return utf8Slice(src, start, end);
  throw new FramingError('json: frame is not valid UTF-8');
}

/** `JSON.parse`, or {@link parseExact} when the text may hold integers beyond the safe range. */
function parseFrame(text: string): Frame {
  return (mayHoldBigInts(text) ? parseExact(text) : JSON.parse(text)) as Frame;
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

  /** @param maxFrameBytes - largest accepted frame in bytes (whitespace between frames not counted). */
  constructor(private readonly maxFrameBytes: number) {}

  get pending(): number {
    return this.partial.length;
  }

  push(chunk: Uint8Array, onFrame: (frame: Frame) => void): void {
    if (this.failure !== null) throw this.failure;
    const src = asBuffer(chunk, 'json');
    const end = src.length;
    if (end === 0) return;
    const max = this.maxFrameBytes;
    const bounds = this.bounds;
    let count = 0;
    let problem: FramingError | null = null;

    // 1. Scan: find the complete frames, carrying the state across chunks.
    let depth = this.depth;
    let inString = this.inString;
    let frameStart = -this.partial.length;
    let i = 0;
    if (inString) {
      const from = this.escaped ? 1 : 0; // skip the byte a backslash at the end of the last chunk escaped
      i = from < end ? skipString(src, from, end) : IN_STRING_AT_END;
      inString = i < 0;
      this.escaped = i === ESCAPED_AT_END;
    }
    scan: while (i >= 0 && i < end) {
      if (depth === 0) {
        const b = src[i++]!;
        if (b === OPEN_ARRAY) {
          frameStart = i - 1;
          depth = 1;
        } else if (b !== 0x20 && b !== 0x0a && b !== 0x0d && b !== 0x09) {
          problem = new FramingError(`json: frame must be an array, got ${describeByte(b)} where a frame should start`);
          break;
        }
        continue;
      }
      while (i < end) {
        const kind = CLASS[src[i++]!]!;
        if (kind === ORDINARY) continue;
        if (kind === STRING) {
          i = skipString(src, i, end);
          if (i < 0) {
            inString = true;
            this.escaped = i === ESCAPED_AT_END;
            break scan;
          }
        } else if (kind === CLOSE) {
          if (--depth === 0) {
            if (i - frameStart > max) {
              problem = tooBig(i - frameStart, max);
              break scan;
            }
            bounds[count++] = frameStart;
            bounds[count++] = i;
            continue scan;
          }
        } else if (++depth > MAX_NESTING_DEPTH) {
          problem = new FramingError(`json: frame nested deeper than ${MAX_NESTING_DEPTH} levels`);
          break scan;
        }
      }
    }

    // 2. Text of a frame that began in an earlier chunk, before the partial buffer is reused.
    let k = 0;
    let first: string | null = null;
    if (count > 0 && bounds[0]! < 0) {
      const partial = this.partial;
      partial.append(src, 0, bounds[1]!);
      try {
        first = frameText(partial.buf, 0, partial.length);
      } catch (error) {
        count = 0;
        problem = asFramingError(error);
      }
      partial.clear();
    }

    // 3. Keep the unfinished frame, if any, and the scanner state.
    if (problem === null && depth > 0) {
      if (frameStart >= 0) this.partial.assign(src, frameStart, end);
      else this.partial.append(src, 0, end);
      if (this.partial.length > max) problem = tooBig(this.partial.length, max);
    }
    this.depth = depth;
    this.inString = inString;

    // 4. Parse and deliver, in order; a failure comes after the frames before it.
    //    An all-ASCII run of frames becomes one string, sliced per frame.
    let delivering = false;
    try {
      if (first !== null) {
        k = 2;
        const frame = parseFrame(first);
        delivering = true;
        onFrame(frame);
        delivering = false;
      }
      if (k < count) {
        const from = bounds[k]!;
        const to = bounds[count - 1]!;
        const run = isAscii(src.subarray(from, to)) ? latin1Slice(src, from, to) : null;
        const exact = run === null || mayHoldBigInts(run); // one test for the whole run, mostly
        for (; k < count; k += 2) {
          const text = run !== null ? run.slice(bounds[k]! - from, bounds[k + 1]! - from) : frameText(src, bounds[k]!, bounds[k + 1]!);
          const frame = exact ? parseFrame(text) : (JSON.parse(text) as Frame);
          delivering = true;
          onFrame(frame);
          delivering = false;
        }
      }
    } catch (error) {
      if (delivering) {
        this.failure = new FramingError('json: decoder stopped because an onFrame callback threw', { cause: error });
        throw error;
      }
      problem = asFramingError(error);
    }
    if (count > BOUNDS_KEPT) bounds.length = 0; // do not hold on to the list a huge chunk needed
    if (problem !== null) {
      this.failure = problem;
      throw problem;
    }
  }
}
