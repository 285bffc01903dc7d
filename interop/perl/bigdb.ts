/**
 * Scenario h: database messages bigger than a frame, in parts, with real Perl nodes
 * (issue #10, defect 8). Our nodes run with a 64 KiB frame limit, so 3000 keys of ~110
 * bytes travel in parts (128 KiB would be one message at the default limit).
 * - ts-seed:   our global holds the family; a Perl slave's db_mon and db_family get all of it
 *              (g_chg1 + g_chg2 parts; the Perl query is answered whole, as Perl asks).
 * - perl-seed: our slave's big database reaches a Perl global (g_slave + g_upd parts).
 * - mesh:      our global meshes with a Perl global (g_set + g_upd parts): Perl holds the
 *              family and mirrors our 'l entry (read from the first part).
 * usage: npx tsx interop/perl/bigdb.ts [ts-seed|perl-seed|mesh]
 */
import { PerlNode, tsNode, SECRET, check, summary, logNode, poll } from './lib.js';

const mode = process.argv[2] ?? 'ts-seed';
const tag = `bigdb-${mode}`;
const base = 20000 + (process.pid % 20000);
const A = `127.0.0.1:${base}`;
const B = `127.0.0.1:${base + 1}`;
const N = 3000;
const LIMIT = 64 * 1024;
const value = (i: number) => `${'v'.repeat(100)}-${i}`;
const perls: PerlNode[] = [];

/** Evaluates Perl code in a Perl node and returns its first result. */
async function perlEval(p: PerlNode, code: string): Promise<unknown> {
  const r = await p.cmd({ cmd: 'eval', code });
  if (r.error) throw new Error(`perl eval: ${r.error}`);
  return r.result?.[0];
}

const countKeys = (p: PerlNode, hash: string) => async () =>
  Number(await perlEval(p, `scalar keys %{ ${hash}{big} || {} }`));

if (mode === 'ts-seed') {
  const g = await tsNode({ nodeid: 'tsseed', binds: [A], seeds: [A], global: true, maxFrameBytes: LIMIT });
  logNode(g, `${tag}-TG`);
  for (let i = 0; i < N; i++) g.db.set('big', `k${i}`, value(i));
  const p = new PerlNode(`${tag}-PS`, {
    nodeid: 'pslave',
    binds: ['127.0.0.1:0'],
    seeds: [A],
    secret: SECRET,
  });
  perls.push(p);
  await p.start();
  await check(
    'Perl db_mon of a family in parts: every key, the connection kept',
    async () => {
      await perlEval(p, `$::calls = 0; $::guard = db_mon big => sub { $::calls++ }; 1`);
      const n = await poll(countKeys(p, '$AnyEvent::MP::Kernel::MON_DB'), (n) => n === N, 100);
      if (n !== N) throw new Error(`Perl's copy has ${n} keys, not ${N}`);
      const sample = await perlEval(p, `$AnyEvent::MP::Kernel::MON_DB{big}{k${N - 1}}`);
      if (sample !== value(N - 1)) throw new Error(`k${N - 1} is ${JSON.stringify(sample)}`);
      const downs = p.events.filter((e) => e.ev === 'node' && e.node === g.id && !e.up).length;
      if (downs) throw new Error(`${downs} disconnects`);
      return `${await perlEval(p, '$::calls')} callbacks`;
    },
    20,
  );
  await check('Perl db_family of it (asked the Perl way: one answer)', async () => {
    const r = await p.cmd({ cmd: 'db_family', family: 'big' }, 10);
    const n = Object.keys(r.result ?? {}).length;
    if (n !== N) throw new Error(`${n} keys`);
  });
  await g.close();
} else if (mode === 'perl-seed') {
  const s = await tsNode({ nodeid: 'tsslave', seeds: [A], maxFrameBytes: LIMIT, monitorTimeout: 5 });
  logNode(s, `${tag}-TS`);
  for (let i = 0; i < N; i++) s.db.set('big', `k${i}`, value(i)); // no master yet: all of it goes in g_slave
  const pg = new PerlNode(`${tag}-PG`, {
    nodeid: 'pglobal',
    binds: [A],
    seeds: [A],
    secret: SECRET,
    global: 1,
  });
  perls.push(pg);
  await pg.start();
  await check(
    'our big g_slave database (g_slave + g_upd parts) reaches the Perl global',
    async () => {
      const n = await poll(countKeys(pg, '$AnyEvent::MP::Kernel::GLOBAL_DB'), (n) => n === N, 150);
      if (n !== N) throw new Error(`Perl holds ${n} keys, not ${N}`);
      const l = await perlEval(pg, `$AnyEvent::MP::Kernel::GLOBAL_DB{"'l"}{tsslave}[0]`);
      if (l !== s.addresses[0]) throw new Error(`our 'l entry there is ${JSON.stringify(l)}`);
      const downs = pg.events.filter((e) => e.ev === 'node' && e.node === s.id && !e.up).length;
      if (downs) throw new Error(`${downs} disconnects`);
    },
    25,
  );
  await s.close();
} else {
  const tg = await tsNode({
    nodeid: 'tglobal',
    binds: [B],
    seeds: [A, B],
    global: true,
    maxFrameBytes: LIMIT,
  });
  logNode(tg, `${tag}-TG`);
  for (let i = 0; i < N; i++) tg.db.set('big', `k${i}`, value(i));
  const pg = new PerlNode(`${tag}-PG`, {
    nodeid: 'pglobal',
    binds: [A],
    seeds: [A, B],
    secret: SECRET,
    global: 1,
  });
  perls.push(pg);
  await pg.start();
  await check(
    'our big g_set (g_set + g_upd parts) reaches the Perl global; it mirrors our listeners',
    async () => {
      const n = await poll(countKeys(pg, '$AnyEvent::MP::Kernel::GLOBAL_DB'), (n) => n === N, 150);
      if (n !== N) throw new Error(`Perl holds ${n} keys, not ${N}`);
      const l = await perlEval(pg, `$AnyEvent::MP::Kernel::LOCAL_DB{"'l"}{tglobal}[0]`);
      if (l !== B) throw new Error(`Perl's mirror of our 'l is ${JSON.stringify(l)}`);
    },
    25,
  );
  await tg.close();
}
for (const p of perls) p.kill();
summary();
process.exit(0);
