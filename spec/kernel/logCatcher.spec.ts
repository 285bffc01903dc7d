/**
 * The serving side of AnyEvent::MP::LogCatcher (PROTOCOL.md §10): a catcher
 * sends `connect(0, PORT, LEVEL)` to the node port; records at LEVEL or
 * worse go to PORT as `[time, context, level, text]` until PORT dies.
 */
import { describe, expect, it } from 'vitest';
import { serveLogCatcher } from '../../src/kernel/logCatcher.js';
import { makeKernel, tick } from '../helpers/kernel.js';

describe('LogCatcher service', () => {
  it.each([
    ['warn', 5],
    [5, 5],
    ['5', 5],
    ['warning', 5], // AnyEvent::Log's aliases
    ['err', 4],
    ['crit', 3],
    ['notice', 6],
  ])('level %j forwards records up to severity %i, until the catcher port dies', async (level, max) => {
    const { k } = makeKernel();
    serveLogCatcher(k);
    const got: unknown[][] = [];
    const catcher = k.port((msg) => got.push([...msg]));
    k.snd(k.nodePortId, 'AnyEvent::MP::LogCatcher::connect', 0, catcher.id, level);
    await tick();
    k.log('error', 'test', 'an error');
    k.log('warn', 'test', 'a warning');
    k.log('note', 'test', 'a note');
    await tick();
    const severities = got.map((m) => m[2]);
    expect(severities).toEqual([4, 5, 6].filter((s) => s <= max));
    if (max >= 4) expect(got[0]).toEqual([expect.any(Number), 'test', 4, 'an error']);
    k.kil(catcher.id);
    await tick();
    const before = got.length;
    k.log('error', 'test', 'after');
    await tick();
    expect(got.length).toBe(before);
  });

  it('refuses a bad level with a logged error', async () => {
    const { k, logs } = makeKernel();
    serveLogCatcher(k);
    const catcher = k.port(() => {});
    k.snd(k.nodePortId, 'AnyEvent::MP::LogCatcher::connect', 0, catcher.id, 'loud');
    await tick();
    expect(logs.some((r) => /bad level "loud"/.test(r.message))).toBe(true);
  });
});
