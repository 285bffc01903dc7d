/**
 * Log hygiene: text from peers (node ids, greeting fields, error texts,
 * tags) ends up in log lines, so every record's text is made printable
 * and short before anyone sees it. Control characters become visible
 * escapes, so a peer can neither forge a log line nor send terminal
 * escape sequences; long texts are cut, so a log line stays under 2 KB.
 * @module
 */

/**
 * The most UTF-8 bytes of a record's message (the cut mark included).
 * With {@link LOG_FIELD_MAX_BYTES} for node id and context, a whole stderr
 * line stays under 2048 bytes.
 */
export const LOG_MESSAGE_MAX_BYTES = 1536;
/** The most UTF-8 bytes of a record's context or node id in a log line. */
export const LOG_FIELD_MAX_BYTES = 160;
/** The least `maxBytes` {@link cleanLogText} takes: room for its cut mark. */
const MIN_MAX_BYTES = 40;

/**
 * What is escaped: C0 controls, DEL, C1 controls, the Unicode line and
 * paragraph separators, the bidi marks/embeddings/overrides/isolates, and
 * lone surrogates (no `u` flag: this regex sees UTF-16 code units).
 */
const UNSAFE =
  // eslint-disable-next-line no-control-regex -- finding control characters is the point
  /[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

const SHORT: Readonly<Record<number, string>> = { 0x09: '\\t', 0x0a: '\\n', 0x0d: '\\r' };

function hex(code: number, width: number): string {
  return code.toString(16).padStart(width, '0');
}

/** The visible escape of one unsafe code unit. */
function escapeUnit(code: number): string {
  const short = SHORT[code];
  if (short !== undefined) return short;
  return code <= 0xff ? `\\x${hex(code, 2)}` : `\\u${hex(code, 4)}`;
}

/** Whether code unit `c` is escaped (a surrogate here is a lone one: callers take pairs first). */
function unsafeUnit(c: number): boolean {
  return (
    c < 0x20 ||
    (c >= 0x7f && c <= 0x9f) ||
    c === 0x061c ||
    c === 0x200e ||
    c === 0x200f ||
    (c >= 0x2028 && c <= 0x202e) ||
    (c >= 0x2066 && c <= 0x2069) ||
    (c >= 0xd800 && c <= 0xdfff)
  );
}

/** UTF-8 length of a BMP code unit that is not a surrogate. */
function unitBytes(code: number): number {
  return code < 0x80 ? 1 : code < 0x800 ? 2 : 3;
}

/**
 * Makes `text` safe for one log line: every unsafe character (see above)
 * becomes a visible escape (`\n`, `\x1b`, `\u202e`), and if the result
 * would be longer than `maxBytes` UTF-8 bytes it is cut at a character
 * boundary and ends with `…[cut, N chars]` (N = the original length in
 * UTF-16 units; `maxBytes` below 40 counts as 40, room for that mark).
 * Idempotent; clean short texts are returned as they are.
 * Backslashes are not escaped: a literal `\n` in the text and an escaped
 * newline look the same, but neither starts a new line.
 */
export function cleanLogText(text: string, maxBytes: number = LOG_MESSAGE_MAX_BYTES): string {
  if (!(maxBytes >= MIN_MAX_BYTES)) maxBytes = MIN_MAX_BYTES; // room for the cut mark
  const unsafe = UNSAFE.test(text);
  if (!unsafe && text.length * 3 <= maxBytes) return text;
  if (!unsafe && Buffer.byteLength(text, 'utf8') <= maxBytes) return text;
  const mark = `…[cut, ${text.length} chars]`;
  const budget = maxBytes - Buffer.byteLength(mark, 'utf8');
  let out = '';
  let bytes = 0;
  let from = 0; // start of the pending run of safe units
  const flush = (to: number) => {
    if (to > from) out += text.slice(from, to);
  };
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    let piece: string | undefined;
    let size: number;
    let units = 1;
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) units = 2;
    }
    if (units === 2) size = 4;
    else if (unsafeUnit(c)) {
      piece = escapeUnit(c);
      size = piece.length;
    } else size = unitBytes(c);
    // cut only if what is left does not fit as it is
    if (bytes + size > budget && !fitsFrom(text, i, maxBytes - bytes)) {
      flush(i);
      return out + mark;
    }
    if (piece !== undefined) {
      flush(i);
      out += piece;
      from = i + 1;
    }
    bytes += size;
    i += units - 1;
  }
  flush(text.length);
  return out;
}

/** Whether the escaped rest of `text` from unit `i` takes at most `room` bytes. */
function fitsFrom(text: string, i: number, room: number): boolean {
  let bytes = 0;
  for (; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        bytes += 4;
        i++;
        if (bytes > room) return false;
        continue;
      }
    }
    bytes += unsafeUnit(c) ? escapeUnit(c).length : unitBytes(c);
    if (bytes > room) return false;
  }
  return true;
}
