/**
 * `services`: what a node starts once it is up — registered spawnables (by
 * their Perl-style names, with arguments), JS modules (their default export
 * gets the node), and the Perl modules that mean something here
 * (AnyEvent::MP::Global:: makes the node global). A service that cannot be
 * started is logged; the node and the other services go on.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { firstValueFrom } from 'rxjs';
import { createNode, type AempNode, type Port } from '../../src/index.js';
import { until } from '../helpers/net.js';

const open: AempNode[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((n) => n.close()));
});

async function node(options: Parameters<typeof createNode>[0]): Promise<AempNode> {
  const n = await createNode({ binds: [], norc: true, stderrLog: false, ...options });
  open.push(n);
  return n;
}

/** What the node's stderr sink writes while `run` runs (services log before createNode returns). */
async function stderrOf(run: () => Promise<unknown>): Promise<string> {
  const write = process.stderr.write.bind(process.stderr);
  let text = '';
  process.stderr.write = ((chunk: string | Uint8Array) => {
    text += String(chunk);
    return true;
  }) as typeof process.stderr.write;
  try {
    await run();
  } finally {
    process.stderr.write = write;
  }
  return text;
}

describe('services', () => {
  it('spawns registered functions by name, with arguments, each in a port of its own', async () => {
    const started: unknown[][] = [];
    const ports: Port[] = [];
    const n = await node({
      nodeid: 'svc/',
      functions: {
        'My::Service::init': (self, ...args) => {
          started.push(args);
          ports.push(self);
          self.rcv('ping', ([reply]) => n.snd(reply as string, 'pong'));
        },
      },
      services: ['My::Service::init', ['My::Service::init', 1, 'two']],
    });
    await until('both services started', () => started.length === 2);
    expect(started).toEqual([[], [1, 'two']]);
    expect(ports.every((p) => p.alive && p.id.startsWith(`${n.id}#`))).toBe(true);
    const [reply] = await firstValueFrom(n.cal(ports[0]!.id, 'ping', { timeout: 5 }));
    expect(reply).toBe('pong');
  });

  it('imports a module and calls its default export with the node and the arguments', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aemp-svc-'));
    const file = join(dir, 'service.mjs');
    writeFileSync(file, "export default (node, ...args) => { node.db.set('svc', 'args', args); };\n");
    const n = await node({ nodeid: 'mod/', services: [[file, 7, 'x']], global: true });
    expect(await firstValueFrom(n.db.family('svc'))).toEqual({ args: [7, 'x'] });
  });

  it("AnyEvent::MP::Global:: makes the node global, as loading Perl's global service does", async () => {
    const n = await node({ nodeid: 'glob/', services: ['AnyEvent::MP::Global::'] });
    expect(n.db.isGlobal).toBe(true);
  });

  it('what cannot be started is logged, and the rest still starts', async () => {
    let ran = false;
    const text = await stderrOf(() =>
      node({
        nodeid: 'bad/',
        stderrLog: 'warn',
        functions: { 'Ok::init': () => void (ran = true) },
        services: ['Not::Registered::init', 'Some::Perl::Module::', './no/such/module.js', 'Ok::init'],
      }),
    );
    await until('Ok::init ran', () => ran);
    expect(text).toMatch(/error \[bad\/\w+\] services: service Not::Registered::init is not registered/);
    expect(text).toMatch(/warn +\[bad\/\w+\] services: service Some::Perl::Module:: is a Perl module/);
    expect(text).toMatch(/error \[bad\/\w+\] services: service \.\/no\/such\/module\.js failed/);
  });

  it('functions must be an object', async () => {
    await expect(createNode({ norc: true, binds: [], functions: 5 as never })).rejects.toThrow(TypeError);
  });
});
