/**
 * The `json` framing (PROTOCOL.md §3.2): compact UTF-8 JSON arrays,
 * concatenated with no delimiter — `["","g_slave"]["","g_slave"]`.
 *
 * @module
 */
import { JsonFrameDecoder } from './json-decoder.js';
import { JsonFrameEncoder, encodeJsonFrame } from './json-encoder.js';
import { DEFAULT_MAX_FRAME_BYTES } from './limits.js';
import type { Framing } from './types.js';

/** The `json` framing. */
export const jsonFraming: Framing = Object.freeze({
  name: 'json',
  encode: encodeJsonFrame,
  createEncoder: () => new JsonFrameEncoder(),
  createDecoder: (options?: { maxFrameBytes?: number }) => new JsonFrameDecoder(options?.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES),
});
