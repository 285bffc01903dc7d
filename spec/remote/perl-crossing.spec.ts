/**
 * Crossing connects with a Perl peer whose node id is smaller than ours
 * (found by `interop/perl/crossing.ts`, about 6 trials in 1000 against Perl
 * AnyEvent::MP 2.02 before the fix).
 *
 * A Perl node refuses a second connection only when one is already
 * *established* on its side; two that are both past their greetings both
 * complete there (when it reads our auth line on each), and it then switches
 * to the one it completed last ("switched connections"). Perl 2.02 then loses
 * that connection too: its `transport_error` weakens the node's entry in
 * `%NODE`, so the node object and its new transport are freed and the socket
 * closes silently (interop/perl/perl-switch-drop.pl shows it in Perl alone).
 * So against a Perl peer the only safe rule is: never have our auth line out
 * on two connections to the same node at once.
 *
 * The interleaving: our dial D has passed the Perl node's greeting (our auth
 * line is out on it), then the Perl node's own connection P comes in. Ours
 * (the larger id) holds its auth line on P until D ends — D established:
 * refuse P; D refused by the peer (one of ours as the smaller side does
 * that): go on with P (`Network`'s `#admitIncoming`).
 *
 * This spec plays the Perl node by hand and asserts that rule.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { AempNode } from '../../src/index.js';
import { jsonFraming } from '../../src/streams/framing/index.js';
import { rawPeer, until, withTimeout, type RawPeer } from '../helpers/net.js';
import { makeNode, SECRET } from '../helpers/nodes.js';

const PERL = 'aaa/perl'; // smaller than ours: the side a Perl node does not defer to
const open: AempNode[] = [];
const sockets: Socket[] = [];
const servers: Server[] = [];
afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy();
  for (const s of servers.splice(0)) s.close();
  await Promise.all(open.splice(0).map((n) => n.close()));
});

const greeting = (port: number) => [
  `aemp;1;${PERL};hmac_sha3_512;json;provider=AE-2.02;mproto=1;gproto=1;peeraddr=127.0.0.1:${port}`,
  randomBytes(66).toString('base64'),
];
const auth = (own: string[], theirs: string[]) =>
  `hmac_sha3_512;${createHmac('sha3-512', SECRET)
    .update(`${own.join('\n')}\n${theirs.join('\n')}\n`)
    .digest('hex')};json\n`;

describe('crossing connects with a Perl peer (smaller id)', () => {
  it('ours never has its auth line out on two connections to the Perl node at once', async () => {
    // the Perl node's listener: accepts our dial D
    let accepted!: (s: RawPeer) => void;
    const dialIn = new Promise<RawPeer>((r) => (accepted = r));
    const server = createServer((s) => {
      sockets.push(s);
      accepted(wrap(s));
    });
    servers.push(server);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const perlPort = (server.address() as { port: number }).port;

    const node = await makeNode('zzz/ours', {
      framingFormat: ['json'],
      addresses: { [PERL]: [`127.0.0.1:${perlPort}`] },
    });
    open.push(node);
    node.snd(`${PERL}#sink`, 'hello');

    // D: ours dials; the Perl node greets; ours reads it and sends its auth line on D
    const d = await withTimeout(dialIn, 5000, 'our dial');
    const gD = greeting(perlPort);
    d.write(`${gD.join('\n')}\n`);
    const oursD = [await d.readLine(), await d.readLine()];
    expect(await d.readLine()).toMatch(/^hmac_sha3_512;/); // our auth line is out on D

    // P: the Perl node's own connection comes in before D is established on ours
    const ourPort = Number((node.addresses[0] as string).split(':')[1]);
    const p = await rawPeer(ourPort);
    sockets.push(p.socket);
    await p.readLine(); // our greeting on P (two lines)
    await p.readLine();
    const gP = greeting(ourPort);
    p.write(`${gP.join('\n')}\n`);
    // wait until ours has read that greeting (admitted P) before D is established
    const remote = (node as unknown as { network: { node(id: string): { incoming: number } } }).network.node(
      PERL,
    );
    const pLines: string[] = [];
    let pClosed = false;
    void p.closed(30_000).then(
      () => (pClosed = true),
      () => {},
    );
    const readP = async () => {
      for (;;) pLines.push(await p.readLine(30_000));
    };
    void readP().catch(() => {});
    await until('ours admitted P', () => remote.incoming > 0 || pLines.length > 0);

    // the Perl node completes D (its auth line on D): ours is up on D and must refuse P
    d.write(auth(gD, oursD));
    const frames: unknown[][] = [];
    const decoder = jsonFraming.createDecoder();
    await until('"hello" on D', () => {
      decoder.push(d.takeBuffered(), (f) => frames.push(f as unknown[]));
      return frames.some((f) => f[0] === `${PERL}#sink` || f.includes('hello'));
    });
    await until('P refused (closed)', () => pClosed || pLines.length > 0, 10_000);
    expect(pLines.filter((l) => l.startsWith('hmac_sha3_512;'))).toEqual([]); // no auth line of ours on P
    expect(pClosed).toBe(true);
  });
});

/** A RawPeer-like reader over an accepted socket. */
function wrap(socket: Socket): RawPeer {
  let buf = Buffer.alloc(0);
  let wake: (() => void) | undefined;
  let closed = false;
  socket.on('data', (c: Buffer) => {
    buf = Buffer.concat([buf, c]);
    wake?.();
  });
  socket.on('error', () => {});
  socket.on('close', () => {
    closed = true;
    wake?.();
  });
  const wait = (cond: () => boolean, ms: number, what: string) =>
    withTimeout(
      new Promise<void>((res, rej) => {
        const check = () => {
          if (cond()) res();
          else if (closed) rej(new Error(`closed while waiting for ${what}`));
        };
        wake = check;
        check();
      }),
      ms,
      what,
    );
  return {
    socket,
    chunks: [],
    async readLine(ms = 5000) {
      await wait(() => buf.includes(0x0a), ms, 'a line');
      const i = buf.indexOf(0x0a);
      const line = buf.subarray(0, i).toString('utf8');
      buf = buf.subarray(i + 1);
      return line;
    },
    takeBuffered() {
      const b = buf;
      buf = Buffer.alloc(0);
      return b;
    },
    waitBytes: (n, ms = 5000) => wait(() => buf.length >= n, ms, `${n} bytes`),
    write: (data) => void socket.write(data),
    closed: (ms = 5000) => wait(() => closed, ms, 'close').catch(() => {}),
  };
}
