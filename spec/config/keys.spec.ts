import { describe, expect, it } from 'vitest';
import {
  camelizeKeys,
  checkValue,
  KEY_PAIRS,
  normalizeLayer,
  snakifyKeys,
  toCamelKey,
  toSnakeKey,
} from '../../src/config/index.js';

describe('key mapping', () => {
  it.each([
    ['framing_format', 'framingFormat'],
    ['auth_offer', 'authOffer'],
    ['auth_accept', 'authAccept'],
    ['monitor_timeout', 'monitorTimeout'],
    ['connect_interval', 'connectInterval'],
    ['max_frame_bytes', 'maxFrameBytes'],
    ['max_line_bytes', 'maxLineBytes'],
    ['cert_file', 'certFile'],
    ['rc_path', 'rcPath'],
    ['nodeid', 'nodeid'],
    ['binds', 'binds'],
    ['seeds', 'seeds'],
    ['secret', 'secret'],
    ['cert', 'cert'],
    ['autocork', 'autocork'],
    ['nodelay', 'nodelay'],
    ['secure', 'secure'],
    ['services', 'services'],
    ['global', 'global'],
    ['addresses', 'addresses'],
  ])('%s ↔ %s', (snake, camel) => {
    expect(toCamelKey(snake)).toBe(camel);
    expect(toSnakeKey(camel)).toBe(snake);
    expect(toCamelKey(camel)).toBe(camel);
    expect(toSnakeKey(snake)).toBe(snake);
  });

  it('is a bijection over the known keys', () => {
    for (const [camel, snake] of KEY_PAIRS) {
      expect(toSnakeKey(toCamelKey(snake))).toBe(snake);
      expect(toCamelKey(toSnakeKey(camel))).toBe(camel);
    }
    expect(new Set(KEY_PAIRS.map(([c]) => c)).size).toBe(KEY_PAIRS.length);
    expect(new Set(KEY_PAIRS.map(([, s]) => s)).size).toBe(KEY_PAIRS.length);
  });

  it('passes unknown keys through unchanged both ways', () => {
    for (const k of ['my_app_key', 'myAppKey', 'x', '__proto__']) {
      expect(toCamelKey(k)).toBe(k);
      expect(toSnakeKey(k)).toBe(k);
    }
    expect(camelizeKeys({ monitor_timeout: 1, my_key: 2 })).toEqual({ monitorTimeout: 1, my_key: 2 });
    expect(snakifyKeys({ monitorTimeout: 1, myKey: 2 })).toEqual({ monitor_timeout: 1, myKey: 2 });
  });

  it('refuses one key in both spellings', () => {
    expect(() => camelizeKeys({ monitor_timeout: 1, monitorTimeout: 2 })).toThrow(
      /monitor_timeout and monitorTimeout/,
    );
  });
});

describe('value checks and coercion', () => {
  it.each([
    ['monitorTimeout', '10', 10],
    ['monitor_timeout', ' 2.5 ', 2.5],
    ['connectInterval', 3, 3],
    ['maxFrameBytes', '65536', 65536],
    ['nodelay', 0, false],
    ['nodelay', '0', false],
    ['nodelay', '', false],
    ['autocork', '1', true],
    ['autocork', 1, true],
    ['secure', true, true],
    ['secret', 12345, '12345'],
    ['nodeid', 'a/%u', 'a/%u'],
    ['seeds', ['a:1', 'b:2'], ['a:1', 'b:2']],
    ['services', ['Pkg::', ['Pkg::f', 1, { a: 2 }]], ['Pkg::', ['Pkg::f', 1, { a: 2 }]]],
    ['addresses', { n1: ['127.0.0.1:1'] }, { n1: ['127.0.0.1:1'] }],
    ['unknown_key', { anything: 1 }, { anything: 1 }],
  ])('%s: %j → %j', (key, value, expected) => {
    expect(checkValue(key, value)).toEqual(expected);
  });

  it.each([
    ['monitorTimeout', 'soon'],
    ['monitorTimeout', '10s'],
    ['monitorTimeout', 0],
    ['monitorTimeout', -1],
    ['connect_interval', [2]],
    ['maxLineBytes', 1.5],
    ['maxFrameBytes', '0'],
    ['nodelay', 'yes'],
    ['nodelay', 'false'],
    ['secure', {}],
    ['secret', ['s']],
    ['cert', true],
    ['nodeid', {}],
    ['binds', '*'],
    ['seeds', [1]],
    ['framing_format', 'json'],
    ['authOffer', [null]],
    ['services', 'Pkg::f'],
    ['services', [[1, 2]]],
    ['services', [[]]],
    ['addresses', ['x']],
    ['addresses', { n: 'a:1' }],
    ['global', 'true'],
    ['profile', ['p']],
    ['norc', 'x'],
  ])('%s: %j is a TypeError naming the key', (key, value) => {
    expect(() => checkValue(key, value)).toThrow(TypeError);
    expect(() => checkValue(key, value)).toThrow(key);
  });

  it('names where a bad value came from', () => {
    expect(() => normalizeLayer({ monitor_timeout: 'x' }, 'rc file /f, profile "p"')).toThrow(
      /monitor_timeout.*rc file \/f, profile "p"/,
    );
  });

  it('drops null and undefined, camelCases, keeps unknown keys', () => {
    expect(normalizeLayer({ secret: undefined, seeds: null, monitor_timeout: '5', app: 1 })).toEqual({
      monitorTimeout: 5,
      app: 1,
    });
  });
});
