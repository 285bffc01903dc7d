/**
 * Crossing-connect trials: two real processes each make a fresh node that
 * knows the other's address, and both `cal` the other's node port at the
 * same wall-clock instant, so that each dials the other while the other's
 * connection is on its way in. A trial fails when a `cal` gets no answer
 * (a lost message), ends with a transport error, or a node-down event fires.
 * Used by spec/remote/crossing.spec.ts (a seeded slice) and
 * spec/stress/crossing.ts (`npm run stress`, 100 trials).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const CHILD = fileURLToPath(new URL('./child.ts', import.meta.url));

interface Proc {
  proc: ChildProcess;
  next(ms?: number): Promise<Record<string, unknown>>;
  send(cmd: Record<string, unknown>): void;
}

function start(): Promise<Proc> {
  const proc = spawn(process.execPath, ['--import', 'tsx', CHILD], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  proc.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const lines: Record<string, unknown>[] = [];
  const waiting: ((v: Record<string, unknown>) => void)[] = [];
  createInterface({ input: proc.stdout! }).on('line', (line) => {
    const v = JSON.parse(line) as Record<string, unknown>;
    const w = waiting.shift();
    if (w) w(v);
    else lines.push(v);
  });
  const next = (ms = 20_000) =>
    new Promise<Record<string, unknown>>((resolve, reject) => {
      const v = lines.shift();
      if (v) return resolve(v);
      const t = setTimeout(() => reject(new Error(`child gave no answer within ${ms} ms: ${stderr}`)), ms);
      waiting.push((x) => {
        clearTimeout(t);
        resolve(x);
      });
    });
  const p: Proc = { proc, next, send: (cmd) => proc.stdin!.write(JSON.stringify(cmd) + '\n') };
  return p.next().then(() => p);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => resolve(typeof a === 'object' && a ? a.port : 0));
    });
  });
}

/** A small seeded generator (mulberry32), so a failing slice can be rerun as it was. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** What went wrong in one trial (empty = nothing). */
export interface TrialFault {
  trial: number;
  side: 'a' | 'b';
  what: string;
}

export interface TrialsResult {
  trials: number;
  /** `cal`s that got no answer at all. */
  lost: number;
  /** `cal`s that ended with an error (a false transport error). */
  errors: number;
  /** Node-down events seen (none should fire: both nodes stay up). */
  downs: number;
  faults: TrialFault[];
}

/** Runs `n` crossing trials between two child processes. */
export async function crossingTrials(n: number, seed = 1): Promise<TrialsResult> {
  const random = rng(seed);
  const [a, b] = await Promise.all([start(), start()]);
  const res: TrialsResult = { trials: n, lost: 0, errors: 0, downs: 0, faults: [] };
  try {
    for (let t = 0; t < n; t++) {
      const tag = Math.floor(random() * 1e9).toString(36);
      // which side has the smaller id alternates, so both orders of the crossing rule are run
      const [ida, idb] = t % 2 ? [`x${tag}a`, `y${tag}b`] : [`y${tag}a`, `x${tag}b`];
      const [pa, pb] = [await freePort(), await freePort()];
      a.send({ cmd: 'make', nodeid: ida, port: pa, peer: { id: idb, address: `127.0.0.1:${pb}` } });
      b.send({ cmd: 'make', nodeid: idb, port: pb, peer: { id: ida, address: `127.0.0.1:${pa}` } });
      await Promise.all([a.next(), b.next()]);
      const at = Date.now() + 60;
      const skew = Math.floor(random() * 3); // 0–2 ms apart: the greetings cross at different points
      a.send({ cmd: 'go', at });
      b.send({ cmd: 'go', at: at + skew });
      const results = await Promise.all([a.next(), b.next()]);
      a.send({ cmd: 'stats' });
      b.send({ cmd: 'stats' });
      const stats = await Promise.all([a.next(), b.next()]);
      a.send({ cmd: 'end' });
      b.send({ cmd: 'end' });
      await Promise.all([a.next(), b.next()]);
      results.forEach((r, i) => {
        const side = i ? 'b' : 'a';
        if (r.result === 'lost') res.lost++;
        else if (r.result !== 'ok') res.errors++;
        if (r.result !== 'ok') res.faults.push({ trial: t, side, what: String(r.result) });
        const d = Number(stats[i]!.downs);
        if (d > 0) {
          res.downs += d;
          res.faults.push({ trial: t, side, what: `${d} node-down event(s)` });
        }
        if (stats[i]!.up !== true) res.faults.push({ trial: t, side, what: 'peer not up after the trial' });
      });
    }
  } finally {
    for (const p of [a, b]) {
      p.proc.stdin!.end();
      const t = setTimeout(() => p.proc.kill('SIGKILL'), 5000);
      await new Promise((r) => (p.proc.exitCode !== null ? r(null) : p.proc.once('exit', r)));
      clearTimeout(t);
    }
  }
  return res;
}
