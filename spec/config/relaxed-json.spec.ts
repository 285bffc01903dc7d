import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseRelaxedJson, RelaxedJsonError } from '../../src/config/index.js';

describe('parseRelaxedJson', () => {
  it.each([
    ['plain JSON', '{"a":1,"b":[true,false,null],"c":"x"}', { a: 1, b: [true, false, null], c: 'x' }],
    ['# comment lines', '# top\n{ # after brace\n "a": 1 # after value\n}\n# end', { a: 1 }],
    ['comment without final newline', '{"a":1}#', { a: 1 }],
    ['comment ending in CR LF', '{"a":1, # c\r\n"b":2}', { a: 1, b: 2 }],
    ['trailing comma in object', '{"a":1,}', { a: 1 }],
    ['trailing comma in array', '[1,2,]', [1, 2]],
    ['nested trailing commas', '{"a":[1,[2,],],"b":{"c":3,},}', { a: [1, [2]], b: { c: 3 } }],
    ['# inside a string', '{"a":"x#y", "b":"#"}', { a: 'x#y', b: '#' }],
    [', inside a string', '{"a":"x,}", "b":",]"}', { a: 'x,}', b: ',]' }],
    ['escaped quote then #', '{"a":"q\\"#not a comment"}', { a: 'q"#not a comment' }],
    ['literal tab in string', '{"a":"x\ty"}', { a: 'x\ty' }],
    ['escapes', '"\\"\\\\\\/\\b\\f\\n\\r\\t\\u00e9\\ud83d\\ude00"', '"\\/\b\f\n\r\t\u00e9\u{1F600}'],
    ['numbers', '[0,-1,1.5,2e3,-0.25E-2]', [0, -1, 1.5, 2000, -0.0025]],
    ['non-ASCII', '{"ключ":"värde ☃"}', { ключ: 'värde ☃' }],
    ['duplicate key: last wins', '{"a":1,"a":2}', { a: 2 }],
    ['empty containers', '{"a":{},"b":[]}', { a: {}, b: [] }],
  ])('%s', (_name, text, expected) => {
    expect(parseRelaxedJson(text)).toEqual(expected);
  });

  it('keeps __proto__ as an ordinary key', () => {
    const v = parseRelaxedJson('{"__proto__":{"polluted":1}}') as Record<string, unknown>;
    expect(Object.hasOwn(v, '__proto__')).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(v)).toBe(Object.prototype);
  });

  it.each([
    ['empty', ''],
    ['only a comment', '# nothing'],
    ['leading comma', '[,1]'],
    ['lone comma', '[,]'],
    ['empty object comma', '{,}'],
    ['double comma', '[1,,2]'],
    ['missing comma', '[1 2]'],
    ['unquoted key', '{a:1}'],
    ['single quotes', "{'a':1}"],
    ['unterminated string', '{"a":"x'],
    ['unterminated object', '{"a":1'],
    ['unterminated array', '[1,2'],
    ['garbage after', '{} x'],
    ['leading zero', '01'],
    ['bare minus', '-'],
    ['trailing dot', '1.'],
    ['newline in string', '"a\nb"'],
    ['bad escape', '"\\x"'],
    ['lone low surrogate', '"\\udc00"'],
    ['high surrogate without low', '"\\ud800x"'],
    ['NaN', 'NaN'],
    ['truth', 'tru'],
    ['comment inside a literal', 'tr#ue'],
  ])('rejects %s', (_name, text) => {
    expect(() => parseRelaxedJson(text)).toThrow(RelaxedJsonError);
  });

  it('reports line and column', () => {
    try {
      parseRelaxedJson('{\n  "a": 1,\n  "b" 2\n}');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(RelaxedJsonError);
      expect(e).toMatchObject({ line: 3, column: 7 });
      expect((e as Error).message).toMatch(/line 3, column 7/);
    }
  });

  it('refuses absurd nesting instead of overflowing the stack', () => {
    expect(() => parseRelaxedJson('['.repeat(100_000))).toThrow(/nested deeper/);
  });

  it('agrees with JSON.parse on any JSON text', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        const text = JSON.stringify(v);
        expect(parseRelaxedJson(text)).toEqual(JSON.parse(text));
        expect(parseRelaxedJson(JSON.stringify(v, null, 2))).toEqual(JSON.parse(text));
      }),
    );
  });
});
