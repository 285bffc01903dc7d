/**
 * The batch encoder for the `json` framing.
 *
 * Each frame is `JSON.stringify`-ed (compact, as Perl's JSON::XS writes it)
 * and the texts are joined; {@link JsonFrameEncoder.flush} converts the whole
 * batch to UTF-8 in a single native call, which is much cheaper than one call
 * per frame.
 *
 * The value model is exactly `JSON.stringify`'s: `undefined`/functions/symbols
 * become `null` in arrays and vanish from objects, `NaN`/`±Infinity` become
 * `null`, `toJSON` is honoured; bigints and cycles cannot be encoded
 * ({@link FramingError}).
 *
 * @module
 */
import { Buffer } from 'node:buffer';
import { utf8Write } from './buffer-text.js';
import { ByteSink, EMPTY_BYTES } from './byte-sink.js';
import { FramingError, describeError } from './framing-error.js';
import type { FrameEncoder } from './types.js';

/** Below this many UTF-16 units a batch reserves the worst case (3 bytes each) instead of measuring. */
const MEASURE_ABOVE = 8 * 1024;

/** `JSON.stringify` one frame, with the framing's errors. */
export function stringifyFrame(frame: readonly unknown[]): string {
  if (!Array.isArray(frame)) throw new FramingError(`json: a frame must be an array, got ${frame === null ? 'null' : typeof frame}`);
  try {
    const text = JSON.stringify(frame);
    // JSON.stringify escapes a lone surrogate as \udXXX, which JSON::XS refuses (and would stop reading): rare, so checked after
    return text.includes('\\ud') ? JSON.stringify(frame, wellFormed) : text;
  } catch (error) {
    throw new FramingError(`json: cannot encode frame: ${describeError(error)}`, { cause: error });
  }
}

interface WellFormable {
  isWellFormed(): boolean;
  toWellFormed(): string;
}

/** `JSON.stringify` replacer: lone surrogates (in strings and in keys) become U+FFFD, as the CBOR writer does. */
function wellFormed(_key: string, value: unknown): unknown {
  if (typeof value === 'string') return (value as unknown as WellFormable).toWellFormed();
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const keys = Object.keys(value);
    if (keys.every((k) => (k as unknown as WellFormable).isWellFormed())) return value;
    const out = Object.create(null) as Record<string, unknown>; // a key "__proto__" stays a key
    for (const k of keys) out[(k as unknown as WellFormable).toWellFormed()] = (value as Record<string, unknown>)[k];
    return out;
  }
  return value;
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
