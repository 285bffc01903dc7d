import { describe, expect, it } from 'vitest';
import { rcPath } from '../../src/config/index.js';

describe('rcPath', () => {
  it.each([
    ['PERL_ANYEVENT_MP_RC wins', { PERL_ANYEVENT_MP_RC: '/x/rc', HOME: '/h', APPDATA: '/a' }, '/x/rc'],
    ['then HOME', { HOME: '/h', APPDATA: '/a' }, '/h/.perl-anyevent-mp'],
    ['then APPDATA', { APPDATA: 'C:/Users/u/AppData' }, 'C:/Users/u/AppData/perl-anyevent-mp'],
    ['an empty PERL_ANYEVENT_MP_RC still counts (Perl: exists)', { PERL_ANYEVENT_MP_RC: '', HOME: '/h' }, ''],
    ['an empty HOME still counts', { HOME: '' }, '/.perl-anyevent-mp'],
    ['undefined values do not count', { PERL_ANYEVENT_MP_RC: undefined, HOME: '/h' }, '/h/.perl-anyevent-mp'],
    ['nothing set: no rc file', {}, undefined],
  ])('%s', (_name, env, expected) => {
    expect(rcPath(env)).toBe(expected);
  });

  it('ignores inherited properties of the env object', () => {
    const env = Object.create({ HOME: '/inherited' }) as Record<string, string>;
    expect(rcPath(env)).toBeUndefined();
  });
});
