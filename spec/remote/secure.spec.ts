/**
 * `secure: true` is AnyEvent::MP's secure mode: every node-port request that
 * names a function — a remote spawn — is refused and logged as
 * `remote execution not allowed`; the spawner's monitor sees `no_such_port`.
 * `spawnAllow` is the separate, explicit allow-list of registered functions
 * peers may spawn all the same. Over real loopback between two nodes.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { firstValueFrom, timeout } from 'rxjs';
import { PortKilled, type AempNode, type CreateNodeOptions } from '../../src/index.js';
import { makeNode, rejection } from '../helpers/nodes.js';
import { until } from '../helpers/net.js';

const open: AempNode[] = [];
afterEach(async () => {
  for (const n of open.splice(0).reverse()) await n.close();
});

let seq = 0;
/** A target node with `Test::Ok` and `Test::Other` registered (each records its runs), and a caller that knows its address. */
async function pair(options: CreateNodeOptions) {
  const ran: string[] = [];
  const record = (name: string) => (self: { rcv(h: () => void): unknown }, ...args: unknown[]) => {
    ran.push(`${name}(${args.join(',')})`);
    self.rcv(() => {});
  };
  const target = await makeNode(`secure-target${++seq}`, {
    ...options,
    functions: { 'Test::Ok': record('Test::Ok'), 'Test::Other': record('Test::Other') },
  });
  open.push(target);
  const caller = await makeNode(`secure-caller${seq}`, { addresses: { [target.id]: [...target.addresses] } });
  open.push(caller);
  return { target, caller, ran };
}

/** Spawns `fn` from `caller` on `target` and resolves the type of the reason the new port's monitor fires with (bounded). */
async function remoteSpawn(caller: AempNode, target: AempNode, fn: string): Promise<string> {
  const id = caller.spawn(target.id, fn, 1);
  const err = await rejection(firstValueFrom(caller.mon(id).pipe(timeout(5000))));
  expect(err).toBeInstanceOf(PortKilled);
  return (err as PortKilled).type;
}

/** The answer of `target`'s node port to `can TAG`. */
async function can(caller: AempNode, target: AempNode, tag: string): Promise<unknown> {
  const [flag] = await firstValueFrom(caller.call(`${target.id}#`, ['can', tag], { timeout: 5 }));
  return flag;
}

const refusalLogged = (target: { logs: { message: string }[] }, from: string) =>
  until('the refusal is logged', () =>
    target.logs.some((l) => l.message.startsWith(`error processing node message from ${from}: remote execution not allowed`)),
  );

describe('secure mode and spawnAllow', () => {
  it('not secure, no allow-list: a peer spawns any registered function (the baseline)', async () => {
    const { target, caller, ran } = await pair({});
    const id = caller.spawn(target.id, 'Test::Other', 1);
    await until('init ran', () => ran.length === 1);
    expect(ran).toEqual(['Test::Other(1)']);
    caller.kil(id, 'stop');
    expect(await can(caller, target, 'AnyEvent::MP::_spawn')).toBe('1');
  });

  it('secure: a remote spawn of a registered function is refused, logged, and the spawner sees no_such_port', async () => {
    const { target, caller, ran } = await pair({ secure: true });
    expect(await remoteSpawn(caller, target, 'Test::Ok')).toBe('no_such_port');
    await refusalLogged(target, caller.id);
    expect(ran).toEqual([]);
    expect(await can(caller, target, 'AnyEvent::MP::_spawn')).toBe('');
    expect(await can(caller, target, 'AnyEvent::MP::LogCatcher::connect')).toBe('');
    // a local spawn on the secure node is the node's own business
    target.spawn(target.id, 'Test::Ok', 2);
    await until('the local spawn ran', () => ran.length === 1);
    expect(ran).toEqual(['Test::Ok(2)']);
  });

  it('secure: the snd relay to the node port itself does not get round it', async () => {
    const { target, caller, ran } = await pair({ secure: true });
    caller.snd(`${target.id}#`, 'snd', `${target.id}#`, 'AnyEvent::MP::_spawn', 'relayed', 'Test::Ok', 3);
    await refusalLogged(target, target.id);
    const r = await rejection(firstValueFrom(caller.mon(`${target.id}#relayed`)));
    expect((r as PortKilled).type).toBe('no_such_port');
    expect(ran).toEqual([]);
  });

  it('secure with spawnAllow: exactly the listed registered functions may be spawned by peers', async () => {
    const { target, caller, ran } = await pair({ secure: true, spawnAllow: ['Test::Ok', 'Test::Missing'] });
    const ok = caller.spawn(target.id, 'Test::Ok', 4);
    await until('the allowed init ran', () => ran.length === 1);
    expect(ran).toEqual(['Test::Ok(4)']);
    caller.kil(ok);
    expect(await remoteSpawn(caller, target, 'Test::Other')).toBe('no_such_port');
    expect(await remoteSpawn(caller, target, 'Test::Missing')).toBe('no_such_port'); // listed, but not registered
    expect(ran).toEqual(['Test::Ok(4)']);
    expect(target.logs.map((l) => l.message)).toEqual(
      expect.arrayContaining([
        `error processing node message from ${caller.id}: remote execution not allowed (Test::Other is not in spawnAllow)`,
        `error processing node message from ${caller.id}: remote execution not allowed (Test::Missing is not registered)`,
      ]),
    );
    expect(await can(caller, target, 'AnyEvent::MP::_spawn')).toBe('1');
  });

  it('not secure with spawnAllow: the list restricts remote spawns too; [] refuses them all', async () => {
    const listed = await pair({ spawnAllow: ['Test::Ok'] });
    expect(await remoteSpawn(listed.caller, listed.target, 'Test::Other')).toBe('no_such_port');
    expect(listed.ran).toEqual([]);
    const none = await pair({ spawnAllow: [] });
    expect(await remoteSpawn(none.caller, none.target, 'Test::Ok')).toBe('no_such_port');
    expect(none.ran).toEqual([]);
    expect(await can(none.caller, none.target, 'AnyEvent::MP::_spawn')).toBe('');
  });

  it('secure and spawn_allow come from the rc file as well', async () => {
    const rcData = { version: 1, secure: 1, spawn_allow: ['Test::Ok'] };
    const { target, caller, ran } = await pair({ norc: false, context: { rcData, hostname: 'h', env: {} } });
    expect(target.config.secure).toBe(true);
    expect(target.config.spawnAllow).toEqual(['Test::Ok']);
    expect(await remoteSpawn(caller, target, 'Test::Other')).toBe('no_such_port');
    caller.spawn(target.id, 'Test::Ok', 5);
    await until('the allowed init ran', () => ran.length === 1);
    expect(ran).toEqual(['Test::Ok(5)']);
  });

  it('spawnAllow must be a list of strings', async () => {
    await expect(makeNode('bad-allow', { spawnAllow: 'Test::Ok' as unknown as string[] })).rejects.toThrow(TypeError);
    await expect(makeNode('bad-allow', { spawnAllow: [1] as unknown as string[] })).rejects.toThrow(/spawnAllow\[0\]/);
  });
});
