/**
 * What a script relies on: the `aemp` command validates its whole command
 * line before doing anything (exit 2 naming the problem), and fails at once
 * — not after `--wait` — when no seed can be reached (exit 1 naming each
 * seed and why). Real processes against real sockets on 127.0.0.1.
 */
import { writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNode, type AempNode } from '../../src/index.js';
import { aemp, rcIn, tempDir } from './helpers.js';

const dir = tempDir();
const SECRET = 'exit-codes-secret';
let rc: string;
let other: AempNode; // a node with another secret
let silent: Server; // accepts connections and never says a word
const sockets = new Set<Socket>();
let closedPort: number;

function listen(server: Server): Promise<number> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port)));
}

beforeAll(async () => {
  rc = rcIn(dir);
  writeFileSync(rc, JSON.stringify({ version: 1, secret: SECRET }));
  other = await createNode({ nodeid: 'other/', binds: ['127.0.0.1:0'], secret: 'not-the-same', norc: true, stderrLog: false });
  silent = createServer((s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await listen(silent);
  // a port that refuses: bound once, then closed
  const gone = createServer();
  closedPort = await listen(gone);
  await new Promise((r) => gone.close(r));
});

afterAll(async () => {
  for (const s of sockets) s.destroy();
  await new Promise((r) => silent?.close(r));
  await other?.close();
});

describe('aemp: usage errors (exit 2) before anything runs', () => {
  it.each([
    [['--seed', 'nonsense', 'cal', 'x#y', 'a'], /^aemp: --seed: a seed must be host:port \(port 1-65535\), got "nonsense"\n$/],
    [['--seed', '127.0.0.1:99999', 'snd', 'x#y'], /^aemp: --seed: a seed must be host:port/],
    [['help', 'frob'], /^aemp: help: unknown command 'frob'/],
    [['frob'], /^aemp: unknown command 'frob' \(aemp --help lists them\)/],
    [['sdn', 'x#y'], /^aemp: unknown command 'sdn'. Did you mean snd\?/],
    [['mon', 'a#b', 'extra'], /^aemp: mon: unexpected argument 'extra' \(usage: aemp mon <port>\)/],
    [['setsecret', 'a', 'b'], /^aemp: setsecret: unexpected argument 'b'/],
    [['mon'], /missing required argument 'port'/],
    [['cal', 'x#y', '--timeout', 'soon'], /--timeout must be a non-negative number of seconds/],
  ])('%j', async (args, problem) => {
    const run = await aemp(args, rc);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(problem);
    expect(run.stdout).toBe('');
  });

  it('a bad sub-command later on the line stops the whole line: nothing is written to the rc file', async () => {
    const file = rcIn(dir);
    const run = await aemp(['setsecret', 'abc', 'frob'], file);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^aemp: setsecret: unexpected argument 'frob'/);
    const after = await aemp(['showconfig'], file);
    expect(after.stdout).not.toContain('abc');
  });
});

describe('aemp: an unreachable seed fails at once (exit 1), not after --wait', () => {
  // --wait 600 (ten minutes): a command that waited for it would be killed by aemp()'s bound and fail the test
  it('a refused seed: the address and the reason', async () => {
    const run = await aemp(['--seed', `127.0.0.1:${closedPort}`, 'cal', 'x#y', 'hi', '--wait', '600'], rc);
    expect(run).toMatchObject({ code: 1, stdout: '' });
    expect(run.stderr).toBe(`aemp: cal: cannot reach any seed:\n  127.0.0.1:${closedPort}: Connection refused\n`);
  });

  it('a seed that never answers: given up after the connect interval', async () => {
    const run = await aemp(
      ['--seed', `127.0.0.1:${(silent.address() as { port: number }).port}`, 'snd', 'x#y', '--wait', '600'],
      rc,
    );
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^aemp: snd: cannot reach any seed:\n {2}127\.0\.0\.1:\d+: connect timeout\n$/);
  });

  it('a seed with another secret: says so; every seed is listed', async () => {
    const run = await aemp(
      ['--seed', `${other.addresses[0]},127.0.0.1:${closedPort}`, 'mon', 'x#y', '--wait', '600'],
      rc,
    );
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`  ${other.addresses[0]}: authentication failure`);
    expect(run.stderr).toContain(`  127.0.0.1:${closedPort}: Connection refused`);
  });
});
