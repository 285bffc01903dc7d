/**
 * How the kernel runs things "later, but before I/O": monitor callbacks,
 * spawn inits, `no_such_port` answers. It goes through RxJS's
 * `asapScheduler`, so inside `TestScheduler.run` these happen in virtual
 * time and marble tests see kills and monitors like any other event.
 * @module
 */
import { asapScheduler } from 'rxjs';

/** Runs `fn` on the asap scheduler (a microtask in production). */
export function defer(fn: () => void): void {
  asapScheduler.schedule(fn);
}
