import { describe, expect, it } from 'vitest';
import { dialSpacing } from '../../src/remote/dial.js';

describe('dialSpacing: the dials of one attempt start before the handshake timeout', () => {
  it('connectInterval apart when there is room (connectInterval 5, monitorTimeout 30)', () => {
    expect(dialSpacing(5, 30, 1)).toBe(5);
    expect(dialSpacing(5, 30, 5)).toBe(5);
  });
  it('closer when many addresses share the time left, but at least 0.4 s', () => {
    expect(dialSpacing(5, 30, 10)).toBe(2.5);
    expect(dialSpacing(5, 30, 100)).toBe(0.4);
    expect(dialSpacing(30, 5, 2)).toBe(0.4);
  });
});
