/**
 * AnyEvent::MP's precedence: the rc file's profile wins over what the
 * program passed, unless `force`. When that happens the node says so at
 * `info`, naming the keys and the profile.
 */
import { describe, expect, it, vi } from 'vitest';
import { resolveConfig } from '../../src/config/index.js';
import { createNode } from '../../src/index.js';

const rcData = {
  version: 1,
  secret: 'top-secret',
  profile: { base: { monitor_timeout: 7 }, seed: { parent: 'base', binds: ['127.0.0.1:0'], connect_interval: 3 } },
};

describe('options the rc file overrides', () => {
  it('lists each option the file replaced with another value, and the layer that won', () => {
    const config = resolveConfig(
      { profile: 'seed', binds: ['127.0.0.1:4040'], monitorTimeout: 9, connectInterval: 3, secret: 'mine', nodeid: 'x/', rcPath: 'my.rc' },
      { rcData, hostname: 'h' },
    );
    expect(config.binds).toEqual(['127.0.0.1:0']);
    const by = Object.fromEntries(config.overridden.map((o) => [o.key, o.by]));
    expect(by).toEqual({
      binds: 'rc file my.rc, profile "seed"',
      monitorTimeout: 'rc file my.rc, profile "base"',
      secret: 'rc file my.rc (top level)',
    }); // connectInterval: the same value, not an override; nodeid: not in the file
  });

  it('force: true keeps the options, and nothing is overridden', () => {
    const config = resolveConfig({ profile: 'seed', binds: ['127.0.0.1:4040'], force: true }, { rcData, hostname: 'h' });
    expect(config.binds).toEqual(['127.0.0.1:4040']);
    expect(config.overridden).toEqual([]);
  });

  it('createNode logs them at info', async () => {
    const lines: string[] = [];
    const spy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      lines.push(String(chunk));
      return true;
    });
    try {
      const node = await createNode({
        profile: 'seed',
        binds: ['127.0.0.1:1'],
        secret: 'mine',
        nodeid: 'ov/',
        rcPath: 'my.rc',
        stderrLog: 'info',
        context: { rcData, hostname: 'h' },
      });
      await node.close();
    } finally {
      spy.mockRestore();
    }
    const said = lines.filter((l) => l.includes(' config: '));
    expect(said).toHaveLength(2);
    expect(said.join('')).toMatch(/info .* config: rc file my.rc, profile "seed" overrides the createNode option binds \(force: true keeps the options\)/);
    expect(said.join('')).toMatch(/config: rc file my.rc \(top level\) overrides the createNode option secret /);
  });
});
