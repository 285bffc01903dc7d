import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatRcJson, parseRelaxedJson } from '../../src/config/index.js';

describe('formatRcJson (JSON::XS pretty + canonical)', () => {
  it('writes 3-space indent, " : " separators, sorted keys, a final newline', () => {
    const text = formatRcJson({
      version: 1,
      profile: { testp: { seeds: ['127.0.0.1:4040'], secret: 's' }, child: { parent: 'testp' } },
      monitor_timeout: '10',
      empty: [],
      none: {},
    });
    expect(text).toBe(
      [
        '{',
        '   "empty" : [],',
        '   "monitor_timeout" : "10",',
        '   "none" : {},',
        '   "profile" : {',
        '      "child" : {',
        '         "parent" : "testp"',
        '      },',
        '      "testp" : {',
        '         "secret" : "s",',
        '         "seeds" : [',
        '            "127.0.0.1:4040"',
        '         ]',
        '      }',
        '   },',
        '   "version" : 1',
        '}',
        '',
      ].join('\n'),
    );
  });

  it('sorts keys by code point, not UTF-16 unit', () => {
    const text = formatRcJson({ '\u{1F600}': 1, '\uFFFF': 2, b: 3, B: 4 });
    expect(text.split('\n').slice(1, -2)).toEqual([
      '   "B" : 4,',
      '   "b" : 3,',
      '   "\uFFFF" : 2,',
      '   "\u{1F600}" : 1',
    ]);
  });

  it('writes non-ASCII as is and escapes control characters', () => {
    expect(formatRcJson({ a: 'é☃\n"' })).toBe('{\n   "a" : "é☃\\n\\""\n}\n');
  });

  it.each([[NaN], [Infinity], [() => 1], [10n], [new Date(0)], [[undefined]]])('refuses %s', (v) => {
    expect(() => formatRcJson({ a: v })).toThrow(TypeError);
  });

  it('round-trips through the relaxed parser', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), (v) => {
        expect(parseRelaxedJson(formatRcJson(v))).toEqual(JSON.parse(JSON.stringify(v)));
      }),
    );
  });
});
