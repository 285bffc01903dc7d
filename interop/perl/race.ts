/**
 * A message sent to a node we have no address for, while that node is about to connect to us:
 * Perl (non-global) keeps it queued for connect_interval (2 s) and flushes it when the inbound
 * connection comes up; ours must do the same (it once dropped it at once, "no known address").
 * usage: npx tsx race.ts
 */
import { PerlNode, tsNode, SECRET, check, summary, sleep, logNode, poll } from './lib.js';

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

// Perl sends to tsr, which it has no address for (a non-global Perl node keeps it queued for
// connect_interval, 2 s); tsr connects in below, well within that
perl.send({ cmd: 'snd', port: sink.id, msg: ['queued-on-perl'] });
await sleep(300);

await check('ours: snd to perlr (no address) then perlr connects in 300 ms → delivered', async () => {
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
  const got = await perl
    .waitFor((e) => e.ev === 'msg' && e.msg[0] === 'queued-on-ts', 3)
    .catch(() => undefined);
  if (!got) throw new Error(`ours dropped it; node-port monitor fired with ${JSON.stringify(reason)}`);
});

await check('Perl: snd to tsr (no address) before tsr connected in → delivered to ours', async () => {
  const got = await poll(
    async () => inbox.find((m) => m[0] === 'queued-on-perl'),
    (m) => m !== undefined,
    30,
  );
  if (!got) throw new Error('Perl dropped it');
});
const code = summary();
perl.kill();
await node.close();
process.exit(code);
