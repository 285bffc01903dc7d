/**
 * Liveness (issue #10, defect 6): a peer that stops answering while its
 * socket stays open is found within `monitorTimeout`, not after hours of TCP
 * keepalive. A quiet link is probed with the node-port request
 * `["", "time", "<our id>#", "devnull"]`, which every AEMP node answers
 * (a Perl node with `["", "devnull", <time>]`); traffic proves life; a
 * connection stalled inside a frame is closed as well.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { firstValueFrom } from 'rxjs';
import { jsonFraming } from '../../src/streams/framing/index.js';
import { CallTimeout, type AempNode, type NodeEvent, type Reason } from '../../src/index.js';
import { startChild } from '../helpers/child.js';
import { rawPeer, until, withTimeout, type RawPeer } from '../helpers/net.js';
import { makeNode, SECRET } from '../helpers/nodes.js';
import { freePort } from '../helpers/proxy.js';

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await Promise.resolve(f()).catch(() => {});
});

async function node(
  nodeid: string,
  options: Parameters<typeof makeNode>[1] = {},
): Promise<AempNode & { logs: { level: string; message: string }[] }> {
  const n = await makeNode(nodeid, { monitorTimeout: 1, framingFormat: ['json'], ...options });
  cleanup.push(() => n.close());
  return n;
}

/** Every node event of `n` from now on. */
function events(n: AempNode): NodeEvent[] {
  const list: NodeEvent[] = [];
  const sub = n.nodes$.subscribe((e) => list.push(e));
  cleanup.push(() => sub.unsubscribe());
  return list;
}

const PEER = 'perlish/Lv1';

/**
 * A peer written by hand, as a Perl node speaks (HMAC auth, JSON frames),
 * connected to `n`. Frames from `n` are collected; `answer` makes it answer
 * `time` requests as a Perl node does (`snd REPLY..., AE::now`).
 */
async function handPeer(
  n: AempNode,
): Promise<{ peer: RawPeer; frames: unknown[][]; answer: { on: boolean } }> {
  const port = Number((n.addresses[0] as string).split(':')[1]);
  const peer = await rawPeer(port);
  cleanup.push(() => void peer.socket.destroy());
  const a1 = await peer.readLine();
  const a2 = await peer.readLine();
  const c1 = `aemp;1;${PEER};hmac_sha3_512;json;provider=AE-2.02;mproto=1;gproto=1;peeraddr=127.0.0.1:${port}`;
  const c2 = randomBytes(66).toString('base64');
  const mac = createHmac('sha3-512', SECRET).update(`${c1}\n${c2}\n${a1}\n${a2}\n`).digest('hex');
  peer.write(`${c1}\n${c2}\nhmac_sha3_512;${mac};json\n`);
  expect(await peer.readLine()).toMatch(/^hmac_sha3_512;[0-9a-f]{128};json$/);
  const frames: unknown[][] = [];
  const answer = { on: true };
  const decoder = jsonFraming.createDecoder();
  const take = (chunk: Buffer) =>
    decoder.push(chunk, (f) => {
      const frame = f as unknown[];
      frames.push(frame);
      if (answer.on && frame[0] === '' && frame[1] === 'time') {
        const [to, ...rest] = frame.slice(2) as [string, ...unknown[]];
        peer.write(JSON.stringify([to.slice(to.indexOf('#') + 1), ...rest, Date.now() / 1000]));
      }
    });
  take(peer.takeBuffered());
  peer.socket.on('data', () => take(peer.takeBuffered()));
  return { peer, frames, answer };
}

const isProbe = (f: unknown[]) => f[0] === '' && f[1] === 'time';

describe('liveness: a silent peer is found within monitorTimeout', () => {
  it('a peer process stopped with SIGSTOP (socket open, no answers): monitors and calls end with transport_error, the node goes down', async () => {
    const port = await freePort();
    const c = await startChild({ nodeid: 'frozen', binds: [`127.0.0.1:${port}`], secret: SECRET });
    cleanup.push(() => c.stop());
    cleanup.push(() => void c.proc.kill('SIGCONT'));
    const p = await node('watcher', { addresses: { frozen: [`127.0.0.1:${port}`] }, connectInterval: 0.5 });
    expect(await firstValueFrom(p.cal(c.ports.echo, 'hi', { timeout: 10 }))).toEqual(['hi']);
    const fired = new Promise<Reason>((resolve) => p.mon(c.ports.echo, resolve));
    const seen = events(p);

    c.proc.kill('SIGSTOP');
    const t0 = Date.now();
    const calls = [p.cal(c.ports.echo, 'hello?'), p.cal(c.ports.echo, 'hello?', { timeout: 0.5 })].map((o) =>
      firstValueFrom(o).then(
        (value) => ({ value }),
        (error: unknown) => ({ error }),
      ),
    );
    const reason = await withTimeout(fired, 10_000, 'the monitor of a port on the stopped peer');
    const ms = Date.now() - t0;
    const [untimed, timed] = await withTimeout(Promise.all(calls), 10_000, 'the calls to the stopped peer');
    expect(untimed).toEqual({ error: expect.objectContaining({ reason }) });
    expect(timed).toEqual({ error: expect.any(CallTimeout) });
    expect(reason).toEqual([
      'transport_error',
      'frozen',
      'Connection timed out: nothing received within monitorTimeout (1 s)',
    ]);
    await until('node down', () => seen.length > 0);
    expect(seen).toEqual([{ node: 'frozen', up: false, reason }]);
    expect(p.isUp('frozen')).toBe(false);
    // the stopped process still accepts TCP connections but never greets: the connect deadline ends the next call
    const again = await withTimeout(
      firstValueFrom(p.cal(c.ports.echo, 'anyone?')).catch((e: unknown) => e),
      10_000,
      'a call after the node went down',
    );
    expect(again).toMatchObject({ reason: ['transport_error', 'frozen', 'connect timeout'] });
    if (process.env['AEMP_DEBUG']) console.log(`stopped peer found after ${ms} ms (monitorTimeout 1 s)`);
  });

  it('an idle, healthy link stays up: the quiet link is probed with a time request and the answer keeps it', async () => {
    const p = await node('idle/Ab');
    const seen = events(p);
    const { frames } = await handPeer(p);
    await until('the peer is up', () => p.isUp(PEER));
    const t0 = Date.now();
    // three probes answered, and at least 1.5 × monitorTimeout of silence otherwise (a wrong watch cuts within 1 ×)
    await until(
      'three answered probes',
      () => frames.filter(isProbe).length >= 3 && Date.now() - t0 > 1500,
      10_000,
    );
    expect(frames.find(isProbe)).toEqual(['', 'time', `${p.id}#`, 'devnull']);
    expect(p.isUp(PEER)).toBe(true);
    expect(seen).toEqual([{ node: PEER, up: true }]);
    expect(p.logs.filter((r) => r.level === 'warn' || r.level === 'error')).toEqual([]);
  });

  it('two of our nodes, idle: the probes (and their answers) keep the link up, no false cut', async () => {
    const a = await node('idle/A');
    const b = await node('idle/B', { addresses: { [a.id]: [...a.addresses] } });
    const seenA = events(a);
    const seenB = events(b);
    expect(await firstValueFrom(b.cal(`${a.id}#`, 'time', { timeout: 5 }))).toEqual([expect.any(Number)]);
    const t0 = Date.now();
    // with nothing on the wire either side would cut the link within monitorTimeout (1 s)
    await until('1.5 × monitorTimeout of idleness', () => Date.now() - t0 > 1500, 5000);
    expect([a.isUp(b.id), b.isUp(a.id)]).toEqual([true, true]);
    expect(seenA).toEqual([{ node: b.id, up: true }]);
    expect(seenB).toEqual([{ node: a.id, up: true }]);
  });

  it('a busy link is never probed: traffic from the peer proves it alive', async () => {
    const p = await node('busy/Cd');
    const { peer, frames } = await handPeer(p);
    await until('the peer is up', () => p.isUp(PEER));
    const t0 = Date.now();
    let sent = 0;
    const chatter = setInterval(() => {
      sent++;
      peer.write(JSON.stringify(['', 'devnull', sent]));
    }, 50);
    cleanup.push(() => clearInterval(chatter));
    await until('1.5 × monitorTimeout of chatter', () => Date.now() - t0 > 1500 && sent >= 20, 10_000);
    clearInterval(chatter);
    expect(frames.filter(isProbe)).toEqual([]);
    expect(p.isUp(PEER)).toBe(true);
  });

  it('a peer that stops answering probes is given up: transport_error with the reason, then node down', async () => {
    const p = await node('strict/Ef');
    const seen = events(p);
    const { frames, answer } = await handPeer(p);
    await until('a first answered probe', () => frames.some(isProbe));
    const watch = new Promise<Reason>((resolve) => p.mon(`${PEER}#x`, resolve));
    answer.on = false;
    const reason = await withTimeout(watch, 10_000, 'the monitor of the silent peer');
    expect(reason).toEqual([
      'transport_error',
      PEER,
      'Connection timed out: nothing received within monitorTimeout (1 s)',
    ]);
    await until('node down', () => seen.some((e) => !e.up));
    expect(seen).toEqual([
      { node: PEER, up: true },
      { node: PEER, up: false, reason },
    ]);
    expect(
      p.logs.some((r) => r.level === 'warn' && r.message.includes('connection closed: Connection timed out')),
    ).toBe(true);
  });

  it('a peer that stalls in the middle of a frame is cut with a logged reason', async () => {
    const p = await node('stall/Gh');
    const seen = events(p);
    const { peer, answer } = await handPeer(p);
    await until('the peer is up', () => p.isUp(PEER));
    answer.on = false;
    peer.write('["", "devnull", "half a fr');
    await peer.closed(10_000);
    await until('node down', () => seen.some((e) => !e.up));
    expect(seen.at(-1)).toEqual({
      node: PEER,
      up: false,
      reason: [
        'transport_error',
        PEER,
        'Connection timed out: stalled inside a frame for monitorTimeout (1 s)',
      ],
    });
    const line = p.logs.find((r) => r.message.includes('stalled inside a frame'));
    expect(line?.level).toBe('warn');
    expect(line?.message).toMatch(
      /^perlish\/Lv1 \(127\.0\.0\.1:\d+\): connection closed: Connection timed out: stalled inside a frame/,
    );
  });
});
