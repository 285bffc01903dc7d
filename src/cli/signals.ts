/**
 * Long-running commands (`run`, `watch`, `nodes --follow`, `logs`) end on
 * SIGINT or SIGTERM: the first signal ends them cleanly, a second one
 * exits at once.
 * @module
 */
import type { Subscription } from 'rxjs';

/** Resolves with the signal when the process gets SIGINT or SIGTERM. */
export function untilSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const once = (signal: NodeJS.Signals) => {
      process.off('SIGINT', once);
      process.off('SIGTERM', once);
      const again = () => process.exit(130);
      process.once('SIGINT', again);
      process.once('SIGTERM', again);
      resolve(signal);
    };
    process.on('SIGINT', once);
    process.on('SIGTERM', once);
  });
}

/** Runs until a signal, or until `done` settles; then cleans up `subs`. */
export async function follow(subs: Subscription[], done: Promise<unknown>): Promise<void> {
  try {
    await Promise.race([untilSignal(), done]);
  } finally {
    for (const s of subs) s.unsubscribe();
  }
}
