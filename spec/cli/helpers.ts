/**
 * Runs the `aemp` command as a real child process (`node bin/aemp.js …`),
 * with `PERL_ANYEVENT_MP_RC` pointing into a temporary directory (never the
 * real ~/.perl-anyevent-mp), and bounded in time.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll } from 'vitest';

export const BIN = fileURLToPath(new URL('../../bin/aemp.js', import.meta.url));

/** What a finished run printed and how it ended. */
export interface Run {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** The environment for a child: the test's rc file, never $HOME's. */
export function envFor(rc: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { ...process.env, PERL_ANYEVENT_MP_RC: rc, HOME: join(rc, '..'), AEMP_FROM_SOURCE: '1', ...extra };
}

const running = new Set<ChildProcess>();
// whatever a failed test left running is killed when its spec file ends
afterAll(() => {
  for (const child of running) child.kill('SIGKILL');
});

/** Starts `aemp args…`; the caller reads or ends it (leftovers are killed after the spec file). */
export function start(args: readonly string[], rc: string, extra: Record<string, string> = {}): ChildProcess {
  const child = spawn(process.execPath, [BIN, ...args], {
    env: envFor(rc, extra),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  child.once('exit', () => running.delete(child));
  return child;
}

/** Runs `aemp args…` to its end (killed after `timeoutMs`). */
export function aemp(args: readonly string[], rc: string, timeoutMs = 20_000): Promise<Run> {
  return finish(start(args, rc), timeoutMs);
}

/** Collects a child's output until it exits (SIGKILL after `timeoutMs`). */
export function finish(child: ChildProcess, timeoutMs = 20_000): Promise<Run> {
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr?.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

/** Waits (bounded) until `child`'s stdout has a line matching `re`; returns that line. */
export function waitForLine(child: ChildProcess, re: RegExp, timeoutMs = 15_000): Promise<string> {
  return new Promise((resolve, reject) => {
    let buf = '';
    let err = '';
    const onErr = (d: Buffer) => (err += d.toString());
    const onData = (d: Buffer) => {
      buf += d.toString();
      for (const line of buf.split('\n')) {
        if (re.test(line)) {
          cleanup();
          resolve(line);
          return;
        }
      }
    };
    const onExit = (code: number | null) => {
      cleanup();
      reject(new Error(`aemp exited (${code}) before printing ${re}; stdout: ${buf} stderr: ${err}`));
    };
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`no line matching ${re} within ${timeoutMs} ms; stdout: ${buf} stderr: ${err}`));
    }, timeoutMs);
    const cleanup = () => {
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      child.stderr?.off('data', onErr);
      child.off('exit', onExit);
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onErr);
    child.once('exit', onExit);
  });
}

/** A temporary directory for this spec file, removed after it. */
export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'aemp-cli-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

let n = 0;
/** A fresh rc file path (the file does not exist yet) in `dir`. */
export function rcIn(dir: string): string {
  return join(dir, `rc-${++n}`);
}

/** Runs the tasks, at most `width` at a time (the machine may have 2 cores); results in order. */
export async function inBatches<T>(tasks: readonly (() => Promise<T>)[], width: number): Promise<T[]> {
  const results: T[] = new Array(tasks.length);
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const i = next++;
      results[i] = await tasks[i]!();
    }
  };
  await Promise.all(Array.from({ length: Math.min(width, tasks.length) }, worker));
  return results;
}
