/**
 * Starts aemp nodes in real child processes (spec/fixtures/node.ts via tsx).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';

const FIXTURE = fileURLToPath(new URL('../fixtures/node.ts', import.meta.url));

export interface ChildNode {
  readonly id: string;
  readonly addresses: string[];
  readonly ports: { echo: string; sink: string };
  readonly proc: ChildProcess;
  /** stderr text so far (the child's warn+ log lines). */
  stderr(): string;
  /** Ends it gently (stdin closed) and waits for exit. */
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
  const exited = new Promise<void>((r) => proc.once('exit', () => r()));
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
      const info = JSON.parse(line.slice(6));
      resolve({
        ...info,
        proc,
        stderr: () => err,
        stop: async () => {
          proc.stdin?.end();
          const t = setTimeout(() => proc.kill('SIGKILL'), 5000);
          await exited;
          clearTimeout(t);
        },
        kill9: async () => {
          proc.kill('SIGKILL');
          await exited;
        },
      });
    });
  });
}
