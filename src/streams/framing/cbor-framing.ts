/**
 * The `cbor` framing (PROTOCOL.md §3.3): each frame one definite-length CBOR
 * array, items concatenated with no separator. We write plain CBOR with text
 * strings; we read what Perl's CBOR::XS writes (byte strings everywhere,
 * float32/64) and more (float16, indefinite lengths, text strings).
 *
 * @module
 */
import { CborFrameDecoder } from './cbor-decoder.js';
import { CborFrameEncoder } from './cbor-encoder.js';
import { DEFAULT_MAX_FRAME_BYTES } from './limits.js';
import type { Framing } from './types.js';

/** Shared encoder behind {@link cborFraming}'s one-shot `encode`; its results never overlap. */
const oneShot = new CborFrameEncoder();

/** The `cbor` framing. */
export const cborFraming: Framing = Object.freeze({
  name: 'cbor',
  encode(frame: readonly unknown[]): Uint8Array {
    oneShot.write(frame);
    return oneShot.flush();
  },
  createEncoder: () => new CborFrameEncoder(),
  createDecoder: (options?: { maxFrameBytes?: number }) => new CborFrameDecoder(options?.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES),
});
