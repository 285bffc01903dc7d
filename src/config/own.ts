/**
 * Own-property access that is safe for keys coming from users and peers
 * (`__proto__`, `constructor` …): tables keyed by such data are written and
 * read only through these.
 * @module
 */

/** Sets an own data property, safe for keys such as `__proto__`. */
export function setOwn(obj: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
}

/** `obj[key]` if it is an own property, else `undefined` (never inherited members). */
export function getOwn(obj: Readonly<Record<string, unknown>>, key: string): unknown {
  return Object.hasOwn(obj, key) ? obj[key] : undefined;
}
