import { chmodSync, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, RcEditor, readRcFile, writeRcFile } from '../../src/config/index.js';
import { useTmpDirs } from './tmpdir.js';

const tmp = useTmpDirs();

function rcIn(dir: string, text?: string): string {
  const f = join(dir, '.perl-anyevent-mp');
  if (text !== undefined) writeFileSync(f, text);
  return f;
}

describe('readRcFile', () => {
  it('a missing file is an empty configuration', () => {
    const f = rcIn(tmp());
    expect(readRcFile(f)).toEqual({ path: f, data: { version: 1 }, text: undefined });
  });

  it('parses relaxed JSON and freezes the result', () => {
    const f = rcIn(tmp(), '# my config\n{"seeds":["a:1","b#2",], # hi\n "secret":"s,#",}\n');
    const { data } = readRcFile(f);
    expect(data).toEqual({ seeds: ['a:1', 'b#2'], secret: 's,#' });
    expect(Object.isFrozen(data)).toBe(true);
    expect(Object.isFrozen(data.seeds)).toBe(true);
  });

  it('reads UTF-8, tolerating a BOM', () => {
    const f = rcIn(tmp());
    writeFileSync(f, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"secret":"päß"}')]));
    expect(readRcFile(f).data).toEqual({ secret: 'päß' });
  });

  it.each([
    ['bad JSON', '{"a":1', /not valid JSON: unterminated object at line 1/],
    ['not an object', '["a"]', /does not hold a JSON object/],
    ['empty file', '', /not valid JSON: empty input/],
  ])('%s → ConfigError naming the file', (_name, text, problem) => {
    const f = rcIn(tmp(), text);
    expect(() => readRcFile(f)).toThrow(ConfigError);
    try {
      readRcFile(f);
    } catch (e) {
      expect((e as ConfigError).file).toBe(f);
      expect((e as ConfigError).message.startsWith(`${f}: `)).toBe(true);
      expect((e as ConfigError).message).toMatch(problem);
    }
  });

  it('invalid UTF-8 → ConfigError', () => {
    const f = rcIn(tmp());
    writeFileSync(f, Buffer.from([0x7b, 0x22, 0xff, 0x22, 0x3a, 0x31, 0x7d]));
    expect(() => readRcFile(f)).toThrow(/not valid UTF-8/);
  });

  it('a directory in its place → ConfigError', () => {
    const d = tmp();
    expect(() => readRcFile(d)).toThrow(ConfigError);
  });

  it.skipIf(process.getuid?.() === 0)('an unreadable file → ConfigError', () => {
    const f = rcIn(tmp(), '{}');
    chmodSync(f, 0o000);
    expect(() => readRcFile(f)).toThrow(/cannot read/);
  });
});

describe('writing the rc file', () => {
  it('goes through <file>~new~ and keeps the previous file as <file>~', () => {
    const f = rcIn(tmp(), '{"secret":"old"} # hand-written\n');
    writeRcFile(f, { secret: 'new', version: 1 });
    expect(readFileSync(f, 'utf8')).toBe('{\n   "secret" : "new",\n   "version" : 1\n}\n');
    expect(readFileSync(`${f}~`, 'utf8')).toBe('{"secret":"old"} # hand-written\n');
    expect(existsSync(`${f}~new~`)).toBe(false);
    writeRcFile(f, { secret: 'newer' });
    expect(readFileSync(`${f}~`, 'utf8')).toBe('{\n   "secret" : "new",\n   "version" : 1\n}\n');
  });

  it('overwrites a stale <file>~new~ left by a crash', () => {
    const f = rcIn(tmp(), '{}');
    writeFileSync(`${f}~new~`, 'garbage');
    writeRcFile(f, { a: 1 });
    expect(readRcFile(f).data).toEqual({ a: 1 });
    expect(existsSync(`${f}~new~`)).toBe(false);
  });

  it('creates a new file 0600 and keeps an existing mode', () => {
    const d = tmp();
    const f = rcIn(d);
    writeRcFile(f, { secret: 's' });
    expect(statSync(f).mode & 0o777).toBe(0o600);
    expect(existsSync(`${f}~`)).toBe(false);
    chmodSync(f, 0o640);
    writeRcFile(f, { secret: 't' });
    expect(statSync(f).mode & 0o777).toBe(0o640);
  });

  it('refuses when the file changed since it was read', () => {
    const f = rcIn(tmp(), '{"a":1}');
    const { text } = readRcFile(f);
    writeFileSync(f, '{"a":2}');
    expect(() => writeRcFile(f, { a: 3 }, { expectedText: text })).toThrow(/changed on disk/);
    expect(readFileSync(f, 'utf8')).toBe('{"a":2}');
  });

  it('refuses an empty path', () => {
    expect(() => writeRcFile('', { a: 1 })).toThrow(ConfigError);
  });

  it('a write failure is a ConfigError', () => {
    const f = join(tmp(), 'no', 'such', 'dir', 'rc');
    expect(() => writeRcFile(f, { a: 1 })).toThrow(/cannot write/);
  });
});

describe('RcEditor.save', () => {
  it('does not write when nothing changed', () => {
    const f = rcIn(tmp(), '{"secret":"s"} # keep my comment');
    const ed = RcEditor.load(f);
    expect(ed.save()).toBe(false);
    ed.setKey(undefined, 'secret', 's'); // same value: no change
    expect(ed.changed).toBe(false);
    expect(ed.save()).toBe(false);
    expect(readFileSync(f, 'utf8')).toBe('{"secret":"s"} # keep my comment');
    expect(existsSync(`${f}~`)).toBe(false);
  });

  it('does not create a missing file when nothing changed', () => {
    const f = rcIn(tmp());
    expect(RcEditor.load(f).save()).toBe(false);
    expect(existsSync(f)).toBe(false);
  });

  it('writes a new file with version 1, like Perl', () => {
    const f = rcIn(tmp());
    expect(RcEditor.load(f).setKey(undefined, 'secret', 'x').save()).toBe(true);
    expect(readRcFile(f).data).toEqual({ secret: 'x', version: 1 });
  });

  it('writes when something changed, then not again', () => {
    const f = rcIn(tmp(), '{"secret":"s"}');
    const ed = RcEditor.load(f).setKey(undefined, 'monitor_timeout', '10');
    expect(ed.changed).toBe(true);
    expect(ed.save()).toBe(true);
    expect(ed.changed).toBe(false);
    expect(ed.save()).toBe(false);
    expect(readRcFile(f).data).toEqual({ secret: 's', monitor_timeout: '10' });
    expect(readFileSync(`${f}~`, 'utf8')).toBe('{"secret":"s"}');
    // a second edit after saving checks against what we wrote
    expect(ed.setKey(undefined, 'secret', 't').save()).toBe(true);
  });

  it('a bad file cannot be edited, and is never touched', () => {
    const f = rcIn(tmp(), '{"secret": "s",, }');
    expect(() => RcEditor.load(f)).toThrow(ConfigError);
    expect(readFileSync(f, 'utf8')).toBe('{"secret": "s",, }');
    expect(existsSync(`${f}~`)).toBe(false);
    expect(existsSync(`${f}~new~`)).toBe(false);
  });

  it('a file broken after loading is not overwritten', () => {
    const f = rcIn(tmp(), '{"secret":"s"}');
    const ed = RcEditor.load(f).setKey(undefined, 'secret', 't');
    writeFileSync(f, '{ broken');
    expect(() => ed.save()).toThrow(ConfigError);
    expect(readFileSync(f, 'utf8')).toBe('{ broken');
    expect(existsSync(`${f}~new~`)).toBe(false);
  });

  it('a file created after loading a missing one is not overwritten', () => {
    const f = rcIn(tmp());
    const ed = RcEditor.load(f).setKey(undefined, 'secret', 't');
    writeFileSync(f, '{"secret":"someone else"}');
    expect(() => ed.save()).toThrow(/changed on disk/);
  });

  it('open() uses the env path rules', () => {
    const d = tmp();
    const ed = RcEditor.open({ HOME: d });
    expect(ed.path).toBe(`${d}/.perl-anyevent-mp`);
    expect(() => RcEditor.open({})).toThrow(ConfigError);
  });
});
