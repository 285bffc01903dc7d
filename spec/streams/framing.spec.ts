/**
 * Unit tests of the data-phase framings (src/streams/framing).
 */
import { decode as cborxDecode } from 'cbor-x';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_MAX_FRAME_BYTES,
  FramingError,
  MAX_NESTING_DEPTH,
  SUPPORTED_FRAMINGS,
  cborFraming,
  encodeFrames,
  getFraming,
  jsonFraming,
  type Frame,
  type FrameDecoder,
  type Framing,
} from '../../src/streams/framing/index.js';

const hex = (text: string): Uint8Array => new Uint8Array(Buffer.from(text.replace(/\s+/g, ''), 'hex'));
const utf8 = (text: string): Uint8Array => new Uint8Array(Buffer.from(text, 'utf8'));
const toHex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

/** Push `chunks` into `decoder`; the frames, and the error if one was thrown. */
function feed(decoder: FrameDecoder, chunks: readonly Uint8Array[]): { frames: Frame[]; error: unknown } {
  const frames: Frame[] = [];
  try {
    for (const chunk of chunks) decoder.push(chunk, (frame) => frames.push(frame));
  } catch (error) {
    return { frames, error };
  }
  return { frames, error: undefined };
}

function decode(framing: Framing, chunks: readonly Uint8Array[], maxFrameBytes?: number): Frame[] {
  const { frames, error } = feed(framing.createDecoder(maxFrameBytes === undefined ? undefined : { maxFrameBytes }), chunks);
  if (error !== undefined) throw error;
  return frames;
}

/** Every way to cut `bytes` in two. */
function* splits(bytes: Uint8Array): Generator<[Uint8Array, Uint8Array]> {
  for (let cut = 0; cut <= bytes.length; cut++) yield [bytes.subarray(0, cut), bytes.subarray(cut)];
}

/** Expect `run` to throw a FramingError whose message matches. */
function expectFramingError(run: () => unknown, message: RegExp): FramingError {
  let caught: unknown;
  try {
    run();
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(FramingError);
  expect((caught as FramingError).name).toBe('FramingError');
  expect((caught as FramingError).message).toMatch(message);
  return caught as FramingError;
}

/** CBOR heads, for hand-made Perl-style input. */
const cb = {
  /** A byte string (major type 2) holding `content` (a string is taken as its UTF-8). */
  bytes: (content: string | Buffer) => {
    const body = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
    const n = body.length;
    const head = n < 24 ? (0x40 | n).toString(16) : n < 256 ? `58${n.toString(16).padStart(2, '0')}` : `59${n.toString(16).padStart(4, '0')}`;
    return head + body.toString('hex');
  },
  /** A text string (major type 3) holding the UTF-8 of `content`. */
  text: (content: string) => {
    const hexBytes = cb.bytes(content);
    return (parseInt(hexBytes.slice(0, 2), 16) + 0x20).toString(16) + hexBytes.slice(2);
  },
};

describe('the framing registry', () => {
  it('offers cbor then json, never storable', () => {
    expect(SUPPORTED_FRAMINGS).toEqual(['cbor', 'json']);
    expect(Object.isFrozen(SUPPORTED_FRAMINGS)).toBe(true);
    for (const name of SUPPORTED_FRAMINGS) expect(getFraming(name)?.name).toBe(name);
    expect(getFraming('cbor')).toBe(cborFraming);
    expect(getFraming('json')).toBe(jsonFraming);
    expect(getFraming('storable')).toBeUndefined();
    expect(getFraming('CBOR')).toBeUndefined();
    expect(getFraming('')).toBeUndefined();
    expect(getFraming('toString')).toBeUndefined();
  });

  it('defaults to a 16 MiB frame limit and Perl’s nesting limit', () => {
    expect(DEFAULT_MAX_FRAME_BYTES).toBe(16 * 1024 * 1024);
    expect(MAX_NESTING_DEPTH).toBe(512);
  });
});

describe.each([jsonFraming, cborFraming])('$name framing, common behaviour', (framing) => {
  const samples: Frame[] = [
    ['', 'g_slave'],
    ['x4MjIqz0bb', 'hello', 1, 'from-client'],
    ['', 'g_upd', 'fam', { k: 'v', n: null, t: true, f: false }, []],
    ['p', 'nested', { a: [1, [2, [3, { b: 'c' }]]], e: {} }],
    ['p', 'numbers', 0, -1, 23, 24, 255, 256, 65535, 65536, 2 ** 32 - 1, 2 ** 32, 2 ** 53 - 1, -(2 ** 53) + 1, 1.5, -0.25, 1795580230.224004, 1e300],
    ['p', 'strings', ']', '[', '"', '\\', '"]["', '{}', 'ünïcödé', '日本語', '😀 emoji', '\u0000\u001f', ''],
    ['p', 'a key with ]"\\ chars', { ']"\\': '[' }],
    [],
  ];

  it('round-trips frames through encode and decode', () => {
    for (const frame of samples) expect(decode(framing, [framing.encode(frame)])).toEqual([frame]);
  });

  it('decodes a batch split at every byte boundary', () => {
    const batch = encodeFrames(framing, samples);
    for (const [a, b] of splits(batch)) expect(decode(framing, [a, b])).toEqual(samples);
  });

  it('decodes a batch fed one byte at a time, with pending counting the partial frame', () => {
    const batch = encodeFrames(framing, samples);
    const decoder = framing.createDecoder();
    const frames: Frame[] = [];
    let since = 0;
    for (let i = 0; i < batch.length; i++) {
      const before = frames.length;
      decoder.push(batch.subarray(i, i + 1), (frame) => frames.push(frame));
      since = frames.length > before ? 0 : since + 1;
      expect(decoder.pending).toBe(since);
    }
    expect(frames).toEqual(samples);
    expect(decoder.pending).toBe(0);
  });

  it('encodeFrames is the concatenation of the single encodings', () => {
    const singles = Buffer.concat(samples.map((frame) => framing.encode(frame)));
    expect(toHex(encodeFrames(framing, samples))).toBe(singles.toString('hex'));
    expect(encodeFrames(framing, [])).toHaveLength(0);
  });

  it('multi-byte UTF-8 split between chunks decodes intact', () => {
    const frame = ['p', 'é日😀', { 'ключ': 'значение' }];
    const bytes = framing.encode(frame);
    for (const [a, b] of splits(bytes)) expect(decode(framing, [a, b])).toEqual([frame]);
  });

  it('ignores empty chunks anywhere', () => {
    const bytes = encodeFrames(framing, samples.slice(0, 3));
    const empty = new Uint8Array(0);
    expect(decode(framing, [empty, bytes.subarray(0, 5), empty, empty, bytes.subarray(5), empty])).toEqual(samples.slice(0, 3));
  });

  it('takes plain Uint8Arrays, Buffers and offset views alike, and refuses anything else', () => {
    const bytes = encodeFrames(framing, samples);
    const padded = new Uint8Array(bytes.length + 20);
    padded.set(bytes, 7);
    const view = padded.subarray(7, 7 + bytes.length);
    expect(decode(framing, [view])).toEqual(samples);
    expect(decode(framing, [Buffer.from(bytes)])).toEqual(samples);
    expect(decode(framing, [new Uint8Array(bytes)])).toEqual(samples);
    for (const wrong of ['["a"]', null, [0x5b, 0x5d], new Uint16Array(2)]) {
      expectFramingError(() => framing.createDecoder().push(wrong as unknown as Uint8Array, () => {}), new RegExp(`^${framing.name}: push\\(\\) needs a Uint8Array`));
    }
  });

  it('does not keep a reference to the pushed chunk', () => {
    const bytes = new Uint8Array(framing.encode(['port', 'a fairly long string to be split', 42]));
    const decoder = framing.createDecoder();
    const frames: Frame[] = [];
    const first = bytes.slice(0, 10);
    decoder.push(first, (frame) => frames.push(frame));
    first.fill(0xff); // the caller reuses its buffer
    decoder.push(bytes.slice(10), (frame) => frames.push(frame));
    expect(frames).toEqual([['port', 'a fairly long string to be split', 42]]);
  });

  it('accepts a frame of exactly maxFrameBytes and refuses one byte more', () => {
    const frame = ['p', 'x'.repeat(100)];
    const size = framing.encode(frame).length;
    expect(decode(framing, [framing.encode(frame)], size)).toEqual([frame]);
    const bigger = ['p', 'x'.repeat(101)];
    expectFramingError(() => decode(framing, [framing.encode(bigger)], size), new RegExp(`^${framing.name}: frame .*exceeds the limit of ${size} bytes`));
  });

  it('refuses an over-limit frame arriving in pieces, before it is complete', () => {
    const bytes = framing.encode(['p', 'y'.repeat(5000)]);
    const decoder = framing.createDecoder({ maxFrameBytes: 1000 });
    let threw: unknown;
    let at = 0;
    for (; at < bytes.length && threw === undefined; at += 100) {
      try {
        decoder.push(bytes.subarray(at, at + 100), () => {});
      } catch (error) {
        threw = error;
      }
    }
    expect(threw).toBeInstanceOf(FramingError);
    expect(at).toBeLessThanOrEqual(1200);
    expect(decoder.pending).toBeLessThanOrEqual(1100);
  });

  it('delivers the frames before a bad one, then fails, and stays failed', () => {
    const good = encodeFrames(framing, [['a', 1], ['b', 2]]);
    const garbage = framing.name === 'json' ? utf8('{"not":"an array"}') : hex('a1 41 61 01');
    const decoder = framing.createDecoder();
    const frames: Frame[] = [];
    const error = expectFramingError(
      () => decoder.push(Buffer.concat([good, garbage]), (frame) => frames.push(frame)),
      new RegExp(`^${framing.name}: frame must be an array`),
    );
    expect(frames).toEqual([['a', 1], ['b', 2]]);
    // stays broken, even for perfectly good input
    let again: unknown;
    try {
      decoder.push(framing.encode(['c', 3]), (frame) => frames.push(frame));
    } catch (e) {
      again = e;
    }
    expect(again).toBe(error);
    expect(frames).toHaveLength(2);
  });

  it('refuses top-level values that are not arrays', () => {
    const nonArrays: Uint8Array[] =
      framing.name === 'json'
        ? [utf8('1'), utf8('"str"'), utf8('{}'), utf8('null'), utf8('true'), utf8(' 5 ')]
        : [hex('01'), hex('41 61'), hex('61 61'), hex('a0'), hex('f6'), hex('f5'), hex('fa 3fc00000'), hex('d9d9f7 01')];
    for (const bytes of nonArrays) {
      expectFramingError(() => decode(framing, [bytes]), new RegExp(`^${framing.name}: frame must be an array`));
    }
  });

  it('accepts nesting up to 512 levels and refuses 513, whole or in pieces', () => {
    const nest = (levels: number): Frame => {
      let value: unknown = 'deep';
      for (let i = 1; i < levels; i++) value = [value];
      return [value];
    };
    expect(decode(framing, [framing.encode(nest(512))])).toEqual([nest(512)]);
    const tooDeep = framing.name === 'json' ? utf8('['.repeat(513) + ']'.repeat(513)) : hex('81'.repeat(512) + '80');
    expectFramingError(() => decode(framing, [tooDeep]), /nested deeper than 512 levels/);
    expectFramingError(() => decode(framing, [tooDeep.subarray(0, 300), tooDeep.subarray(300)]), /nested deeper than 512 levels/);
  });

  it('breaks the decoder when onFrame throws, rethrowing the callback’s own error', () => {
    const decoder = framing.createDecoder();
    const oops = new Error('handler bug');
    const seen: Frame[] = [];
    expect(() =>
      decoder.push(encodeFrames(framing, [['a'], ['b'], ['c']]), (frame) => {
        seen.push(frame);
        if (frame[0] === 'b') throw oops;
      }),
    ).toThrow(oops);
    expect(seen).toEqual([['a'], ['b']]);
    expectFramingError(() => decoder.push(framing.encode(['d']), () => {}), /onFrame callback threw/);
  });

  it('keeps __proto__ keys as own data, never as a prototype', () => {
    const bytes = framing.name === 'json' ? utf8('["p",{"__proto__":{"polluted":1}}]') : hex(`82 ${cb.bytes('p')} a1 ${cb.bytes('__proto__')} a1 ${cb.bytes('polluted')} 01`);
    const [frame] = decode(framing, [bytes]);
    const object = frame![1] as Record<string, unknown>;
    expect(Object.getPrototypeOf(object)).toBe(Object.prototype);
    expect(Object.keys(object)).toEqual(['__proto__']);
    expect(Object.getOwnPropertyDescriptor(object, '__proto__')?.value).toEqual({ polluted: 1 });
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });
});

describe('batch encoders', () => {
  it.each([jsonFraming, cborFraming])('$name: flush hands out bytes that later writes never touch', (framing) => {
    const encoder = framing.createEncoder();
    expect(encoder.frames).toBe(0);
    expect(encoder.flush()).toHaveLength(0);
    const results: Array<[Uint8Array, string, Frame[]]> = [];
    for (let round = 0; round < 40; round++) {
      const frames: Frame[] = Array.from({ length: 1 + (round % 7) * 50 }, (_, i) => ['port', 'tag', round, i, 'x'.repeat(round)]);
      for (const frame of frames) encoder.write(frame);
      expect(encoder.frames).toBe(frames.length);
      const bytes = encoder.flush();
      expect(encoder.frames).toBe(0);
      results.push([bytes, toHex(bytes), frames]);
    }
    for (const [bytes, copy, frames] of results) {
      expect(toHex(bytes)).toBe(copy);
      expect(decode(framing, [bytes])).toEqual(frames);
    }
  });

  it.each([jsonFraming, cborFraming])('$name: a frame that cannot be encoded leaves the batch as it was', (framing) => {
    const encoder = framing.createEncoder();
    encoder.write(['a', 1]);
    const cyclic: unknown[] = ['loop'];
    cyclic.push(cyclic);
    expectFramingError(() => encoder.write(['b', cyclic]), new RegExp(`^${framing.name}: cannot encode`));
    const deep: unknown[] = [];
    let inner = deep;
    for (let i = 0; i < 600; i++) inner.push((inner = []));
    expectFramingError(() => encoder.write(['b', 2n ** 70n, deep]), new RegExp(`^${framing.name}: cannot encode`));
    expectFramingError(() => encoder.write('not an array' as unknown as Frame), new RegExp(`^${framing.name}: a frame must be an array`));
    encoder.write(['c', 3]);
    expect(encoder.frames).toBe(2);
    expect(decode(framing, [encoder.flush()])).toEqual([['a', 1], ['c', 3]]);
  });

  it('json: a big batch with non-ASCII text is encoded exactly', () => {
    const frames: Frame[] = Array.from({ length: 3000 }, (_, i) => ['p', i % 3 ? 'ascii only' : 'ünï 日本 😀', i]);
    const encoder = jsonFraming.createEncoder();
    for (const frame of frames) encoder.write(frame);
    const bytes = encoder.flush();
    expect(Buffer.from(bytes).toString('utf8')).toBe(frames.map((f) => JSON.stringify(f)).join(''));
  });
});

describe('json framing', () => {
  it('writes compact JSON texts with no delimiter, as Perl does', () => {
    expect(Buffer.from(encodeFrames(jsonFraming, [['', 'g_slave'], ['', 'g_slave']])).toString()).toBe('["","g_slave"]["","g_slave"]');
    expect(Buffer.from(jsonFraming.encode(['p', { a: [1, 2.5, null, true] }])).toString()).toBe('["p",{"a":[1,2.5,null,true]}]');
  });

  it('writes lone surrogates as U+FFFD (JSON::XS refuses their \\u escapes and would stop reading), as the cbor writer does', () => {
    const frame = ['p', '\ud800', 'x\udc00y', { ['k\ud801']: 'ok' }, '😀', String.raw`\ud800 as text`];
    const text = Buffer.from(jsonFraming.encode(frame)).toString();
    expect(text).not.toMatch(/(?<!\\)\\ud[89ab]/i);
    expect(JSON.parse(text)).toEqual(['p', '\ufffd', 'x\ufffdy', { ['k\ufffd']: 'ok' }, '😀', String.raw`\ud800 as text`]);
    expect(decode(cborFraming, [cborFraming.encode(frame)])).toEqual([JSON.parse(text)]);
  });

  it('tolerates whitespace between (and inside) texts', () => {
    const text = ' \n["a",1]\r\n\t[ "b" , { "k" : [ 2 ] } ]  \n\n["c"]\n';
    for (const [a, b] of splits(utf8(text))) expect(decode(jsonFraming, [a, b])).toEqual([['a', 1], ['b', { k: [2] }], ['c']]);
  });

  it('finds frame ends past brackets, quotes and backslashes inside strings, at every split', () => {
    const text = String.raw`["a]","b[","\"]","\\","\\\"]","{\"x\":[1]}",{"]":"["}]["next"]`;
    const expected = [['a]', 'b[', '"]', '\\', '\\"]', '{"x":[1]}', { ']': '[' }], ['next']];
    for (const [a, b] of splits(utf8(text))) expect(decode(jsonFraming, [a, b])).toEqual(expected);
    // and with the escape split from its escaped character across three chunks
    const bytes = utf8(text);
    for (let i = 1; i < bytes.length - 1; i++) {
      expect(decode(jsonFraming, [bytes.subarray(0, i), bytes.subarray(i, i + 1), bytes.subarray(i + 1)])).toEqual(expected);
    }
  });

  it('keeps waiting inside an unterminated string, brackets and all', () => {
    const decoder = jsonFraming.createDecoder();
    const frames: Frame[] = [];
    const open = String.raw`["open \"] [ { string`;
    decoder.push(utf8(`["a"]${open}`), (frame) => frames.push(frame));
    expect(frames).toEqual([['a']]);
    expect(decoder.pending).toBe(open.length);
    decoder.push(utf8(' ]]]'), (frame) => frames.push(frame));
    expect(decoder.pending).toBe(open.length + 4);
    decoder.push(utf8('", 1]'), (frame) => frames.push(frame));
    expect(frames).toEqual([['a'], ['open "] [ { string ]]]', 1]]);
    expect(decoder.pending).toBe(0);
  });

  it('decodes \\u escapes, including surrogate pairs', () => {
    expect(decode(jsonFraming, [utf8(String.raw`["\u00e9\u65e5\ud83d\ude00\u005d"]`)])).toEqual([['é日😀]']]);
  });

  it('reads Perl’s high octets as U+0080–U+00FF and its long floats', () => {
    expect(decode(jsonFraming, [utf8('["p","\u00c3\u00a9",1795580122.68883]')])).toEqual([['p', 'Ã©', 1795580122.68883]]);
  });

  it('refuses invalid UTF-8, whole and split', () => {
    const bad = Buffer.concat([utf8('["ok"]["'), hex('c3 28'), utf8('"]')]);
    const { frames, error } = feed(jsonFraming.createDecoder(), [bad]);
    expect(frames).toEqual([['ok']]);
    expect(error).toBeInstanceOf(FramingError);
    expect((error as Error).message).toMatch(/^json: frame is not valid UTF-8/);
    for (const [a, b] of splits(bad)) expect(feed(jsonFraming.createDecoder(), [a, b]).error).toBeInstanceOf(FramingError);
  });

  it('refuses malformed JSON inside a frame, with the parser’s reason as cause', () => {
    const malformed = ['[1,]', '[1 2]', "['single']", '[nul]', '[1}', '[{1:2}]', '[0x10]', '[\u0001]'];
    for (const text of malformed) {
      const error = expectFramingError(() => decode(jsonFraming, [utf8(text + '["after"]')]), /^json: malformed frame/);
      expect(error.cause).toBeInstanceOf(SyntaxError);
    }
  });

  it('refuses stray bytes between frames', () => {
    for (const text of ['["a"]]', '["a"],["b"]', '["a"]x', '["a"]\u00a0["b"]', '\ufeff["a"]']) {
      const { frames, error } = feed(jsonFraming.createDecoder(), [utf8(text)]);
      expect(error, text).toBeInstanceOf(FramingError);
      expect((error as Error).message).toMatch(/^json: frame must be an array, got/);
      expect(frames.length).toBeLessThanOrEqual(1);
    }
  });

  it('does not count whitespace between frames against the limit or as pending', () => {
    const decoder = jsonFraming.createDecoder({ maxFrameBytes: 10 });
    const frames: Frame[] = [];
    decoder.push(utf8(' '.repeat(100) + '["a"]' + '\n'.repeat(100)), (frame) => frames.push(frame));
    expect(frames).toEqual([['a']]);
    expect(decoder.pending).toBe(0);
  });

  it('encodes with JSON.stringify semantics', () => {
    const date = new Date(Date.UTC(2020, 0, 2, 3, 4, 5));
    expect(decode(jsonFraming, [jsonFraming.encode(['p', undefined, () => 1, { u: undefined, d: date }, NaN, -0])])).toEqual([
      ['p', null, null, { d: '2020-01-02T03:04:05.000Z' }, null, 0],
    ]);
  });
});

describe('cbor framing: decoding what Perl sends', () => {
  it('turns byte strings — port names, tags, map keys — into strings', () => {
    const bytes = hex(`84 ${cb.bytes('')} ${cb.bytes('g_chg1')} ${cb.bytes('fam')} a2 ${cb.bytes('k1')} ${cb.bytes('v1')} ${cb.bytes('k2')} 81 ${cb.bytes('v2')}`);
    expect(decode(cborFraming, [bytes])).toEqual([['', 'g_chg1', 'fam', { k1: 'v1', k2: ['v2'] }]]);
  });

  it('reads byte strings as one code point per octet (a Perl byte string), as JSON::XS sends the same string', () => {
    // Perl's "\xc3\xa9" (2 characters) is the byte string c3 a9 in CBOR and "Ã©" in JSON: both read as 'Ã©'
    const octets = [Buffer.from('c3a9', 'hex'), Buffer.from('e9', 'hex'), Buffer.from('fffe', 'hex'), Buffer.from('☂')];
    const frame = decode(cborFraming, [hex('84' + octets.map(cb.bytes).join(''))])[0]!;
    expect(frame).toEqual(['\u00c3\u00a9', '\u00e9', '\u00ff\u00fe', Buffer.from('☂').toString('latin1')]);
    expect(decode(jsonFraming, [Buffer.from(JSON.stringify(['\u00c3\u00a9']))])[0]).toEqual([frame[0]]);
    // a text string is UTF-8 (Perl's character strings with the UTF-8 flag)
    const mixed = 'abcdefghijklmnopqrstuvwxyé日😀';
    expect(decode(cborFraming, [hex(`82 ${cb.text(mixed)} ${cb.text('é')}`)])).toEqual([[mixed, 'é']]);
    const long = Buffer.concat([Buffer.from('x'.repeat(40)), Buffer.from([0xe9])]);
    expect(decode(cborFraming, [hex(`81 ${cb.bytes(long)}`)])).toEqual([['x'.repeat(40) + '\u00e9']]);
    for (const n of [1, 5, 8, 9, 16, 17, 24, 25, 100]) {
      const latin = Buffer.alloc(n, 0x61);
      latin[n - 1] = 0xe9;
      expect(decode(cborFraming, [hex(`81 ${cb.bytes(latin)}`)]), `${n} octets`).toEqual([['a'.repeat(n - 1) + '\u00e9']]);
    }
  });

  it('refuses a frame with a text string that is not valid UTF-8 (a byte string with the same octets is read)', () => {
    for (const bad of ['62 c328', '61 ff', '63 eda080' /* a UTF-8 surrogate */, '64 f4908080' /* beyond U+10FFFF */, '7f 61 61 61 ff ff']) {
      expectFramingError(() => decode(cborFraming, [hex(`82 41 70 ${bad}`)]), /^cbor: malformed data: a text string of \d+ bytes is not valid UTF-8/);
      for (const [a, b] of splits(hex(`82 41 70 ${bad}`))) expect(feed(cborFraming.createDecoder(), [a, b]).error).toBeInstanceOf(FramingError);
    }
    expect(decode(cborFraming, [hex('82 41 70 42 c328')])).toEqual([['p', '\u00c3(']]);
  });

  it('reads every string length form', () => {
    for (const n of [0, 1, 7, 8, 9, 15, 16, 17, 23, 24, 25, 255, 256, 1000, 70000]) {
      const text = 'abcdefghijklmnopqrstuvwxyz'.repeat(Math.ceil(n / 26) + 1).slice(0, n);
      const head = n < 24 ? (0x40 | n).toString(16) : n < 256 ? `58${n.toString(16).padStart(2, '0')}` : n < 65536 ? `59${n.toString(16).padStart(4, '0')}` : `5a${n.toString(16).padStart(8, '0')}`;
      expect(decode(cborFraming, [hex(`81 ${head} ${Buffer.from(text).toString('hex')}`)])).toEqual([[text]]);
    }
  });

  it('reads float16, float32 and float64', () => {
    const frame = decode(cborFraming, [
      hex('8c f93c00 f9c000 f97bff f90001 f97c00 f9fc00 f98000 fa3fc00000 fa53800000 fb41dac198518e5615 fb3ff199999999999a f97e00'),
    ])[0]!;
    expect(frame.slice(0, 11)).toEqual([1, -2, 65504, 2 ** -24, Infinity, -Infinity, -0, 1.5, 2 ** 40, 1795580230.224004, 1.1]);
    expect(Object.is(frame[6], -0)).toBe(true);
    expect(frame[11]).toBeNaN();
  });

  it('reads every integer width: within ±(2^53−1) as numbers, beyond as exact bigints', () => {
    const frame = decode(cborFraming, [
      hex('8e 00 17 1818 18ff 190100 1a00010000 1b0000000100000000 1b001fffffffffffff 1b0020000000000000 1bffffffffffffffff 20 3b001ffffffffffffe 3b001fffffffffffff 3bffffffffffffffff'),
    ])[0]!;
    expect(frame).toEqual([0, 23, 24, 255, 256, 65536, 2 ** 32, 2 ** 53 - 1, 2n ** 53n, 2n ** 64n - 1n, -1, -(2 ** 53 - 1), -(2n ** 53n), -(2n ** 64n)]);
  });

  it('reads simple values: false, true, null, and undefined as null', () => {
    expect(decode(cborFraming, [hex('84 f4 f5 f6 f7')])).toEqual([[false, true, null, null]]);
  });

  it('reads numeric map keys as strings, text-string keys as well', () => {
    expect(decode(cborFraming, [hex('81 a3 01 61 61 20 61 62 61 6b 61 63')])).toEqual([[{ '1': 'a', '-1': 'b', k: 'c' }]]);
  });

  it('accepts indefinite-length arrays, maps and strings, split anywhere', () => {
    const bytes = hex('9f 41 70 7f 62 6869 61 21 ff 5f 41 61 42 6263 ff bf 41 6b 9f 01 02 ff ff ff');
    for (const [a, b] of splits(bytes)) expect(decode(cborFraming, [a, b])).toEqual([['p', 'hi!', 'abc', { k: [1, 2] }]]);
  });

  it('reads what CBOR::XS tags for plain Perl data: bignums as integers, decimal fractions and bigfloats as numbers', () => {
    expect(decode(cborFraming, [hex('d9d9f7 82 41 70 d9d9f7 01')])).toEqual([['p', 1]]);
    for (const [tagged, value] of [
      ['82 41 70 c2 4d 00000000000000000000000001', 1], // bignum 1
      ['82 41 70 c2 4d 000000000000000000000001 00', 256],
      ['82 41 70 c2 40', 0],
      ['82 41 70 c3 41 09', -10], // negative bignum: -1 - 9
      ['82 41 70 c2 47 1fffffffffffff', 2 ** 53 - 1],
      ['82 41 70 c2 47 20000000000000', 2n ** 53n],
      ['82 41 70 c3 47 1ffffffffffffe', -(2 ** 53 - 1)],
      ['82 41 70 c3 47 1fffffffffffff', -(2n ** 53n)],
      ['82 41 70 c2 4d 01431e0fae6d7217caa0000000', 10n ** 29n], // CBOR::XS for Math::BigInt 1e29
      ['82 41 70 c3 49 010000000000000000', -(2n ** 64n) - 1n],
      ['82 41 70 c4 82 21 18 7d', 1.25], // CBOR::XS for Math::BigFloat 1.25: 125 × 10^-2
      ['82 41 70 c5 82 20 03', 1.5], // bigfloat 3 × 2^-1
      ['82 41 70 c4 82 01 c2 49 010000000000000000', 2 ** 64 * 10], // a bignum mantissa
    ] as const) {
      expect(decode(cborFraming, [hex(tagged)]), tagged).toEqual([['p', value]]);
      const bytes = hex(tagged);
      for (const [a, b] of splits(bytes)) expect(feed(cborFraming.createDecoder(), [a, b]).frames).toEqual([['p', value]]);
    }
    // a tag in front of a frame other than self-describe is still not a frame
    expectFramingError(() => decode(cborFraming, [hex('c0 82 01 02')]), /^cbor: frame must be an array/);
  });

  it('refuses a frame with any other tag, or a known tag on the wrong content, naming it', () => {
    for (const [tagged, reason] of [
      ['82 41 70 c1 1a 5f000000', /^cbor: unsupported tag 1 at byte 3 of the frame/], // epoch time
      ['82 41 70 d8 40 41 00', /^cbor: unsupported tag 64 at byte 3/], // a typed array
      ['82 41 70 d9 0100 41 70', /^cbor: unsupported tag 256 at byte 3/], // stringref namespace
      ['82 41 70 d8 1c 80', /^cbor: unsupported tag 28 at byte 3/], // shareable
      ['82 41 70 d8 1a 82 41 43 80', /^cbor: unsupported tag 26 at byte 3/], // a Perl object (FREEZE/THAW)
      ['82 41 70 c6 c6 c6 01', /^cbor: unsupported tag 6 at byte 3/],
      ['82 41 70 c2 01', /^cbor: malformed data: bignum \(tag 2\) on something other than a byte string at byte 3/],
      ['82 41 70 c3 61 41', /^cbor: malformed data: bignum \(tag 3\) on something other than a byte string/],
      ['82 41 70 c4 82 41 31 01', /^cbor: malformed data: decimal fraction \(tag 4\) that is not \[exponent, mantissa\]/],
      ['82 41 70 c5 81 01', /^cbor: malformed data: bigfloat \(tag 5\)/],
    ] as const) {
      expectFramingError(() => decode(cborFraming, [hex(tagged)]), reason);
      for (const [a, b] of splits(hex(tagged))) expect(feed(cborFraming.createDecoder(), [a, b]).error, tagged).toBeInstanceOf(FramingError);
    }
  });

  it('refuses malformed encodings, whole and split', () => {
    const cases: Array<[string, RegExp]> = [
      ['82 01 1c', /reserved additional information 28/],
      ['82 01 ff', /break code outside an indefinite-length item/],
      ['82 01 f0', /unsupported simple value/],
      ['82 01 f8 20', /unsupported simple value/],
      ['82 01 3f', /indefinite length on major type 1/],
      ['82 01 df', /indefinite length on major type 6|unsupported CBOR tag/],
      ['82 5f 61 61 ff', /chunk of another type/],
      ['82 5f 5f ff ff', /nested indefinite-length string chunk|chunk of another type/],
      ['81 a1 80 01', /map key must be a string or a number, got an array/],
      ['81 a1 f6 01', /map key must be a string or a number, got null/],
    ];
    for (const [bytes, message] of cases) {
      expectFramingError(() => decode(cborFraming, [hex(bytes)]), message);
      for (const [a, b] of splits(hex(bytes))) expect(feed(cborFraming.createDecoder(), [a, b]).error, `${bytes} split`).toBeInstanceOf(FramingError);
    }
  });

  it('waits for more bytes when a chunk ends inside an item, however it is split', () => {
    const bytes = hex('83 59 0100' + '61'.repeat(256) + ' fb 41dac198518e5615 a1 41 6b 1b 0000000100000000');
    const decoder = cborFraming.createDecoder();
    const frames: Frame[] = [];
    for (let i = 0; i < bytes.length; i++) {
      decoder.push(bytes.subarray(i, i + 1), (frame) => frames.push(frame));
      expect(decoder.pending).toBe(i + 1 === bytes.length ? 0 : i + 1);
    }
    expect(frames).toEqual([['a'.repeat(256), 1795580230.224004, { k: 2 ** 32 }]]);
  });

  it('refuses an announced length that cannot fit the limit before its bytes arrive', () => {
    const decoder = cborFraming.createDecoder({ maxFrameBytes: 1024 });
    expectFramingError(() => decoder.push(hex('82 41 70 5a 7fffffff 61 61'), () => {}), /^cbor: frame larger than the limit of 1024 bytes/);
    expectFramingError(() => cborFraming.createDecoder({ maxFrameBytes: 1024 }).push(hex('9a 00100000 01'), () => {}), /limit of 1024 bytes/);
    expectFramingError(() => cborFraming.createDecoder({ maxFrameBytes: 1024 }).push(hex('81 ba 00100000 01'), () => {}), /limit of 1024 bytes/);
    expectFramingError(() => cborFraming.createDecoder().push(hex('9a ffffffff 01'), () => {}), /limit of 16777216 bytes/);
    // within the limit, a million-element array header just waits (and allocates nothing big)
    const lenient = cborFraming.createDecoder();
    lenient.push(hex('9a 000f4240 01 02 03'), () => {});
    expect(lenient.pending).toBe(8);
  });
});

describe('cbor framing: encoding', () => {
  it('writes plain CBOR: text strings, shortest heads, float32 when exact, no tags but bignums', () => {
    expect(toHex(cborFraming.encode(['', 'g_slave']))).toBe('826067675f736c617665');
    expect(toHex(cborFraming.encode([0, 23, 24, 255, 256, 65535, 65536, -1, -24, -25, 2 ** 32, 2 ** 53 - 1]))).toBe(
      '8c' + '00' + '17' + '1818' + '18ff' + '190100' + '19ffff' + '1a00010000' + '20' + '37' + '3818' + '1b0000000100000000' + '1b001fffffffffffff',
    );
    expect(toHex(cborFraming.encode([1.5, 0.1, -0, NaN, Infinity, 2 ** 64, 1e300]))).toBe(
      '87' + 'fa3fc00000' + 'fb3fb999999999999a' + 'fa80000000' + 'fa7fc00000' + 'fa7f800000' + 'fa5f800000' + 'fb7e37e43c8800759c',
    );
    // integers beyond 2^53 stay integers (JSON sends their digits; Perl reads an integer either way)
    expect(toHex(cborFraming.encode([2 ** 60, 2 ** 60 + 2 ** 10, -(2 ** 60), -(2 ** 64)]))).toBe(
      '84' + '1b1000000000000000' + '1b1000000000000400' + '3b0fffffffffffffff' + '3bffffffffffffffff',
    );
    expect(decode(cborFraming, [cborFraming.encode([2 ** 60 + 2 ** 10, -9434580732274286, -(2 ** 64)])])).toEqual([[2n ** 60n + 2n ** 10n, -9434580732274286n, -(2n ** 64n)]]);
    // bigints: integers up to 64 bits, bignums (tags 2 and 3, as CBOR::XS writes Math::BigInt) beyond
    expect(toHex(cborFraming.encode([5n, -(2n ** 64n), 2n ** 64n, -(2n ** 64n) - 1n, 10n ** 29n]))).toBe(
      '85' + '05' + '3bffffffffffffffff' + 'c249010000000000000000' + 'c349010000000000000000' + 'c24d01431e0fae6d7217caa0000000',
    );
    expect(toHex(cborFraming.encode([{ a: 1 }, true, false, null]))).toBe('84a1616101f5f4f6');
    expect(toHex(cborFraming.encode(['é']))).toBe('8162c3a9');
  });

  it('writes Perl-compatible lengths for long strings, arrays and maps', () => {
    for (const n of [23, 24, 64, 65, 255, 256, 70000]) {
      const text = 'y'.repeat(n);
      const bytes = cborFraming.encode([text, 'ü'.repeat(n)]);
      expect(cborxDecode(bytes)).toEqual([text, 'ü'.repeat(n)]);
      const array = Array.from({ length: n }, (_, i) => i);
      const map = Object.fromEntries(array.map((i) => [`k${i}`, i]));
      expect(cborxDecode(cborFraming.encode([array, map]))).toEqual([array, map]);
    }
  });

  it('follows JSON.stringify’s value model, keeping what CBOR can say better', () => {
    const date = new Date(Date.UTC(2020, 0, 2, 3, 4, 5));
    const sparse: unknown[] = [];
    sparse[1] = 1; // a hole at 0
    const frame = ['p', undefined, () => 1, Symbol('s'), { u: undefined, f: () => 2, d: date, keep: 0 }, new Map([['a', 1]]), sparse];
    expect(decode(cborFraming, [cborFraming.encode(frame)])).toEqual([['p', null, null, null, { d: '2020-01-02T03:04:05.000Z', keep: 0 }, {}, [null, 1]]]);
  });

  it('writes Uint8Array/Buffer as byte strings and bigints as integers', () => {
    expect(toHex(cborFraming.encode([new Uint8Array([1, 2, 255]), Buffer.from('hi')]))).toBe('82430102ff426869');
    expect(toHex(cborFraming.encode([2n ** 64n - 1n, -(2n ** 64n), 5n, -5n]))).toBe('841bffffffffffffffff3bffffffffffffffff0524');
    expect(decode(cborFraming, [cborFraming.encode([Buffer.from('bytes')])])).toEqual([['bytes']]);
  });

  it('refuses frames nested deeper than 512 levels', () => {
    let value: unknown = 1;
    for (let i = 0; i < 512; i++) value = [value];
    expectFramingError(() => cborFraming.encode([value]), /^cbor: cannot encode a frame nested deeper than 512 levels/);
  });

  it('one-shot encode results stay intact after later encodes', () => {
    const first = cborFraming.encode(['first', 1]);
    const copy = toHex(first);
    for (let i = 0; i < 10_000; i++) cborFraming.encode(['filler', i, 'z'.repeat(i % 50)]);
    expect(toHex(first)).toBe(copy);
  });
});
