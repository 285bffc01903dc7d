/**
 * A growable output buffer that hands out finished regions without copying.
 *
 * Encoders append to a slab; {@link ByteSink.take} returns the region written
 * since the previous take as a view and moves on. A taken region is never
 * written again: when the slab runs out, a fresh slab is allocated (copying
 * only the not-yet-taken bytes), so views handed to a socket stay intact.
 *
 * @module
 */
import { Buffer } from 'node:buffer';

/** Default slab size: one typical socket write. */
const SLAB_BYTES = 64 * 1024;

/** Shared empty result, so flushing nothing allocates nothing. */
export const EMPTY_BYTES: Uint8Array = new Uint8Array(0);

/** Append-only byte buffer with cheap hand-out of finished regions. */
export class ByteSink {
  /** The current slab. Bytes in `[start, pos)` are written and not yet taken. */
  buf: Buffer;
  /** Start of the region not yet taken. */
  start = 0;
  /** Write position. */
  pos = 0;

  /** @param slabBytes - size of each freshly allocated slab (bigger regions get a bigger slab). */
  constructor(private readonly slabBytes = SLAB_BYTES) {
    this.buf = Buffer.allocUnsafeSlow(0);
  }

  /** Bytes written and not yet taken. */
  get length(): number {
    return this.pos - this.start;
  }

  /** Make room for `n` more bytes at `pos` (may switch to a new slab; `pos`/`start` change then). */
  reserve(n: number): void {
    if (this.pos + n > this.buf.length) this.grow(n);
  }

  private grow(n: number): void {
    const used = this.pos - this.start;
    const size = Math.max(this.slabBytes, (used + n) * 2);
    const next = Buffer.allocUnsafeSlow(size);
    if (used > 0) this.buf.copy(next, 0, this.start, this.pos);
    this.buf = next;
    this.start = 0;
    this.pos = used;
  }

  /** The write position relative to the region not yet taken; stays valid across slab switches. Pass it to {@link ByteSink.rollback}. */
  mark(): number {
    return this.pos - this.start;
  }

  /** Forget everything written since {@link ByteSink.mark} returned `mark`. */
  rollback(mark: number): void {
    this.pos = this.start + mark;
  }

  /** The bytes written since the last take, as a view the caller owns; the sink moves past them. */
  take(): Uint8Array {
    if (this.pos === this.start) return EMPTY_BYTES;
    const out = this.buf.subarray(this.start, this.pos);
    this.start = this.pos;
    return out;
  }
}
