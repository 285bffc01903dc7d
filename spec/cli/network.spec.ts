/**
 * The network commands as real processes against a real node on
 * 127.0.0.1, made in this test process; the CLI finds it through the seed
 * in its rc file.
 */
import { writeFileSync } from 'node:fs';
import { filter, firstValueFrom, timeout } from 'rxjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNode, type AempNode, type Message, type Port } from '../../src/index.js';
import { serveLogCatcher, LOG_CATCHER_CONNECT } from '../../src/kernel/logCatcher.js';
import { aemp, finish, rcIn, start, tempDir, waitForLine } from './helpers.js';

const dir = tempDir();
const SECRET = 'cli-spec-secret';
let server: AempNode;
let echo: Port;
let rc: string;
const sunk: Message[] = [];
let sink: Port;

beforeAll(async () => {
  server = await createNode({
    nodeid: 'clisrv/',
    binds: ['127.0.0.1:0'],
    secret: SECRET,
    norc: true,
    stderrLog: false,
  });
  echo = server.port((msg) => {
    const reply = msg[msg.length - 1];
    if (typeof reply === 'string') server.snd(reply, ...msg.slice(0, -1));
  });
  sink = server.port((msg) => void sunk.push(msg));
  rc = rcIn(dir);
  writeFileSync(rc, JSON.stringify({ version: 1, secret: SECRET, seeds: server.addresses }));
});

afterAll(async () => {
  await server?.close();
});

/** Resolves when the server gets a (remote) monitor on `portId`. */
function monitored(portId: string): Promise<void> {
  return new Promise((resolve) => {
    const original = server.monitor.bind(server);
    server.monitor = (id, fn) => {
      if (id === portId) resolve();
      return original(id, fn);
    };
  });
}

describe('aemp network commands', () => {
  it('snd delivers (and confirms through the node port), cal prints the reply as JSON', async () => {
    const [snd, cal, calNumbers] = await Promise.all([
      aemp(['snd', sink.id, 'hello', '42', '{"a":[1,"b"]}', '"7"'], rc),
      aemp(['cal', echo.id, 'hi', '1.5', '[true,null]'], rc),
      aemp(['["cal","' + echo.id + '","sq",3]'], rc),
    ]);
    expect(snd).toMatchObject({ code: 0, stdout: '', stderr: '' });
    expect(sunk).toEqual([['hello', 42, { a: [1, 'b'] }, '7']]);
    expect(cal).toMatchObject({ code: 0, stdout: '["hi",1.5,[true,null]]\n', stderr: '' });
    expect(calNumbers).toMatchObject({ code: 0, stdout: '["sq",3]\n' });
  });

  it('cal and snd fail clearly: no such port, unknown node, no reply in time', async () => {
    const silent = server.port(() => {});
    const [noPort, noNode, timeout, sndNoNode] = await Promise.all([
      aemp(['cal', `${server.id}#nope`, 'x'], rc),
      aemp(['cal', 'ghost/node#p', 'x'], rc),
      aemp(['cal', silent.id, 'x', '--timeout', '0.5'], rc),
      aemp(['snd', 'ghost/node#p', 'x', '--timeout', '3'], rc),
    ]);
    expect(noPort).toMatchObject({ code: 1, stdout: '', stderr: `aemp: ${server.id}#nope: no such port\n` });
    expect(noNode.code).toBe(1);
    expect(noNode.stderr).toMatch(/^aemp: ghost\/node#p: cannot reach node ghost\/node: /);
    expect(timeout).toMatchObject({ code: 1, stderr: `aemp: no reply from ${silent.id} within 0.5 s\n` });
    expect(sndNoNode.code).toBe(1);
    expect(sndNoNode.stderr).toMatch(/^aemp: cannot reach node ghost\/node: /);
    server.kil(silent.id);
  });

  it('mon waits for the port to die and prints the reason (exit 0 for a normal end, 1 otherwise)', async () => {
    const doomed = server.port(() => {});
    const ready = monitored(doomed.id);
    const child = start(['mon', doomed.id], rc);
    const done = finish(child);
    await ready;
    server.kil(doomed.id, 'failure', 'too hot');
    expect(await done).toMatchObject({ code: 1, stdout: '["failure","too hot"]\n', stderr: '' });

    const normal = server.port(() => {});
    const ready2 = monitored(normal.id);
    const done2 = finish(start(['mon', normal.id], rc));
    await ready2;
    server.kil(normal.id);
    const [r2, gone, alive] = await Promise.all([
      done2,
      aemp(['mon', `${server.id}#never`], rc),
      aemp(['mon', echo.id, '--timeout', '0.5'], rc),
    ]);
    expect(r2).toMatchObject({ code: 0, stdout: '[]\n' });
    expect(gone.code).toBe(1);
    expect(JSON.parse(gone.stdout)).toEqual([
      'no_such_port',
      'cannot monitor nonexistent port',
      `${server.id}#never`,
    ]);
    expect(alive).toMatchObject({ code: 1, stderr: `aemp: ${echo.id} is still alive after 0.5 s\n` });
  });

  it('ping prints round-trip times', async () => {
    const [json, human] = await Promise.all([
      aemp(['--json', 'ping', server.id, '-c', '3', '-i', '0.05'], rc),
      aemp(['ping', '-c', '1'], rc), // default: every seed
    ]);
    expect(json.code).toBe(0);
    const lines = json.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines).toHaveLength(4);
    lines.slice(0, 3).forEach((l, i) => {
      expect(l).toMatchObject({ node: server.id, seq: i + 1 });
      expect(l.rtt_ms).toBeGreaterThan(0);
      expect(l.rtt_ms).toBeLessThan(5000);
      expect(Math.abs(l.clock_offset_ms)).toBeLessThan(5000); // one clock
    });
    expect(lines[3]).toMatchObject({ node: server.id, sent: 3, received: 3 });
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(
      new RegExp(
        `^reply from ${server.id}: seq=1 time=[\\d.]+ ms clock offset [+-][\\d.]+ ms\\n--- ${server.id}: 1 sent, 1 received, min/avg/max = `,
      ),
    );
  });

  it('nodes lists the network, db prints a family, watch follows its changes', async () => {
    const guard = server.db.set('cli_db', 'answer', { v: 42 });
    const [nodes, db, dbPretty] = await Promise.all([
      aemp(['--json', 'nodes'], rc),
      aemp(['--json', 'db', 'cli_db'], rc),
      aemp(['db', 'cli_db'], rc),
    ]);
    expect(nodes.code).toBe(0);
    const listed = nodes.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(listed).toContainEqual({ node: server.id, up: true, addresses: server.addresses });
    expect(db).toMatchObject({ code: 0, stdout: '{"answer":{"v":42}}\n' });
    expect(JSON.parse(dbPretty.stdout)).toEqual({ answer: { v: 42 } });
    guard.unsubscribe();

    const watch = start(['--json', 'watch', 'cli_watch'], rc);
    const done = finish(watch);
    const lines: string[] = [];
    watch.stdout!.on('data', (d: Buffer) => lines.push(...d.toString().split('\n').filter(Boolean)));
    await waitForLine(watch, /"family":"cli_watch"/);
    const added = server.db.set('cli_watch', 'k', [1, 2]);
    await waitForLine(watch, /"added":\{"k":\[1,2\]\}/);
    added.unsubscribe();
    await waitForLine(watch, /"deleted":\{"k":\[1,2\]\}/);
    watch.kill('SIGTERM');
    const r = await done;
    expect(r.code).toBe(0);
    expect(lines.map((l) => JSON.parse(l))).toEqual([
      { family: 'cli_watch', added: {}, changed: {}, deleted: {} },
      { family: 'cli_watch', added: { k: [1, 2] }, changed: {}, deleted: {} },
      { family: 'cli_watch', added: {}, changed: {}, deleted: { k: [1, 2] } },
    ]);
  });

  it('nodes --follow prints nodes as they come up and go down', async () => {
    const child = start(['--json', 'nodes', '--follow'], rc);
    const done = finish(child);
    const first = JSON.parse(await waitForLine(child, new RegExp(`"node":"${server.id}"`)));
    expect(first).toEqual({ node: server.id, up: true, addresses: server.addresses });
    const other = await createNode({
      nodeid: 'clipeer/',
      binds: ['127.0.0.1:0'],
      seeds: server.addresses,
      secret: SECRET,
      norc: true,
      stderrLog: false,
    });
    const up = JSON.parse(await waitForLine(child, new RegExp(`"node":"${other.id}","up":true`)));
    expect(up).toMatchObject({ node: other.id, up: true, addresses: other.addresses });
    expect(typeof up.time).toBe('number');
    await other.close();
    const down = JSON.parse(await waitForLine(child, new RegExp(`"node":"${other.id}","up":false`)));
    expect(down).toMatchObject({ node: other.id, up: false });
    child.kill('SIGINT');
    expect((await done).code).toBe(0);
  });

  it('logs catches the log records of the other nodes (LogCatcher protocol)', async () => {
    const serving = serveLogCatcher(server);
    const connected = new Promise<void>((resolve) => {
      const service = server.services.get(LOG_CATCHER_CONNECT)!;
      server.services.set(LOG_CATCHER_CONNECT, (from, args) => {
        service(from, args);
        resolve();
      });
    });
    const logs = start(['--json', 'logs', '--level', 'note'], rc);
    const done = finish(logs);
    await connected;
    server.log('info', 'test', 'below the level: not sent');
    server.log('warn', 'test', 'hello from the server');
    const line = JSON.parse(await waitForLine(logs, /hello from the server/));
    expect(line).toMatchObject({
      node: server.id,
      level: 'warn',
      severity: 5,
      context: 'test',
      message: 'hello from the server',
    });
    expect(Math.abs(line.time - Date.now() / 1000)).toBeLessThan(60);
    logs.kill('SIGINT');
    const r = await done;
    expect(r.code).toBe(0);
    expect(r.stdout).not.toMatch(/below the level/);
    serving.unsubscribe();
  });

  it('run configures a node from the rc file and runs it until SIGTERM', async () => {
    const runRc = rcIn(dir);
    writeFileSync(
      runRc,
      JSON.stringify({
        version: 1,
        secret: SECRET,
        seeds: server.addresses,
        profile: { runner: { nodeid: 'runner/', binds: ['127.0.0.1:0'] } },
      }),
    );
    const child = start(['--json', 'run', 'profile', 'runner', '--log-level', 'warn'], runRc);
    const done = finish(child);
    const ready = JSON.parse(await waitForLine(child, /^\{"node"/));
    expect(ready).toMatchObject({ profile: 'runner' });
    expect(ready.node).toMatch(/^runner\/\w+$/);
    expect(ready.addresses[0]).toMatch(/^127\.0\.0\.1:\d+$/);
    // the running node is a full node: it reaches its seed (our server) and answers on its node port
    if (!server.isUp(ready.node)) {
      await firstValueFrom(
        server.nodes$.pipe(
          filter((e) => e.up && e.node === ready.node),
          timeout(10_000),
        ),
      );
    }
    const [t] = await firstValueFrom(server.cal(`${ready.node}#`, 'time', { timeout: 10 }));
    expect(typeof t).toBe('number');
    child.kill('SIGTERM');
    const r = await done;
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/running, listening on 127\.0\.0\.1:\d+/);
    expect(r.stderr).toMatch(/SIGTERM: closing node runner\//);
  });

  it('explains what is missing instead of failing obscurely', async () => {
    const empty = rcIn(dir);
    const noSeeds = rcIn(dir);
    writeFileSync(noSeeds, JSON.stringify({ version: 1, secret: SECRET }));
    const [run, cal, seedless, unreachable, badPort] = await Promise.all([
      aemp(['run', 'binds', '127.0.0.1:0'], empty),
      aemp(['cal', echo.id, 'x'], empty),
      aemp(['ping'], noSeeds),
      aemp(['--seed', '127.0.0.1:1', 'ping', '--wait', '0.5'], noSeeds),
      aemp(['snd', 'no-hash-here', 'x'], rc),
    ]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^aemp: run: no secret and no certificate configured/);
    expect(run.stderr).toMatch(/aemp gensecret/);
    expect(cal.code).toBe(1);
    expect(cal.stderr).toMatch(/^aemp: cal: no secret and no certificate configured \(profile "aemp"/);
    expect(seedless.code).toBe(1);
    expect(seedless.stderr).toMatch(/^aemp: ping: no seeds configured to connect to \(profile "aemp"\)/);
    expect(unreachable.code).toBe(1);
    expect(unreachable.stderr).toMatch(/^aemp: ping: cannot reach any seed:\n {2}127\.0\.0\.1:1: Connection refused/);
    expect(badPort).toMatchObject({
      code: 2,
      stderr: 'aemp: snd: "no-hash-here" is not a port id (NODE#NAME)\n',
    });
  });
});
