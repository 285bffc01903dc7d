/**
 * Scenario g: global mesh. A Perl global (PG) and our global (TG) both list both addresses as seeds,
 * so they mesh via g_global/g_set; a Perl slave (PS) attaches to PG, our slave (TS) to TG.
 * usage: npx tsx mesh.ts
 */
import { firstValueFrom } from 'rxjs';
import { type FamilyDelta } from '../../src/index.js';
import { PerlNode, tsNode, SECRET, check, eq, summary, sleep, logNode, poll, freeAddress } from './lib.js';

const A = await freeAddress(),
  B = await freeAddress();
const pg = await startPerlGlobal('mesh-PG');
const tg = await tsNode({
  nodeid: 'tglobal',
  binds: [B],
  seeds: [A, B],
  global: true,
});
logNode(tg, 'mesh-TG');
const ps = new PerlNode('mesh-PS', { nodeid: 'pslave', binds: ['127.0.0.1:0'], seeds: [A], secret: SECRET });
await ps.start();
const ts = await tsNode({
  nodeid: 'tslave',
  seeds: [B],
});
logNode(ts, 'mesh-TS');
let uncaught = 0;

/** The Perl global node `pglobal` on address A (started again later with the same id and address). */
async function startPerlGlobal(name: string): Promise<PerlNode> {
  const pg2 = new PerlNode(name, {
    nodeid: 'pglobal',
    binds: [A],
    seeds: [A, B],
    secret: SECRET,
    global: 1,
  });
  await pg2.start();
  return pg2;
}

/** The last check, the summary line, and the end of the run. */
async function finish(): Promise<never> {
  await check('no uncaught errors', async () => {
    if (uncaught) throw new Error(`${uncaught} uncaught`);
  });
  const code = summary();
  await ts.close();
  await tg.close();
  process.exit(code);
}
process.on('uncaughtException', (e) => {
  uncaught++;
  console.log('UNCAUGHT', e);
});
process.on('unhandledRejection', (e) => {
  uncaught++;
  console.log('UNHANDLED', e);
});

const deltas: FamilyDelta[] = [];
ts.db.mon('fam').subscribe((d) => deltas.push(d));
const waitDelta = async (pred: (d: FamilyDelta) => boolean, s = 8) => {
  for (let i = 0; i < s * 50; i++) {
    const d = deltas.find(pred);
    if (d) return d;
    await sleep(20);
  }
  throw new Error('no such delta; got ' + JSON.stringify(deltas));
};
const perlFamily = async (p: PerlNode, f: string) => (await p.cmd({ cmd: 'db_family', family: f })).result;

await check(
  "mesh: both globals see each other in family 'g",
  async () => {
    let g1: any = {},
      g2: any = {};
    for (let i = 0; i < 60; i++) {
      g1 = await perlFamily(pg, "'g");
      g2 = await firstValueFrom(tg.db.family("'g"));
      if ('tglobal' in g1 && 'pglobal' in g2) break;
      await sleep(100);
    }
    eq(Object.keys(g1).sort(), ['pglobal', 'tglobal'], "PG 'g");
    eq(Object.keys(g2).sort(), ['pglobal', 'tglobal'], "TG 'g");
    return `PG 'g=${JSON.stringify(g1)} TG 'g=${JSON.stringify(g2)}`;
  },
  10,
);

await check(
  "'l known everywhere (PS via PG → TG → TS)",
  async () => {
    let l: any = {};
    l = await poll(
      async () => await firstValueFrom(ts.db.family("'l")),
      (l) => l.pslave && l.pglobal,
      60,
    );
    if (!l.pslave) throw new Error("TS 'l lacks pslave: " + JSON.stringify(l));
    const pl = await perlFamily(ps, "'l");
    if (!pl.tslave) throw new Error("PS 'l lacks tslave: " + JSON.stringify(pl));
    return `TS 'l keys ${Object.keys(l).sort()}; PS 'l keys ${Object.keys(pl).sort()}`;
  },
  10,
);

await check('PS db_set → TS db.mon', async () => {
  ps.send({ cmd: 'db_set', family: 'fam', key: 'k_ps', value: { from: 'perl slave' } });
  const d = await waitDelta((d) => 'k_ps' in d.added || 'k_ps' in d.changed);
  eq(d.added.k_ps ?? d.changed.k_ps, { from: 'perl slave' });
});

await check(
  'TS db.set → PS db_mon',
  async () => {
    ps.send({ cmd: 'db_mon', family: 'fam' });
    ts.db.set('fam', 'k_ts', [1, 'two']);
    const e = await ps.waitFor((e) => e.ev === 'db_mon' && e.family === 'fam' && e.db.k_ts, 8);
    eq(e.db.k_ts, [1, 'two']);
    return JSON.stringify(e.db);
  },
  10,
);

await check(
  'change + family views agree on all four nodes',
  async () => {
    ts.db.set('fam', 'k_ts', 'v2');
    // (not the db_set command: replacing its guard in perl_node.pl would db_del the key)
    ps.send({ cmd: 'eval', code: 'AnyEvent::MP::db_set("fam", "k_ps", "w2"); 1' });
    await ps.waitFor((e) => e.ev === 'db_mon' && e.family === 'fam' && e.db.k_ts === 'v2', 6);
    await waitDelta((d) => d.changed.k_ps === 'w2');
    const want = { k_ps: 'w2', k_ts: 'v2' };
    await sleep(300);
    const views = {
      TS: await firstValueFrom(ts.db.family('fam')),
      TG: await firstValueFrom(tg.db.family('fam')),
      PG: await perlFamily(pg, 'fam'),
      PS: await perlFamily(ps, 'fam'),
      TSkeys: await firstValueFrom(ts.db.keys('fam')),
      TGkeys: await firstValueFrom(tg.db.keys('fam')),
      PSkeys: (await ps.cmd({ cmd: 'db_keys', family: 'fam' })).result,
    };
    for (const k of ['TS', 'TG', 'PG', 'PS'] as const) eq(views[k], want, k + ' ' + JSON.stringify(views));
  },
  10,
);

await check(
  'TS finds a port PS registered and sends to it (g_find across the mesh)',
  async () => {
    const p = (await ps.cmd({ cmd: 'port', name: 'psw' })).result;
    ps.send({ cmd: 'db_reg', family: 'workers', port: p, value: 1 });
    let keys: string[] = [];
    for (let i = 0; i < 50 && !keys.length; i++) {
      keys = await firstValueFrom(ts.db.keys('workers'));
      if (!keys.length) await sleep(100);
    }
    eq(keys, [p], 'keys');
    ts.snd(p, 'hello from TS');
    const e = await ps.waitFor((e) => e.ev === 'msg' && e.port === 'psw', 8);
    return JSON.stringify(e.msg);
  },
  12,
);

await check(
  'PS finds a port TS registered and sends to it',
  async () => {
    const got: unknown[] = [];
    const w = ts.port((m) => {
      got.push(m);
    });
    ts.db.reg('tsworkers', w.id);
    let keys: string[] = [];
    for (let i = 0; i < 50 && !keys.length; i++) {
      keys = (await ps.cmd({ cmd: 'db_keys', family: 'tsworkers' })).result;
      if (!keys.length) await sleep(100);
    }
    eq(keys, [w.id], 'keys');
    ps.send({ cmd: 'snd', port: w.id, msg: ['hello from PS'] });
    for (let i = 0; i < 200 && !got.length; i++) await sleep(25);
    eq(got[0], ['hello from PS']);
  },
  12,
);

if (process.argv[2] !== 'pg-first')
  await check(
    "kill -9 PS → its keys leave TS view (fam, workers, 'l)",
    async () => {
      ps.kill('SIGKILL');
      const d = await waitDelta((d) => 'k_ps' in d.deleted, 10);
      let w: string[] = ['x'];
      for (let i = 0; i < 50 && w.length; i++) {
        w = await firstValueFrom(ts.db.keys('workers'));
        if (w.length) await sleep(100);
      }
      const l = await firstValueFrom(ts.db.family("'l"));
      if (w.length) throw new Error('workers still ' + JSON.stringify(w));
      if ('pslave' in l) throw new Error("'l still has pslave");
      eq(await perlFamily(pg, 'fam'), { k_ts: 'v2' }, 'PG fam');
      return JSON.stringify(d);
    },
    15,
  );

const tgDown: unknown[] = [],
  tsDown: unknown[] = [];
if (process.argv[2] === 'pg-first') {
  await check(
    "kill -9 PG while PS lives → PS's keys leave TS view; TS/TG consistent",
    async () => {
      pg.kill('SIGKILL');
      const d = await waitDelta((d) => 'k_ps' in d.deleted, 10);
      const views = {
        TS: await firstValueFrom(ts.db.family('fam')),
        TG: await firstValueFrom(tg.db.family('fam')),
        TSl: Object.keys(await firstValueFrom(ts.db.family("'l"))),
        TGg: await firstValueFrom(tg.db.family("'g")),
      };
      eq(views.TS, { k_ts: 'v2' }, 'TS ' + JSON.stringify(views));
      eq(views.TG, { k_ts: 'v2' }, 'TG ' + JSON.stringify(views));
      return JSON.stringify({ d, ...views });
    },
    15,
  );
  await check(
    'PS without its master: db_set queues, db_family (PS) result',
    async () => {
      ps.send({ cmd: 'eval', code: 'AnyEvent::MP::db_set("fam", "k_ps_orphan", 1); 1' });
      const id = ps.send({ cmd: 'db_family', family: 'fam' });
      const e = await ps
        .waitFor((e) => e.id === id && e.ev === 'reply', 3)
        .catch(() => ({ result: 'no answer in 3 s (Perl waits for a master)' }));
      return JSON.stringify(e.result);
    },
    8,
  );
  await check(
    'PG comes back → PS re-registers, its keys reappear on TS',
    async () => {
      const pg2 = await startPerlGlobal('mesh-PG2');
      await waitDelta((d) => 'k_ps_orphan' in d.added, 15);
      let f: any = {};
      f = await poll(
        async () => await firstValueFrom(ts.db.family('fam')),
        (f) => f.k_ps,
        50,
      );
      eq(f, { k_ps: 'w2', k_ps_orphan: 1, k_ts: 'v2' }, 'TS fam');
      pg2.kill();
      ps.kill();
      return JSON.stringify(f);
    },
    20,
  );
  await finish();
}
tg.nodes$.subscribe((e) => {
  if (!e.up) tgDown.push(e);
});
ts.nodes$.subscribe((e) => {
  if (!e.up) tsDown.push(e);
});
await check(
  "kill -9 PG → TG drops it from 'g and 'l, TS keeps working",
  async () => {
    pg.kill('SIGKILL');
    let g: any = {};
    g = await poll(
      async () => await firstValueFrom(tg.db.family("'g")),
      (g) => !('pglobal' in g),
      100,
    );
    if ('pglobal' in g) throw new Error("TG 'g still has pglobal: " + JSON.stringify(g));
    const l = await firstValueFrom(ts.db.family("'l"));
    if ('pglobal' in l) throw new Error("TS 'l still has pglobal: " + JSON.stringify(l));
    ts.db.set('fam', 'k_after', 1);
    await waitDelta((d) => 'k_after' in d.added);
    eq(await firstValueFrom(ts.db.family('fam')), { k_after: 1, k_ts: 'v2' }, 'TS fam');
    eq(await firstValueFrom(tg.db.family('fam')), { k_after: 1, k_ts: 'v2' }, 'TG fam');
    return `TG 'g ${JSON.stringify(g)}; TS 'l ${Object.keys(l)}; tgDown ${JSON.stringify(tgDown)}`;
  },
  15,
);

await check(
  'PG comes back (same id/port) → mesh re-forms',
  async () => {
    const pg2 = await startPerlGlobal('mesh-PG2');
    let g: any = {};
    g = await poll(
      async () => await firstValueFrom(tg.db.family("'g")),
      (g) => 'pglobal' in g,
      100,
    );
    if (!('pglobal' in g)) throw new Error("TG 'g lacks pglobal again: " + JSON.stringify(g));
    let f: any = {};
    f = await poll(
      async () => await perlFamily(pg2, 'fam'),
      (f) => f.k_after,
      50,
    );
    eq(f, { k_after: 1, k_ts: 'v2' }, 'PG2 fam');
    pg2.kill();
    return JSON.stringify(g);
  },
  20,
);
await finish();
