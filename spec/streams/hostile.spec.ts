/**
 * Hostile input against one listener, through raw sockets: each case ends
 * only that connection with a clear logged reason; the listener, an already
 * established connection and a new good connection go on.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { encode as cborEncode } from 'cbor-x';
import { authData, connect, listen, refuseDuplicate, type Connection, type Listener } from '../../src/streams/index.js';
import { certDir, selfSignedPem, type CertDir } from '../helpers/certs.js';
import {
  acceptQueue,
  collectLogs,
  onFrames,
  portOf,
  rawPeer,
  withTimeout,
  type LogCollector,
  type RawPeer,
} from '../helpers/net.js';

const SECRET = 's3cret';
const MAX_FRAME = 64 * 1024;
const TIMEOUT_S = 0.5;

let listener: Listener;
let logs: LogCollector;
let q: ReturnType<typeof acceptQueue>;
let veteran: { client: Connection; server: Connection };
let port: number;
let dir: CertDir;
let tlsListener: Listener;
let tlsLogs: LogCollector;

beforeAll(async () => {
  logs = collectLogs();
  q = acceptQueue();
  listener = await listen(
    ['127.0.0.1:0'],
    {
      nodeId: 'target',
      secret: SECRET,
      authAccept: ['tls_sha3_512', 'hmac_sha3_512'],
      framingFormat: ['json', 'cbor'],
      monitorTimeout: TIMEOUT_S,
      maxFrameBytes: MAX_FRAME,
      log: logs.log,
      admit: (id) => (id === 'unwelcome' ? refuseDuplicate(id) : undefined),
    },
    (c) => {
      onFrames(c, (f) => {
        if (f[0] === 'echo') c.next(f);
      });
      q.onConnection(c);
    },
  );
  port = portOf(listener);
  const client = await connect(listener.addresses[0]!, { nodeId: 'veteran', secret: SECRET });
  veteran = { client, server: await q.next() };
  dir = certDir();
  tlsLogs = collectLogs();
  tlsListener = await listen(
    ['127.0.0.1:0'],
    { nodeId: 'tls-target', cert: selfSignedPem(dir), monitorTimeout: TIMEOUT_S, log: tlsLogs.log },
    () => {},
  );
}, 30_000);

afterAll(async () => {
  if (process.env['SHOW_LOGS'])
    for (const l of [...logs.lines, ...tlsLogs.lines]) console.log(l.level, l.message.slice(0, 160));
  veteran.client.complete();
  await listener.close();
  await tlsListener.close();
  dir.cleanup();
});

/** A good connection still works: a new one, and the one made before everything. */
async function stillServing(): Promise<void> {
  const c = await connect(listener.addresses[0]!, { nodeId: `good${Math.random()}`, secret: SECRET });
  const server = await q.next();
  const back = new Promise<unknown[]>((r) => onFrames(c, r));
  c.next(['echo', 'fresh']);
  expect(await withTimeout(back, 5000)).toEqual(['echo', 'fresh']);
  c.complete();
  server.complete();
  const back2 = new Promise<unknown[]>((r) => onFrames(veteran.client, r));
  veteran.client.next(['echo', 'veteran']);
  expect(await withTimeout(back2, 5000)).toEqual(['echo', 'veteran']);
  expect(veteran.server.state).toBe('open');
}

afterEach(async () => {
  await stillServing();
});

/** Waits for the handshake failure log of `peer` and checks its reason. */
async function handshakeFailed(peer: RawPeer, reason: string, l: LogCollector = logs) {
  const prefix = `handshake with 127.0.0.1:${peer.socket.localPort} failed: `;
  const line = await l.waitFor((x) => x.context === 'transport' && x.message.startsWith(prefix));
  expect(line.message).toBe(prefix + reason);
  await peer.closed();
  return line;
}

/** Data-phase failure log of the connection from node `node`. */
async function connectionFailed(node: string, peer: RawPeer, reason: string | RegExp) {
  const prefix = `${node} (127.0.0.1:${peer.socket.localPort}): connection closed: `;
  const line = await logs.waitFor((x) => x.message.startsWith(prefix));
  expect(line.level).toBe('warn');
  const why = line.message.slice(prefix.length);
  if (typeof reason === 'string') expect(why).toBe(reason);
  else expect(why).toMatch(reason);
  await peer.closed();
}

const greeting = (
  o: { node?: string; version?: string; auths?: string; framings?: string; proto?: string } = {},
) =>
  `${o.proto ?? 'aemp'};${o.version ?? '1'};${o.node ?? 'intruder'};${o.auths ?? 'tls_sha3_512,hmac_sha3_512,tls_anon,cleartext'};${o.framings ?? 'json'};peeraddr=x:1;provider=AE-2.02;mproto=1;gproto=1`;
const NONCE = 'q'.repeat(88);

/** Sends our greeting and reads the target's; returns what the auth lines need. */
async function greet(peer: RawPeer, g1 = greeting(), nonce = NONCE) {
  peer.write(`${g1}\n${nonce}\n`);
  const t1 = await peer.readLine();
  const t2 = await peer.readLine();
  const me = { line1: Buffer.from(g1), line2: Buffer.from(nonce) };
  const them = { line1: Buffer.from(t1), line2: Buffer.from(t2) };
  return {
    t1,
    t2,
    me,
    them,
    hmac: (secret = SECRET) =>
      authData('hmac_sha3_512', me, them, { secret: Buffer.from(secret), tls: false })!,
  };
}

/** A peer that authenticated correctly and is in the data phase (json both ways). */
async function authenticated(node: string) {
  const peer = await rawPeer(port);
  const g = await greet(peer, greeting({ node }));
  peer.write(`hmac_sha3_512;${g.hmac()};json\n`);
  expect(await peer.readLine()).toMatch(/^hmac_sha3_512;[0-9a-f]{128};json$/);
  await q.next();
  return peer;
}

describe('before authentication', () => {
  it('greeting line over 4 KB without LF', async () => {
    const peer = await rawPeer(port);
    peer.write('aemp;1;x;' + 'A'.repeat(5000));
    await handshakeFailed(peer, 'handshake line too long (limit 4096 bytes)');
  });

  it('greeting line over 4 KB with LF', async () => {
    const peer = await rawPeer(port);
    peer.write(greeting() + ';pad=' + 'p'.repeat(4100) + '\n');
    await handshakeFailed(peer, 'handshake line too long (limit 4096 bytes)');
  });

  it('auth line over 4 KB', async () => {
    const peer = await rawPeer(port);
    await greet(peer);
    peer.write('hmac_sha3_512;' + 'f'.repeat(4200) + ';json\n');
    await handshakeFailed(peer, 'handshake line too long (limit 4096 bytes)');
  });

  it('an HTTP request instead of a greeting', async () => {
    const peer = await rawPeer(port);
    peer.write('GET / HTTP/1.1\r\nHost: x\r\n\r\n');
    await handshakeFailed(peer, "unparsable greeting, expected 'aemp', got 'GET / HTTP/1.1'");
  });

  it('binary garbage', async () => {
    const peer = await rawPeer(port);
    peer.write(Buffer.from([0x16, 0x03, 0x01, 0x00, 0xff, 0x0a, 0x00, 0x0a]));
    const line = await handshakeFailed(
      peer,
      "unparsable greeting, expected 'aemp', got '\u0016\u0003\u0001\u0000\ufffd'",
    );
    expect(line.level).toBe('warn');
  });

  it('missing node id', async () => {
    const peer = await rawPeer(port);
    peer.write('aemp;1;;hmac_sha3_512;json\n');
    await handshakeFailed(peer, "unparsable greeting, invalid node id ''");
  });

  it('version mismatch', async () => {
    const peer = await rawPeer(port);
    peer.write(greeting({ version: '2' }) + '\n');
    await handshakeFailed(peer, 'version mismatch (we: 1, they: 2)');
  });

  it('our own node id', async () => {
    const peer = await rawPeer(port);
    peer.write(greeting({ node: 'target' }) + '\n');
    const line = await handshakeFailed(peer, 'I refuse to talk to myself');
    expect(line.level).toBe('info'); // routine (seed lists contain the node itself)
  });

  it('our own greeting echoed back (the self check catches it first)', async () => {
    const peer = await rawPeer(port);
    const l1 = await peer.readLine();
    const l2 = await peer.readLine();
    peer.write(`${l1}\n${l2}\n`);
    await handshakeFailed(peer, 'I refuse to talk to myself');
  });

  it('a node the kernel refuses (admit)', async () => {
    const peer = await rawPeer(port);
    peer.write(greeting({ node: 'unwelcome' }) + '\n');
    await handshakeFailed(peer, 'unwelcome already connected, not connecting again.');
  });

  it('no common auth type', async () => {
    const peer = await rawPeer(port);
    peer.write(`${greeting({ auths: 'md5,tls_anon' })}\n${NONCE}\n`);
    await handshakeFailed(peer, 'md5,tls_anon: no common auth type supported');
  });

  it('no common framing', async () => {
    const peer = await rawPeer(port);
    peer.write(`${greeting({ framings: 'storable' })}\n${NONCE}\n`);
    await handshakeFailed(peer, 'storable: no common framing method supported');
  });

  it('wrong secret', async () => {
    const peer = await rawPeer(port);
    const g = await greet(peer);
    peer.write(`hmac_sha3_512;${g.hmac('wrong')};json\n`);
    await handshakeFailed(peer, 'authentication failure/shared secret mismatch');
  });

  it('a correct auth method that is not in our authAccept (cleartext)', async () => {
    const peer = await rawPeer(port);
    await greet(peer);
    peer.write(`cleartext;${Buffer.from(SECRET).toString('hex')};json\n`);
    await handshakeFailed(peer, 'cleartext: auth method not in our auth_accept list');
  });

  it('an unknown auth method', async () => {
    const peer = await rawPeer(port);
    await greet(peer);
    peer.write('md5;0123;json\n');
    await handshakeFailed(peer, 'md5: fatal, selected unsupported rcv auth method');
  });

  it('tls_sha3_512 outside TLS', async () => {
    const peer = await rawPeer(port);
    await greet(peer, greeting(), NONCE);
    peer.write('tls_sha3_512;;json\n');
    await handshakeFailed(peer, 'authentication failure/shared secret mismatch');
  });

  it('an unusable remote framing', async () => {
    const peer = await rawPeer(port);
    const g = await greet(peer);
    peer.write(`hmac_sha3_512;${g.hmac()};storable\n`);
    await handshakeFailed(peer, 'storable: unusable remote framing');
  });

  it('a data connection greeting (tolerated, then refused)', async () => {
    const peer = await rawPeer(port);
    const g = await greet(peer, greeting({ proto: 'aemp-dataconn' }));
    peer.write(`hmac_sha3_512;${g.hmac()};json\n`);
    await handshakeFailed(peer, 'aemp-dataconn: data connections are not supported');
  });

  it('slowloris: an incomplete greeting is cut at monitorTimeout', async () => {
    const peer = await rawPeer(port);
    peer.write('aemp;1;slow');
    await handshakeFailed(peer, `Connection timed out (no complete handshake within ${TIMEOUT_S}s)`);
  });

  it('slowloris: dribbling bytes does not extend the deadline', async () => {
    const peer = await rawPeer(port);
    const t0 = Date.now();
    const text = greeting() + '\n';
    let i = 0;
    const timer = setInterval(() => i < text.length && peer.write(text[i++]!), 40);
    try {
      await handshakeFailed(peer, `Connection timed out (no complete handshake within ${TIMEOUT_S}s)`);
      expect(Date.now() - t0).toBeLessThan(TIMEOUT_S * 1000 + 1000);
    } finally {
      clearInterval(timer);
    }
  });

  it('silent after the greeting: cut at monitorTimeout', async () => {
    const peer = await rawPeer(port);
    await greet(peer);
    await handshakeFailed(peer, `Connection timed out (no complete handshake within ${TIMEOUT_S}s)`);
  });

  it('the peer hangs up mid-handshake', async () => {
    const peer = await rawPeer(port);
    await greet(peer);
    peer.socket.end();
    await handshakeFailed(peer, 'Unexpected end-of-file');
  });

  it('many bad connections at once', async () => {
    const peers = await Promise.all(Array.from({ length: 30 }, () => rawPeer(port)));
    peers.forEach((p, i) => p.write(i % 2 ? 'garbage\n' : greeting({ version: '9' }) + '\n'));
    await Promise.all(
      peers.map((p, i) =>
        handshakeFailed(
          p,
          i % 2 ? "unparsable greeting, expected 'aemp', got 'garbage'" : 'version mismatch (we: 1, they: 9)',
        ),
      ),
    );
  });

  it('TLS listener: garbage instead of a ClientHello', async () => {
    const peer = await rawPeer(portOf(tlsListener));
    peer.write(`${greeting({ node: 'x' })};tls=1.0\n${'+'.repeat(88)}\n`); // smaller nonce: we are the TLS client
    await peer.readLine();
    await peer.readLine();
    peer.write('this is not TLS at all\r\n'.repeat(10));
    const prefix = `handshake with 127.0.0.1:${peer.socket.localPort} failed: `;
    const line = await tlsLogs.waitFor((x) => x.message.startsWith(prefix));
    expect(line.message).toBe(`${prefix}TLS handshake failed: wrong version number`);
    await peer.closed();
  });
});

describe('after authentication', () => {
  it('invalid JSON', async () => {
    const peer = await authenticated('bad-json');
    peer.write('["ok"]["bad",nope]');
    await connectionFailed('bad-json', peer, /^json: /);
  });

  it('a non-array JSON frame', async () => {
    const peer = await authenticated('non-array');
    peer.write('{"a":1}');
    await connectionFailed('non-array', peer, /^json: .*array/);
  });

  it('a bare JSON number', async () => {
    const peer = await authenticated('number');
    peer.write('42 ');
    await connectionFailed('number', peer, /^json: /);
  });

  it('a frame over maxFrameBytes', async () => {
    const peer = await authenticated('too-big');
    peer.write(`["x","${'y'.repeat(MAX_FRAME + 10)}"]`);
    await connectionFailed('too-big', peer, /^json: .*(large|limit|exceed|bytes)/i);
  });

  it('an endless frame that never closes its bracket', async () => {
    const peer = await authenticated('endless');
    peer.write('["' + 'z'.repeat(MAX_FRAME * 2));
    await connectionFailed('endless', peer, /^json: /);
  });

  it('invalid CBOR', async () => {
    const peer = await rawPeer(port);
    const g = await greet(peer, greeting({ node: 'bad-cbor', framings: 'cbor' }));
    peer.write(`hmac_sha3_512;${g.hmac()};cbor\n`);
    await peer.readLine();
    await q.next();
    peer.write(Buffer.concat([cborEncode(['fine']), Buffer.from([0x82, 0x1c, 0x00])])); // reserved additional info 28
    await connectionFailed('bad-cbor', peer, /^cbor: /);
  });

  it('a non-array CBOR item', async () => {
    const peer = await rawPeer(port);
    const g = await greet(peer, greeting({ node: 'cbor-map', framings: 'cbor' }));
    peer.write(`hmac_sha3_512;${g.hmac()};cbor\n`);
    await peer.readLine();
    await q.next();
    peer.write(cborEncode({ a: 1 }));
    await connectionFailed('cbor-map', peer, /^cbor: .*array/);
  });
});
