/**
 * Scenario: secure mode both ways, and spawnAllow.
 *  - a secure Perl node refuses our remote spawn of a function it has (PerlTest::echo): no port,
 *    our monitor says no_such_port, Perl logs "remote execution not allowed";
 *  - our secure node refuses Perl's spawn of a registered function the same way (Perl's monitor
 *    says no_such_port, we log "remote execution not allowed"), and a relayed _spawn too;
 *  - our secure node with spawnAllow runs the listed function for Perl (Perl cals it) and refuses
 *    an unlisted registered one.
 * usage: npx tsx secure.ts
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { firstValueFrom, timeout } from 'rxjs';
import type { AempNode, PortKilled } from '../../src/index.js';
import { PerlNode, tsNode, SECRET, LOGDIR, check, eq, summary, poll, logNode } from './lib.js';

const tag = 'secure';
const perl = new PerlNode(tag, { nodeid: 'psec', binds: ['127.0.0.1:0'], secret: SECRET, secure: 1 });
await perl.start();
const uncaught: unknown[] = [];
process.on('uncaughtException', (e) => void uncaught.push(e));
process.on('unhandledRejection', (e) => void uncaught.push(e));

/** Our echo, spawnable: replies `[prefix, ...msg]` to the reply port in the message's last element. */
function echoInit(node: AempNode, name: string) {
  return (self: { rcv(h: (msg: readonly unknown[]) => void): unknown }, prefix: unknown) => {
    self.rcv((msg) => void node.snd(msg[msg.length - 1] as string, name, prefix, ...msg.slice(0, -1)));
  };
}
async function ours(nodeid: string, options: Parameters<typeof tsNode>[0]): Promise<AempNode & { logs: string[] }> {
  const node = await tsNode({ nodeid, addresses: { psec: perl.ready.binds }, ...options });
  node.register('Interop::Echo', echoInit(node, 'Interop::Echo'));
  node.register('Interop::Other', echoInit(node, 'Interop::Other'));
  logNode(node, `${tag}-${nodeid}`);
  const logs: string[] = [];
  node.log$.subscribe((r) => logs.push(r.message));
  // connect to Perl (so Perl knows the way back) before anything else
  node.snd(perl.ready.ports.sink, 'hello', nodeid);
  await perl.waitFor((e) => e.ev === 'msg' && e.msg[0] === 'hello' && e.msg[1] === nodeid, 8);
  return Object.assign(node, { logs });
}
const perlLog = () => readFileSync(join(LOGDIR, `${tag}.perl.log`), 'utf8');

const plain = await ours('tsplain', {});
const secure = await ours('tssec', { secure: true });
const allow = await ours('tsallow', { secure: true, spawnAllow: ['Interop::Echo'] });

await check('secure Perl refuses our spawn of PerlTest::echo: no_such_port, logged there', async () => {
  const sp = plain.spawn(perl.id, 'PerlTest::echo', 'pre');
  const err = (await firstValueFrom(plain.mon(sp).pipe(timeout(5000))).catch((e) => e)) as PortKilled;
  eq(err.reason?.[0], 'no_such_port', 'monitor reason');
  const log = await poll(async () => perlLog(), (t) => /remote execution not allowed/.test(t));
  if (!/error processing node message from tsplain: remote execution not allowed/.test(log))
    throw new Error('Perl did not log the refusal');
  if (perl.events.some((e) => e.ev === 'spawned')) throw new Error('PerlTest::echo ran');
  return JSON.stringify(err.reason);
});

/** Perl spawns `func` on `node` and monitors the new port: the port id and the reason its monitor fired with. */
async function perlSpawn(node: AempNode, func: string): Promise<{ port: string; reason: unknown[] }> {
  const port = (await perl.cmd({ cmd: 'spawn', node: node.id, func, args: ['p'] })).result as string;
  const id = perl.send({ cmd: 'mon', port });
  const e = await perl.waitFor((e) => e.ev === 'mon' && e.id === id, 5);
  return { port, reason: e.reason };
}

await check('our secure node refuses Perl\'s spawn of a registered function: Perl sees no_such_port, we log it', async () => {
  const { reason } = await perlSpawn(secure, 'Interop::Echo');
  eq(reason[0], 'no_such_port', 'Perl monitor reason');
  const l = secure.logs.find((m) => m.startsWith(`error processing node message from ${perl.id}: remote execution not allowed`));
  if (!l) throw new Error(`not logged: ${JSON.stringify(secure.logs)}`);
  return l;
});

await check('our secure node refuses a _spawn relayed through its own node port', async () => {
  perl.send({ cmd: 'snd', port: `${secure.id}#`, msg: ['snd', `${secure.id}#`, 'AnyEvent::MP::_spawn', 'relayed', 'Interop::Echo', 1] });
  const id = perl.send({ cmd: 'mon', port: `${secure.id}#relayed` });
  const e = await perl.waitFor((e) => e.ev === 'mon' && e.id === id, 5);
  eq(e.reason[0], 'no_such_port', 'Perl monitor reason');
});

await check('our secure node with spawnAllow runs the listed function for Perl (Perl cals it)', async () => {
  const port = (await perl.cmd({ cmd: 'spawn', node: allow.id, func: 'Interop::Echo', args: ['p'] })).result as string;
  const id = perl.send({ cmd: 'cal', port, msg: ['q'], timeout: 5 });
  const e = await perl.waitFor((e) => e.ev === 'cal' && e.id === id, 6);
  eq(e.reply, ['Interop::Echo', 'p', 'q'], 'cal reply');
  return port;
});

await check('our secure node with spawnAllow refuses an unlisted registered function', async () => {
  const { reason } = await perlSpawn(allow, 'Interop::Other');
  eq(reason[0], 'no_such_port', 'Perl monitor reason');
  if (!allow.logs.some((m) => m.includes('remote execution not allowed (Interop::Other is not in spawnAllow)')))
    throw new Error(`not logged: ${JSON.stringify(allow.logs)}`);
});

await check('no unhandled errors in our process', async () => {
  if (uncaught.length) throw new Error(uncaught.map(String).join('; '));
});

summary();
perl.kill();
for (const n of [plain, secure, allow]) await n.close();
process.exit(0);
