/**
 * Conformance of the data-phase framings against frames captured between two
 * real Perl AnyEvent::MP 2.x nodes (spec/vectors/aemp).
 */
import { decode as cborxDecode, Decoder as CborxDecoder } from 'cbor-x';
import { describe, expect, it } from 'vitest';
import { encodeFrames, getFraming, type Frame, type Framing } from '../../src/streams/framing/index.js';
import {
  chunksFrom,
  dataPhaseOffset,
  fromHex,
  loadConnectionVector,
  loadRawDirection,
  relayChunks,
  sideOf,
  type ConnectionName,
  type Direction,
} from '../helpers/vectors.js';

/** Feed `chunks` to a fresh decoder; every frame, and what is left pending. */
function decodeChunks(framing: Framing, chunks: readonly Uint8Array[]): { frames: Frame[]; pending: number } {
  const decoder = framing.createDecoder();
  const frames: Frame[] = [];
  for (const chunk of chunks) decoder.push(chunk, (frame) => frames.push(frame));
  return { frames, pending: decoder.pending };
}

/**
 * The vectors' `decoded` values were printed by Perl's JSON encoder, which
 * writes floats with 15 significant digits (a CBOR float64 of
 * 1795580230.224004 is recorded as 1795580230.224). Where both sides hold a
 * non-integer number that agrees to 14 significant digits, take the recorded
 * one, so `toEqual` checks everything else exactly.
 */
function alignFloats(actual: unknown, recorded: unknown): unknown {
  if (typeof actual === 'number' && typeof recorded === 'number' && !Number.isInteger(recorded)) {
    return Math.abs(actual - recorded) <= Math.abs(recorded) * 1e-14 ? recorded : actual;
  }
  if (Array.isArray(actual) && Array.isArray(recorded)) return actual.map((item, i) => alignFloats(item, recorded[i]));
  if (actual !== null && recorded !== null && typeof actual === 'object' && typeof recorded === 'object' && !Array.isArray(actual)) {
    const rec = recorded as Record<string, unknown>;
    return Object.fromEntries(Object.entries(actual).map(([key, value]) => [key, alignFloats(value, rec[key])]));
  }
  return actual;
}

const NAMES: ConnectionName[] = ['json', 'cbor'];
const DIRECTIONS: Direction[] = ['c2s', 's2c'];

describe.each(NAMES)('%s framing against the captured Perl connection', (name) => {
  const framing = getFraming(name)!;
  const vector = loadConnectionVector(name);

  it('is the framing the capture used', () => {
    expect(framing.name).toBe(vector.framing);
    expect(vector.connector.auth_line.endsWith(`;${name}`)).toBe(true);
    expect(vector.acceptor.auth_line.endsWith(`;${name}`)).toBe(true);
  });

  describe.each(DIRECTIONS)('%s', (direction) => {
    const raw = loadRawDirection(name, direction);
    const side = sideOf(vector, direction);
    const start = dataPhaseOffset(raw);
    const data = raw.subarray(start);
    const recorded = side.frames.map((frame) => frame.decoded);
    const expectFrames = (frames: Frame[], message?: string): void => {
      expect(alignFloats(frames, recorded), message).toEqual(recorded);
    };

    it('starts the data phase right after the LF of the auth line', () => {
      expect(start).toBe(side.data_offset);
      const lines = `${side.greeting1}\n${side.greeting2}\n${side.auth_line}\n`;
      expect(Buffer.from(raw.subarray(0, start)).toString('latin1')).toBe(lines);
      expect(raw.length).toBe(side.total_bytes);
    });

    it('has recorded frames that tile the data phase exactly', () => {
      let at = start;
      for (const frame of side.frames) {
        expect(frame.offset).toBe(at);
        expect(Buffer.from(raw.subarray(at, at + frame.length)).toString('hex')).toBe(frame.hex);
        at += frame.length;
      }
      expect(at).toBe(raw.length);
      expect(side.frames.length).toBeGreaterThan(20);
    });

    it('decodes the whole data phase fed in one piece', () => {
      const { frames, pending } = decodeChunks(framing, [data]);
      expect(frames).toHaveLength(recorded.length);
      expectFrames(frames);
      expect(pending).toBe(0);
    });

    it('decodes the data phase split in two at every byte boundary', () => {
      for (let cut = 0; cut <= data.length; cut++) {
        const { frames, pending } = decodeChunks(framing, [data.subarray(0, cut), data.subarray(cut)]);
        expectFrames(frames, `split at byte ${cut}`);
        expect(pending, `split at byte ${cut}`).toBe(0);
      }
    });

    it('reports the bytes of an unfinished frame as pending, at every cut', () => {
      const ends = new Set(side.frames.map((frame) => frame.offset + frame.length - start));
      for (let cut = 1; cut < data.length; cut++) {
        const { frames, pending } = decodeChunks(framing, [data.subarray(0, cut)]);
        const complete = side.frames.filter((frame) => frame.offset + frame.length - start <= cut);
        expect(frames.length, `cut at ${cut}`).toBe(complete.length);
        const lastEnd = complete.length === 0 ? 0 : complete.at(-1)!.offset + complete.at(-1)!.length - start;
        expect(pending, `cut at ${cut}`).toBe(ends.has(cut) ? 0 : cut - lastEnd);
      }
    });

    it('decodes the stream chunked exactly as the relay captured it', () => {
      const captured = relayChunks(name, direction);
      expect(Buffer.concat(captured).equals(Buffer.from(raw))).toBe(true);
      const chunks = chunksFrom(captured, start);
      expect(chunks.length).toBeGreaterThan(5);
      const { frames, pending } = decodeChunks(framing, chunks);
      expectFrames(frames);
      expect(pending).toBe(0);
    });

    it('decodes the stream fed one byte at a time', () => {
      const bytes = Array.from(data, (_, i) => data.subarray(i, i + 1));
      expectFrames(decodeChunks(framing, bytes).frames);
    });

    it('decodes each recorded frame alone from its hex', () => {
      for (const [i, frame] of side.frames.entries()) {
        const { frames, pending } = decodeChunks(framing, [fromHex(frame.hex)]);
        expect(frames, `frame ${i}`).toHaveLength(1);
        expect(alignFloats(frames[0], frame.decoded), `frame ${i}`).toEqual(frame.decoded);
        expect(pending).toBe(0);
      }
    });

    it('re-encodes every decoded frame to something that decodes to the same value', () => {
      const { frames } = decodeChunks(framing, [data]);
      for (const frame of frames) {
        const again = decodeChunks(framing, [framing.encode(frame)]);
        expect(again.frames).toEqual([frame]);
      }
      const batch = encodeFrames(framing, frames);
      expect(decodeChunks(framing, [batch]).frames).toEqual(frames);
    });
  });
});

describe('json framing writes what Perl writes', () => {
  it.each(DIRECTIONS)('re-encoding the decoded %s frames reproduces the captured bytes exactly', (direction) => {
    const framing = getFraming('json')!;
    const side = sideOf(loadConnectionVector('json'), direction);
    const raw = loadRawDirection('json', direction);
    const { frames } = decodeChunks(framing, [raw.subarray(side.data_offset)]);
    const encoded = encodeFrames(framing, frames);
    expect(Buffer.from(encoded).toString('latin1')).toBe(Buffer.from(raw.subarray(side.data_offset)).toString('latin1'));
  });
});

describe('cbor framing against an independent decoder (cbor-x)', () => {
  const framing = getFraming('cbor')!;
  // Perl's byte strings come out of cbor-x as Uint8Arrays, and byte-string map keys
  // would be mangled by mapsAsObjects, so decode to Maps and normalise.
  const plain = (value: unknown): unknown => {
    if (value instanceof Uint8Array) return Buffer.from(value).toString('utf8');
    if (value instanceof Map) return Object.fromEntries([...value].map(([k, v]) => [plain(k), plain(v)]));
    if (Array.isArray(value)) return value.map(plain);
    return value;
  };
  const cborx = new CborxDecoder({ mapsAsObjects: false, useRecords: false });

  it.each(DIRECTIONS)('agrees with cbor-x on every captured %s frame, floats exactly', (direction) => {
    const side = sideOf(loadConnectionVector('cbor'), direction);
    for (const frame of side.frames) {
      const ours = decodeChunks(framing, [fromHex(frame.hex)]).frames[0];
      expect(ours).toEqual(plain(cborx.decode(fromHex(frame.hex))));
    }
  });

  it.each(DIRECTIONS)('re-encodes captured %s frames as plain CBOR: text strings, no tags, float64 kept exact', (direction) => {
    const side = sideOf(loadConnectionVector('cbor'), direction);
    for (const frame of side.frames) {
      const ours = decodeChunks(framing, [fromHex(frame.hex)]).frames[0]!;
      const bytes = framing.encode(ours);
      // cbor-x with default options turns strings into strings and maps into objects,
      // and would return Tag objects for any tag.
      expect(cborxDecode(bytes)).toEqual(ours);
      // Same length as Perl's encoding: only the string heads differ (byte → text).
      expect(bytes.length).toBe(frame.length);
      const perl = fromHex(frame.hex);
      for (let i = 0; i < bytes.length; i++) {
        if (bytes[i] !== perl[i]) expect([bytes[i]! >> 5, perl[i]! >> 5, bytes[i]! & 0x1f]).toEqual([3, 2, perl[i]! & 0x1f]);
      }
    }
  });
});
