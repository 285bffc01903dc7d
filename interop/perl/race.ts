/**
 * Repro: a message sent to a node we have no address for, while that node is about to connect to us.
 * Perl (non-global) keeps it queued for connect_interval (2 s) and flushes it when the inbound
 * connection comes up; ours drops it at once ("no known address").
 * usage: npx tsx race.ts
 */
import { PerlNode, tsNode, SECRET, check, summary, sleep, logNode } from './lib.js';

const perl = new PerlNode('race', { nodeid: 'perlr', binds: ['127.0.0.1:0'], secret: SECRET });
await perl.start();
const node = await tsNode({
  nodeid: 'tsr',
});
logNode(node, 'race');
const inbox: unknown[][] = [];
const sink = node.port((m) => {
  inbox.push([...m]);
});

await check(
  'Perl: snd to tsr before tsr connects (perl has no address) → delivered once tsr connects in',
  async () => {
    perl.send({ cmd: 'snd', port: sink.id, msg: ['queued-on-perl'] });
    await sleep(300);
    // now ours connects to perl (we make it: a snd with an explicit address would need `addresses`; use a second node? use mon of perl node port)
    perl.send({ cmd: 'eval', code: '1' });
    return 'see next';
  },
);

await check('ours: snd to perlr (no address) then perlr connects in 300 ms → delivered?', async () => {
  let reason: unknown;
  node.mon(`${perl.id}#`, (r) => {
    reason = r;
  });
  node.snd(perl.ready.ports.sink, 'queued-on-ts');
  await sleep(300);
  await perl.cmd({
    cmd: 'eval',
    code: `AnyEvent::MP::Kernel::add_node("tsr")->connect_to(["${node.addresses[0]}"]); 1`,
  });
  await perl.waitFor((e) => e.ev === 'node' && e.up === 1, 5);
  await sleep(500);
  const got = perl.events.find((e) => e.ev === 'msg' && e.msg[0] === 'queued-on-ts');
  const gotPerl = inbox.find((m) => m[0] === 'queued-on-perl');
  if (!got)
    throw new Error(
      `ours dropped it; node-port monitor fired with ${JSON.stringify(reason)}; perl's queued msg ${gotPerl ? 'WAS' : 'was NOT'} delivered to us`,
    );
  return `perl's queued msg ${gotPerl ? 'delivered' : 'not delivered'}`;
});
const code = summary();
perl.kill();
await node.close();
process.exit(code);
