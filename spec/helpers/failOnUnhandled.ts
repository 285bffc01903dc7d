/**
 * Test setup (vitest `setupFiles`): an unhandled rejection or an uncaught
 * exception fails the test during which it happened — not only the run —
 * and so does a failure a helper reports through {@link reportStrayFailure}
 * (a child-process node that died of one, see spec/helpers/child.ts).
 *
 * Vitest already counts unhandled errors against the run; this makes the
 * culprit test red, with the error as its failure, so nothing a peer sends
 * can end a node while its test still looks green
 * (spec/helpers/failOnUnhandled.spec.ts checks that it does).
 */
import { afterAll, afterEach, beforeEach } from 'vitest';
import { reportStrayFailure, takeStrayFailures } from './strayFailures.js';

const onRejection = (reason: unknown): void => reportStrayFailure(reason);
const onException = (err: unknown): void => reportStrayFailure(err);
process.on('unhandledRejection', onRejection);
process.on('uncaughtException', onException);

afterAll(() => {
  process.off('unhandledRejection', onRejection);
  process.off('uncaughtException', onException);
});

beforeEach(() => {
  takeStrayFailures(); // what happened between tests was reported by vitest already
});

afterEach(async () => {
  // let a rejection of the test's last turn surface (Node reports them after the microtask queue drains)
  await new Promise((r) => setImmediate(r));
  const errors = takeStrayFailures();
  if (errors.length === 0) return;
  const text = errors.map((e) => (e instanceof Error ? (e.stack ?? e.message) : String(e))).join('\n---\n');
  throw new Error(`unhandled error during this test (${errors.length}):\n${text}`);
});
