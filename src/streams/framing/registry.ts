/**
 * Which framings this library speaks, and lookup by wire name.
 *
 * @module
 */
import { cborFraming } from './cbor-framing.js';
import { jsonFraming } from './json-framing.js';
import type { Framing } from './types.js';

/**
 * The framings we offer, in our preference order (the greeting's framing
 * list). `storable` (Perl's Storable images) is never offered: a non-Perl node
 * cannot read it, and Perl then simply picks `cbor` or `json`.
 */
export const SUPPORTED_FRAMINGS = Object.freeze(['cbor', 'json'] as const);

const byName: ReadonlyMap<string, Framing> = new Map<string, Framing>([
  ['cbor', cborFraming],
  ['json', jsonFraming],
]);

/** The framing called `name` (exact, case-sensitive wire name), or `undefined` if we do not speak it (e.g. `storable`). */
export function getFraming(name: string): Framing | undefined {
  return byName.get(name);
}
