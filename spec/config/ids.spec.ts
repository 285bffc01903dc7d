import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { expandNodeId, ID_ALPHABET, makeRuniq, makeUniq, nodeIdProblem } from '../../src/config/index.js';

const R = 'AbCdEfGhIJ';

describe('expandNodeId (§1.1)', () => {
  it.each([
    ['aemp/%n/%u', 'aemp/myhost/AbCdEfGhIJ', true],
    ['client/', 'client/AbCdEfGhIJ', true],
    ['fixed', 'fixed', false],
    ['a/%u/b/', 'a/AbCdEfGhIJ/b/AbCdEfGhIJ', true],
    ['%n', 'myhost', false],
    ['%n/', 'myhost/AbCdEfGhIJ', true],
    ['x%u%uy', 'xAbCdEfGhIJAbCdEfGhIJy', true],
    ['/', '/AbCdEfGhIJ', true],
    ['100%', '100%', false],
    ['%N%U', '%N%U', false],
  ])('%s → %s (randomized %s)', (template, nodeid, randomized) => {
    expect(expandNodeId(template, { hostname: 'myhost', runiq: R })).toEqual({ nodeid, randomized });
  });

  it('is not confused by $ patterns in the host name', () => {
    expect(expandNodeId('%n', { hostname: "$&$'$1", runiq: R }).nodeid).toBe("$&$'$1");
  });

  it('replaces %n before %u, as Perl does', () => {
    expect(expandNodeId('%n', { hostname: 'h%u', runiq: R })).toEqual({ nodeid: `h${R}`, randomized: true });
  });

  it.each([
    ['', 'is empty'],
    ['a#b', "contains '#'"],
    ['a;b', "contains ';'"],
    ['client/Ab:c-d_e.f', undefined],
  ])('nodeIdProblem(%j) = %j', (id, problem) => {
    expect(nodeIdProblem(id)).toBe(problem);
  });
});

describe('RUNIQ and UNIQ (§1.3)', () => {
  it('RUNIQ: 10 chars of 0-9A-Za-z, the last not a lower-case letter', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 2000; i++) {
      const r = makeRuniq();
      expect(r).toMatch(/^[0-9A-Za-z]{9}[0-9A-Z]$/);
      seen.add(r);
    }
    expect(seen.size).toBe(2000);
  });

  it('RUNIQ last characters cover digits and upper case', () => {
    const last = new Set<string>();
    for (let i = 0; i < 3000; i++) last.add(makeRuniq().slice(-1));
    expect([...last].some((c) => /[0-9]/.test(c))).toBe(true);
    expect([...last].some((c) => /[A-Z]/.test(c))).toBe(true);
  });

  it('UNIQ: 9 chars, the first 5 from pid and time', () => {
    // pid 12345: 12345/62 = 199 → 199 % 62 = 13 → 'D'; 12345 % 62 = 7 → '7'
    // now 1000.12345: 1000 % 62 = 8 → '8'; 100012 % 62 = 6 → '6'; 10001234 % 62 = 14 → 'E'
    const u = makeUniq(12345, 1000.12345);
    expect(u).toMatch(/^[0-9A-Za-z]{9}$/);
    expect(u.slice(0, 5)).toBe('D786E');
  });

  it('UNIQ: the prefix is a function of pid and time, the rest random', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 4_194_304 }),
        fc.double({ min: 0, max: 4e9, noNaN: true }),
        (pid, now) => {
          const a = makeUniq(pid, now);
          expect(a).toMatch(/^[0-9A-Za-z]{9}$/);
          expect(a.slice(0, 5)).toBe(makeUniq(pid, now).slice(0, 5));
          expect(a[0]).toBe(ID_ALPHABET[Math.floor(pid / 62) % 62]);
          expect(a[1]).toBe(ID_ALPHABET[pid % 62]);
          expect(a[2]).toBe(ID_ALPHABET[Math.floor(now) % 62]);
        },
      ),
    );
  });

  it('UNIQ defaults to this process and now', () => {
    expect(makeUniq().slice(1, 2)).toBe(ID_ALPHABET[process.pid % 62]);
  });
});
