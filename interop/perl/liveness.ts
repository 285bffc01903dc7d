/**
 * Scenario l: liveness against a real Perl node (issue #10, defect 6).
 * 1. an idle link to a Perl node stays up for several monitorTimeouts: our
 *    probes (`["","time","<our id>#","devnull"]`) are answered, and the Perl
 *    node logs no error about them;
 * 2. the Perl node stopped with SIGSTOP: our monitors fire transport_error and
 *    the node goes down within monitorTimeout; after SIGCONT a new call works.
 * usage: npx tsx interop/perl/liveness.ts [json|cbor]
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { firstValueFrom } from 'rxjs';
import { PerlNode, tsNode, SECRET, check, summary, sleep, logNode, LOGDIR } from './lib.js';

const framing = process.argv[2] === 'cbor' ? 'cbor' : 'json';
const T = 1; // our monitorTimeout, seconds
const perl = new PerlNode(
  `liveness-${framing}`,
  { nodeid: 'perlive', binds: ['127.0.0.1:0'], secret: SECRET, framing_format: [framing] },
  { PERL_ANYEVENT_MP_TRACE: '1' },
);
await perl.start();
const node = await tsNode({
  nodeid: 'tslive',
  monitorTimeout: T,
  framingFormat: [framing],
  addresses: { perlive: perl.ready.binds },
});
logNode(node, `liveness-${framing}`);
const events: unknown[] = [];
node.nodes$.subscribe((e) => events.push(e));

await check(
  `${framing}: an idle link to Perl stays up over 4 × monitorTimeout; Perl answers every probe without an error`,
  async () => {
    const [t] = await firstValueFrom(node.cal(`${perl.id}#`, 'time', { timeout: 5 }));
    if (typeof t !== 'number') throw new Error('no time reply');
    await sleep(4000 * T);
    if (!node.isUp(perl.id)) throw new Error('link dropped: ' + JSON.stringify(events));
    if (events.length !== 1) throw new Error('node events: ' + JSON.stringify(events));
    const log = readFileSync(join(LOGDIR, `liveness-${framing}.perl.log`), 'utf8');
    const probes = log
      .split('\n')
      .filter((l) => l.includes('RCV') && l.includes('"time"') && l.includes('devnull')).length;
    const errors = log.split('\n').filter((l) => /error|warn/i.test(l) && !l.startsWith('STDOUT'));
    if (errors.length) throw new Error('Perl logged: ' + errors.slice(0, 3).join(' | '));
    return `probes Perl received (its trace): ${probes}`;
  },
  15,
);

await check(
  `${framing}: Perl stopped (SIGSTOP): our monitor fires transport_error and the node goes down within monitorTimeout`,
  async () => {
    const port = (await perl.cmd({ cmd: 'port', name: 'x' })).result as string;
    const fired = new Promise<unknown[]>((res) => node.mon(port, (r) => res([...r])));
    await sleep(100);
    perl.kill('SIGSTOP');
    const t0 = Date.now();
    const r = await fired;
    const ms = Date.now() - t0;
    perl.kill('SIGCONT');
    if (r[0] !== 'transport_error' || r[1] !== perl.id) throw new Error(JSON.stringify(r));
    if (node.isUp(perl.id)) throw new Error('still up');
    return `${ms} ms: ${JSON.stringify(r)}`;
  },
  10,
);

// A Perl node woken by SIGCONT may read our new greeting before the EOF of the connection we
// cut, and refuse it once with "tslive already connected, not connecting again."; the next try works.
await check(
  `${framing}: after SIGCONT a new call reconnects and is answered (at most one refused try)`,
  async () => {
    for (let attempt = 1; attempt <= 3; attempt++) {
      const t = await firstValueFrom(node.cal(`${perl.id}#`, 'time', { timeout: 2 })).catch(() => undefined);
      if (t && typeof t[0] === 'number') return `attempt ${attempt}, up=${node.isUp(perl.id)}`;
    }
    throw new Error('no time reply in 3 attempts');
  },
  10,
);

await node.close();
perl.kill('SIGKILL');
summary();
process.exit(0);
