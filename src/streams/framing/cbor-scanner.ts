/**
 * Finds where a CBOR frame ends without decoding it, resumably.
 *
 * Used only for a frame that is split across chunks: its bytes are collected
 * in a buffer and this scanner walks each new byte once, keeping a stack of
 * how many items every open array/map still needs. Only item headers are
 * read; string payloads are skipped by their length. When the frame's last
 * item is complete the scanner reports the end offset and the frame is decoded
 * in one go by the reader.
 *
 * It also enforces, as early as the headers allow, the frame size limit (an
 * announced length that cannot fit is refused before its bytes arrive) and the
 * nesting limit, and refuses the encodings the reader would refuse
 * structurally (reserved lengths, a stray break).
 *
 * @module
 */
import { FramingError } from './framing-error.js';
import { MAX_NESTING_DEPTH } from './limits.js';

/** Marks an open indefinite-length array or map on the stack. */
const INDEFINITE = -1;
/** Marks an open indefinite-length byte string (its chunks must be definite byte strings). */
const INDEFINITE_BYTES = -2;
/** Marks an open indefinite-length text string (its chunks must be definite text strings). */
const INDEFINITE_TEXT = -3;

/** Resumable end-of-frame finder for one frame at offset 0 of a growing buffer. */
export class CborScanner {
  /** Items each open container still needs (or {@link INDEFINITE}); index 0 is the frame itself. */
  private readonly stack: number[] = [];
  private depth = 0;
  /** Next offset to examine; beyond the buffer's end while a string payload is still arriving. */
  private pos = 0;

  /** Start scanning a new frame at offset 0. */
  reset(): void {
    this.stack[0] = 1;
    this.depth = 1;
    this.pos = 0;
  }

  /** How many more bytes the scanner needs before it can make progress, given `length` bytes so far. */
  needed(length: number): number {
    return this.pos > length ? this.pos - length : 1;
  }

  /**
   * Continue scanning `buf[0, length)` (everything before the previous stop is
   * not looked at again). Returns the frame's end offset once complete, or -1
   * if more bytes are needed. Throws {@link FramingError} on malformed
   * structure, excessive nesting, or a frame that must exceed `maxFrameBytes`.
   */
  scan(buf: Uint8Array, length: number, maxFrameBytes: number): number {
    const stack = this.stack;
    let sp = this.depth;
    let pos = this.pos;
    for (;;) {
      if (sp === 0 || pos >= length) {
        this.depth = sp;
        this.pos = pos;
        return sp === 0 && pos <= length ? pos : -1;
      }
      const initial = buf[pos]!;
      const major = initial >> 5;
      const ai = initial & 0x1f;
      let arg = ai;
      let headerBytes = 1;
      if (ai >= 24) {
        if (ai <= 27) {
          headerBytes = 1 + (1 << (ai - 24));
          if (pos + headerBytes > length) {
            this.depth = sp;
            this.pos = pos;
            return -1;
          }
          arg = 0;
          for (let i = 1; i < headerBytes; i++) arg = arg * 256 + buf[pos + i]!;
        } else if (ai !== 31) {
          throw new FramingError(`cbor: malformed data: reserved additional information ${ai} at byte ${pos} of the frame`);
        }
      }
      const open = stack[sp - 1]!;
      if (open < INDEFINITE && (ai === 31 ? major !== 7 : major !== (open === INDEFINITE_BYTES ? 2 : 3))) {
        throw new FramingError(`cbor: malformed data: indefinite-length string holds a chunk of another type at byte ${pos} of the frame`);
      }
      pos += headerBytes;
      if (ai === 31) {
        if (major === 7) {
          if (open >= 0) {
            throw new FramingError(`cbor: malformed data: break code outside an indefinite-length item at byte ${pos - 1} of the frame`);
          }
          sp--; // the indefinite item is complete: fall through to count it as an item
        } else if (major >= 2 && major <= 5) {
          if (sp > MAX_NESTING_DEPTH) throw new FramingError(`cbor: frame nested deeper than ${MAX_NESTING_DEPTH} levels`);
          stack[sp++] = major === 2 ? INDEFINITE_BYTES : major === 3 ? INDEFINITE_TEXT : INDEFINITE;
          continue;
        } else {
          throw new FramingError(`cbor: malformed data: indefinite length on major type ${major} at byte ${pos - 1} of the frame`);
        }
      } else {
        switch (major) {
          case 2:
          case 3:
            pos += arg;
            if (pos > maxFrameBytes) throw tooBig(pos, maxFrameBytes);
            break;
          case 4:
          case 5:
            if (arg > 0) {
              const items = major === 4 ? arg : 2 * arg;
              if (pos + items > maxFrameBytes) throw tooBig(pos + items, maxFrameBytes);
              if (sp > MAX_NESTING_DEPTH) throw new FramingError(`cbor: frame nested deeper than ${MAX_NESTING_DEPTH} levels`);
              stack[sp++] = items;
              continue;
            }
            break;
          case 6:
            continue; // a tag is not an item by itself (any tag: the reader gives its content)
          case 7:
            if (ai === 24 || (ai < 24 && (ai < 20 || ai > 23))) {
              throw new FramingError(`cbor: malformed data: unsupported simple value at byte ${pos - headerBytes} of the frame`);
            }
            break;
          default:
            break;
        }
      }
      // One item is complete: count it against its container, closing every container it completes.
      while (sp > 0) {
        const left = stack[sp - 1]!;
        if (left < 0) break; // indefinite: only a break code closes it
        if (left > 1) {
          stack[sp - 1] = left - 1;
          break;
        }
        sp--;
      }
    }
  }
}

function tooBig(atLeast: number, max: number): FramingError {
  return new FramingError(`cbor: frame larger than the limit of ${max} bytes (at least ${atLeast} bytes announced)`);
}
