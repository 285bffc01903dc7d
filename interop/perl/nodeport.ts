/**
 * Scenario 5: odd node-port requests from a real Perl node to ours: raw kil1 frames (also for the
 * node port itself), can / time / unknown tags / eval / malformed db and monitor requests.
 * Ours must answer or log, never crash; afterwards it must still work.
 * usage: npx tsx nodeport.ts [cbor|json]
 */
import { firstValueFrom } from 'rxjs';
import { PerlNode, tsNode, SECRET, check, eq, summary, sleep, logNode } from './lib.js';

const framing = process.argv[2] ?? 'cbor';
const tag = `nodeport-${framing}`;
const perl = new PerlNode(tag, { nodeid: 'pnp', binds: ['127.0.0.1:0'], secret: SECRET });
await perl.start();
const node = await tsNode({
  nodeid: 'tsnp',
  framingFormat: [framing],
  addresses: { pnp: perl.ready.binds },
});
logNode(node, tag);
const logs: string[] = [];
node.log$.subscribe((r: any) => logs.push(`${r.level} ${r.context} ${r.message}`));
const uncaught: unknown[] = [];
process.on('uncaughtException', (e) => {
  uncaught.push(e);
  console.log('UNCAUGHT', e);
});
process.on('unhandledRejection', (e) => {
  uncaught.push(e);
  console.log('UNHANDLED', e);
});

const echo = node.port((m) => {
  const r = m[m.length - 1] as string;
  node.snd(r, ...m.slice(0, -1));
});
node.snd(perl.ready.ports.sink, 'hi');
await perl.waitFor((e) => e.ev === 'msg' && e.msg[0] === 'hi', 8);
const reply = (await perl.cmd({ cmd: 'port', name: 'r' })).result as string;
const NP = `${node.id}#`;
const psnd = async (code: string) => {
  const r = await perl.cmd({ cmd: 'eval', code: `${code}; 1` });
  return r.error as string;
};
let seen = 0; // events of port r already consumed
const nextReply = async (s = 3) => {
  for (let i = 0; i < s * 50; i++) {
    const all = perl.events.filter((e) => e.ev === 'msg' && e.port === 'r');
    if (all.length > seen) return all[seen++]!;
    await sleep(20);
  }
  throw new Error('no reply on perl port r');
};
const logAfter = async (n: number, re: RegExp) => {
  for (let i = 0; i < 50; i++) {
    const l = logs.slice(n).find((l) => re.test(l));
    if (l) return l;
    await sleep(20);
  }
  return `(no log matching ${re}; new logs: ${JSON.stringify(logs.slice(n))})`;
};

await check('kil "ours#" from Perl croaks locally', async () => {
  const err = await psnd(`kil "${NP}", "bye"`);
  if (!/killing a node port is not allowed/.test(err)) throw new Error('perl said: ' + err);
  return err.trim();
});

for (const [name, code] of [
  ['raw kil1 "" (node port)', `snd "${NP}", "kil1", ""`],
  ['raw kil1 "" with reason', `snd "${NP}", "kil1", "", "die", "x"`],
  ['raw kil1 without name', `snd "${NP}", "kil1"`],
  ['raw kil1 undef name', `snd "${NP}", "kil1", undef`],
  ['raw kil1 of a nonexistent port', `snd "${NP}", "kil1", "nonexistent", "r"`],
] as const) {
  await check(`${name}: logged, node port still works`, async () => {
    const n = logs.length;
    const err = await psnd(code);
    if (err) throw new Error('perl: ' + err);
    const l = await logAfter(n, /./);
    await psnd(`snd "${NP}", "time", "${reply}"`);
    const t = await nextReply();
    if (typeof t.msg[0] !== 'number') throw new Error('time reply ' + JSON.stringify(t.msg));
    return `log: ${l}`;
  });
}

await check('raw kil1 of one of our ports with a reason → our monitor gets it', async () => {
  const victim = node.port(() => {});
  const got = new Promise((res) => node.mon(victim.id, (r) => res(r)));
  const name = victim.id.split('#')[1];
  await psnd(`snd "${NP}", "kil1", "${name}", "custom", "reason", 3`);
  const r = await Promise.race([got, sleep(3000).then(() => 'timeout')]);
  eq(r, ['custom', 'reason', 3]);
  return JSON.stringify(r);
});

for (const [what, expect] of [
  ['mon1', '1'],
  ['kil1', '1'],
  ['time', '1'],
  ['g_set', 'any'],
  ['AnyEvent::MP::LogCatcher::connect', '1'],
  ['Some::func', ''],
  ['eval', 'any'],
] as const) {
  await check(`can ${what} → "${expect}"`, async () => {
    await psnd(`snd "${NP}", "can", "${what}", "${reply}"`);
    const e = await nextReply();
    if (expect !== 'any' && String(e.msg[0]) !== expect) throw new Error('got ' + JSON.stringify(e.msg));
    return JSON.stringify(e.msg);
  });
}

await check('time with reply port and extra leading args', async () => {
  await psnd(`snd "${NP}", "time", "${reply}", "tag1"`);
  const e = await nextReply();
  if (e.msg[0] !== 'tag1' || typeof e.msg[1] !== 'number') throw new Error(JSON.stringify(e.msg));
  const skew = Math.abs(e.msg[1] - Date.now() / 1000);
  return `${JSON.stringify(e.msg)} skew ${skew.toFixed(3)}s`;
});

for (const [name, code, re] of [
  ['unknown tag Some::func', `snd "${NP}", "Some::func", 1`, /error processing node message from pnp/],
  ['eval', `snd "${NP}", "eval", "1+1", "${reply}"`, /remote execution not allowed/],
  ['time without reply port', `snd "${NP}", "time"`, /.*/],
  ['can without args', `snd "${NP}", "can"`, /.*/],
  ['non-string tag (array)', `snd "${NP}", [1,2], 3`, /.*/],
  ['numeric tag', `snd "${NP}", 42`, /.*/],
  ['undef tag', `snd "${NP}", undef, 1`, /.*/],
  ['empty message', `snd "${NP}"`, /.*/],
  ['snd relay to non-string', `snd "${NP}", "snd", {a=>1}, "x"`, /.*/],
  ['mon1 undef', `snd "${NP}", "mon1", undef`, /.*/],
  ['mon1 hash', `snd "${NP}", "mon1", {x=>1}`, /.*/],
  ['mon0 never monitored', `snd "${NP}", "mon0", "zzz"`, /.*/],
  ['kil0 spurious', `snd "${NP}", "kil0", "zzz", "r"`, /.*/],
  [
    '_spawn unregistered',
    `snd "${NP}", "AnyEvent::MP::_spawn", "newp", "Evil::func", 1`,
    /remote execution not allowed/,
  ],
  ['_spawn without args', `snd "${NP}", "AnyEvent::MP::_spawn"`, /.*/],
  ['g_set with a string', `snd "${NP}", "g_set", "notahash"`, /.*/],
  ['g_set with an array', `snd "${NP}", "g_set", [1,2]`, /.*/],
  ['g_slave (ours is not global)', `snd "${NP}", "g_slave"`, /.*/],
  ['g_global', `snd "${NP}", "g_global"`, /.*/],
  ['g_find undef', `snd "${NP}", "g_find", undef`, /.*/],
  ['g_db_family bad', `snd "${NP}", "g_db_family", undef, undef`, /.*/],
  ['g_mon1 bad', `snd "${NP}", "g_mon1", [1]`, /.*/],
  ['g_add bad', `snd "${NP}", "g_add", "f", "notahash"`, /.*/],
  ['g_upd bad', `snd "${NP}", "g_upd", "f", "x", "y"`, /.*/],
  ['g_chg1 bad', `snd "${NP}", "g_chg1", "f", "notahash"`, /.*/],
  ['g_chg2 bad', `snd "${NP}", "g_chg2", "f", "x", "y"`, /.*/],
  ['g_found bad', `snd "${NP}", "g_found", "nodeX", "notalist"`, /.*/],
  ['g_reply unknown id', `snd "${NP}", "g_reply", "zz", {}`, /.*/],
  [
    'LogCatcher connect bad port',
    `snd "${NP}", "AnyEvent::MP::LogCatcher::connect", 0, "bogus", 5`,
    /bad port/,
  ],
  [
    'LogCatcher connect bad level',
    `snd "${NP}", "AnyEvent::MP::LogCatcher::connect", 0, "${reply}", "loud"`,
    /bad level/,
  ],
  [
    'LogCatcher connect version 1',
    `snd "${NP}", "AnyEvent::MP::LogCatcher::connect", 1, "${reply}", 5`,
    /version/,
  ],
] as [string, string, RegExp][]) {
  await check(`${name}: no crash, logged`, async () => {
    const n = logs.length;
    const err = await psnd(code);
    if (err) throw new Error('perl: ' + err);
    const l = await logAfter(n, re);
    await psnd(`snd "${NP}", "time", "${reply}"`);
    await nextReply();
    if (uncaught.length) throw new Error('uncaught: ' + String(uncaught));
    return l;
  });
}

await check('LogCatcher connect to a nonexistent Perl port at level 9: no log storm', async () => {
  const n = logs.length;
  await psnd(`snd "${NP}", "AnyEvent::MP::LogCatcher::connect", 0, "pnp#nosuchport", 9`);
  await sleep(1500);
  const k = logs.length - n;
  if (k > 50) throw new Error(`${k} log records in 1.5 s: ${JSON.stringify(logs.slice(n, n + 8))}`);
  return `${k} records: ${JSON.stringify(logs.slice(n, n + 6))}`;
});

await check(
  'LogCatcher connect level 9 to a live Perl port: records flow, no feedback storm',
  async () => {
    const lc = (await perl.cmd({ cmd: 'port', name: 'lc' })).result as string;
    await psnd(`snd "${NP}", "AnyEvent::MP::LogCatcher::connect", 0, "${lc}", 9`);
    await sleep(300);
    const before = perl.events.filter((e) => e.port === 'lc').length;
    node.snd(perl.ready.ports.sink, 'trigger');
    await psnd(`snd "${NP}", "Trigger::error", 1`);
    await sleep(1500);
    const after = perl.events.filter((e) => e.port === 'lc').length;
    await psnd(`AnyEvent::MP::kil "${lc}"`);
    if (after - before > 200) throw new Error(`storm: ${after - before} records in 1.5s`);
    const forwarded = await perl
      .waitFor((e) => e.port === 'lc' && /Trigger::error/.test(String(e.msg[3])), 5)
      .catch(() => undefined);
    if (!forwarded)
      throw new Error(
        'error record not forwarded: ' +
          JSON.stringify(perl.events.filter((e) => e.port === 'lc').map((e) => e.msg)),
      );
    return `${after - before} records in 1.5 s after one snd; sample ${JSON.stringify(
      perl.events
        .filter((e) => e.port === 'lc')
        .slice(0, 2)
        .map((e) => e.msg),
    )}`;
  },
  10,
);

await check('after all that: Perl cal to our echo works', async () => {
  const id = perl.send({ cmd: 'cal', port: echo.id, msg: ['still', 'alive'], timeout: 3 });
  const e = await perl.waitFor((e) => e.ev === 'cal' && e.id === id, 4);
  eq(e.reply, ['still', 'alive']);
  const r = await firstValueFrom(node.cal(perl.ready.ports.echo, 'x', { timeout: 3 }));
  return JSON.stringify([e.reply, r]) + ` uncaught=${uncaught.length}`;
});
const code = summary();
perl.kill();
await node.close();
process.exit(code);
