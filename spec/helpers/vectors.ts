/**
 * Loads the captured AEMP wire vectors, vendored in `spec/vectors/aemp/` (see
 * `spec/vectors/README.md`). Set `AEMP_VECTORS_DIR` to use another copy.
 *
 * Files are read synchronously and cached; returned objects are shared, so
 * treat them as read-only.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

/** Absolute path of the vectors directory: `$AEMP_VECTORS_DIR` if set (and not empty), else the vendored copy. */
export const VECTORS_DIR: string =
  process.env['AEMP_VECTORS_DIR'] || fileURLToPath(new URL('../vectors/aemp/', import.meta.url));

/** The captured plain-TCP connections, named after their framing. */
export type ConnectionName = 'json' | 'cbor';
/** c2s = bytes the connector sent, s2c = bytes the acceptor sent. */
export type Direction = 'c2s' | 's2c';

/** One data frame as recorded in `json.json` / `cbor.json`. */
export interface VectorFrame {
  /** Byte offset of the frame in its direction's raw stream. */
  offset: number;
  /** Length in bytes. */
  length: number;
  /** The frame's bytes, hex. */
  hex: string;
  /** The decoded value (strings for CBOR byte strings). */
  decoded: unknown[];
  /** JSON only: the frame's text. */
  text?: string;
  /** CBOR only: diagnostic notation (`b"…"` byte string, `"…"` text string). */
  cbor_diag?: string;
}

/** A parsed greeting line 1. */
export interface ParsedGreeting {
  protocol: string;
  version: string;
  node: string;
  auth_accept: string[];
  framings: string[];
  kv: Record<string, string>;
  kv_order: string[];
}

/** What one side of a connection sent. */
export interface VectorSide {
  greeting1: string;
  greeting2: string;
  auth_line: string;
  parsed_greeting1: ParsedGreeting;
  /** Offset of the first data-phase byte (just past the auth line's LF). */
  data_offset: number;
  total_bytes: number;
  frames: VectorFrame[];
}

/** The auth computation recorded for a connection. */
export interface VectorAuth {
  method: string;
  key: string;
  encoding: string;
  connector_mac_input: string;
  connector_expected: string;
  connector_sent: string;
  connector_ok: boolean;
  acceptor_mac_input: string;
  acceptor_expected: string;
  acceptor_sent: string;
  acceptor_ok: boolean;
}

/** `json.json` / `cbor.json`: one captured connection. */
export interface ConnectionVector {
  name: ConnectionName;
  framing: ConnectionName;
  note: string;
  secret: string;
  secret_hex: string;
  auth: VectorAuth;
  /** The side that opened the connection; its bytes are the c2s stream. */
  connector: VectorSide;
  /** The side that accepted; its bytes are the s2c stream. */
  acceptor: VectorSide;
}

/** One line of `raw/<name>.log.jsonl`: a TCP chunk (with `bytes`) or an event. */
export interface RelayLogEntry {
  conn: number;
  t: number;
  dir?: Direction;
  ev?: string;
  /** The chunk's bytes, decoded from the line's `hex`. */
  bytes?: Uint8Array;
  [key: string]: unknown;
}

const cache = new Map<string, unknown>();

function cached<T>(key: string, load: () => T): T {
  if (!cache.has(key)) cache.set(key, load());
  return cache.get(key) as T;
}

/** Read a file of the vectors directory as bytes. */
export function readVectorFile(relative: string): Uint8Array {
  return cached(`bytes:${relative}`, () => new Uint8Array(readFileSync(path.join(VECTORS_DIR, relative))));
}

/** Read and parse a JSON file of the vectors directory. */
export function readVectorJson<T = unknown>(relative: string): T {
  return cached(`json:${relative}`, () => JSON.parse(readFileSync(path.join(VECTORS_DIR, relative), 'utf8')) as T);
}

/** `json.json` or `cbor.json`. */
export function loadConnectionVector(name: ConnectionName): ConnectionVector {
  return readVectorJson<ConnectionVector>(`${name}.json`);
}

/** The side whose bytes make up `direction`. */
export function sideOf(vector: ConnectionVector, direction: Direction): VectorSide {
  return direction === 'c2s' ? vector.connector : vector.acceptor;
}

/** The raw bytes of one direction of connection 0 (`raw/<name>.conn0.<dir>.bin`). */
export function loadRawDirection(name: ConnectionName | 'tls', direction: Direction): Uint8Array {
  return readVectorFile(`raw/${name}.conn0.${direction}.bin`);
}

/** The relay log `raw/<name>.log.jsonl`, every line, in order. */
export function loadRelayLog(name: ConnectionName | 'tls'): RelayLogEntry[] {
  return cached(`log:${name}`, () =>
    readFileSync(path.join(VECTORS_DIR, `raw/${name}.log.jsonl`), 'utf8')
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => {
        const entry = JSON.parse(line) as RelayLogEntry & { hex?: string };
        if (typeof entry.hex === 'string') entry.bytes = new Uint8Array(Buffer.from(entry.hex, 'hex'));
        return entry;
      }),
  );
}

/** The TCP chunks of one direction of one connection, exactly as the relay saw them. */
export function relayChunks(name: ConnectionName | 'tls', direction: Direction, conn = 0): Uint8Array[] {
  return loadRelayLog(name)
    .filter((entry) => entry.conn === conn && entry.dir === direction && entry.bytes !== undefined)
    .map((entry) => entry.bytes!);
}

/**
 * Offset where the data phase starts in a direction's raw bytes: just past
 * the LF ending the auth line, which is the `lines`-th LF (greeting, nonce,
 * auth → 3). Throws if there are fewer LFs.
 */
export function dataPhaseOffset(bytes: Uint8Array, lines = 3): number {
  let seen = 0;
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i] === 0x0a && ++seen === lines) return i + 1;
  }
  throw new Error(`only ${seen} of ${lines} line feeds found`);
}

/** Split `chunks` (whose concatenation is a whole stream) so that they start at stream offset `from`. */
export function chunksFrom(chunks: readonly Uint8Array[], from: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  let at = 0;
  for (const chunk of chunks) {
    const next = at + chunk.length;
    if (next > from) out.push(at >= from ? chunk : chunk.subarray(from - at));
    at = next;
  }
  return out;
}

/** Bytes from a hex string. */
export function fromHex(hex: string): Uint8Array {
  return new Uint8Array(Buffer.from(hex, 'hex'));
}
