/**
 * Scenario: `secure` nodes refuse remote execution, both ways.
 * 1. A Perl node spawns a *registered* function on our node started with `secure: true`:
 *    ours must not run it, must log "remote execution not allowed", and the Perl-side
 *    monitor of the would-be port must fire (no_such_port: nothing was created).
 * 2. Ours spawns PerlTest::echo on a Perl node started with `secure => 1`: Perl must refuse
 *    ("remote execution not allowed" in its log, no port), and our monitor of the
 *    would-be port must fire.
 * Both connections stay up for ordinary messages afterwards.
 * usage: npx tsx secure.ts
 */
import { firstValueFrom } from 'rxjs';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PerlNode, tsNode, SECRET, LOGDIR, check, eq, summary, logNode, poll } from './lib.js';

const perl = new PerlNode('secure', { nodeid: 'psec', binds: ['127.0.0.1:0'], secret: SECRET, secure: 1 });
await perl.start();
const node = await tsNode({ nodeid: 'tssec', secure: true, addresses: { psec: perl.ready.binds } });
logNode(node, 'secure');
const logs: string[] = [];
node.log$.subscribe((r) => logs.push(`${r.level} ${r.context ?? ''} ${r.message}`));
console.log(
  `# secure: perl ${perl.id} @ ${perl.ready.binds} (secure => 1), ts ${node.id} @ ${node.addresses} (secure: true)`,
);

let ran = 0;
node.register('Secure::init', (self) => {
  ran++;
  self.rcv(() => {});
});
const echo = node.port((m) => node.snd(m[m.length - 1] as string, ...m.slice(0, -1)));

await check('connected: ours → Perl sink', async () => {
  node.snd(perl.ready.ports.sink, 'hi');
  await perl.waitFor((e) => e.ev === 'msg' && e.msg[0] === 'hi', 5);
});

await check(
  'Perl spawns a registered function on our secure node → refused, nothing runs',
  async () => {
    const sp = (await perl.cmd({ cmd: 'spawn', node: node.id, func: 'Secure::init', args: ['x'] })).result;
    const id = perl.send({ cmd: 'mon', port: sp });
    const e = await perl.waitFor((e) => e.ev === 'mon' && e.id === id, 5).catch(() => undefined);
    const refused = await poll(
      async () => logs.find((l) => l.includes('remote execution not allowed')),
      (l) => l !== undefined,
      30,
    );
    const problems: string[] = [];
    if (ran) problems.push(`ours RAN Secure::init (${ran}×)`);
    if (!refused) problems.push('ours logged no "remote execution not allowed"');
    if (!e) problems.push(`Perl's monitor of ${sp} did not fire within 5 s (the port lives on ours)`);
    else if (e.reason[0] !== 'no_such_port' && e.reason[0] !== 'die')
      problems.push(`Perl's monitor fired with ${JSON.stringify(e.reason)}`);
    if (problems.length) throw new Error(problems.join('; '));
    return `Perl mon: ${JSON.stringify(e!.reason)}; ours: ${refused}`;
  },
  15,
);

await check('after the refusal, Perl still reaches ours (cal our echo port)', async () => {
  const id = perl.send({ cmd: 'cal', port: echo.id, msg: ['still', 1], timeout: 5 });
  const e = await perl.waitFor((e) => e.ev === 'cal' && e.id === id, 6);
  eq(e.reply, ['still', 1]);
});

await check(
  'ours spawns PerlTest::echo on a secure Perl node → refused, our monitor fires',
  async () => {
    const sp = node.spawn(perl.id, 'PerlTest::echo', 'x');
    const reason = await new Promise<unknown[]>((res) => node.mon(sp, (r) => res([...r])));
    // Perl's stdout is ordered: a 'spawned' event would come before the reply to this command
    await perl.cmd({ cmd: 'eval', code: '1' });
    const spawned = perl.events.find((e) => e.ev === 'spawned');
    const perlLog = await poll(
      async () => readFileSync(join(LOGDIR, 'secure.perl.log'), 'utf8'),
      (t) => t.includes('remote execution not allowed'),
    );
    const problems: string[] = [];
    if (spawned) problems.push(`Perl RAN ${spawned.func} as ${spawned.self}`);
    if (!perlLog.includes('remote execution not allowed'))
      problems.push('Perl logged no "remote execution not allowed"');
    if (reason[0] !== 'no_such_port') problems.push(`our monitor fired with ${JSON.stringify(reason)}`);
    if (problems.length) throw new Error(problems.join('; '));
    return `our mon: ${JSON.stringify(reason)}`;
  },
  15,
);

await check('after the refusal, ours still reaches Perl (cal Perl echo port)', async () => {
  const r = await firstValueFrom(node.cal(perl.ready.ports.echo, 'still', 2, { timeout: 5 }));
  eq(r, ['still', 2]);
});

const code = summary();
perl.kill();
await node.close();
process.exit(code);
