/**
 * Test setup (vitest `setupFiles`): an unhandled rejection or an uncaught
 * exception fails the test during which it happened — not only the run —
 * and so does a failure a helper reports from outside the test's own call
 * stack (a child-process node that died of one, see spec/helpers/child.ts).
 *
 * Vitest already counts unhandled errors against the run; this makes the
 * culprit test red, with the error as its failure, so nothing a peer sends
 * can end a node while its test still looks green.
 */
import { afterAll, afterEach, beforeEach } from 'vitest';

const pending: unknown[] = [];

/** Records a failure that happened outside the test's call stack; the current test fails with it. */
export function reportStrayFailure(err: unknown): void {
  pending.push(err);
}

const onRejection = (reason: unknown): void => reportStrayFailure(reason);
const onException = (err: unknown): void => reportStrayFailure(err);
process.on('unhandledRejection', onRejection);
process.on('uncaughtException', onException);

afterAll(() => {
  process.off('unhandledRejection', onRejection);
  process.off('uncaughtException', onException);
});

beforeEach(() => {
  pending.length = 0;
});

afterEach(async () => {
  // let a rejection of the test's last turn surface (Node reports them after the microtask queue drains)
  await new Promise((r) => setImmediate(r));
  if (pending.length === 0) return;
  const errors = pending.splice(0);
  const text = errors.map((e) => (e instanceof Error ? (e.stack ?? e.message) : String(e))).join('\n---\n');
  throw new Error(`unhandled error during this test (${errors.length}):\n${text}`);
});
