/**
 * Scenarios d / e: distributed database with a global (seed) node.
 * usage: npx tsx db.ts perl-seed   (Perl global seed; our node and a 2nd Perl node are slaves)
 *        npx tsx db.ts ts-seed     (our node is the global seed; two Perl nodes are slaves)
 */
import { firstValueFrom } from 'rxjs';
import { createNode, type FamilyDelta } from '../../src/index.js';
import { PerlNode, tsNode, SECRET, check, eq, summary, sleep, logNode, poll, freeAddress } from './lib.js';

const mode = process.argv[2] ?? 'perl-seed';
const tag = `db-${mode}`;
const seedAddr = await freeAddress();

let perl: PerlNode; // "B": the seed in perl-seed mode, a slave in ts-seed mode
let node: Awaited<ReturnType<typeof createNode>>; // "A": ours
if (mode === 'perl-seed') {
  perl = new PerlNode(`${tag}-B`, {
    nodeid: 'pseed',
    binds: [seedAddr],
    seeds: [seedAddr],
    secret: SECRET,
    global: 1,
  });
  await perl.start();
  node = await tsNode({
    nodeid: 'tsslave',
    seeds: [seedAddr],
  });
} else {
  node = await tsNode({
    nodeid: 'tsseed',
    binds: [seedAddr],
    seeds: [seedAddr],
    global: true,
  });
  perl = new PerlNode(`${tag}-B`, {
    nodeid: 'pslave1',
    binds: ['127.0.0.1:0'],
    seeds: [seedAddr],
    secret: SECRET,
  });
  await perl.start();
}
logNode(node, tag);
const p2 = new PerlNode(`${tag}-P2`, {
  nodeid: 'pslave2',
  binds: ['127.0.0.1:0'],
  seeds: [seedAddr],
  secret: SECRET,
});
await p2.start();
console.log(
  `# ${tag}: ours ${node.id} ${node.addresses}, perl B ${perl.id} ${perl.ready.binds}, perl P2 ${p2.id} ${p2.ready.binds}`,
);

const deltas: FamilyDelta[] = [];
node.db.mon('fam').subscribe((d) => deltas.push(d));
const waitDelta = async (pred: (d: FamilyDelta) => boolean, s = 5) => {
  for (let i = 0; i < s * 50; i++) {
    const d = deltas.find(pred);
    if (d) return d;
    await sleep(20);
  }
  throw new Error('no such delta; got ' + JSON.stringify(deltas));
};

await check(
  'perl B db_mon fam (initial)',
  async () => {
    perl.send({ cmd: 'db_mon', family: 'fam' });
    const e = await perl.waitFor((e) => e.ev === 'db_mon' && e.family === 'fam', 6);
    return JSON.stringify(e.db);
  },
  10,
);

await check('ours: master known', async () => {
  for (let i = 0; i < 100 && !(node.db as any).master; i++) await sleep(50);
  if (!(node.db as any).master) throw new Error('no master after 5 s');
  return `master=${(node.db as any).master} global=${(node.db as any).isGlobal ?? (node.db as any).global}`;
});

await check('db_set on ours → db_mon on Perl B', async () => {
  node.db.set('fam', 'k_ts', { v: 'from ts', n: [1, 2] });
  const e = await perl.waitFor((e) => e.ev === 'db_mon' && e.family === 'fam' && e.db.k_ts, 6);
  eq(e.db.k_ts, { v: 'from ts', n: [1, 2] });
  return JSON.stringify(e);
});

await check('db_set on Perl B → db.mon on ours', async () => {
  perl.send({ cmd: 'db_set', family: 'fam', key: 'k_perl', value: 'from perl' });
  const d = await waitDelta((d) => 'k_perl' in d.added || 'k_perl' in d.changed);
  eq(d.added.k_perl ?? d.changed.k_perl, 'from perl');
});

await check('db_set on Perl P2 → db.mon on ours', async () => {
  p2.send({ cmd: 'db_set', family: 'fam', key: 'k_p2', value: 22 });
  const d = await waitDelta((d) => 'k_p2' in d.added);
  eq(d.added.k_p2, 22);
});

await check('change value on ours → Perl B sees changed', async () => {
  node.db.set('fam', 'k_ts', 'v2');
  const e = await perl.waitFor((e) => e.ev === 'db_mon' && e.family === 'fam' && e.db.k_ts === 'v2', 6);
  return `a=${JSON.stringify(e.a)} c=${JSON.stringify(e.c)} d=${JSON.stringify(e.d)}`;
});

await check('ours db.family / keys / values', async () => {
  const f = await firstValueFrom(node.db.family('fam'));
  const k = await firstValueFrom(node.db.keys('fam'));
  const v = await firstValueFrom(node.db.values('fam'));
  eq(f, { k_p2: 22, k_perl: 'from perl', k_ts: 'v2' }, 'family');
  eq([...k].sort(), ['k_p2', 'k_perl', 'k_ts'], 'keys');
  eq(v.length, 3, 'values');
  return JSON.stringify(f);
});

await check('Perl B db_family / db_keys', async () => {
  const f = (await perl.cmd({ cmd: 'db_family', family: 'fam' })).result;
  const k = (await perl.cmd({ cmd: 'db_keys', family: 'fam' })).result;
  eq(f, { k_p2: 22, k_perl: 'from perl', k_ts: 'v2' }, 'family');
  eq([...k].sort(), ['k_p2', 'k_perl', 'k_ts'], 'keys');
});

await check('Perl P2 db_family', async () => {
  const f = (await p2.cmd({ cmd: 'db_family', family: 'fam' })).result;
  eq(f, { k_p2: 22, k_perl: 'from perl', k_ts: 'v2' }, 'family');
});

await check('db.del on ours → Perl B sees deleted', async () => {
  node.db.del('fam', 'k_ts');
  const e = await perl.waitFor(
    (e) => e.ev === 'db_mon' && e.family === 'fam' && e.d && e.d.includes('k_ts'),
    6,
  );
  return JSON.stringify(e);
});

// a registered port of ours, found and used by P2 (a Perl node not directly connected to us)
const inbox: unknown[][] = [];
const worker = node.port((m) => {
  inbox.push([...m]);
});
node.db.reg('workers', worker.id, 'w1');

await check(
  'P2 finds our registered port via db and snds to it (g_find/connect)',
  async () => {
    let keys: string[] = [];
    keys = await poll(
      async () => (await p2.cmd({ cmd: 'db_keys', family: 'workers' })).result,
      (keys) => keys.length,
      50,
    );
    eq(keys, [worker.id], 'P2 keys');
    p2.send({ cmd: 'snd', port: worker.id, msg: ['job', 1] });
    for (let i = 0; i < 200 && !inbox.length; i++) await sleep(25);
    eq(inbox[0], ['job', 1], 'inbox');
    return `delivered; ours up nodes: ${node.upNodes().join(',')}`;
  },
  12,
);

await check(
  'P2 registered port found by ours via db, snd (ours must locate P2)',
  async () => {
    const p = (await p2.cmd({ cmd: 'port', name: 'p2worker' })).result;
    p2.send({ cmd: 'db_reg', family: 'pworkers', port: p, value: 'x' });
    let keys: string[] = [];
    for (let i = 0; i < 50 && !keys.length; i++) {
      keys = await firstValueFrom(node.db.keys('pworkers'));
      if (!keys.length) await sleep(100);
    }
    eq(keys, [p], 'keys');
    node.snd(p, 'hello from ts');
    const e = await p2.waitFor((e) => e.ev === 'msg' && e.port === 'p2worker', 8);
    eq(e.msg, ['hello from ts']);
  },
  12,
);

await check(
  'P2 finds Perl B port via db, snds (P2 g_find → B address from the global)',
  async () => {
    const p = (await perl.cmd({ cmd: 'port', name: 'bworker' })).result;
    perl.send({ cmd: 'db_reg', family: 'bworkers', port: p });
    let keys: string[] = [];
    for (let i = 0; i < 50 && !keys.length; i++) {
      keys = (await p2.cmd({ cmd: 'db_keys', family: 'bworkers' })).result;
      if (!keys.length) await sleep(100);
    }
    eq(keys, [p], 'keys');
    p2.send({ cmd: 'snd', port: p, msg: ['via g_find'] });
    const e = await perl.waitFor((e) => e.ev === 'msg' && e.port === 'bworker', 8);
    eq(e.msg, ['via g_find']);
  },
  12,
);

await check('kil our registered port → removed from family on P2 (db_mon)', async () => {
  p2.send({ cmd: 'db_mon', family: 'workers' });
  await p2.waitFor((e) => e.ev === 'db_mon' && e.family === 'workers', 5);
  node.kil(worker.id);
  const e = await p2.waitFor(
    (e) => e.ev === 'db_mon' && e.family === 'workers' && !Object.keys(e.db).length,
    6,
  );
  return JSON.stringify(e);
});

await check(
  'P2 exits → its keys leave the family on ours',
  async () => {
    p2.kill('SIGKILL');
    const d = await waitDelta((d) => 'k_p2' in d.deleted, 8);
    return JSON.stringify(d);
  },
  10,
);

await check('ours: node port of B responds (cal time)', async () => {
  const r = await firstValueFrom(node.cal(`${perl.id}#`, 'time', { timeout: 3 }));
  return JSON.stringify(r);
});

const code = summary();
perl.kill();
await node.close();
process.exit(code);
