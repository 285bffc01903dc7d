/**
 * The batch encoder for the `cbor` framing: frames are appended, as plain
 * CBOR arrays, straight into one growing buffer.
 *
 * @module
 */
import { ByteSink } from './byte-sink.js';
import { writeArray } from './cbor-writer.js';
import { FramingError, describeError } from './framing-error.js';
import type { FrameEncoder } from './types.js';

/** {@link FrameEncoder} for the `cbor` framing (value model: see `cbor-writer.ts`). */
export class CborFrameEncoder implements FrameEncoder {
  private readonly sink = new ByteSink();
  frames = 0;

  write(frame: readonly unknown[]): void {
    if (!Array.isArray(frame)) throw new FramingError(`cbor: a frame must be an array, got ${frame === null ? 'null' : typeof frame}`);
    const mark = this.sink.mark();
    try {
      writeArray(this.sink, frame, 1);
    } catch (error) {
      this.sink.rollback(mark);
      if (error instanceof FramingError) throw error;
      throw new FramingError(`cbor: cannot encode frame: ${describeError(error)}`, { cause: error });
    }
    this.frames++;
  }

  flush(): Uint8Array {
    this.frames = 0;
    return this.sink.take();
  }
}
