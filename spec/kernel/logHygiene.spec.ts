/**
 * Log hygiene (issue #10, 9b): peers put control characters and huge texts
 * into node ids, greeting fields, auth lines and node-port tags; none of it
 * may forge a log line, reach a terminal as an escape sequence, or make a
 * line of 2 KB or more — neither in `node.log$` records nor on a child
 * node's stderr.
 */
import { writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { encode as cborEncode } from 'cbor-x';
import type { AempNode, LogRecord } from '../../src/index.js';
import { cleanLogText, LOG_MESSAGE_MAX_BYTES } from '../../src/log/index.js';
import { formatLogLine } from '../../src/createNode.js';
import { startChild, type ChildNode } from '../helpers/child.js';
import { makeNode, SECRET } from '../helpers/nodes.js';
import { rawPeer, until } from '../helpers/net.js';
import { rawSession, type RawSession } from '../helpers/rawHandshake.js';
import { finish, rcIn, start, tempDir, waitForLine } from '../cli/helpers.js';
import { LOG_CATCHER_CONNECT } from '../../src/kernel/index.js';

/** Anything a terminal or a line-based log reader would act on. */
const UNSAFE =
  // eslint-disable-next-line no-control-regex -- finding control characters is the point
  /[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const LINE_START =
  /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3} (fatal|alert|critical|error|warn|note|info|debug|trace) +\[/;

const FORGE = '\x1b[2J\x1b]0\x07\r2026-01-01 00:00:00.000 fatal [x] kernel: forged\u202e\x9b31m\x7f';
const EVIL_ID = 'n\x1b[1m\u202eode\x0b';
const EVIL_TAG = 'no\nsuch\x1b[0m\u2028tag\ud800';
const LONG_TAG = 'L'.repeat(100_000) + '\x1b[0m';

/** Sends every kind of hostile text to the node listening on `port`; returns the sessions still open. */
async function attack(port: number): Promise<RawSession[]> {
  // 1. garbage instead of a greeting
  const p1 = await rawPeer(port);
  p1.write(`${FORGE}\n`);
  await p1.closed();
  // 2. greeting fields: an evil node id and framing list
  const p2 = await rawPeer(port);
  p2.write(`aemp;1;${EVIL_ID};hmac_sha3_512;js\x1b[31mon\x07;peeraddr=\x1b[5m\n${'q'.repeat(88)}\n`);
  await p2.closed();
  // 3. auth line: an unknown method full of escapes
  const p3 = await rawPeer(port);
  p3.write(`aemp;1;auth\x1bpeer;hmac_sha3_512;json\n${'q'.repeat(88)}\n`);
  await p3.readLine();
  await p3.readLine();
  p3.write('md5\x1b[5m\x08\x08\x85;00;json\n');
  await p3.closed();
  // 4. an authenticated peer with an evil node id asks the node port for evil tags (json and cbor)
  const s = await rawSession(port, { nodeId: EVIL_ID, secret: SECRET });
  s.socket.write(JSON.stringify(['', EVIL_TAG]));
  s.socket.write(JSON.stringify(['', LONG_TAG]));
  // a tag that is an object whose own toString/valueOf are not functions (String() of it throws)
  s.socket.write('["",{"toString":1,"valueOf":2}]');
  const c = await rawSession(port, { nodeId: `${EVIL_ID}cbor`, secret: SECRET, framing: 'cbor' });
  c.socket.write(cborEncode(['', 'cbor\n\x1b[0m\x9b\u202etag']));
  return [s, c];
}

describe('cleanLogText', () => {
  it('escapes controls visibly and leaves clean text alone', () => {
    expect(cleanLogText('plain text, ünïcödé 😀')).toBe('plain text, ünïcödé 😀');
    expect(cleanLogText('a\nb\r\tc')).toBe(String.raw`a\nb\r\tc`);
    expect(cleanLogText('\x1b[31m\x00\x7f\x9b')).toBe(String.raw`\x1b[31m\x00\x7f\x9b`);
    expect(cleanLogText('x\u202ey\u2028\ud800z\udc00')).toBe(String.raw`x\u202ey\u2028\ud800z\udc00`);
  });

  it('keeps room for the cut mark under a tiny limit', () => {
    const out = cleanLogText('\x1b'.repeat(100), 5);
    expect(Buffer.byteLength(out)).toBeLessThanOrEqual(40);
    expect(out).toMatch(/^(\\x1b)+…\[cut, 100 chars\]$/); // some text, not the mark alone
  });

  it('cuts long text under the limit and says so', () => {
    const out = cleanLogText('é'.repeat(5000));
    expect(Buffer.byteLength(out)).toBeLessThanOrEqual(LOG_MESSAGE_MAX_BYTES);
    expect(out).toMatch(/^é+…\[cut, 5000 chars\]$/);
  });

  it('any text: safe, bounded, idempotent, unchanged when clean and short', () => {
    const unit = fc.oneof(
      fc.constantFrom(
        '\n',
        '\r',
        '\x1b',
        '\x00',
        '\x7f',
        '\x9b',
        '\u202e',
        '\u2028',
        '\ud800',
        '\udfff',
        '😀',
        'é',
        '\\',
      ),
      fc.integer({ min: 0, max: 0xffff }).map((n) => String.fromCharCode(n)),
      fc.string({ unit: 'grapheme', maxLength: 3 }),
    );
    fc.assert(
      fc.property(
        fc.array(unit, { maxLength: 700 }).map((a) => a.join('')),
        fc.integer({ min: 40, max: 2000 }),
        (s, max) => {
          const out = cleanLogText(s, max);
          expect(UNSAFE.test(out)).toBe(false);
          expect(Buffer.byteLength(out)).toBeLessThanOrEqual(max);
          expect(cleanLogText(out, max)).toBe(out);
          if (!UNSAFE.test(s) && Buffer.byteLength(s) <= max) expect(out).toBe(s);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('formatLogLine makes one line under 2 KB of any record', () => {
    const line = formatLogLine({
      level: 'error',
      severity: 4,
      message: `${FORGE}\n`.repeat(500),
      context: `ctx\n${'c'.repeat(5000)}`,
      node: `node\x1b${'n'.repeat(5000)}`,
      time: 0,
    });
    expect(line.endsWith('\n')).toBe(true);
    expect(line.slice(0, -1)).not.toMatch(UNSAFE);
    expect(Buffer.byteLength(line)).toBeLessThan(2048);
  });
});

describe('hostile peer texts in the log', () => {
  let node: AempNode & { logs: LogRecord[] };
  let child: ChildNode;
  const open: RawSession[] = [];

  beforeAll(async () => {
    [node, child] = await Promise.all([
      makeNode('hygiene'),
      startChild({ nodeid: 'hygiene-child', binds: ['127.0.0.1:0'], secret: SECRET, stderrLog: 'debug' }),
    ]);
  }, 30_000);

  afterAll(async () => {
    for (const s of open) s.socket.destroy();
    await Promise.all([node?.close(), child?.stop()]);
  });

  /** What every kind of attack must show, escaped. */
  const expected = [
    String.raw`got '\x1b[2J\x1b]0\x07\r2026-01-01 00:00:00.000 fatal [x] kernel: forged\u202e\x9b31m\x7f'`,
    String.raw`js\x1b[31mon\x07: no common framing method supported`,
    String.raw`md5\x1b[5m\x08\x08\x85: fatal, selected unsupported rcv auth method`,
    String.raw`error processing node message from n\x1b[1m\u202eode\x0b: remote execution not allowed (no\nsuch\x1b[0m\u2028tag\ud800)`,
    String.raw`error processing node message from n\x1b[1m\u202eode\x0bcbor: remote execution not allowed (cbor\n\x1b[0m\x9b\u202etag)`,
    'remote execution not allowed (LLLL',
    'error processing node message from n\\x1b[1m\\u202eode\\x0b: remote execution not allowed (an object)',
  ];

  it('node.log$ records carry the texts escaped and cut', async () => {
    open.push(...(await attack(Number(node.addresses[0]!.split(':').pop()))));
    for (const e of expected)
      await until(`a log$ record containing ${e}`, () => node.logs.some((r) => r.message.includes(e)));
    for (const r of node.logs) {
      expect(r.message).not.toMatch(UNSAFE);
      expect(r.context).not.toMatch(UNSAFE);
      expect(Buffer.byteLength(r.message)).toBeLessThanOrEqual(LOG_MESSAGE_MAX_BYTES);
    }
    const long = node.logs.find((r) => r.message.includes('LLLL'))!;
    expect(long.message).toMatch(/…\[cut, \d+ chars\]$/);
  });

  it("a child node's stderr: one record per line, escaped, each under 2 KB", async () => {
    open.push(...(await attack(Number(child.addresses[0]!.split(':').pop()))));
    for (const e of expected) await until(`stderr containing ${e}`, () => child.stderr().includes(e), 10_000);
    const lines = child.stderr().split('\n');
    expect(lines.pop()).toBe(''); // ends with a newline
    for (const line of lines) {
      expect(line).toMatch(LINE_START);
      expect(line).not.toMatch(UNSAFE);
      expect(Buffer.byteLength(line) + 1).toBeLessThan(2048);
    }
  });
});

describe('aemp logs', () => {
  const dir = tempDir();

  it("prints another node's raw records (as a Perl node sends them) escaped, one per line", async () => {
    const node = await makeNode('hygiene-logs');
    try {
      const rc = rcIn(dir);
      writeFileSync(rc, JSON.stringify({ version: 1, secret: SECRET, seeds: node.addresses }));
      // play the node whose logs are caught: take the catcher's port, then send it hostile records
      const catcher = new Promise<string>((resolve) =>
        node.services.set(LOG_CATCHER_CONNECT, (_from, args) => resolve(String(args[1]))),
      );
      const logs = start(['logs', '--level', 'trace', '--node', node.id], rc);
      const done = finish(logs);
      const port = await catcher;
      node.snd(port, 1e300, 'ctx\n\x1b[31m', 4, `${FORGE}\nsecond line`);
      node.snd(port, 0, 'ctx', 'err\x1b[5m', 'L'.repeat(10_000));
      node.snd(port, Date.now() / 1000, 'ctx', 5, 'the last one');
      await waitForLine(logs, /the last one/);
      logs.kill('SIGINT');
      const r = await done;
      const lines = r.stdout.split('\n').filter((l) => l.includes('[hygiene-logs]'));
      expect(lines).toHaveLength(3);
      expect(lines[0]).toContain(
        String.raw`ctx\n\x1b[31m: \x1b[2J\x1b]0\x07\r2026-01-01 00:00:00.000 fatal [x] kernel: forged\u202e\x9b31m\x7f\nsecond line`,
      );
      expect(lines[1]).toContain(String.raw`err\x1b[5m [hygiene-logs] ctx: LLL`);
      for (const line of lines) {
        expect(line).not.toMatch(UNSAFE);
        expect(Buffer.byteLength(line)).toBeLessThan(2048);
      }
    } finally {
      await node.close();
    }
  });
});
