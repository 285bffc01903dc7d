/**
 * A file as Perl's `aemp` writes it (PROTOCOL.md §11.1) resolves as a Perl
 * node would resolve it.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseRcText, RcEditor, resolveConfig } from '../../src/config/index.js';
import { useTmpDirs } from './tmpdir.js';

const tmp = useTmpDirs();
const R = 'R0JxsSRoSQ';

/** The compact form quoted in PROTOCOL.md §11.1, with `testp` filled in. */
const COMPACT =
  '{"monitor_timeout":"10","profile":{"child":{"nodeid":"child/%u","parent":"testp"},' +
  '"testp":{"binds":["127.0.0.1:4040"],"secret":"s3cret","seeds":["127.0.0.1:4040"]}},"version":1}';

/** The same as JSON::XS->new->pretty writes it (3 spaces, " : ", hash order). */
const PRETTY = `{
   "version" : 1,
   "profile" : {
      "testp" : {
         "seeds" : [
            "127.0.0.1:4040"
         ],
         "secret" : "s3cret",
         "binds" : [
            "127.0.0.1:4040"
         ]
      },
      "child" : {
         "parent" : "testp",
         "nodeid" : "child/%u"
      }
   },
   "monitor_timeout" : "10"
}
`;

describe.each([
  ['compact', COMPACT],
  ['pretty', PRETTY],
])('a Perl-written rc file (%s)', (_form, text) => {
  function env(): { PERL_ANYEVENT_MP_RC: string } {
    const f = join(tmp(), '.perl-anyevent-mp');
    writeFileSync(f, text);
    return { PERL_ANYEVENT_MP_RC: f };
  }

  it('profile child: inherits testp, monitor_timeout 10 as a number, nodeid expanded', () => {
    const c = resolveConfig({ profile: 'child' }, { env: env(), hostname: 'box', runiq: R });
    expect(c).toMatchObject({
      profile: 'child',
      nodeid: `child/${R}`,
      nodeidTemplate: 'child/%u',
      nodeidRandomized: true,
      monitorTimeout: 10,
      secret: 's3cret',
      seeds: ['127.0.0.1:4040'],
      binds: ['127.0.0.1:4040'],
      connectInterval: 2,
      framingFormat: ['cbor', 'json'],
    });
    expect(c.extra).toEqual({});
  });

  it('profile testp: the default nodeid "testp/"', () => {
    const c = resolveConfig({ profile: 'testp' }, { env: env(), hostname: 'box', runiq: R });
    expect(c.nodeid).toBe(`testp/${R}`);
    expect(c.monitorTimeout).toBe(10);
  });

  it('the host profile (absent): only the top level', () => {
    const c = resolveConfig({}, { env: env(), hostname: 'box', runiq: R });
    expect(c).toMatchObject({
      profile: 'box',
      nodeid: `box/${R}`,
      monitorTimeout: 10,
      secret: undefined,
      seeds: [],
    });
  });

  it('force lets createNode options win', () => {
    const c = resolveConfig(
      { profile: 'child', nodeid: 'mine', monitorTimeout: 3, force: true },
      { env: env(), hostname: 'box', runiq: R },
    );
    expect(c).toMatchObject({ nodeid: 'mine', nodeidRandomized: false, monitorTimeout: 3, secret: 's3cret' });
  });
});

it('the aemp commands that make this file produce the same data', () => {
  const f = join(tmp(), '.perl-anyevent-mp');
  // aemp set monitor_timeout 10
  // aemp profile testp setsecret s3cret addseed 127.0.0.1:4040 addbind 127.0.0.1:4040
  // aemp profile child setnodeid child/%u setparent testp
  RcEditor.load(f)
    .setKey(undefined, 'monitor_timeout', '10')
    .setKey('testp', 'secret', 's3cret')
    .addToList('testp', 'seeds', '127.0.0.1:4040')
    .addToList('testp', 'binds', '127.0.0.1:4040')
    .setKey('child', 'nodeid', 'child/%u')
    .setParent('child', 'testp')
    .save();
  expect(RcEditor.load(f).data).toEqual(parseRcText(COMPACT, 'x'));
  expect(RcEditor.load(f).data).toEqual(parseRcText(PRETTY, 'x'));
});
