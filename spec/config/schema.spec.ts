/**
 * The settings table (src/config/schema.ts) is the one place a setting is
 * defined: what the configuration, the transport and the `aemp` command do
 * with a setting follows from its entry.
 */
import { describe, expect, it } from 'vitest';
import { buildProgram, CliContext } from '../../src/cli/index.js';
import {
  checkValue,
  DEFAULTS,
  isKnownKey,
  resolveConfig,
  SETTING_ENTRIES,
  settingOf,
  toCamelKey,
} from '../../src/config/index.js';
import { DEFAULT_MAX_FRAME_BYTES, SUPPORTED_FRAMINGS } from '../../src/streams/framing/index.js';
import {
  DEFAULT_AUTH_ACCEPT,
  DEFAULT_AUTH_OFFER,
  DEFAULT_MAX_LINE_BYTES,
} from '../../src/streams/handshake/index.js';

const ctx = { hostname: 'h', runiq: 'Qx3abcdefZ', env: {} };

describe('the settings table', () => {
  it('gives every default its own type: each passes its check unchanged', () => {
    for (const [key, value] of Object.entries(DEFAULTS)) {
      expect(checkValue(key, value), key).toEqual(value);
    }
  });

  it('is what a resolved configuration holds: every node setting, defaulted or undefined', () => {
    const c = resolveConfig({ norc: true }, ctx) as unknown as Record<string, unknown>;
    for (const [key, spec] of SETTING_ENTRIES) {
      if (spec.role !== 'value' || key === 'nodeid') continue;
      expect(Object.hasOwn(c, key), key).toBe(true);
      expect(c[key], key).toEqual('default' in spec ? spec.default : undefined);
    }
    expect(c.nodeid).toBe('h/Qx3abcdefZ');
  });

  it("agrees with the streams layer's own defaults (used by callers that bypass the configuration)", () => {
    expect(DEFAULTS.maxFrameBytes).toBe(DEFAULT_MAX_FRAME_BYTES);
    expect(DEFAULTS.maxLineBytes).toBe(DEFAULT_MAX_LINE_BYTES);
    expect(DEFAULTS.authOffer).toEqual(DEFAULT_AUTH_OFFER);
    expect(DEFAULTS.authAccept).toEqual(DEFAULT_AUTH_ACCEPT);
    expect(DEFAULTS.framingFormat).toEqual(SUPPORTED_FRAMINGS);
  });

  it('gives aemp a setX/delX pair (and addX/delX for lists) for each entry with a cli spec, in its help group', () => {
    const program = buildProgram(new CliContext({}));
    const byName = new Map(program.commands.map((c) => [c.name(), c]));
    let pairs = 0;
    for (const [, spec] of SETTING_ENTRIES) {
      if (spec.cli === undefined) continue;
      const names = [`set${spec.rc}`, `del${spec.rc}`];
      if (spec.cli.list) names.push(`add${spec.cli.list.one}`, `del${spec.cli.list.one}`);
      for (const name of names) {
        const command = byName.get(name);
        expect(command, name).toBeDefined();
        expect(command!.helpGroup(), name).toMatch(/:$/);
      }
      expect(byName.get(`set${spec.rc}`)!.aliases()).toEqual([spec.rc]);
      pairs++;
    }
    expect(pairs).toBeGreaterThanOrEqual(12);
  });

  it('lets `aemp set` take exactly the node settings', () => {
    const program = buildProgram(new CliContext({}));
    const about = program.commands.find((c) => c.name() === 'set')!.registeredArguments[0]!.description;
    for (const [, spec] of SETTING_ENTRIES) {
      expect(about.includes(` ${spec.rc}`) || about.includes(`: ${spec.rc},`), spec.rc).toBe(
        spec.role === 'value',
      );
    }
  });

  it('is looked up by user-given names without inherited members', () => {
    for (const k of ['__proto__', 'constructor', 'toString', 'hasOwnProperty']) {
      expect(settingOf(k)).toBeUndefined();
      expect(isKnownKey(k)).toBe(false);
      expect(toCamelKey(k)).toBe(k);
      expect(checkValue(k, { x: 1 })).toEqual({ x: 1 });
    }
  });
});
