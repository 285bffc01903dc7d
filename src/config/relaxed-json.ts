/**
 * A parser for JSON in JSON::XS's "relaxed" mode, the dialect of the rc
 * file: plain JSON plus
 *
 * - `#` comments running to the end of the line (outside strings only —
 *   `"a#b"` is a string with a `#` in it),
 * - a trailing comma after the last element of an array or object
 *   (`[1,2,]`, `{"a":1,}`; but not `[,]` or `[1,,2]`),
 * - literal TAB characters inside strings.
 *
 * Objects are built with own data properties only, so keys such as
 * `__proto__` are ordinary keys; a repeated key keeps its last value (as
 * JSON::XS does). Escaped lone surrogates are rejected, as JSON::XS rejects
 * them.
 * @module
 */

/** A syntax error with a 1-based line and column. */
export class RelaxedJsonError extends SyntaxError {
  override readonly name = 'RelaxedJsonError';
  constructor(
    /** What was wrong, without the position. */
    readonly problem: string,
    /** 1-based line of the offending character. */
    readonly line: number,
    /** 1-based column (in UTF-16 code units) of the offending character. */
    readonly column: number,
  ) {
    super(`${problem} at line ${line}, column ${column}`);
  }
}

/** How deeply arrays and objects may nest before the input is refused. */
export const MAX_NESTING = 512;

/**
 * Parses relaxed JSON text (already decoded from UTF-8).
 * @throws RelaxedJsonError with the position of the problem.
 */
export function parseRelaxedJson(text: string): unknown {
  return new Parser(text).parseDocument();
}

class Parser {
  private pos = 0;
  constructor(private readonly text: string) {}

  parseDocument(): unknown {
    this.skipSpace();
    if (this.pos >= this.text.length) this.fail('empty input, expected a JSON value');
    const value = this.parseValue(0);
    this.skipSpace();
    if (this.pos < this.text.length) this.fail('garbage after the JSON value');
    return value;
  }

  private fail(problem: string, at = this.pos): never {
    let line = 1;
    let lineStart = 0;
    for (let i = 0; i < at && i < this.text.length; i++) {
      if (this.text.charCodeAt(i) === 0x0a) {
        line++;
        lineStart = i + 1;
      }
    }
    throw new RelaxedJsonError(problem, line, at - lineStart + 1);
  }

  private skipSpace(): void {
    const t = this.text;
    while (this.pos < t.length) {
      const c = t.charCodeAt(this.pos);
      if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) {
        this.pos++;
      } else if (c === 0x23 /* # */) {
        while (this.pos < t.length && t.charCodeAt(this.pos) !== 0x0a && t.charCodeAt(this.pos) !== 0x0d) {
          this.pos++;
        }
      } else {
        return;
      }
    }
  }

  private parseValue(depth: number): unknown {
    const c = this.text[this.pos];
    switch (c) {
      case '{':
        return this.parseObject(depth + 1);
      case '[':
        return this.parseArray(depth + 1);
      case '"':
        return this.parseString();
      case 't':
        return this.parseWord('true', true);
      case 'f':
        return this.parseWord('false', false);
      case 'n':
        return this.parseWord('null', null);
      case undefined:
        return this.fail('unexpected end of input, expected a JSON value');
      default:
        if (c === '-' || (c >= '0' && c <= '9')) return this.parseNumber();
        return this.fail(`unexpected character ${JSON.stringify(c)}, expected a JSON value`);
    }
  }

  private parseWord<T>(word: string, value: T): T {
    if (!this.text.startsWith(word, this.pos)) this.fail('unexpected word, expected true, false or null');
    this.pos += word.length;
    return value;
  }

  private parseNumber(): number {
    const m = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
    m.lastIndex = this.pos;
    const found = m.exec(this.text);
    if (found === null) this.fail('malformed number');
    const next = this.text[m.lastIndex];
    if (next !== undefined && /[0-9A-Za-z.+-]/.test(next)) this.fail('malformed number', m.lastIndex);
    this.pos = m.lastIndex;
    return Number(found[0]);
  }

  private parseString(): string {
    const t = this.text;
    const start = this.pos;
    this.pos++; // opening quote
    let out = '';
    let chunk = this.pos;
    for (;;) {
      if (this.pos >= t.length) this.fail('unterminated string', start);
      const c = t.charCodeAt(this.pos);
      if (c === 0x22 /* " */) {
        out += t.slice(chunk, this.pos);
        this.pos++;
        return out;
      }
      if (c === 0x5c /* \ */) {
        out += t.slice(chunk, this.pos);
        out += this.parseEscape();
        chunk = this.pos;
        continue;
      }
      if (c < 0x20 && c !== 0x09) this.fail('control character in string (escape it)');
      this.pos++;
    }
  }

  private parseEscape(): string {
    const t = this.text;
    const at = this.pos;
    const e = t[this.pos + 1];
    this.pos += 2;
    switch (e) {
      case '"':
        return '"';
      case '\\':
        return '\\';
      case '/':
        return '/';
      case 'b':
        return '\b';
      case 'f':
        return '\f';
      case 'n':
        return '\n';
      case 'r':
        return '\r';
      case 't':
        return '\t';
      case 'u': {
        const hi = this.hex4(at);
        if (hi >= 0xdc00 && hi <= 0xdfff) this.fail('lone low surrogate escape in string', at);
        if (hi < 0xd800 || hi > 0xdbff) return String.fromCharCode(hi);
        if (t[this.pos] !== '\\' || t[this.pos + 1] !== 'u') this.fail('missing low surrogate escape', at);
        this.pos += 2;
        const lo = this.hex4(this.pos - 2);
        if (lo < 0xdc00 || lo > 0xdfff) this.fail('surrogate pair expected', at);
        return String.fromCharCode(hi, lo);
      }
      default:
        return this.fail('illegal escape in string', at);
    }
  }

  private hex4(escapeAt: number): number {
    const h = this.text.slice(this.pos, this.pos + 4);
    if (!/^[0-9A-Fa-f]{4}$/.test(h)) this.fail('malformed \\u escape', escapeAt);
    this.pos += 4;
    return parseInt(h, 16);
  }

  private parseArray(depth: number): unknown[] {
    if (depth > MAX_NESTING) this.fail(`nested deeper than ${MAX_NESTING}`);
    this.pos++; // [
    const out: unknown[] = [];
    this.skipSpace();
    if (this.text[this.pos] === ']') {
      this.pos++;
      return out;
    }
    for (;;) {
      out.push(this.parseValue(depth));
      this.skipSpace();
      const c = this.text[this.pos];
      if (c === ']') {
        this.pos++;
        return out;
      }
      if (c !== ',') this.fail(c === undefined ? 'unterminated array' : "expected ',' or ']'");
      this.pos++;
      this.skipSpace();
      if (this.text[this.pos] === ']') {
        this.pos++; // trailing comma
        return out;
      }
    }
  }

  private parseObject(depth: number): Record<string, unknown> {
    if (depth > MAX_NESTING) this.fail(`nested deeper than ${MAX_NESTING}`);
    this.pos++; // {
    const entries: [string, unknown][] = [];
    this.skipSpace();
    if (this.text[this.pos] === '}') {
      this.pos++;
      return {};
    }
    for (;;) {
      if (this.text[this.pos] !== '"') {
        this.fail(this.pos >= this.text.length ? 'unterminated object' : 'expected a string key');
      }
      const key = this.parseString();
      this.skipSpace();
      if (this.text[this.pos] !== ':') this.fail("expected ':' after the key");
      this.pos++;
      this.skipSpace();
      entries.push([key, this.parseValue(depth)]);
      this.skipSpace();
      const c = this.text[this.pos];
      if (c === '}') {
        this.pos++;
        return Object.fromEntries(entries);
      }
      if (c !== ',') this.fail(c === undefined ? 'unterminated object' : "expected ',' or '}'");
      this.pos++;
      this.skipSpace();
      if (this.text[this.pos] === '}') {
        this.pos++; // trailing comma
        return Object.fromEntries(entries);
      }
    }
  }
}
