import { Kernel } from '../../src/kernel/node.js';
import type { LogRecord } from '../../src/log/log.js';

let n = 0;
/** A fresh kernel with its log records collected. */
export function makeKernel(id = `test${++n}`): { k: Kernel; logs: LogRecord[] } {
  const k = new Kernel({ id, uniq: '', runiq: 'R0JxsSRoSQ' });
  const logs: LogRecord[] = [];
  k.log$.subscribe((r) => logs.push(r));
  return { k, logs };
}

/** Lets every queued microtask and one macrotask turn run (deterministic, no timing). */
export const tick = (): Promise<void> => new Promise((r) => setImmediate(r));
