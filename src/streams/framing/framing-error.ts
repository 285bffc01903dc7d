/**
 * The one error type the framing layer throws.
 *
 * Decoders throw it for malformed input, a frame that is not an array, a frame
 * larger than the configured limit, or nesting deeper than {@link MAX_NESTING_DEPTH};
 * encoders throw it for values that cannot be put on the wire. The message
 * always starts with the framing's name (`json: …`, `cbor: …`), so a logged
 * connection-close reason says which codec complained and why.
 *
 * @module
 */

/** Error thrown by every framing encoder and decoder; nothing else escapes them. */
export class FramingError extends Error {
  override readonly name = 'FramingError';

  /**
   * @param message - a clear description, prefixed with the framing name (`json: …`).
   * @param options - standard `ErrorOptions`; `cause` keeps the underlying error (e.g. a `SyntaxError` from `JSON.parse`).
   */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
  }
}

/** Describe an unknown thrown value in one line, for wrapping it into a {@link FramingError}. */
export function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
