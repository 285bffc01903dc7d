/** Harness: runs a real Perl AnyEvent::MP node (perl_node.pl) as a child, talks to it with JSON lines. */
import { createNode, type AempNode, type CreateNodeOptions } from '../../src/index.js';
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
export const PERLLIB = process.env.PERLMP_LIB ?? '/tmp/perlmp/lib';
export const SECRET = 's3cret';
export const LOGDIR = process.env.INTEROP_LOGS ?? join(here, '..', '..', '.tmp', 'interop-logs');
mkdirSync(LOGDIR, { recursive: true });

export type Ev = Record<string, any>;

export class PerlNode {
  proc: ChildProcess;
  events: Ev[] = [];
  private waiters: { pred: (e: Ev) => boolean; res: (e: Ev) => void }[] = [];
  private nextId = 1;
  ready!: Ev;
  constructor(
    public name: string,
    cfg: Record<string, unknown>,
    env: Record<string, string> = {},
  ) {
    const log = createWriteStream(join(LOGDIR, `${name}.perl.log`));
    this.proc = spawn(
      'perl',
      [`-I${PERLLIB}`, `-I${here}`, join(here, 'perl_node.pl'), JSON.stringify(cfg)],
      {
        env: {
          ...process.env,
          AE_VERBOSE: '9',
          PERL_ANYEVENT_MP_RC: '/nonexistent',
          PERL_ANYEVENT_MP_TRACE: process.env.MPTRACE ?? '',
          ...env,
        },
        stdio: ['pipe', 'pipe', 'pipe'],
      },
    );
    this.proc.stderr!.pipe(log);
    let buf = '';
    this.proc.stdout!.on('data', (d: Buffer) => {
      buf += d.toString();
      let i;
      while ((i = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, i);
        buf = buf.slice(i + 1);
        log.write(`STDOUT ${line}\n`);
        let ev: Ev;
        try {
          ev = JSON.parse(line);
        } catch {
          continue;
        }
        this.events.push(ev);
        if (process.env.VERBOSE) console.log(`  [${name}] ${line}`);
        for (const w of [...this.waiters])
          if (w.pred(ev)) {
            this.waiters.splice(this.waiters.indexOf(w), 1);
            w.res(ev);
          }
      }
    });
  }
  async start(): Promise<Ev> {
    this.ready = await this.waitFor((e) => e.ev === 'ready', 10);
    return this.ready;
  }
  get id(): string {
    return this.ready.node;
  }
  waitFor(pred: (e: Ev) => boolean, timeoutS = 5, fromStart = true): Promise<Ev> {
    if (fromStart) {
      const e = this.events.find(pred);
      if (e) return Promise.resolve(e);
    }
    return new Promise((res, rej) => {
      const w = {
        pred,
        res: (e: Ev) => {
          clearTimeout(t);
          res(e);
        },
      };
      const t = setTimeout(() => {
        this.waiters.splice(this.waiters.indexOf(w), 1);
        rej(new Error(`timeout waiting on perl ${this.name}`));
      }, timeoutS * 1000);
      this.waiters.push(w);
    });
  }
  send(c: Record<string, unknown>): number {
    const id = this.nextId++;
    this.proc.stdin!.write(JSON.stringify({ id, ...c }) + '\n');
    return id;
  }
  /** send a command and wait for its reply/ok event */
  async cmd(c: Record<string, unknown>, timeoutS = 5): Promise<Ev> {
    const id = this.send(c);
    return this.waitFor((e) => e.id === id && ['reply', 'ok', 'error'].includes(e.ev), timeoutS);
  }
  kill(sig: NodeJS.Signals = 'SIGTERM') {
    this.proc.kill(sig);
  }
}

export const results: { name: string; ok: boolean; detail: string }[] = [];
// A scenario exits 1 when a check failed or none ran, however it ends (`process.exit(0)` too).
process.on('exit', (code) => {
  if (code === 0 && (results.length === 0 || results.some((r) => !r.ok))) process.exitCode = 1;
});
export async function check(name: string, fn: () => Promise<string | void>, timeoutS = 8): Promise<void> {
  try {
    const detail = await Promise.race([
      fn(),
      new Promise<never>((_, rej) =>
        setTimeout(() => rej(new Error(`timeout ${timeoutS}s`)), timeoutS * 1000),
      ),
    ]);
    results.push({ name, ok: true, detail: detail ?? '' });
    console.log(`PASS ${name}${detail ? ' — ' + detail : ''}`);
  } catch (e) {
    results.push({ name, ok: false, detail: String((e as Error)?.message ?? e) });
    console.log(`FAIL ${name} — ${String((e as Error)?.message ?? e)}`);
  }
}
/**
 * Prints the `N/M passed` line and returns the exit code for the scenario:
 * 1 when any check failed or none ran, else 0.
 */
export function summary(): number {
  const f = results.filter((r) => !r.ok).length;
  console.log(`\n${results.length - f}/${results.length} passed`);
  return f > 0 || results.length === 0 ? 1 : 0;
}
export function eq(a: unknown, b: unknown, what = ''): void {
  const canon = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(canon)
      : v && typeof v === 'object'
        ? Object.fromEntries(
            Object.keys(v)
              .sort()
              .map((k) => [k, canon((v as any)[k])]),
          )
        : v;
  const sa = JSON.stringify(canon(a)),
    sb = JSON.stringify(canon(b));
  if (sa !== sb) throw new Error(`${what} expected ${sb}, got ${sa}`);
}
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Calls `get` every 100 ms until `done` holds for its value or `tries` calls were made; returns the last value. */
export async function poll<T>(get: () => Promise<T>, done: (v: T) => unknown, tries = 50): Promise<T> {
  let v = await get();
  for (let i = 1; i < tries && !done(v); i++) {
    await sleep(100);
    v = await get();
  }
  return v;
}
export function logNode(node: { log$: any }, name: string) {
  const s = createWriteStream(join(LOGDIR, `${name}.ts.log`));
  node.log$.subscribe((r: any) =>
    s.write(`${new Date(r.time ?? Date.now()).toISOString()} ${r.level} ${r.context ?? ''} ${r.message}\n`),
  );
}

/**
 * One of our nodes for a scenario: listening on an ephemeral loopback port,
 * the shared secret, no rc file, warnings on stderr — unless `options` says otherwise.
 */
export function tsNode(options: CreateNodeOptions): Promise<AempNode> {
  return createNode({ binds: ['127.0.0.1:0'], secret: SECRET, norc: true, stderrLog: 'warn', ...options });
}

/**
 * A loopback address `127.0.0.1:PORT` whose port was free a moment ago (the
 * kernel picked it), for a node that must listen on a fixed address (a seed).
 */
export function freeAddress(): Promise<string> {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.once('error', rej);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => res(`127.0.0.1:${port}`));
    });
  });
}
