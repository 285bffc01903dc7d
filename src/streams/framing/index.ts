/**
 * Data-phase framings of the AEMP protocol (PROTOCOL.md §3): turning frames —
 * `[portname, ...args]` arrays — into bytes and back, for `json` and `cbor`.
 * Pure codecs: no sockets, no timers; every byte they read is hostile until
 * parsed and checked. A new framing is an encoder/decoder pair behind the
 * `Framing` interface (`types.ts`), listed in `registry.ts`.
 *
 * ```ts
 * const framing = getFraming('cbor')!;
 * const encoder = framing.createEncoder();       // writer side
 * encoder.write(['port', 'tag', 1]);
 * socket.write(encoder.flush());                 // everything written this tick
 *
 * const decoder = framing.createDecoder();       // reader side
 * socket.on('data', (chunk) => decoder.push(chunk, (frame) => route(frame)));
 * ```
 *
 * @module
 */
export type { DecoderOptions, Frame, FrameDecoder, FrameEncoder, Framing } from './types.js';
export { FramingError } from './framing-error.js';
export { DEFAULT_MAX_FRAME_BYTES, MAX_NESTING_DEPTH } from './limits.js';
export { SUPPORTED_FRAMINGS, getFraming } from './registry.js';
export { encodeFrames } from './encode-frames.js';
export { jsonFraming } from './json-framing.js';
export { cborFraming } from './cbor-framing.js';
