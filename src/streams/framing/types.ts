/**
 * The contract of a data-phase framing: how frames become bytes and back.
 *
 * @module
 */

/** One data-phase message on the wire: `[portname, ...args]`. */
export type Frame = unknown[];

/** Options for {@link Framing.createDecoder}. */
export interface DecoderOptions {
  /** Largest accepted frame in bytes; bigger ones fail the decoder. Default {@link DEFAULT_MAX_FRAME_BYTES}. */
  maxFrameBytes?: number;
}

/**
 * Incremental decoder for one direction of one connection.
 *
 * Not re-entrant: do not call `push` on the same decoder from inside its own
 * `onFrame` callback.
 */
export interface FrameDecoder {
  /**
   * Feed bytes; calls `onFrame` for every complete frame, in order. Keeps
   * partial data across calls. The chunk is not retained after `push` returns
   * (bytes that must wait are copied), so the caller may reuse it.
   *
   * Throws {@link FramingError} (and stays broken: every later `push` throws the
   * same error) on malformed input, a non-array frame, or a frame over
   * `maxFrameBytes`. Frames that precede the bad one in the stream are still
   * delivered first. If `onFrame` itself throws, that exception propagates
   * unchanged and the decoder is broken too, since the rest of the chunk was
   * not delivered.
   */
  push(chunk: Uint8Array, onFrame: (frame: Frame) => void): void;
  /** Bytes buffered but not yet a complete frame. */
  readonly pending: number;
}

/**
 * Accumulates encoded frames so that everything written in one tick leaves in
 * one socket write. Frames are appended to a growing buffer with few
 * allocations; {@link FrameEncoder.flush} hands out the bytes.
 */
export interface FrameEncoder {
  /**
   * Append one frame. Throws {@link FramingError} if it cannot be encoded; the
   * frames appended before are kept, nothing of the failed one is.
   */
  write(frame: readonly unknown[]): void;
  /** Number of frames appended since the last {@link FrameEncoder.flush}. */
  readonly frames: number;
  /**
   * All bytes appended since the last flush, as one `Uint8Array`, and start
   * afresh. The caller owns the result: the encoder never writes into those
   * bytes again (they may share an underlying `ArrayBuffer` with earlier
   * results). Empty when nothing was written.
   */
  flush(): Uint8Array;
}

/** A data-phase framing (`json` or `cbor`): an encoder and a decoder factory. */
export interface Framing {
  /** The name used in the greeting and auth lines. */
  readonly name: 'json' | 'cbor';
  /**
   * Encode one frame to bytes (no delimiter; frames are simply concatenated on
   * the wire). Throws {@link FramingError} if the frame cannot be encoded.
   */
  encode(frame: readonly unknown[]): Uint8Array;
  /** A fresh batch encoder (see {@link FrameEncoder}). */
  createEncoder(): FrameEncoder;
  /** A fresh incremental decoder; `maxFrameBytes` defaults to {@link DEFAULT_MAX_FRAME_BYTES}. */
  createDecoder(options?: DecoderOptions): FrameDecoder;
}
