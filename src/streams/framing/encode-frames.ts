/**
 * One-call batch encoding.
 *
 * @module
 */
import type { Framing } from './types.js';

/**
 * Encode `frames` back to back into one `Uint8Array` (what goes into a single
 * socket write). Throws {@link FramingError} if a frame cannot be encoded.
 * For repeated batches keep one {@link FrameEncoder} from
 * `framing.createEncoder()` instead: it reuses its buffer.
 */
export function encodeFrames(framing: Framing, frames: Iterable<readonly unknown[]>): Uint8Array {
  const encoder = framing.createEncoder();
  for (const frame of frames) encoder.write(frame);
  return encoder.flush();
}
