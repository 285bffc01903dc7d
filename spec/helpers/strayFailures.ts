/**
 * Failures that happen outside a test's own call stack: an unhandled
 * rejection, an uncaught exception, a child-process node that died of one.
 * The setup file (spec/helpers/failOnUnhandled.ts) fails the current test
 * with whatever was reported here during it.
 */

const pending: unknown[] = [];

/** Records a failure; the test running now fails with it. */
export function reportStrayFailure(err: unknown): void {
  pending.push(err);
}

/** Takes (and clears) what was reported so far. */
export function takeStrayFailures(): unknown[] {
  return pending.splice(0);
}
