/**
 * What the fuzz does on one connection: a pre-authentication case, or an
 * authenticated session of hostile frames; and the honest `time` probe.
 */
import { connect as netConnect } from 'node:net';
import { getFraming } from '../../src/streams/framing/index.js';
import { authData } from '../../src/streams/handshake/index.js';
import { rawSession, type RawSession } from '../helpers/rawHandshake.js';
import { encodeFrame, type PreAuthCase } from './generators.js';
import { SECRET } from './target.js';

/** Waits for `p` at most `ms`; resolves false on timeout. */
export async function within(p: Promise<unknown>, ms: number): Promise<boolean> {
  let t: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((r) => (t = setTimeout(() => r(false), ms)));
  try {
    return await Promise.race([p.then(() => true), timeout]);
  } finally {
    clearTimeout(t);
  }
}

/** Reads the target's frames on `s` and resolves when one is `[portName, tag, ...]`. */
function replyOn(s: RawSession, portName: string, tag: string): Promise<void> {
  const decoder = getFraming(s.result.remote.framing)!.createDecoder({ maxFrameBytes: 64 * 1024 * 1024 });
  return new Promise<void>((resolve, reject) => {
    let broken = false;
    const onData = (c: Buffer) => {
      if (broken) return;
      try {
        decoder.push(c, (f) => {
          if (f[0] === portName && f[1] === tag) {
            s.socket.off('data', onData);
            resolve();
          }
        });
      } catch (e) {
        broken = true;
        reject(new Error(`cannot decode what the target sent: ${String(e)}`));
      }
    };
    if (s.rest.length) onData(s.rest);
    s.socket.on('data', onData);
    void s.closed.then(() => reject(new Error(`connection closed before the reply to ${tag}`)));
  });
}

/** Asks the target's node port for the time on an authenticated raw session and waits for the answer. */
export async function timeProbe(s: RawSession, me: string, cbor: boolean, tag: string): Promise<void> {
  const reply = replyOn(s, 'probe', tag);
  s.socket.write(encodeFrame(['', 'time', `${me}#probe`, tag], cbor));
  if (!(await within(reply, 15_000))) throw new Error(`no reply to the ${tag} probe within 15 s`);
}

/** One pre-authentication case on its own connection: send, end, expect the node to close. */
export async function preAuth(port: number, c: PreAuthCase, me: string): Promise<string | undefined> {
  const socket = netConnect({ host: '127.0.0.1', port });
  socket.on('error', () => {});
  const closed = new Promise<void>((r) => socket.once('close', () => r()));
  socket.on('data', () => {}); // keep reading
  await new Promise<void>((r) => {
    socket.once('connect', () => r());
    socket.once('close', () => r());
  });
  if (c.kind === 'auth' || c.kind === 'signed') {
    let got = '';
    const two = new Promise<void>((r) => {
      const onData = (d: Buffer) => {
        got += d.toString('latin1');
        if (got.split('\n').length <= 2) return;
        socket.off('data', onData);
        r();
      };
      socket.on('data', onData);
    });
    const line1 = `aemp;1;${me};hmac_sha3_512,cleartext;${c.kind === 'auth' ? c.greeting : 'json'};peeraddr=x:1`;
    const line2 = 'n'.repeat(88);
    socket.write(`${line1}\n${line2}\n`);
    if (!(await within(Promise.race([two, closed]), 15_000))) return 'no greeting back within 15 s';
    if (c.kind === 'auth') socket.write(c.auth);
    else {
      const [t1 = '', t2 = ''] = got.split('\n');
      const me2 = { line1: Buffer.from(line1), line2: Buffer.from(line2) };
      const them = { line1: Buffer.from(t1, 'latin1'), line2: Buffer.from(t2, 'latin1') };
      const mac = authData('hmac_sha3_512', me2, them, { secret: Buffer.from(SECRET), tls: false });
      socket.write(Buffer.concat([Buffer.from(`hmac_sha3_512;${mac};${c.framing}\n`), c.tail]));
    }
  } else socket.write(c.bytes);
  socket.end();
  if (!(await within(closed, 15_000))) {
    socket.destroy();
    return `node kept a connection open 15 s after EOF (case ${JSON.stringify(c).slice(0, 300)})`;
  }
  return undefined;
}

/**
 * One authenticated session: 5–125 hostile frames (sent with the auth line, in random cuts, byte
 * by byte, or at once), then either a malformed tail (half the sessions) or an honest probe.
 */
export async function dataSession(
  port: number,
  me: string,
  seed: number,
  cbor: boolean,
  frames: Buffer[],
  killer: Buffer | undefined,
): Promise<string | undefined> {
  // how the bytes are cut into writes: by the session's own seed, so that a batch replays
  let r = seed;
  const rnd = (n: number) => {
    r = Math.imul(r ^ (r >>> 15), 0x2c1b3c6d) ^ Math.imul(r ^ (r >>> 12), 0x297a2d39);
    return (r >>> 0) % n;
  };
  const all = Buffer.concat(frames);
  const style = rnd(4); // 0: with the auth line, 1: random cuts, 2: the first 2 KB byte by byte, 3: one write
  let s: RawSession;
  try {
    s = await rawSession(port, {
      nodeId: me,
      secret: SECRET,
      framing: cbor ? 'cbor' : 'json',
      timeoutMs: 15_000,
      ...(style === 0 ? { withAuthLine: all } : {}),
    });
  } catch (e) {
    return `honest handshake as ${JSON.stringify(me)} failed: ${String(e)}`;
  }
  s.socket.on('error', () => {});
  s.socket.on('data', () => {}); // keep reading what the target sends back
  try {
    if (style === 1) {
      for (let i = 0; i < all.length;) {
        const n = 1 + rnd(Math.min(4096, all.length - i));
        s.socket.write(all.subarray(i, i + n));
        i += n;
      }
    } else if (style === 2) {
      const slow = all.subarray(0, 2048);
      for (let i = 0; i < slow.length; i++) s.socket.write(slow.subarray(i, i + 1));
      s.socket.write(all.subarray(slow.length));
    } else if (style === 3) s.socket.write(all);
    if (killer) {
      s.socket.write(killer);
      s.socket.end();
    } else {
      await timeProbe(s, me, cbor, 'after-frames');
      s.socket.end();
    }
    if (!(await within(s.closed, 15_000))) return 'node kept a session open 15 s after EOF';
    return undefined;
  } catch (e) {
    return `session ${JSON.stringify(me)} (${cbor ? 'cbor' : 'json'}, ${frames.length} frames${killer ? '' : ', all well-formed'}): ${(e as Error).message}`;
  } finally {
    s.socket.destroy();
  }
}
