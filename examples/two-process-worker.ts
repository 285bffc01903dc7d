// examples/two-process-worker.ts
/**
 * The worker half of examples/two-process.ts: a node that registers a
 * spawnable function and answers pings. Prints its address and waits.
 */
import { createNode } from '../src/index.js';

const node = await createNode({
  nodeid: 'worker',
  binds: ['127.0.0.1:0'],
  secret: process.env.AEMP_SECRET ?? 'example-secret',
  norc: true,
});

// a port with a well-known job: reply 'pong' to every 'ping'
const pinger = node.port().rcv('ping', ([n, reply]) => node.snd(reply as string, 'pong', n));

// a function other nodes may spawn here
node.register('Example::Counter::init', (self, start) => {
  let count = start as number;
  self.rcv('add', ([n, reply]) => node.snd(reply as string, (count += n as number)));
  self.rcv('stop', () => self.kill('stopped', `at ${count}`));
});

process.stdout.write(JSON.stringify({ address: node.addresses[0], pinger: pinger.id }) + '\n');
process.stdin.resume();
process.stdin.on('end', () => void node.close().then(() => process.exit(0)));
