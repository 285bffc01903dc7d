/**
 * A tour of one node: ports, a spawned worker, a `cal`, and a monitor
 * firing. Run with `npx tsx examples/local.ts`.
 */
import { firstValueFrom } from 'rxjs';
import { createNode, ofTag, PortKilled } from '../src/index.js';

const say = (text: string) => process.stdout.write(text + '\n');

const node = await createNode({ nodeid: 'tour/', binds: [], norc: true });
say(`node ${node.id} is up`);

// a port with tag handlers: the handler gets the message without its tag
const greeter = node.port().rcv('hello', ([who]) => say(`  greeter: hello, ${String(who)}!`));
node.snd(greeter.id, 'hello', 'world');

// a port consumed as a stream with an operator
const logger = node.port();
logger.messages.pipe(ofTag('log')).subscribe(([text]) => say(`  logger: ${String(text)}`));
node.snd(logger.id, 'log', 'ports are Observables too');

// a spawnable worker: answers 'square' requests, dies on bad input
node.register('Tour::Worker::init', (self, name) => {
  say(`  worker ${String(name)} started as ${self.id}`);
  self.rcv('square', ([n, reply]) => {
    if (typeof n !== 'number') throw new Error(`not a number: ${String(n)}`);
    node.snd(reply as string, n * n);
  });
});
const worker = node.spawn(node.id, 'Tour::Worker::init', 'w1');
say(`spawned ${worker} (the init runs after spawn returns)`);

// cal: one request, one reply
const [squared] = await firstValueFrom(node.cal(worker, 'square', 12, { timeout: 1 }));
say(`cal square 12 → ${String(squared)}`);

// a monitor firing: the worker dies on bad input, the monitor errors with the reason
const watched = firstValueFrom(node.mon(worker)).catch((err: unknown) => err);
node.snd(worker, 'square', 'twelve', greeter.id);
const death = await watched;
if (death instanceof PortKilled) say(`monitor: ${death.port} died: ${JSON.stringify(death.reason)}`);

await node.close();
say('node closed; bye');
