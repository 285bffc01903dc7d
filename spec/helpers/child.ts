/**
 * Starts aemp nodes in real child processes (spec/fixtures/node.ts via tsx).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';
import { reportStrayFailure } from './strayFailures.js';

const FIXTURE = fileURLToPath(new URL('../fixtures/node.ts', import.meta.url));

export interface ChildNode {
  readonly id: string;
  readonly addresses: string[];
  readonly ports: { echo: string; sink: string };
  readonly proc: ChildProcess;
  /** stderr text so far (the child's warn+ log lines). */
  stderr(): string;
  /**
   * Ends it gently (stdin closed) and waits for exit. A child that exits on
   * its own, or with a failure code here, fails the running test (its stderr
   * says why: spec/fixtures/node.ts prints `FATAL …` for an unhandled error).
   */
  stop(): Promise<void>;
  /** SIGKILL, and waits for exit. */
  kill9(): Promise<void>;
}

/** Starts a child node; resolves when it printed READY (bounded by `timeoutMs`). */
export function startChild(options: Record<string, unknown>, timeoutMs = 20_000): Promise<ChildNode> {
  const proc = spawn(process.execPath, ['--import', 'tsx', FIXTURE, JSON.stringify(options)], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let err = '';
  proc.stderr?.setEncoding('utf8').on('data', (d: string) => (err += d));
  let ready = false;
  let ending = false; // stop() or kill9() asked for the exit
  // 'close', not 'exit': by then stderr has been read to its end
  const exited = new Promise<void>((r) =>
    proc.once('close', (code, signal) => {
      if (ready && (!ending || (code !== 0 && signal !== 'SIGKILL')))
        reportStrayFailure(new Error(`child node ${String(options.nodeid ?? '')} exited (${code ?? signal}):\n${err}`));
      r();
    }),
  );
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      proc.kill('SIGKILL');
      reject(new Error(`child did not start within ${timeoutMs} ms: ${err}`));
    }, timeoutMs);
    proc.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`child exited early (${code}): ${err}`));
    });
    createInterface({ input: proc.stdout! }).on('line', (line) => {
      if (!line.startsWith('READY ')) return;
      clearTimeout(timer);
      ready = true;
      const info = JSON.parse(line.slice(6));
      resolve({
        ...info,
        proc,
        stderr: () => err,
        stop: async () => {
          if (proc.exitCode !== null || proc.signalCode !== null) return;
          ending = true;
          proc.stdin?.end();
          const t = setTimeout(() => proc.kill('SIGKILL'), 5000);
          await exited;
          clearTimeout(t);
        },
        kill9: async () => {
          ending = true;
          proc.kill('SIGKILL');
          await exited;
        },
      });
    });
  });
}
