import { describe, expect, it } from 'vitest';
import { ConfigError, RcEditor } from '../../src/config/index.js';

const base = () =>
  RcEditor.fromData({
    version: 1,
    secret: 'top',
    profile: { p: { parent: 'q', seeds: ['a:1'] }, q: { secret: 'q' } },
  });

describe('RcEditor edits', () => {
  it('setKey at the top level when no profile is selected', () => {
    const ed = base().setKey(undefined, 'connectInterval', '3');
    expect(ed.data.connect_interval).toBe('3'); // stored as given, snake_case
    expect(ed.changed).toBe(true);
  });

  it('setKey in a profile, creating it', () => {
    const ed = base().setKey('new', 'auth_offer', ['hmac_sha3_512']);
    expect(ed.showProfile('new')).toEqual({ auth_offer: ['hmac_sha3_512'] });
  });

  it('setKey replaces a camelCase spelling left in the file', () => {
    const ed = RcEditor.fromData({ monitorTimeout: 1 }).setKey(undefined, 'monitor_timeout', 2);
    expect(ed.data).toEqual({ monitor_timeout: 2 });
  });

  it('setKey checks the value and names the key', () => {
    expect(() => base().setKey('p', 'monitor_timeout', 'soon')).toThrow(/monitor_timeout.*profile "p"/);
    expect(() => base().setKey(undefined, 'seeds', 'a:1')).toThrow(TypeError);
    expect(() => base().setKey(undefined, 'my_key', () => 1)).toThrow(/my_key/);
    expect(() => base().setKey(undefined, 'secret', undefined)).toThrow(/delKey/);
  });

  it.each(['profile', 'version', 'parent', 'norc', 'force', 'rcPath'])('setKey refuses %s', (key) => {
    expect(() => base().setKey('p', key, 'x')).toThrow(TypeError);
  });

  it('delKey removes either spelling, and does not create profiles', () => {
    const ed = base().delKey(undefined, 'secret').delKey('ghost', 'secret');
    expect(ed.data.secret).toBeUndefined();
    expect(ed.showProfile('ghost')).toBeUndefined();
    expect(
      RcEditor.fromData({ authOffer: [], auth_accept: [] }).delKey(undefined, 'authAccept').data,
    ).toEqual({
      authOffer: [],
    });
  });

  it('addToList: seeds and binds are sets, appended at the end', () => {
    const ed = base()
      .addToList('p', 'seeds', 'b:2')
      .addToList('p', 'seeds', 'a:1')
      .addToList(undefined, 'binds', '*');
    expect(ed.showProfile('p')?.seeds).toEqual(['b:2', 'a:1']);
    expect(ed.data.binds).toEqual(['*']);
  });

  it("addToList edits this level only (not the parent's list)", () => {
    const ed = base().addToList('q', 'seeds', 'q:1');
    expect(ed.showProfile('q')?.seeds).toEqual(['q:1']);
  });

  it('addToList: services may repeat, and take [name, args…]', () => {
    const ed = base()
      .addToList(undefined, 'services', 'A::f')
      .addToList(undefined, 'services', 'A::f')
      .addToList(undefined, 'services', ['B::g', 1, { x: 2 }]);
    expect(ed.data.services).toEqual(['A::f', 'A::f', ['B::g', 1, { x: 2 }]]);
  });

  it('addToList checks entries and the existing value', () => {
    expect(() => base().addToList(undefined, 'seeds', 1)).toThrow(/seeds\[0\]/);
    expect(() => base().addToList(undefined, 'services', [1])).toThrow(TypeError);
    expect(() => RcEditor.fromData({ seeds: 'a:1' }).addToList(undefined, 'seeds', 'b')).toThrow(
      /not a list/,
    );
  });

  it('delFromList: every equal seed, the first equal service', () => {
    const ed = RcEditor.fromData({
      seeds: ['a', 'b', 'a'],
      services: ['A::f', ['B::g', 1], 'A::f', ['B::g', 1]],
    })
      .delFromList(undefined, 'seeds', 'a')
      .delFromList(undefined, 'services', 'A::f')
      .delFromList(undefined, 'services', ['B::g', 1])
      .delFromList(undefined, 'binds', 'x')
      .delFromList('ghost', 'seeds', 'a');
    expect(ed.data).toEqual({ seeds: ['b'], services: ['A::f', ['B::g', 1]] });
  });

  it('setParent / delParent', () => {
    const ed = base().setParent('r', 'p');
    expect(ed.showProfile('r')).toEqual({ parent: 'p' });
    expect(ed.delParent('r').showProfile('r')).toEqual({});
    expect(() => base().setParent(undefined as unknown as string, 'p')).toThrow(TypeError);
  });

  it('setParent refuses a cycle and leaves the data alone', () => {
    const ed = base();
    const before = ed.data;
    expect(() => ed.setParent('q', 'p')).toThrow(ConfigError);
    expect(() => ed.setParent('q', 'q')).toThrow(ConfigError);
    expect(ed.data).toBe(before);
    expect(ed.changed).toBe(false);
  });

  it('delProfile', () => {
    const ed = base().delProfile('p').delProfile('ghost');
    expect(ed.profileNames()).toEqual(['q']);
  });

  it('is immutable-ish: snapshots are frozen and never change under you', () => {
    const ed = base();
    const snap = ed.data;
    const prof = ed.showProfile('p');
    ed.setKey('p', 'secret', 'x').addToList('p', 'seeds', 'z');
    expect(Object.isFrozen(snap)).toBe(true);
    expect(Object.isFrozen(prof)).toBe(true);
    expect(prof).toEqual({ parent: 'q', seeds: ['a:1'] });
    expect(ed.showProfile('p')).toEqual({ parent: 'q', seeds: ['a:1', 'z'], secret: 'x' });
    const value = ['m:1'];
    ed.setKey(undefined, 'seeds', value);
    value.push('mutated');
    expect(ed.data.seeds).toEqual(['m:1']);
  });

  it('a broken profile table is a ConfigError before anything changes', () => {
    const ed = RcEditor.fromData({ profile: 'oops' });
    expect(() => ed.setKey('p', 'secret', 's')).toThrow(ConfigError);
    expect(ed.data).toEqual({ profile: 'oops' });
  });

  it('profile names like constructor or __proto__ are ordinary names', () => {
    const ed = RcEditor.fromData({}).setKey('__proto__', 'secret', 'a').setKey('constructor', 'secret', 'b');
    expect(ed.showProfile('__proto__')).toEqual({ secret: 'a' });
    expect(ed.showProfile('constructor')).toEqual({ secret: 'b' });
    expect(ed.showProfile('toString')).toBeUndefined();
    expect(({} as Record<string, unknown>).secret).toBeUndefined();
  });

  it('save without a path is a ConfigError', () => {
    expect(() => base().setKey(undefined, 'secret', 'x').save()).toThrow(ConfigError);
  });
});

describe('RcEditor shows', () => {
  it('showProfile is the raw profile', () => {
    expect(base().showProfile('p')).toEqual({ parent: 'q', seeds: ['a:1'] });
    expect(base().showProfile('ghost')).toBeUndefined();
  });

  it('showConfig is the effective merged config in file terms', () => {
    const c = base().setKey(undefined, 'monitor_timeout', '10').showConfig('p');
    expect(c).toMatchObject({
      secret: 'q',
      seeds: ['a:1'],
      monitor_timeout: '10',
      connect_interval: 2,
      framing_format: ['cbor', 'json'],
      nodeid: 'p/',
      binds: ['*'],
    });
    expect(c).not.toHaveProperty('profile');
    expect(c).not.toHaveProperty('parent');
    expect(c).not.toHaveProperty('version');
  });

  it('showConfig without a profile: top level only', () => {
    const c = base().showConfig();
    expect(c.secret).toBe('top');
    expect(c).not.toHaveProperty('nodeid');
  });

  it('showConfig with key/value options, force and norc', () => {
    expect(base().showConfig('p', { secret: 'opt' }).secret).toBe('q');
    expect(base().showConfig('p', { secret: 'opt', force: true }).secret).toBe('opt');
    expect(base().showConfig('p', { norc: true }).secret).toBeUndefined();
  });

  it('showConfig reports a cycle', () => {
    expect(() => RcEditor.fromData({ profile: { a: { parent: 'a' } } }).showConfig('a')).toThrow(ConfigError);
  });
});
