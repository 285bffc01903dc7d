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
// Ctrl-C (SIGINT to the whole process group: us and the workers) or SIGTERM ends everything cleanly,
// at any moment: exit 130 / 143, no stack trace, no process left behind. A second one ends it at once.
let stopping = false;
process.on('SIGINT', () => void shutdown(130));
process.on('SIGTERM', () => void shutdown(143));
/** Thrown by waits in progress once the demo is stopping: ends the main flow quietly. */
class Stopping extends Error {}

const say = (who: string, text: string) =>
  process.stdout.write(`${((Date.now() - t0) / 1000).toFixed(2).padStart(6)}s  ${who.padEnd(8)} ${text}\n`);

const secret = randomBytes(24).toString('base64url');
process.env.AEMP_SECRET = secret;
say('demo', `a secret for this run: ${secret.slice(0, 6)}… (every node must know it)`);

const workers = new Map<string, { name: string }>();
const children: ChildProcess[] = [];
const following = new Subscription();
let seed: AempNode | undefined;
let client: AempNode | undefined;

async function main(): Promise<void> {
  // 1. the seed: a global node the others attach to
  seed = await createNode({ nodeid: 'seed', binds: ['127.0.0.1:0'], secret, global: true, norc: true, stderrLog: 'error' });
  const seedAddress = seed.addresses[0] as string;
  say('seed', `listening on ${seedAddress}, global node of the database`);

  // 2. the client node, attached to the seed
  const node = (client = await createNode({ nodeid: 'client/', binds: ['127.0.0.1:0'], seeds: [seedAddress], secret, norc: true, stderrLog: 'error' }));
  if (stopping) throw new Stopping();

  // follow the family of workers as a stream of deltas
  following.add(node.nodes$.subscribe((e) => say('client', `node ${e.node} is ${e.up ? 'up' : 'down'}`)));
  following.add(node.db.mon('workers').subscribe((d) => {
    for (const [port, v] of Object.entries(d.added)) {
      const { name } = v as { name: string };
      workers.set(port, { name });
      say('client', `+ worker ${name} joined (${port})`);
      // watch the worker's port: the monitor fires when it dies, with the reason
      following.add(
        node.mon(port).subscribe({
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
  const workerScript = fileURLToPath(new URL('./network-worker.ts', import.meta.url));
  await Promise.all(
    ['alpha', 'beta', 'gamma'].map(async (name) => {
      if (stopping) throw new Stopping();
      const child = spawn(process.execPath, ['--import', 'tsx', workerScript, name, seedAddress], { stdio: ['pipe', 'pipe', 'inherit'] });
      children.push(child);
      const ready = await Promise.race([once(createInterface({ input: child.stdout! }), 'line'), once(child, 'exit').then(() => undefined)]);
      if (ready === undefined) throw stopping ? new Stopping() : new Error(`worker ${name} ended before it was ready`);
      say(name, `process ${child.pid} started`);
    }),
  );
  await until(() => workers.size === 3, 20);
  say('client', `all three workers are in the family`);

  // 4. twelve jobs, one every 60 ms (runJob below); 5. one worker is killed on the way (dispatched below)
  const jobs: Promise<void>[] = [];
  for (let n = 1; n <= 12; n++) {
    const job = runJob(n, node);
    job.catch(() => {}); // its failure is seen by Promise.all below; until then it is not unhandled
    jobs.push(job);
    await pause(60);
  }
  await Promise.all(jobs);
  await until(() => workers.size === 2, 10);
  say('client', `family now: ${[...workers.values()].map((w) => w.name).join(', ')}`);
}

// 4. dispatch jobs round-robin with cal; retry a job elsewhere when its worker dies
let next = 0;
async function runJob(n: number, node: AempNode): Promise<void> {
  for (let attempt = 1; attempt <= 5; attempt++) {
    if (stopping) throw new Stopping();
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
      if (stopping) throw new Stopping();
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
main().then(
  () => shutdown(0),
  (err: unknown) => {
    if (err instanceof Stopping || stopping) return;
    say('demo', `failed: ${err instanceof Error ? err.message : String(err)}`);
    void shutdown(1);
  },
);

function pause(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

async function until(cond: () => boolean, seconds: number): Promise<void> {
  const end = Date.now() + seconds * 1000;
  while (!cond()) {
    if (stopping) throw new Stopping();
    if (Date.now() > end) throw new Error('the demo network did not settle in time');
    await pause(20);
  }
}

async function shutdown(code: number): Promise<void> {
  if (stopping) {
    // a second signal while shutting down: end now, taking the workers along
    for (const c of children) c.kill('SIGKILL');
    process.exit(code);
  }
  stopping = true;
  say('demo', code === 0 ? 'shutting down' : 'stopping');
  following.unsubscribe();
  const alive = (c: ChildProcess) => c.exitCode === null && c.signalCode === null;
  for (const c of children) if (alive(c)) c.stdin?.end();
  const exited = Promise.all(children.map((c) => (alive(c) ? once(c, 'exit') : undefined)));
  // a worker that does not leave within 5 s is killed
  const stubborn = setTimeout(() => children.forEach((c) => alive(c) && c.kill('SIGKILL')), 5000);
  await exited;
  clearTimeout(stubborn);
  await client?.close();
  await seed?.close();
  say('demo', 'done');
  process.exit(code);
}

const guard = setTimeout(() => {
  say('demo', 'taking too long; giving up');
  void shutdown(1);
}, 55_000);
guard.unref();
