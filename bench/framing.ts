/**
 * Framing benchmarks: encode + decode throughput of `["<port>","tag",i]`
 * frames through our batch encoder and incremental decoder, next to the raw
 * codecs doing the same work (JSON.stringify/JSON.parse, cbor-x
 * encode/decode, one frame at a time, no framing).
 *
 * Realistic shape: our encoder flushes every {@link BATCH} frames (the
 * connection coalesces one tick's frames into one socket write); the decoder
 * is fed the resulting stream re-cut into 64 KiB chunks (socket reads), so
 * frames straddle chunk boundaries as they do on a real connection.
 *
 * Honesty rules: every decoded frame is used (its counter is summed), work
 * sizes are fixed, warm-up rounds come first, rows report the median round.
 * The overhead rows compare round trips (encode + decode), the target being
 * ≤ 25 % over the raw codec.
 *
 * Run directly: `npx tsx bench/framing.ts`.
 * @module
 */
import { Decoder as CborxDecoder, Encoder as CborxEncoder } from 'cbor-x';
import { fileURLToPath } from 'node:url';
import { getFraming, type Frame, type Framing } from '../src/streams/framing/index.js';
import { nowNs, perSecond, rounds, summarize, type Row } from './rows.js';
import { renderTable } from './table.js';

/** Frames per timed round. */
const N = 200_000;
/** Frames per encoder flush (one tick's worth of writes). */
const BATCH = 1_000;
/** Decoder input chunk size (a socket read). */
const CHUNK = 64 * 1024;
/** A port name as AnyEvent::MP makes them. */
const PORT = 'x4MjIqz0bb';
const OVERHEAD_TARGET = { cmp: '<=', value: 25 } as const;

const frames: Frame[] = Array.from({ length: N }, (_, i) => [PORT, 'tag', i]);
let sink = 0;

function use(frame: Frame): void {
  sink += frame[2] as number;
}

function ourEncode(framing: Framing): Uint8Array[] {
  const encoder = framing.createEncoder();
  const out: Uint8Array[] = [];
  for (let i = 0; i < N; i++) {
    encoder.write(frames[i]!);
    if (encoder.frames === BATCH) out.push(encoder.flush());
  }
  if (encoder.frames > 0) out.push(encoder.flush());
  return out;
}

/** The encoder's output as one stream, re-cut into socket-sized chunks. */
function rechunk(parts: readonly Uint8Array[]): Uint8Array[] {
  const stream = Buffer.concat(parts);
  const chunks: Uint8Array[] = [];
  for (let at = 0; at < stream.length; at += CHUNK) chunks.push(stream.subarray(at, at + CHUNK));
  return chunks;
}

function ourDecode(framing: Framing, chunks: readonly Uint8Array[]): void {
  const decoder = framing.createDecoder();
  for (const chunk of chunks) decoder.push(chunk, use);
  if (decoder.pending !== 0) throw new Error('bench: stream did not end on a frame boundary');
}

const time = (work: () => void): number => {
  const t0 = nowNs();
  work();
  return perSecond(N, nowNs() - t0);
};

/**
 * Our round trip as a connection does it: frames written, one flush per
 * {@link BATCH}, each flushed buffer pushed into the decoder, cut wherever the
 * stream crosses a 64 KiB boundary (views, no copies).
 */
function ourRoundTrip(framing: Framing): void {
  const encoder = framing.createEncoder();
  const decoder = framing.createDecoder();
  let at = 0;
  const feed = (bytes: Uint8Array): void => {
    let from = 0;
    while (from < bytes.length) {
      const to = Math.min(bytes.length, from + CHUNK - (at % CHUNK));
      decoder.push(bytes.subarray(from, to), use);
      at += to - from;
      from = to;
    }
  };
  for (let i = 0; i < N; i++) {
    encoder.write(frames[i]!);
    if (encoder.frames === BATCH) feed(encoder.flush());
  }
  feed(encoder.flush());
  if (decoder.pending !== 0) throw new Error('bench: stream did not end on a frame boundary');
}

interface Codec {
  encode(frame: Frame): unknown;
  decode(encoded: unknown): Frame;
}

/**
 * Alternate rounds of `a` and `b` (each returns msg/s), so that load from
 * other processes hits both alike; the ratio b/a is taken per pair.
 */
function paired(a: () => number, b: () => number, warmup = 3, n = 15) {
  for (let i = 0; i < warmup; i++) {
    a();
    b();
  }
  const as: number[] = [];
  const bs: number[] = [];
  const ratios: number[] = [];
  for (let i = 0; i < n; i++) {
    const x = a();
    const y = b();
    as.push(x);
    bs.push(y);
    ratios.push(y / x);
  }
  return { a: summarize(as), b: summarize(bs), ratio: summarize(ratios) };
}

async function suite(framing: Framing, label: string, raw: Codec): Promise<Row[]> {
  const chunks = rechunk(ourEncode(framing));
  const encoded = frames.map((f) => raw.encode(f));

  const ourEnc = await rounds(() => time(() => ourEncode(framing)));
  const ourDec = await rounds(() => time(() => ourDecode(framing, chunks)));
  const rawEnc = await rounds(() =>
    time(() => {
      for (let i = 0; i < N; i++) encoded[i] = raw.encode(frames[i]!);
    }),
  );
  const rawDec = await rounds(() =>
    time(() => {
      for (let i = 0; i < N; i++) use(raw.decode(encoded[i]));
    }),
  );
  const both = paired(
    () => time(() => ourRoundTrip(framing)),
    () =>
      time(() => {
        for (let i = 0; i < N; i++) use(raw.decode(raw.encode(frames[i]!)));
      }),
  );
  const name = framing.name;
  const bytes = chunks.reduce((n, c) => n + c.length, 0) / N;
  return [
    { name: `framing ${name}: encode (flush per ${BATCH})`, unit: 'msg/s', ...ourEnc },
    { name: `framing ${name}: decode (64 KiB chunks)`, unit: 'msg/s', ...ourDec, note: `${bytes.toFixed(1)} bytes/frame` },
    { name: `framing ${name}: raw ${label} encode`, unit: 'msg/s', ...rawEnc, note: 'baseline, one frame at a time' },
    { name: `framing ${name}: raw ${label} decode`, unit: 'msg/s', ...rawDec, note: 'baseline, one frame at a time' },
    { name: `framing ${name}: encode + decode`, unit: 'msg/s', ...both.a, note: 'flush per batch, cut at 64 KiB' },
    { name: `framing ${name}: raw ${label} encode + decode`, unit: 'msg/s', ...both.b, note: 'baseline, rounds paired with ours' },
    {
      name: `framing ${name}: overhead over raw ${label}`,
      unit: '%',
      value: (both.ratio.value - 1) * 100,
      spread: { min: (both.ratio.spread.min - 1) * 100, max: (both.ratio.spread.max - 1) * 100, rounds: both.ratio.spread.rounds },
      target: OVERHEAD_TARGET,
      note: 'encode + decode; median of paired rounds',
    },
  ];
}

/** Perl-style CBOR frames: every string a byte string, as CBOR::XS sends them. */
function perlStyleCbor(): Uint8Array[] {
  const port = Buffer.from(PORT);
  const tag = Buffer.from('tag');
  const parts = frames.map((f) => {
    const i = f[2] as number;
    const n = i < 24 ? [i] : i < 0x100 ? [0x18, i] : i < 0x10000 ? [0x19, i >> 8, i & 0xff] : [0x1a, i >>> 24, (i >> 16) & 0xff, (i >> 8) & 0xff, i & 0xff];
    return Buffer.from([0x83, 0x40 | port.length, ...port, 0x40 | tag.length, ...tag, ...n]);
  });
  return rechunk(parts);
}

/** Every framing row. */
export async function benchFraming(): Promise<Row[]> {
  const json = getFraming('json')!;
  const cbor = getFraming('cbor')!;
  const rows: Row[] = [];
  rows.push(
    ...(await suite(json, 'JSON.stringify/parse', {
      encode: (frame) => JSON.stringify(frame),
      decode: (text) => JSON.parse(text as string) as Frame,
    })),
  );
  const cborxEncoder = new CborxEncoder({ useRecords: false });
  const cborxDecoder = new CborxDecoder({ useRecords: false });
  rows.push(
    ...(await suite(cbor, 'cbor-x', {
      encode: (frame) => cborxEncoder.encode(frame),
      decode: (bytes) => cborxDecoder.decode(bytes as Uint8Array) as Frame,
    })),
  );
  const perl = perlStyleCbor();
  const perlDec = await rounds(() => time(() => ourDecode(cbor, perl)));
  rows.push({ name: 'framing cbor: decode Perl-style frames', unit: 'msg/s', ...perlDec, note: 'byte strings, as CBOR::XS sends' });
  if (sink === 0.5) console.log(sink); // keep the sink observable
  return rows;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  console.log(renderTable(await benchFraming()));
}
