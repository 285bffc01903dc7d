/**
 * Scenarios h (our `aemp` command against a Perl seed) and i (LogCatcher both ways).
 * usage: npx tsx cli.ts
 */
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  PerlNode,
  tsNode,
  SECRET,
  LOGDIR,
  check,
  summary,
  sleep,
  logNode,
  freeAddress,
  poll,
} from './lib.js';

const RC = '/tmp/pi/interop.rc';
mkdirSync('/tmp/pi', { recursive: true });
writeFileSync(RC, JSON.stringify({ secret: SECRET }) + '\n');
const A = await freeAddress();
const cliLog: string[] = [];

/** runs `aemp --rc RC --seed A ARGS…`; SIGINT once `until` holds for its output, or after killAfterMs */
function aemp(
  args: string[],
  opts: {
    killAfterMs?: number;
    seed?: string;
    noRcFlag?: boolean;
    onOut?: (s: string) => void;
    until?: (s: string) => boolean;
  } = {},
): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((res) => {
    const argv = [
      'tsx',
      'src/cli/main.ts',
      ...(opts.noRcFlag ? [] : ['--rc', RC]),
      '--seed',
      opts.seed ?? A,
      ...args,
    ];
    const p = spawn('npx', argv, {
      cwd: process.cwd(),
      env: { ...process.env, PERL_ANYEVENT_MP_RC: RC },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let out = '',
      err = '';
    // npx → node: signal the whole group (npx → tsx → node)
    const stop = () => {
      try {
        process.kill(-p.pid!, 'SIGINT');
      } catch {}
    };
    p.stdout.on('data', (d) => {
      out += d;
      opts.onOut?.(out);
      if (opts.until?.(out)) stop();
    });
    p.stderr.on('data', (d) => {
      err += d;
    });
    let t: NodeJS.Timeout | undefined;
    if (opts.killAfterMs) t = setTimeout(stop, opts.killAfterMs);
    p.on('exit', (code) => {
      if (t) clearTimeout(t);
      cliLog.push(`$ aemp ${args.join(' ')}\n${out}${err}rc=${code}\n`);
      res({ code, out, err });
    });
  });
}

const pg = new PerlNode('cli-PG', { nodeid: 'pseed', binds: [A], seeds: [A], secret: SECRET, global: 1 });
await pg.start();
pg.send({ cmd: 'db_set', family: 'fam', key: 'k1', value: { v: 1 } });
await sleep(300);

await check(
  'aemp snd PORT tag args → Perl sink',
  async () => {
    const r = await aemp(['snd', pg.ready.ports.sink, 'tag', '42', '{"a":[1,2]}']);
    const e = await pg.waitFor((e) => e.ev === 'msg' && e.port === 'sink' && e.msg[0] === 'tag', 3);
    if (r.code !== 0) throw new Error(`rc ${r.code}: ${r.err}`);
    return `perl got ${JSON.stringify(e.msg)}; out=${JSON.stringify(r.out.trim())}`;
  },
  25,
);

await check(
  'aemp (rc only via PERL_ANYEVENT_MP_RC) nodes',
  async () => {
    const r = await aemp(['nodes'], { noRcFlag: true });
    if (r.code !== 0 || !r.out.includes('pseed')) throw new Error(`rc ${r.code}: ${r.out} ${r.err}`);
    return JSON.stringify(r.out.trim());
  },
  25,
);

await check(
  'aemp cal echo-port x → prints reply',
  async () => {
    const r = await aemp(['cal', pg.ready.ports.echo, 'x', '7']);
    if (r.code !== 0) throw new Error(`rc ${r.code}: ${r.err}`);
    return JSON.stringify(r.out.trim());
  },
  25,
);

await check(
  'aemp cal pseed# time',
  async () => {
    const r = await aemp(['cal', 'pseed#', 'time']);
    if (r.code !== 0 || !/^\[\d+(\.\d+)?\]$/.test(r.out.trim()))
      throw new Error(`rc ${r.code}: ${r.out} ${r.err}`);
    return r.out.trim();
  },
  25,
);

/** `aemp mon` of a fresh Perl port that Perl then kils with `reason`: the exit code and output. */
async function monKilled(reason: unknown[]): Promise<{ code: number | null; out: string; err: string }> {
  const p = (await pg.cmd({ cmd: 'port', name: 'victim' })).result;
  const run = aemp(['mon', p]);
  // kil only once the aemp process's monitor is registered on Perl (it is slow to start under load)
  const name = p.slice(p.indexOf('#') + 1);
  const monitored = await poll(
    async () =>
      (await pg.cmd({ cmd: 'eval', code: `exists $AnyEvent::MP::Kernel::LMON{"${name}"} ? 1 : 0` }))
        .result[0],
    (v) => v === 1,
    150,
  );
  if (monitored !== 1) throw new Error('the aemp mon process never monitored the port on Perl');
  pg.send({ cmd: 'kil', port: p, reason });
  return run;
}

// exit codes (issue #11): a kill reason is a failure (exit 1), a normal end ([]) is not (exit 0)
await check(
  'aemp mon PORT; Perl kils it with a reason → printed, exit 1',
  async () => {
    const r = await monKilled(['boom', 'x']);
    if (r.code !== 1 || r.out.trim() !== '["boom","x"]') throw new Error(`rc ${r.code}: ${r.out} ${r.err}`);
    return r.out.trim();
  },
  25,
);

await check(
  'aemp mon PORT; Perl kils it without a reason (a normal end) → [] printed, exit 0',
  async () => {
    const r = await monKilled([]);
    if (r.code !== 0 || r.out.trim() !== '[]') throw new Error(`rc ${r.code}: ${r.out} ${r.err}`);
    return r.out.trim();
  },
  25,
);

await check(
  'aemp mon nonexistent port',
  async () => {
    const r = await aemp(['mon', 'pseed#nope']);
    if (!r.out.includes('no_such_port')) throw new Error(`rc=${r.code} ${r.out.trim()} ${r.err.trim()}`);
    return `rc=${r.code} ${r.out.trim()} ${r.err.trim()}`;
  },
  25,
);

await check(
  'aemp ping pseed -c 2',
  async () => {
    const r = await aemp(['ping', 'pseed', '-c', '2']);
    if (r.code !== 0 || !/2 received/.test(r.out)) throw new Error(`rc ${r.code}: ${r.out} ${r.err}`);
    return r.out.trim().split('\n').pop();
  },
  25,
);

await check(
  'aemp ping (seeds)',
  async () => {
    const r = await aemp(['ping', '-c', '1']);
    if (r.code !== 0) throw new Error(`rc ${r.code}: ${r.out} ${r.err}`);
    return r.out.trim().split('\n').pop();
  },
  25,
);

await check(
  'aemp nodes',
  async () => {
    const r = await aemp(['nodes']);
    if (r.code !== 0 || !r.out.includes('pseed')) throw new Error(`rc ${r.code}: ${r.out} ${r.err}`);
    return JSON.stringify(r.out.trim());
  },
  25,
);

await check(
  'aemp db fam',
  async () => {
    const r = await aemp(['db', 'fam']);
    if (r.code !== 0 || !r.out.includes('k1')) throw new Error(`rc ${r.code}: ${r.out} ${r.err}`);
    return JSON.stringify(r.out.trim());
  },
  25,
);

await check(
  "aemp --json db 'l",
  async () => {
    const r = await aemp(['--json', 'db', "'l"]);
    if (r.code !== 0 || !r.out.includes('pseed')) throw new Error(`rc ${r.code}: ${r.out} ${r.err}`);
    return JSON.stringify(r.out.trim());
  },
  25,
);

await check(
  'aemp watch fam: initial, +, ~, - ; then SIGINT',
  async () => {
    let started = false;
    const run = aemp(['watch', 'fam'], {
      killAfterMs: 7000,
      onOut: (o) => {
        started ||= o.includes('k1');
      },
    });
    for (let i = 0; i < 150 && !started; i++) await sleep(50);
    pg.send({ cmd: 'eval', code: 'AnyEvent::MP::db_set("fam", "k2", "new"); 1' });
    await sleep(500);
    pg.send({ cmd: 'eval', code: 'AnyEvent::MP::db_set("fam", "k2", "changed"); 1' });
    await sleep(500);
    pg.send({ cmd: 'eval', code: 'AnyEvent::MP::db_del("fam", "k2"); 1' });
    const r = await run;
    const out = r.out;
    if (!/k2/.test(out) || !/changed/.test(out)) throw new Error(`rc ${r.code}: ${out} ${r.err}`);
    return `rc=${r.code} ${JSON.stringify(out)}`;
  },
  25,
);

await check(
  "aemp logs catches a Perl node's records",
  async () => {
    // Perl logs every 500 ms until `aemp logs` (slow to start under load) shows the last line
    let ended = false;
    const run = aemp(['logs', '-l', 'info'], {
      killAfterMs: 20000,
      until: (o) => o.includes('hello from perl end'),
    }).finally(() => (ended = true));
    while (!ended) {
      pg.send({
        cmd: 'eval',
        code: 'AE::log error => "hello from perl error"; AE::log info => "hello from perl info"; AE::log debug => "hello from perl debug"; AE::log error => "hello from perl end"; 1',
      });
      await sleep(500);
    }
    const r = await run;
    if (!r.out.includes('hello from perl error'))
      throw new Error(`rc ${r.code}: out=${JSON.stringify(r.out)} err=${r.err.slice(-800)}`);
    if (r.out.includes('hello from perl debug')) throw new Error('debug shown at -l info: ' + r.out);
    return `rc=${r.code} ${JSON.stringify(r.out.trim())}`;
  },
  25,
);

// Perl LogCatcher::catch catching ours
await check(
  "Perl LogCatcher::catch catches our node's records",
  async () => {
    const tg = await tsNode({
      nodeid: 'tsl',
      seeds: [A],
    });
    logNode(tg, 'cli-TSL');
    const pc = new PerlNode('cli-PC', {
      nodeid: 'pcatch',
      binds: ['127.0.0.1:0'],
      seeds: [A],
      secret: SECRET,
    });
    await pc.start();
    const r = await pc.cmd({
      cmd: 'eval',
      code: 'require AnyEvent::MP::LogCatcher; AnyEvent::MP::LogCatcher::catch(7); 1',
    });
    if (r.error) throw new Error(r.error);
    // make ours log an error (an unknown node-port request), every 500 ms until Perl's catcher
    // (which needs a while to find ours through the seed) has written it to its log
    const caught = (l: string) => l.includes('[tsl') && l.includes('Trigger::from_catcher');
    let calls = 0;
    const lines = await poll(
      async () => {
        if (calls++ % 5 === 0)
          pc.send({ cmd: 'eval', code: 'AnyEvent::MP::snd("tsl#", "Trigger::from_catcher", 1); 1' });
        const log = readFileSync(join(LOGDIR, 'cli-PC.perl.log'), 'utf8');
        return log.split('\n').filter((l) => l.includes('[tsl') || l.includes('[pseed'));
      },
      (ls) => ls.some(caught),
      200,
    );
    await tg.close();
    pc.kill();
    if (!lines.some(caught))
      throw new Error('no [tsl] record in Perl log; lines: ' + JSON.stringify(lines.slice(0, 5)));
    return JSON.stringify(lines.filter((l) => l.includes('[tsl')).slice(0, 3));
  },
  25,
);

writeFileSync(join(LOGDIR, 'cli.aemp.log'), cliLog.join('\n'));
const code = summary();
pg.kill();
process.exit(code);
