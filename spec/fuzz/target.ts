/**
 * The node under fuzz: in this process, or in a child process whose stderr
 * is scanned for log lines that look like our bugs rather than refusals.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { createNode } from '../../src/index.js';

/** The secret of the target and of every honest session. */
export const SECRET = 'fuzz-secret';
/** The target's frame limit: small, so that oversized frames are cheap to send. */
export const FUZZ_MAX_FRAME_BYTES = 64 * 1024;
const FIXTURE = fileURLToPath(new URL('../fixtures/node.ts', import.meta.url));

/**
 * Log texts that mean our code broke rather than refused: a JS error
 * surfacing where a checked, worded refusal belongs.
 */
const SUSPICIOUS =
  /threw|receive error|internal handshake error|decoder failure|Cannot (read|set|convert|create|mix)|is not (a function|iterable|an object|a constructor|defined)|Maximum call stack|Invalid (array length|time value|string length)|out of memory|undefined is not/;

/** The node under fuzz. */
export interface Target {
  readonly id: string;
  readonly port: number;
  readonly address: string;
  /** Why it is dead, or undefined while it lives. */
  dead(): string | undefined;
  /** Log lines of the target that look like our bugs (deduplicated, bounded). */
  readonly suspicious: Map<string, string>;
  close(): Promise<void>;
}

function noteSuspicious(map: Map<string, string>, text: string): void {
  if (!SUSPICIOUS.test(text) || map.size >= 200) return;
  // dedupe on the text with ids, numbers and addresses blurred
  const key = text
    .replace(/fz[-\w]*/g, 'ID')
    .replace(/\d+/g, 'N')
    .slice(0, 160);
  if (!map.has(key)) map.set(key, text.slice(0, 600));
}

/** Starts the target in this process (errors surface as uncaught exceptions here). */
export async function inProcessTarget(): Promise<Target> {
  const suspicious = new Map<string, string>();
  const node = await createNode({
    nodeid: 'fuzz-target',
    binds: ['127.0.0.1:0'],
    secret: SECRET,
    norc: true,
    stderrLog: false,
    maxFrameBytes: FUZZ_MAX_FRAME_BYTES,
  });
  node.register('Test::Echo::init', (self) => self.rcv(() => {}));
  node.log$.subscribe((r) => noteSuspicious(suspicious, `${r.level} ${r.context}: ${r.message}`));
  if (process.env.FUZZ_DEBUG) node.log$.subscribe((r) => r.severity <= 5 && console.log('TARGET', r.message));
  let closed = false;
  const address = node.addresses[0]!;
  return {
    id: node.id,
    address,
    port: Number(address.split(':').pop()),
    dead: () => (closed ? 'closed' : undefined),
    suspicious,
    close: async () => {
      closed = true;
      await node.close();
    },
  };
}

/** Starts the target as a child process (spec/fixtures/node.ts); its stderr is scanned, not kept. */
export function childTarget(timeoutMs = 30_000): Promise<Target> {
  const suspicious = new Map<string, string>();
  const options = {
    nodeid: 'fuzz-target',
    binds: ['127.0.0.1:0'],
    secret: SECRET,
    maxFrameBytes: FUZZ_MAX_FRAME_BYTES,
    stderrLog: 'warn',
  };
  const proc: ChildProcess = spawn(process.execPath, ['--import', 'tsx', FIXTURE, JSON.stringify(options)], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let exit: string | undefined;
  let tail = '';
  const exited = new Promise<void>((r) =>
    proc.once('close', (code, signal) => {
      exit = `exited (code ${code}, signal ${signal}); last stderr:\n${tail}`;
      r();
    }),
  );
  createInterface({ input: proc.stderr! }).on('line', (line) => {
    tail = (tail + line + '\n').slice(-4000);
    noteSuspicious(suspicious, line);
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      proc.kill('SIGKILL');
      reject(new Error(`fuzz target did not start: ${tail}`));
    }, timeoutMs);
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`fuzz target ${exit}`));
    });
    createInterface({ input: proc.stdout! }).on('line', (line) => {
      if (!line.startsWith('READY ')) return;
      clearTimeout(timer);
      const info = JSON.parse(line.slice(6)) as { id: string; addresses: string[] };
      const address = info.addresses[0]!;
      resolve({
        id: info.id,
        address,
        port: Number(address.split(':').pop()),
        dead: () => exit,
        suspicious,
        close: async () => {
          if (exit) return;
          proc.stdin?.end();
          const t = setTimeout(() => proc.kill('SIGKILL'), 5000);
          await exited;
          clearTimeout(t);
        },
      });
    });
  });
}
