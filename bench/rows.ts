/**
 * What every bench module returns, and the helpers that make the numbers
 * honest: warm-up, several timed rounds, median with min/max.
 *
 * A bench module is `export async function benchXxx(): Promise<Row[]>`;
 * `bench/index.ts` runs them one after another and prints/saves the rows.
 * Benchmarks never assert: a missed target is shown, never thrown.
 * @module
 */
import os from 'node:os';
import v8 from 'node:v8';
import vm from 'node:vm';

/** A goal for a row: `>=` (more is better) or `<=` (less is better). Shown, never enforced. */
export interface Target {
  cmp: '>=' | '<=';
  value: number;
}

/** Spread of the timed rounds behind a row's (median) value. */
export interface Spread {
  min: number;
  max: number;
  /** Number of timed rounds (warm-up rounds not counted). */
  rounds: number;
}

/** One result line. Only `name`, `value` and `unit` are required. */
export interface Row {
  name: string;
  /** The reported figure: the median of the timed rounds when `spread` is given. */
  value: number;
  unit: string;
  note?: string;
  target?: Target;
  spread?: Spread;
}

/** Median of a non-empty list (mean of the middle two for an even count). */
export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Median, min and max of some samples. */
export function summarize(samples: readonly number[]): { value: number; spread: Spread } {
  return {
    value: median(samples),
    spread: { min: Math.min(...samples), max: Math.max(...samples), rounds: samples.length },
  };
}

/** Options of {@link rounds}. */
export interface RoundsOptions {
  /** Untimed rounds first (JIT warm-up). Default 2. */
  warmup?: number;
  /** Timed rounds. Default 7. */
  rounds?: number;
}

/**
 * Runs `round` `warmup + rounds` times; each call returns one sample (it does
 * its own timing, so setup stays outside the clock). Returns the median and
 * the spread of the timed samples.
 */
export async function rounds(
  round: () => number | Promise<number>,
  { warmup = 2, rounds: n = 7 }: RoundsOptions = {},
): Promise<{ value: number; spread: Spread }> {
  for (let i = 0; i < warmup; i++) await round();
  const samples: number[] = [];
  for (let i = 0; i < n; i++) samples.push(await round());
  return summarize(samples);
}

/** Nanoseconds since an arbitrary origin, as a number (fine for spans under ~100 days). */
export function nowNs(): number {
  return Number(process.hrtime.bigint());
}

/** Operations per second from a count and a span in nanoseconds. */
export function perSecond(ops: number, ns: number): number {
  return (ops * 1e9) / ns;
}

let gcFn: (() => void) | undefined;

/**
 * A full, synchronous garbage collection. Uses `globalThis.gc` when node ran
 * with `--expose-gc`; otherwise turns the flag on at run time and fetches
 * `gc` from a fresh context (the usual in-process trick).
 */
export function fullGc(): void {
  if (gcFn === undefined) {
    const g = (globalThis as { gc?: () => void }).gc;
    if (typeof g === 'function') gcFn = g;
    else {
      v8.setFlagsFromString('--expose-gc');
      gcFn = vm.runInNewContext('gc') as () => void;
    }
  }
  // twice: the first pass may only queue finalizers / weak callbacks
  gcFn();
  gcFn();
}

/** `heapUsed` after a full gc. */
export function heapAfterGc(): number {
  fullGc();
  return process.memoryUsage().heapUsed;
}

/** The machine a run was made on (saved with the results). */
export interface MachineInfo {
  node: string;
  v8: string;
  platform: string;
  arch: string;
  cpu: string;
  cores: number;
  totalMemBytes: number;
  /** 1, 5 and 15 minute load averages at the start: a busy machine skews every figure. */
  loadAvg: number[];
}

export function machineInfo(): MachineInfo {
  const cpus = os.cpus();
  return {
    node: process.version,
    v8: process.versions.v8,
    platform: process.platform,
    arch: process.arch,
    cpu: cpus[0]?.model.trim() ?? 'unknown',
    cores: cpus.length,
    totalMemBytes: os.totalmem(),
    loadAvg: os.loadavg(),
  };
}
