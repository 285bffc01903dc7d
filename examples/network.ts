/**
 * `npm start`: a live aemp network on 127.0.0.1, in one command.
 *
 * - a seed node (global: it keeps the merged database) in this process,
 * - three worker processes that attach to the seed and `db.reg` their job
 *   port into the family `workers`,
 * - a client node (also here) that follows the family with `db.mon`,
 *   dispatches jobs with `cal`, and — when a worker is killed mid-run —
 *   sees its monitor fire and the family delta show it leave, and retries
 *   the job elsewhere.
 *
 * Everything uses a secret made for this run. It ends by itself within a
 * minute; Ctrl-C ends it cleanly at any time.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { firstValueFrom, Subscription } from 'rxjs';
import { createNode, PortKilled, CallTimeout, type AempNode } from '../src/index.js';

const t0 = Date.now();
const say = (who: string, text: string) =>
  process.stdout.write(`${((Date.now() - t0) / 1000).toFixed(2).padStart(6)}s  ${who.padEnd(8)} ${text}\n`);

const secret = randomBytes(24).toString('base64url');
process.env.AEMP_SECRET = secret;
say('demo', `a secret for this run: ${secret.slice(0, 6)}… (every node must know it)`);

// 1. the seed: a global node the others attach to
const seed = await createNode({ nodeid: 'seed', binds: ['127.0.0.1:0'], secret, global: true, norc: true, stderrLog: 'error' });
const seedAddress = seed.addresses[0] as string;
say('seed', `listening on ${seedAddress}, global node of the database`);

// 2. the client node, attached to the seed
const client = await createNode({ nodeid: 'client/', binds: ['127.0.0.1:0'], seeds: [seedAddress], secret, norc: true, stderrLog: 'error' });

// follow the family of workers as a stream of deltas
const workers = new Map<string, { name: string }>();
const following = new Subscription();
following.add(client.nodes$.subscribe((e) => say('client', `node ${e.node} is ${e.up ? 'up' : 'down'}`)));
following.add(client.db.mon('workers').subscribe((d) => {
  for (const [port, v] of Object.entries(d.added)) {
    const { name } = v as { name: string };
    workers.set(port, { name });
    say('client', `+ worker ${name} joined (${port})`);
    // watch the worker's port: the monitor fires when it dies, with the reason
    following.add(
      client.mon(port).subscribe({
        error: (e: PortKilled) => say('client', `monitor: ${name}'s port died: ${JSON.stringify(e.reason)}`),
        complete: () => say('client', `monitor: ${name}'s port ended normally`),
      }),
    );
  }
  for (const [port, v] of Object.entries(d.deleted)) {
    workers.delete(port);
    say('client', `- worker ${(v as { name: string }).name} left the family`);
  }
}));

// 3. three worker processes
const children: ChildProcess[] = [];
const workerScript = fileURLToPath(new URL('./network-worker.ts', import.meta.url));
await Promise.all(
  ['alpha', 'beta', 'gamma'].map(async (name) => {
    const child = spawn(process.execPath, ['--import', 'tsx', workerScript, name, seedAddress], { stdio: ['pipe', 'pipe', 'inherit'] });
    children.push(child);
    await once(createInterface({ input: child.stdout! }), 'line');
    say(name, `process ${child.pid} started`);
  }),
);
await until(() => workers.size === 3, 20);
say('client', `all three workers are in the family`);

// 4. dispatch jobs round-robin with cal; retry a job elsewhere when its worker dies
let next = 0;
async function runJob(n: number, node: AempNode): Promise<void> {
  for (let attempt = 1; attempt <= 5; attempt++) {
    const ports = [...workers.keys()];
    if (ports.length === 0) throw new Error('no workers left');
    const port = ports[next++ % ports.length] as string;
    const name = workers.get(port)?.name ?? '?';
    try {
      const reply = firstValueFrom(node.cal(port, 'job', n));
      dispatched(name);
      const [who, result] = await reply;
      say('client', `job ${String(n).padStart(2)} → ${String(result).padStart(3)} (by ${String(who)}${attempt > 1 ? `, attempt ${attempt}` : ''})`);
      return;
    } catch (err) {
      const why = err instanceof PortKilled ? JSON.stringify(err.reason) : err instanceof CallTimeout ? 'timeout' : String(err);
      say('client', `job ${n} on ${name} failed: ${why}; retrying elsewhere`);
      workers.delete(port);
    }
  }
}

// 5. a worker dies in the middle of the run: beta is killed while it works on a job
let killed = false;
function dispatched(name: string): void {
  if (name !== 'beta' || killed || next < 4) return;
  killed = true;
  const victim = children.find((c) => c.spawnargs.includes('beta'))!;
  setTimeout(() => {
    say('demo', `killing worker beta (pid ${victim.pid}) with SIGKILL while it has a job`);
    victim.kill('SIGKILL');
  }, 50);
}
const jobs: Promise<void>[] = [];
for (let n = 1; n <= 12; n++) {
  jobs.push(runJob(n, client));
  await new Promise((r) => setTimeout(r, 60));
}
await Promise.all(jobs);
await until(() => workers.size === 2, 10);
say('client', `family now: ${[...workers.values()].map((w) => w.name).join(', ')}`);

await shutdown(0);

async function until(cond: () => boolean, seconds: number): Promise<void> {
  const end = Date.now() + seconds * 1000;
  while (!cond()) {
    if (Date.now() > end) throw new Error('the demo network did not settle in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function shutdown(code: number): Promise<never> {
  say('demo', 'shutting down');
  following.unsubscribe();
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.stdin?.end();
  await Promise.all(children.map((c) => (c.exitCode === null && c.signalCode === null ? once(c, 'exit') : undefined)));
  await client.close();
  await seed.close();
  say('demo', 'done');
  process.exit(code);
}

process.on('SIGINT', () => void shutdown(130));
const guard = setTimeout(() => {
  say('demo', 'taking too long; giving up');
  void shutdown(1);
}, 55_000);
guard.unref();
