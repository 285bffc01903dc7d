/**
 * The batch encoder for the `json` framing.
 *
 * Each frame is `JSON.stringify`-ed (compact, as Perl's JSON::XS writes it)
 * and the texts are joined; {@link JsonFrameEncoder.flush} converts the whole
 * batch to UTF-8 in a single native call, which is much cheaper than one call
 * per frame.
 *
 * The value model is `JSON.stringify`'s: `undefined`/functions/symbols
 * become `null` in arrays and vanish from objects, `NaN`/`±Infinity` become
 * `null`, `toJSON` is honoured; cycles cannot be encoded ({@link FramingError}).
 * Three things are written as Perl reads them ({@link stringifyExact}):
 * bigints as their digits, byte arrays as the string of one character per
 * byte, lone surrogates as U+FFFD. Byte arrays are found by what
 * `JSON.stringify` makes of a `Buffer`, so they must be Buffers (the
 * kernel's plain-data check hands every `Uint8Array` on as one).
 *
 * @module
 */
import { Buffer } from 'node:buffer';
import { utf8Write } from './buffer-text.js';
import { ByteSink, EMPTY_BYTES } from './byte-sink.js';
import { FramingError, describeError } from './framing-error.js';
import { stringifyExact } from './json-exact.js';
import type { FrameEncoder } from './types.js';

/** Below this many UTF-16 units a batch reserves the worst case (3 bytes each) instead of measuring. */
const MEASURE_ABOVE = 8 * 1024;

/** What `JSON.stringify` makes of a Buffer (`toJSON`): never Perl's idea of bytes. */
const BUFFER_JSON = '{"type":"Buffer","data":[';

/** `JSON.stringify` one frame, with the framing's errors; {@link stringifyExact} for the rare frames that need it. */
export function stringifyFrame(frame: readonly unknown[]): string {
  if (!Array.isArray(frame)) throw new FramingError(`json: a frame must be an array, got ${frame === null ? 'null' : typeof frame}`);
  let text: string;
  try {
    text = JSON.stringify(frame);
  } catch (error) {
    // a bigint (JSON.stringify refuses them): written exactly, as its digits
    if (error instanceof TypeError && error.message.includes('BigInt')) return exact(frame);
    throw new FramingError(`json: cannot encode frame: ${describeError(error)}`, { cause: error });
  }
  // lone surrogates (escaped as \udXXX, which JSON::XS refuses) and byte arrays: rare, so checked after,
  // each behind a one-character test (most frames hold no backslash and no object)
  const slow = (text.includes('\\') && text.includes('\\ud')) || (text.includes('{') && text.includes(BUFFER_JSON));
  return slow ? exact(frame) : text;
}

function exact(frame: readonly unknown[]): string {
  try {
    return stringifyExact(frame);
  } catch (error) {
    if (error instanceof FramingError) throw error;
    throw new FramingError(`json: cannot encode frame: ${describeError(error)}`, { cause: error });
  }
}

/** Encode one frame as UTF-8 JSON. */
export function encodeJsonFrame(frame: readonly unknown[]): Uint8Array {
  return Buffer.from(stringifyFrame(frame), 'utf8');
}

/** {@link FrameEncoder} for the `json` framing. */
export class JsonFrameEncoder implements FrameEncoder {
  private readonly sink = new ByteSink();
  private text = '';
  frames = 0;

  write(frame: readonly unknown[]): void {
    this.text += stringifyFrame(frame);
    this.frames++;
  }

  flush(): Uint8Array {
    const text = this.text;
    if (text.length === 0) return EMPTY_BYTES;
    this.text = '';
    this.frames = 0;
    const sink = this.sink;
    sink.reserve(text.length <= MEASURE_ABOVE ? text.length * 3 : Buffer.byteLength(text, 'utf8'));
    sink.pos += utf8Write(sink.buf, text, sink.pos);
    return sink.take();
  }
}
