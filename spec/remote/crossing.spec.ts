import { describe, expect, it } from 'vitest';
import { crossingTrials } from './crossing/driver.js';

// Two processes that dial each other at the same instant: the crossing is settled
// deterministically (the connection opened by the smaller node id wins on both sides),
// so no cal is lost, none fails and no node-down fires. `npm run stress` runs 100 trials.
describe('simultaneous connects between two processes', () => {
  it('a seeded slice of 12 crossing trials: nothing lost, no false transport_error, no node-down', async () => {
    const r = await crossingTrials(12, 20261203);
    expect(r.faults).toEqual([]);
    expect(r.lost + r.errors + r.downs).toBe(0);
  }, 60_000);
});
