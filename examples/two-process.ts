// examples/two-process.ts
/**
 * Two nodes in two processes: a shared secret, ping-pong, a remote spawn,
 * and a monitor that fires when the spawned port dies.
 * Run with `npx tsx examples/two-process.ts`.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { firstValueFrom } from 'rxjs';
import { createNode, PortKilled } from '../src/index.js';

const say = (text: string) => process.stdout.write(text + '\n');
const secret = 'example-secret';

// 1. start the worker process and read its address
const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./two-process-worker.ts', import.meta.url))], {
  env: { ...process.env, AEMP_SECRET: secret },
  stdio: ['pipe', 'pipe', 'inherit'],
});
const [line] = (await once(createInterface({ input: child.stdout! }), 'line')) as [string];
const { address, pinger } = JSON.parse(line) as { address: string; pinger: string };
say(`worker listens on ${address}`);

// 2. our node knows where 'worker' is; both share the secret
const node = await createNode({ nodeid: 'client/', binds: ['127.0.0.1:0'], secret, norc: true, addresses: { worker: [address] } });
node.nodes$.subscribe((e) => say(`  node ${e.node} is ${e.up ? 'up' : 'down'}`));

// 3. ping-pong: a port of ours receives the pongs
const pongs = node.port();
for (let n = 1; n <= 3; n++) {
  const reply = firstValueFrom(pongs.messages);
  node.snd(pinger, 'ping', n, pongs.id);
  say(`ping ${n} → ${JSON.stringify(await reply)}`);
}

// 4. spawn a counter on the worker, call it, monitor it, stop it
const counter = node.spawn('worker', 'Example::Counter::init', 10);
say(`spawned ${counter}`);
const death = firstValueFrom(node.mon(counter)).catch((e: unknown) => e);
say(`add 5 → ${JSON.stringify(await firstValueFrom(node.cal(counter, 'add', 5, { timeout: 5 })))}`);
say(`add 7 → ${JSON.stringify(await firstValueFrom(node.cal(counter, 'add', 7, { timeout: 5 })))}`);
node.snd(counter, 'stop');
const err = await death;
if (err instanceof PortKilled) say(`monitor: counter died with ${JSON.stringify(err.reason)}`);

// 5. end the worker: our node sees it go down
child.stdin!.end();
await once(child, 'exit');
await node.close();
say('done');
