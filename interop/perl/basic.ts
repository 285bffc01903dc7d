/**
 * Scenarios a, b, c: snd / mon / kil / spawn / cal between a real Perl node and ours.
 * usage: npx tsx basic.ts [perl-listens|ts-listens] [default|json|cbor|perljson] [tls]
 */
import { firstValueFrom } from 'rxjs';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createNode, type PortKilled } from '../../src/index.js';
import { PerlNode, SECRET, LOGDIR, check, eq, summary, sleep, logNode } from './lib.js';

const dir = process.argv[2] ?? 'perl-listens';
const framing = process.argv[3] ?? 'default';
const tls = process.argv[4] === 'tls';
const tag = `basic-${dir}-${framing}${tls ? '-tls' : ''}`;
const cert = tls ? readFileSync(process.env.INTEROP_CERT ?? join(LOGDIR, 'cert.pem'), 'utf8') : undefined;

const perlCfg: Record<string, unknown> = { nodeid: 'perl1', binds: ['127.0.0.1:0'], secret: SECRET };
if (framing === 'perljson') perlCfg.framing_format = ['json'];
if (tls) perlCfg.cert = cert;
const perl = new PerlNode(tag, perlCfg);
await perl.start();
const perlAddr = perl.ready.binds[0];

const tsOpts: Record<string, unknown> = {
  nodeid: 'tsnode',
  binds: ['127.0.0.1:0'],
  secret: SECRET,
  norc: true,
  stderrLog: 'warn',
};
if (framing === 'json' || framing === 'perljson') tsOpts.framingFormat = ['json'];
if (framing === 'cbor') tsOpts.framingFormat = ['cbor'];
if (framing === 'mixed') tsOpts.framingFormat = ['json', 'cbor'];
if (tls) tsOpts.cert = cert;
if (dir === 'perl-listens') tsOpts.addresses = { perl1: [perlAddr] };
const node = await createNode(tsOpts as any);
logNode(node, tag);
console.log(`# ${tag}: perl ${perl.id} @ ${perlAddr}, ts ${node.id} @ ${node.addresses}`);

const tsInbox: unknown[][] = [];
const tsSink = node.port((msg) => {
  tsInbox.push([...msg]);
});
const tsEcho = node.port((msg) => {
  const r = msg[msg.length - 1];
  node.snd(r as string, ...msg.slice(0, -1));
});

const waitTs = async (pred: (m: unknown[]) => boolean, s = 5) => {
  for (let i = 0; i < s * 50; i++) {
    const m = tsInbox.find(pred);
    if (m) return m;
    await sleep(20);
  }
  throw new Error('timeout waiting for message on ts sink; inbox=' + JSON.stringify(tsInbox));
};

const payload = ['hello', 1, -2, 3.5, 'héllo ✓', [1, [2, 3]], { a: 'b', n: null }, '', true, 2 ** 40];

if (dir === 'ts-listens') {
  // make the Perl node open the connection to us
  await check('perl connects to ts (connect_to)', async () => {
    const r = await perl.cmd({
      cmd: 'eval',
      code: `AnyEvent::MP::Kernel::add_node("${node.id}")->connect_to(["${node.addresses[0]}"]); 1`,
    });
    if (r.error) throw new Error(r.error);
    await perl.waitFor((e) => e.ev === 'node' && e.node === node.id && e.up === 1, 5);
    return 'node up on perl side';
  });
}

await check('snd ts→perl', async () => {
  node.snd(perl.ready.ports.sink, ...payload);
  const e = await perl.waitFor((e) => e.ev === 'msg' && e.port === 'sink' && e.msg[0] === 'hello');
  eq(e.msg, payload, 'perl got');
  return JSON.stringify(e.msg);
});

await check('snd perl→ts', async () => {
  perl.send({ cmd: 'snd', port: tsSink.id, msg: ['fromperl', 1, 'héllo ✓', [1, 2], { k: 'v' }, 3.25, -7] });
  const m = await waitTs((m) => m[0] === 'fromperl');
  eq(m, ['fromperl', 1, 'héllo ✓', [1, 2], { k: 'v' }, 3.25, -7], 'ts got');
  return JSON.stringify(m);
});

await check('cal ts→perl echo', async () => {
  const r = await firstValueFrom(node.cal(perl.ready.ports.echo, 'ping', 42, { timeout: 5 }));
  eq(r, ['ping', 42]);
  return JSON.stringify(r);
});

await check('cal perl→ts echo', async () => {
  const id = perl.send({ cmd: 'cal', port: tsEcho.id, msg: ['ping', 43], timeout: 5 });
  const e = await perl.waitFor((e) => e.ev === 'cal' && e.id === id);
  eq(e.reply, ['ping', 43]);
  return JSON.stringify(e.reply);
});

await check('mon perl port from ts: normal kil', async () => {
  const p = (await perl.cmd({ cmd: 'port', name: 'v1' })).result;
  let reason: unknown = 'none';
  node.mon(p, (r) => {
    reason = r;
  });
  await sleep(200);
  perl.send({ cmd: 'kil', port: p });
  for (let i = 0; i < 100 && reason === 'none'; i++) await sleep(20);
  eq(reason, [], 'reason');
});

await check('mon perl port from ts: abnormal kil', async () => {
  const p = (await perl.cmd({ cmd: 'port', name: 'v2' })).result;
  const done = new Promise<unknown>((res) =>
    node.mon(p).subscribe({ error: (e: PortKilled) => res(e.reason), complete: () => res('completed') }),
  );
  await sleep(200);
  perl.send({ cmd: 'kil', port: p, reason: ['bad_thing', 'it broke', 7] });
  eq(await done, ['bad_thing', 'it broke', 7], 'reason');
});

await check('mon nonexistent perl port from ts → no_such_port', async () => {
  const r = await new Promise<unknown>((res) => node.mon(`${perl.id}#nope`, (r) => res(r)));
  eq(r, ['no_such_port', 'cannot monitor nonexistent port', `${perl.id}#nope`]);
});

await check('mon ts port from perl: normal kil', async () => {
  const p = node.port(() => {});
  const id = perl.send({ cmd: 'mon', port: p.id });
  await sleep(300);
  node.kil(p.id);
  const e = await perl.waitFor((e) => e.ev === 'mon' && e.id === id);
  eq(e.reason, []);
});

await check('mon ts port from perl: abnormal kil', async () => {
  const p = node.port(() => {});
  const id = perl.send({ cmd: 'mon', port: p.id });
  await sleep(300);
  node.kil(p.id, 'bad_thing', 'it broke', 7);
  const e = await perl.waitFor((e) => e.ev === 'mon' && e.id === id);
  eq(e.reason, ['bad_thing', 'it broke', 7]);
});

await check('mon nonexistent ts port from perl → no_such_port', async () => {
  const id = perl.send({ cmd: 'mon', port: `${node.id}#nope` });
  const e = await perl.waitFor((e) => e.ev === 'mon' && e.id === id);
  eq(e.reason, ['no_such_port', 'cannot monitor nonexistent port', `${node.id}#nope`]);
});

await check('kil perl port from ts (kil1) with reason, perl-side mon sees it', async () => {
  const p = (await perl.cmd({ cmd: 'port', name: 'v3' })).result;
  const id = perl.send({ cmd: 'mon', port: p });
  await sleep(100);
  node.kil(p, 'remote_kill', 'by ts');
  const e = await perl.waitFor((e) => e.ev === 'mon' && e.id === id);
  eq(e.reason, ['remote_kill', 'by ts']);
});

await check('kil ts port from perl (kil1) with reason', async () => {
  const p = node.port(() => {});
  const done = new Promise<unknown>((res) => node.mon(p.id, (r) => res(r)));
  perl.send({ cmd: 'kil', port: p.id, reason: ['remote_kill', 'by perl'] });
  eq(await done, ['remote_kill', 'by perl']);
});

await check('spawn PerlTest::echo on perl from ts, cal it', async () => {
  const sp = node.spawn(perl.id, 'PerlTest::echo', 'pre', 1);
  const r = await firstValueFrom(node.cal(sp, 'x', { timeout: 5 }));
  const ev = await perl.waitFor((e) => e.ev === 'spawned' && e.self === sp);
  eq(r, ['pre', 1, 'x']);
  return `spawned ${sp} (perl says ${ev.self})`;
});

await check('spawn PerlTest::doomed on perl from ts, throw → die reason', async () => {
  const sp = node.spawn(perl.id, 'PerlTest::doomed');
  const done = new Promise<unknown>((res) => node.mon(sp, (r) => res(r)));
  await sleep(200);
  node.snd(sp, 'throw', 'boom');
  eq(await done, ['die', 'boom']);
});

await check('spawn nonexistent function on perl → die or no_such_port', async () => {
  const sp = node.spawn(perl.id, 'No::Such::func');
  const r = await new Promise<readonly unknown[]>((res) => node.mon(sp, (r) => res(r)));
  if (r[0] !== 'die' && r[0] !== 'no_such_port') throw new Error(JSON.stringify(r));
  return JSON.stringify(r);
});

node.register('My::init', (self, ...args) => {
  self.rcv((msg) => {
    const r = msg[msg.length - 1];
    node.snd(r as string, 'my', ...args, ...msg.slice(0, -1));
  });
});
await check('perl spawns My::init on ts, cal it', async () => {
  const sp = (await perl.cmd({ cmd: 'spawn', node: node.id, func: 'My::init', args: ['a', 2] })).result;
  const id = perl.send({ cmd: 'cal', port: sp, msg: ['q'], timeout: 5 });
  const e = await perl.waitFor((e) => e.ev === 'cal' && e.id === id);
  eq(e.reply, ['my', 'a', 2, 'q']);
  return `spawned ${sp}`;
});

await check('perl spawns unregistered fn on ts → mon says die', async () => {
  const sp = (await perl.cmd({ cmd: 'spawn', node: node.id, func: 'Not::There', args: [] })).result;
  const id = perl.send({ cmd: 'mon', port: sp });
  const e = await perl.waitFor((e) => e.ev === 'mon' && e.id === id);
  if (e.reason[0] !== 'die' && e.reason[0] !== 'no_such_port') throw new Error(JSON.stringify(e.reason));
  return JSON.stringify(e.reason);
});

await check('perl node port services: ts cal perl "time"', async () => {
  const r = await firstValueFrom(node.cal(`${perl.id}#`, 'time', { timeout: 5 }));
  if (typeof r[0] !== 'number') throw new Error(JSON.stringify(r));
  return JSON.stringify(r);
});

await check('ts node port services: perl cal ts "time"', async () => {
  const id = perl.send({ cmd: 'cal', port: `${node.id}#`, msg: ['time'], timeout: 5 });
  const e = await perl.waitFor((e) => e.ev === 'cal' && e.id === id);
  if (typeof e.reply[0] !== 'number') throw new Error(JSON.stringify(e.reply));
  return JSON.stringify(e.reply);
});

await check('perl snd to bare ts node id (node port "") with relay "snd"', async () => {
  perl.send({ cmd: 'snd', port: node.id, msg: ['snd', tsSink.id, 'relayed', 1] });
  await waitTs((m) => m[0] === 'relayed');
});

await check('framing in use', async () => {
  const r = await perl.cmd({
    cmd: 'eval',
    code: `my $n = $AnyEvent::MP::Kernel::NODE{"${node.id}"}; my $t = $n->{transport}; ($t->{s_framing}, $t->{r_framing}, $t->{tls} // "notls", $t->{remote_greeting}{provider})`,
  });
  return `perl sends ${r.result[0]}, perl receives ${r.result[1]}, tls=${r.result[2]}, ts provider=${r.result[3]}`;
});

const code = summary();
perl.kill();
await node.close();
process.exit(code);
