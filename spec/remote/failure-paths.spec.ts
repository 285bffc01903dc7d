/**
 * Every promise and Observable the API returns ends — with a value,
 * completion or a typed error — on every failure path (issue #10, defect 4):
 * `cal`, `mon`, `spawn`, `db.*` and `createNode` against dead, frozen,
 * unreachable and unknown nodes, missing ports, and a node closed under
 * them. Each wait is bounded; a path that never ends fails its test.
 */
import { afterEach, describe, expect, it } from 'vitest';
import net from 'node:net';
import { lastValueFrom, toArray, type Observable } from 'rxjs';
import { CallTimeout, ConfigError, createNode, PortKilled, type AempNode } from '../../src/index.js';
import { startChild, type ChildNode } from '../helpers/child.js';
import { until, withTimeout } from '../helpers/net.js';
import { makeNode, SECRET } from '../helpers/nodes.js';
import { freePort } from '../helpers/proxy.js';

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await Promise.resolve(f()).catch(() => {});
});

let n = 0;
async function node(name: string, options: Parameters<typeof makeNode>[1] = {}): Promise<AempNode> {
  const x = await makeNode(`${name}-${++n}`, { connectInterval: 0.5, monitorTimeout: 1, ...options });
  cleanup.push(() => x.close());
  return x;
}

async function child(
  nodeid: string,
  options: Record<string, unknown> = {},
): Promise<{ c: ChildNode; address: string }> {
  const port = await freePort();
  const address = `127.0.0.1:${port}`;
  const c = await startChild({ nodeid, binds: [address], secret: SECRET, ...options });
  cleanup.push(() => c.stop());
  cleanup.push(() => void c.proc.kill('SIGCONT'));
  return { c, address };
}

/** How an Observable ended, within a bounded wait: its values and its end. */
async function ending<T>(o: Observable<T>, ms = 10_000): Promise<{ values: T[]; error?: unknown }> {
  const values: T[] = [];
  return withTimeout(
    new Promise((resolve) =>
      o.subscribe({
        next: (v) => values.push(v),
        complete: () => resolve({ values }),
        error: (error: unknown) => resolve({ values, error }),
      }),
    ),
    ms,
    'the Observable to end',
  );
}

/** A port nothing listens on (connections to it are refused). */
const refusedAddress = async () => `127.0.0.1:${await freePort()}`;

describe('cal ends on every failure path', () => {
  it('to a node nothing listens for: PortKilled transport_error; with a timeout: CallTimeout', async () => {
    const p = await node('caller', { addresses: { nowhere: [await refusedAddress()] } });
    const e1 = await ending(p.cal('nowhere#x', 'hi'));
    expect(e1.error).toBeInstanceOf(PortKilled);
    expect((e1.error as PortKilled).reason).toEqual(['transport_error', 'nowhere', 'Connection refused']);
    const e2 = await ending(p.cal('nowhere#x', 'hi', { timeout: 0.2 }));
    expect(e2.error).toBeInstanceOf(CallTimeout);
  });

  it('to a node nobody knows an address of: PortKilled after connectInterval', async () => {
    const p = await node('caller');
    const e = await ending(p.cal('unknown#x', 'hi'));
    expect((e.error as PortKilled).reason).toEqual(['transport_error', 'unknown', 'connect timeout']);
  });

  // a frozen peer (SIGSTOP) under a pending cal, with and without timeout: spec/remote/liveness.spec.ts

  it('the target process killed (kill -9) mid-call: PortKilled transport_error', async () => {
    const { c, address } = await child('doomed-cal');
    const p = await node('caller', { addresses: { 'doomed-cal': [address] } });
    const silent = p.spawn('doomed-cal', 'Test::Linked::init', p.port(() => {}).id); // takes anything, answers nothing
    const pending = ending(p.cal(silent, 'nothing'));
    await until('connected', () => p.isUp('doomed-cal'));
    await c.kill9();
    const e = await pending;
    expect(e.error).toBeInstanceOf(PortKilled);
    expect((e.error as PortKilled).reason.slice(0, 2)).toEqual(['transport_error', 'doomed-cal']);
  });

  it('the own node closed during a call to a remote port: it ends (transport_error, node closed)', async () => {
    const other = await node('bystander');
    const p = await node('caller', { addresses: { [other.id]: [...other.addresses] } });
    const silent = other.port(() => {}); // takes anything, answers nothing
    const pending = ending(p.cal(silent.id, 'nothing'));
    await until('connected', () => p.isUp(other.id));
    const mon = ending(p.mon(silent.id));
    await p.close();
    const [e, m] = await Promise.all([pending, mon]);
    expect(e.error).toBeInstanceOf(PortKilled);
    expect((e.error as PortKilled).reason).toEqual(['transport_error', other.id, 'node closed']);
    expect((m.error as PortKilled).reason).toEqual(['transport_error', other.id, 'node closed']);
  });

  it('on a closed node: a call to a local or remote port errors at once', async () => {
    const p = await node('closed');
    const local = p.port(() => {});
    await p.close();
    expect((await ending(p.cal(local.id, 'x'))).error).toBeInstanceOf(Error);
    expect((await ending(p.cal('elsewhere#x', 'x', { timeout: 30 }), 1000)).error).toBeInstanceOf(Error);
  });
});

describe('mon ends on every failure path', () => {
  it('a port on an unreachable node: transport_error', async () => {
    const p = await node('watcher', { addresses: { gone: [await refusedAddress()] } });
    const e = await ending(p.mon('gone#p'));
    expect((e.error as PortKilled).reason).toEqual(['transport_error', 'gone', 'Connection refused']);
  });

  it('a port that does not exist, on a live node and on this one: no_such_port', async () => {
    const a = await node('a');
    const b = await node('b', { addresses: { [a.id]: [...a.addresses] } });
    const remote = await ending(b.mon(`${a.id}#nosuch`));
    expect((remote.error as PortKilled).reason).toEqual([
      'no_such_port',
      'cannot monitor nonexistent port',
      `${a.id}#nosuch`,
    ]);
    const local = await ending(b.mon(`${b.id}#nosuch`));
    expect((local.error as PortKilled).reason[0]).toBe('no_such_port');
  });

  it('the own node closed: monitors of local ports complete, of remote ports error; on a closed node they end at once', async () => {
    const a = await node('a');
    const b = await node('b', { addresses: { [a.id]: [...a.addresses] } });
    const remotePort = a.port(() => {});
    const localPort = b.port(() => {});
    const onRemote = ending(b.mon(remotePort.id));
    const onLocal = ending(b.mon(localPort.id));
    await until('connected', () => b.isUp(a.id));
    await b.close();
    const [local, remote] = await Promise.all([onLocal, onRemote]);
    expect(local).toEqual({ values: [] });
    expect((remote.error as PortKilled).reason).toEqual(['transport_error', a.id, 'node closed']);
    expect(((await ending(b.mon(remotePort.id), 1000)).error as PortKilled).reason).toEqual([
      'transport_error',
      a.id,
      'node closed',
    ]);
    expect(((await ending(b.mon(localPort.id), 1000)).error as PortKilled).reason[0]).toBe('no_such_port');
  });
});

describe('spawn on an unreachable node', () => {
  it('returns the id at once; a monitor of it ends with transport_error; on a closed node spawn throws', async () => {
    const p = await node('spawner', { addresses: { far: [await refusedAddress()] } });
    const id = p.spawn('far', 'Test::Echo::init', 'x');
    expect(id.startsWith('far#')).toBe(true);
    const e = await ending(p.mon(id));
    expect((e.error as PortKilled).reason).toEqual(['transport_error', 'far', 'Connection refused']);
    await p.close();
    expect(() => p.spawn('far', 'Test::Echo::init')).toThrow(/closed/);
  });
});

describe('db ends on every failure path', () => {
  it('no master (seed unreachable): queries wait, and end with an error when the node closes; mon completes', async () => {
    const s = await node('lonely', { seeds: [await refusedAddress()] });
    const query = ending(s.db.keys('fam'));
    const mon = ending(s.db.mon('fam'));
    const guard = s.db.set('fam', 'k', 1);
    await s.close();
    const [q, m] = await Promise.all([query, mon]);
    expect(String(q.error)).toMatch(/db\.keys: node closed/);
    expect(m.error).toBeUndefined();
    guard.unsubscribe();
    // on the closed node: at once
    expect(String((await ending(s.db.family('fam'), 1000)).error)).toMatch(/closed/);
    expect(await ending(s.db.mon('fam'), 1000)).toEqual({ values: [] });
  });

  it('the master frozen (SIGSTOP) under a pending query: the next seed answers it', async () => {
    const { c: g1, address } = await child('g1-frozen', { global: true, monitorTimeout: 1 });
    const g2address = `127.0.0.1:${await freePort()}`;
    const s = await node('slave', { seeds: [address, g2address] });
    await until('g1 is master', () => s.db.master === g1.id, 10_000);
    const g2 = await node('g2', { global: true, binds: [g2address] }); // the second seed comes up later
    await until('g2 is up', () => s.isUp(g2.id), 10_000);
    const set = g2.db.set('fam', 'from-g2', 1);
    cleanup.push(() => set.unsubscribe());
    g1.proc.kill('SIGSTOP');
    const e = await ending(s.db.keys('fam'));
    expect(e.error).toBeUndefined();
    expect(e.values).toHaveLength(1);
    expect(s.db.master).toBe(g2.id);
  });
});

describe('createNode ends on every failure path', () => {
  it('a bind on a port in use rejects, and leaves nothing bound', async () => {
    const blocker = net.createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
    cleanup.push(() => new Promise<void>((r) => blocker.close(() => r())));
    const used = (blocker.address() as net.AddressInfo).port;
    const free = await freePort();
    const err = await createNode({
      nodeid: 'busy',
      binds: [`127.0.0.1:${free}`, `127.0.0.1:${used}`],
      secret: SECRET,
      norc: true,
      stderrLog: false,
    }).then(
      (x) => (cleanup.push(() => x.close()), undefined),
      (e: unknown) => e,
    );
    expect(String(err)).toMatch(/in use/i);
    // the first bind was released again: a node can take it
    const x = await node('after', { binds: [`127.0.0.1:${free}`] });
    expect(x.addresses).toEqual([`127.0.0.1:${free}`]);
  });

  it('a bind that cannot be made (unknown host name, port out of range) rejects with the reason', async () => {
    for (const [bind, text] of [
      ['no.such.host.invalid:0', /no\.such\.host\.invalid:0: /],
      ['127.0.0.1:99999', /127\.0\.0\.1:99999: invalid bind address/],
    ] as const) {
      const err = await createNode({ binds: [bind], secret: SECRET, norc: true, stderrLog: false }).then(
        (x) => (cleanup.push(() => x.close()), undefined),
        (e: unknown) => e,
      );
      expect(String(err), bind).toMatch(text);
    }
  });

  it('bad configuration rejects with a ConfigError or TypeError naming the key', async () => {
    const bad = [
      { monitorTimeout: -1 },
      { binds: 'nope' },
      { connectInterval: 'soon' },
      { framingFormat: ['storable'] },
    ];
    for (const options of bad) {
      const err = await createNode({
        norc: true,
        stderrLog: false,
        secret: SECRET,
        ...(options as object),
      }).then(
        (x) => (cleanup.push(() => x.close()), undefined),
        (e: unknown) => e,
      );
      expect(err, JSON.stringify(options)).toBeDefined();
      expect(err instanceof ConfigError || err instanceof TypeError, String(err)).toBe(true);
      expect(String(err)).toMatch(new RegExp(Object.keys(options)[0]!.replace(/[A-Z]/g, '.?$&'), 'i'));
    }
  });

  it('unreachable seeds: createNode resolves; the node keeps trying and closes cleanly', async () => {
    const seeds = [await refusedAddress(), await refusedAddress()];
    const x = await withTimeout(node('hopeful', { seeds }), 5000, 'createNode with unreachable seeds');
    expect(x.db.master).toBeUndefined();
    const events = lastValueFrom(x.nodes$.pipe(toArray()));
    await x.close();
    expect(await withTimeout(events, 1000, 'nodes$ to complete')).toEqual([]);
  });
});
