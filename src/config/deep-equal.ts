/**
 * The one structural equality of the tree: whether two plain-data values
 * are the same value as they would travel or be written (the rc file's
 * "did it change", the database's "does this `set` change anything").
 * @module
 */

/**
 * True when `a` and `b` are the same plain-data value:
 *
 * - primitives by `===`, except that `NaN` equals `NaN`; a bigint never
 *   equals a number (`1n` ≠ `1`);
 * - arrays element-wise (same length);
 * - byte arrays (`Uint8Array`, `Buffer`) byte-wise, a `Buffer` equal to a
 *   `Uint8Array` with the same bytes; never equal to an array or object;
 * - plain objects key-wise, key order and prototype (`Object.prototype` or
 *   `null`) ignored; a key whose value is `undefined` counts as absent, as
 *   on the wire and in JSON (`{ a: undefined }` equals `{}`).
 */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) {
    return typeof a === 'number' && typeof b === 'number' && Number.isNaN(a) && Number.isNaN(b);
  }
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!deepEqual(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  if (a instanceof Uint8Array || b instanceof Uint8Array) {
    if (!(a instanceof Uint8Array && b instanceof Uint8Array) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
    return true;
  }
  const ra = a as Record<string, unknown>;
  const rb = b as Record<string, unknown>;
  let na = 0;
  for (const k of Object.keys(ra)) {
    const v = ra[k];
    if (v === undefined) continue;
    na++;
    if (!Object.hasOwn(rb, k) || !deepEqual(v, rb[k])) return false;
  }
  let nb = 0;
  for (const k of Object.keys(rb)) if (rb[k] !== undefined) nb++;
  return na === nb;
}
