/**
 * Scenario f: kill -9 of one side while connected; the other side's monitors must fire with transport_error.
 * usage: npx tsx fail.ts
 */
import { spawn } from 'node:child_process';
import { PerlNode, tsNode, SECRET, check, summary, sleep, logNode } from './lib.js';

// 1. Perl killed, ours monitors
{
  const perl = new PerlNode('fail-perl-killed', { nodeid: 'perlk', binds: ['127.0.0.1:0'], secret: SECRET });
  await perl.start();
  const node = await tsNode({
    nodeid: 'tsf1',
    addresses: { perlk: perl.ready.binds },
  });
  logNode(node, 'fail-perl-killed');
  const reasons: unknown[] = [];
  const downs: unknown[] = [];
  node.nodes$.subscribe((e) => {
    if (!e.up) downs.push(e);
  });
  await check('ours monitors Perl ports, Perl killed -9 → transport_error', async () => {
    const p = (await perl.cmd({ cmd: 'port', name: 'x' })).result;
    node.mon(p, (r) => reasons.push(['port', r]));
    node.mon(`${perl.id}#`, (r) => reasons.push(['nodeport', r]));
    node.snd(perl.ready.ports.sink, 'hi');
    await perl.waitFor((e) => e.ev === 'msg' && e.msg[0] === 'hi');
    await sleep(200);
    perl.kill('SIGKILL');
    for (let i = 0; i < 100 && reasons.length < 2; i++) await sleep(50);
    if (reasons.length < 2) throw new Error('monitors fired: ' + JSON.stringify(reasons));
    for (const [, r] of reasons as [string, unknown[]][])
      if (r[0] !== 'transport_error' || r[1] !== 'perlk') throw new Error(JSON.stringify(reasons));
    return JSON.stringify(reasons) + ' downs=' + JSON.stringify(downs);
  });
  await check(
    'after Perl death, new mon fails with transport_error (not hang)',
    async () => {
      const r = await new Promise<readonly unknown[]>((res) =>
        node.mon(`${perl.id}#whatever`, (r) => res(r)),
      );
      if (r[0] !== 'transport_error') throw new Error(JSON.stringify(r));
      return JSON.stringify(r);
    },
    10,
  );
  await node.close();
}

// 2. ours (child process) killed, Perl monitors
{
  const perl = new PerlNode('fail-ts-killed', { nodeid: 'perlm', binds: ['127.0.0.1:0'], secret: SECRET });
  await perl.start();
  const child = spawn(
    'npx',
    [
      'tsx',
      'spec/fixtures/node.ts',
      JSON.stringify({
        nodeid: 'tschild',
        binds: ['127.0.0.1:0'],
        secret: SECRET,
        addresses: { perlm: perl.ready.binds },
      }),
    ],
    { cwd: new URL('../..', import.meta.url).pathname, stdio: ['pipe', 'pipe', 'inherit'] },
  );
  const ready: any = await new Promise((res) => {
    let b = '';
    child.stdout!.on('data', (d) => {
      b += d;
      const m = b.match(/READY (.*)\n/);
      if (m) res(JSON.parse(m[1]!));
    });
  });
  await check(
    'Perl monitors our (child) ports, ours killed -9 → transport_error',
    async () => {
      await perl.cmd({
        cmd: 'eval',
        code: `AnyEvent::MP::Kernel::add_node("tschild")->connect_to(["${ready.addresses[0]}"]); 1`,
      });
      await perl.waitFor((e) => e.ev === 'node' && e.node === 'tschild' && e.up === 1, 5);
      const id1 = perl.send({ cmd: 'mon', port: ready.ports.echo });
      const id2 = perl.send({ cmd: 'mon', port: 'tschild#' });
      const c = perl.send({ cmd: 'cal', port: ready.ports.echo, msg: ['x'], timeout: 3 });
      await perl.waitFor((e) => e.ev === 'cal' && e.id === c);
      await sleep(200);
      // kill the actual node process (npx → tsx → node): kill the whole process group child tree
      const pids = (await import('node:child_process'))
        .execSync(`pgrep -f "spec/fixtures/node.ts.*tschild"`)
        .toString()
        .trim()
        .split('\n')
        .map(Number);
      for (const p of pids)
        try {
          process.kill(p, 'SIGKILL');
        } catch {}
      const e1 = await perl.waitFor((e) => e.ev === 'mon' && e.id === id1, 8);
      const e2 = await perl.waitFor((e) => e.ev === 'mon' && e.id === id2, 8);
      if (e1.reason[0] !== 'transport_error' || e2.reason[0] !== 'transport_error')
        throw new Error(JSON.stringify([e1, e2]));
      const down = await perl.waitFor((e) => e.ev === 'node' && e.node === 'tschild' && e.up === 0, 3);
      return JSON.stringify([e1.reason, e2.reason, down.reason]);
    },
    15,
  );
  perl.kill();
}
const code = summary();
process.exit(code);
