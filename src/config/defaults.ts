/**
 * The built-in defaults, read from the settings table (`schema.ts`):
 * AnyEvent::MP's, except that we never offer the Perl-only `storable`
 * framing.
 * @module
 */
import { SETTING_ENTRIES, type DefaultedKey, type SettingValue } from './schema.js';

/** The defaults every resolution starts from (`nodeid` is `"<profile>/"`, computed). */
export const DEFAULTS: { readonly [K in DefaultedKey]: SettingValue<K> } = Object.freeze(
  Object.fromEntries(
    SETTING_ENTRIES.filter(([, spec]) => 'default' in spec).map(([key, spec]) => [key, spec.default]),
  ) as { [K in DefaultedKey]: SettingValue<K> },
);

/** The default node id template for a profile: `"<profile>/"`. */
export function defaultNodeIdTemplate(profile: string): string {
  return `${profile}/`;
}
