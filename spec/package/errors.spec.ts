/**
 * The package's error surface: every error class a user can meet is exported
 * from `aemp` and carries a stable `code` (and its own `name`), so callers can
 * tell failures apart without parsing messages.
 */
import { describe, expect, it } from 'vitest';
import * as aemp from '../../src/index.js';

/** Each class a user can meet, how to make one, and its code. */
const cases: [string, () => Error & { code: string }, string][] = [
  ['PortKilled', () => new aemp.PortKilled('n#p', ['die', 'boom']), 'port_killed'],
  ['CallTimeout', () => new aemp.CallTimeout('n#p', 5), 'call_timeout'],
  ['ConfigError', () => new aemp.ConfigError('/rc', 'not valid JSON'), 'config'],
  ['DeltaBufferOverflow', () => new aemp.DeltaBufferOverflow('fam', 16), 'delta_buffer_overflow'],
  ['ConnectionError', () => new aemp.ConnectionError('Connection refused', 'socket'), 'socket'],
];

describe('the error classes of the package', () => {
  it.each(cases)('%s is exported, is an Error, has its name and a stable code', (name, make, code) => {
    expect(typeof (aemp as Record<string, unknown>)[name]).toBe('function');
    const e = make();
    expect(e).toBeInstanceOf(Error);
    expect(e.name).toBe(name);
    expect(e.code).toBe(code);
  });

  it('a failed bind rejects createNode with an exported ConnectionError', async () => {
    const err = await aemp
      .createNode({ nodeid: 'errs/', binds: ['256.0.0.1:1'], secret: 's', norc: true, stderrLog: false })
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(err).toBeInstanceOf(aemp.ConnectionError);
    expect((err as aemp.ConnectionError).code).toBe('socket');
  });
});
