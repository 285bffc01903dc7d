/**
 * The rc file writer's JSON format: JSON::XS `pretty` output (3-space
 * indent, `"key" : value` with a space on both sides of the colon, empty
 * arrays and objects as `[]` and `{}`) with `canonical` key order (keys
 * sorted by code point, as Perl's string sort does), ending in a newline.
 *
 * Perl's `aemp` writes `pretty` without `canonical`, so its key order is
 * random; we sort so that a rewrite of an unchanged structure is byte-stable
 * and diffs stay small. Non-ASCII characters are written as UTF-8, not
 * escaped, as JSON::XS with `utf8` does.
 * @module
 */

const INDENT = '   ';

/** Compares two strings by Unicode code point (Perl's `cmp` on character strings). */
export function compareCodePoints(a: string, b: string): number {
  const ia = a[Symbol.iterator]();
  const ib = b[Symbol.iterator]();
  for (;;) {
    const x = ia.next();
    const y = ib.next();
    if (x.done || y.done) return x.done && y.done ? 0 : x.done ? -1 : 1;
    const cx = x.value.codePointAt(0) ?? 0;
    const cy = y.value.codePointAt(0) ?? 0;
    if (cx !== cy) return cx - cy;
  }
}

/**
 * Renders plain JSON data the way the rc file is written, with a trailing
 * newline.
 * @throws TypeError for values JSON cannot hold (non-finite numbers,
 *   functions, bigints, `undefined` as an array element …).
 */
export function formatRcJson(value: unknown): string {
  return `${render(value, '', '$')}\n`;
}

function render(value: unknown, indent: string, path: string): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError(`${path}: ${value} cannot be written as JSON`);
      return JSON.stringify(value);
    case 'string':
      return JSON.stringify(value);
    case 'object':
      break;
    default:
      throw new TypeError(`${path}: a ${typeof value} cannot be written as JSON`);
  }
  const inner = indent + INDENT;
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    const items = value.map((v: unknown, i) => inner + render(v, inner, `${path}[${i}]`));
    return `[\n${items.join(',\n')}\n${indent}]`;
  }
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) {
    throw new TypeError(`${path}: only plain objects can be written as JSON`);
  }
  const rec = value as Record<string, unknown>;
  const keys = Object.keys(rec)
    .filter((k) => rec[k] !== undefined)
    .sort(compareCodePoints);
  if (keys.length === 0) return '{}';
  const members = keys.map((k) => `${inner}${JSON.stringify(k)} : ${render(rec[k], inner, `${path}.${k}`)}`);
  return `{\n${members.join(',\n')}\n${indent}}`;
}
