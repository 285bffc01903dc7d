/**
 * Two of ours over 127.0.0.1 in every combination of framings, auth methods
 * and TLS; coalesced writes; flow control; the end of a connection; a peer
 * written by hand from the vector line formats.
 */
import { once } from 'node:events';
import { Socket, createServer, connect as netConnect, type AddressInfo } from 'node:net';
import { Duplex } from 'node:stream';
import { connect as tlsConnect } from 'node:tls';
import { firstValueFrom, lastValueFrom, toArray, take } from 'rxjs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  ConnectionError,
  authData,
  connect,
  expandBind,
  formatHostPort,
  listen,
  parseHostPort,
  refuseDuplicate,
  type Connection,
  type TransportOptions,
} from '../../src/streams/index.js';
import { caSignedPems, certDir, selfSignedPem, type CertDir } from '../helpers/certs.js';
import { acceptQueue, collectLogs, connectPair, onFrames, portOf, rawPeer, withTimeout } from '../helpers/net.js';

let dir: CertDir;
let shared: string;
let other: string;
let caNodes: Record<string, string>;

beforeAll(() => {
  dir = certDir();
  shared = selfSignedPem(dir, 'shared');
  other = selfSignedPem(dir, 'other');
  caNodes = caSignedPems(dir, ['a', 'b']).nodes;
}, 30_000);
afterAll(() => dir.cleanup());

/** Collects `n` frames arriving on `c`. */
function receive(c: Connection, n: number, ms = 5000): Promise<unknown[][]> {
  const got: unknown[][] = [];
  return withTimeout(
    new Promise((resolve) =>
      onFrames(c, (f) => {
        got.push(f);
        if (got.length === n) resolve(got);
      }),
    ),
    ms,
    () => `${n} frames (got ${got.length})`,
  );
}

const sample = (from: string, n: number): unknown[][] =>
  Array.from({ length: n }, (_, i) => [
    i % 3 === 0 ? '' : `port${i}`,
    'tag',
    i,
    from,
    { nested: [i, -i - 1, 1.5, null, true, false, 'ü€😀'], k: { deep: 'x'.repeat(i % 50) } },
  ]);

async function exchange(a: TransportOptions, b: TransportOptions) {
  const pair = await connectPair(a, b);
  try {
    const toServer = sample('client', 200);
    const toClient = sample('server', 200);
    const atServer = receive(pair.server, toServer.length);
    const atClient = receive(pair.client, toClient.length);
    for (const f of toServer) pair.client.next(f);
    for (const f of toClient) pair.server.next(f);
    expect(await atServer).toEqual(toServer);
    expect(await atClient).toEqual(toClient);
    return {
      client: {
        local: pair.client.local,
        remote: pair.client.remote,
        tls: pair.client.tls,
        initiator: pair.client.initiator,
        id: pair.client.remoteNodeId,
      },
      server: {
        local: pair.server.local,
        remote: pair.server.remote,
        tls: pair.server.tls,
        initiator: pair.server.initiator,
        id: pair.server.remoteNodeId,
      },
    };
  } finally {
    await pair.close();
  }
}

describe('two of ours over 127.0.0.1', () => {
  const S = 's3cret';
  type Case = [
    string,
    () => Partial<TransportOptions>,
    () => Partial<TransportOptions>,
    string,
    string,
    boolean,
    string,
    string,
  ];
  // name, server opts, client opts, client→server framing, server→client framing, tls, client auth, server auth
  const cases: Case[] = [
    [
      'json/json hmac',
      () => ({ secret: S, framingFormat: ['json'] }),
      () => ({ secret: S, framingFormat: ['json'] }),
      'json',
      'json',
      false,
      'hmac_sha3_512',
      'hmac_sha3_512',
    ],
    [
      'cbor/cbor hmac',
      () => ({ secret: S, framingFormat: ['cbor'] }),
      () => ({ secret: S, framingFormat: ['cbor'] }),
      'cbor',
      'cbor',
      false,
      'hmac_sha3_512',
      'hmac_sha3_512',
    ],
    [
      'json one way, cbor the other',
      () => ({ secret: S, framingFormat: ['cbor', 'json'] }),
      () => ({ secret: S, framingFormat: ['json', 'cbor'] }),
      'cbor',
      'json',
      false,
      'hmac_sha3_512',
      'hmac_sha3_512',
    ],
    [
      'defaults both (cbor) hmac',
      () => ({ secret: S }),
      () => ({ secret: S }),
      'cbor',
      'cbor',
      false,
      'hmac_sha3_512',
      'hmac_sha3_512',
    ],
    [
      'cleartext both ways',
      () => ({ secret: S, authOffer: ['cleartext'], authAccept: ['cleartext'] }),
      () => ({ secret: S, authOffer: ['cleartext'], authAccept: ['cleartext'] }),
      'cbor',
      'cbor',
      false,
      'cleartext',
      'cleartext',
    ],
    [
      'cleartext one way, hmac the other',
      () => ({ secret: S, authOffer: ['hmac_sha3_512'], authAccept: ['cleartext', 'hmac_sha3_512'] }),
      () => ({ secret: S, authOffer: ['cleartext'], authAccept: ['hmac_sha3_512'] }),
      'cbor',
      'cbor',
      false,
      'cleartext',
      'hmac_sha3_512',
    ],
    [
      'TLS tls_sha3_512 shared self-signed, json',
      () => ({ cert: shared, framingFormat: ['json'] }),
      () => ({ cert: shared, framingFormat: ['json'] }),
      'json',
      'json',
      true,
      'tls_sha3_512',
      'tls_sha3_512',
    ],
    [
      'TLS tls_sha3_512 cbor/json mixed',
      () => ({ cert: shared, framingFormat: ['cbor', 'json'] }),
      () => ({ cert: shared, framingFormat: ['json', 'cbor'] }),
      'cbor',
      'json',
      true,
      'tls_sha3_512',
      'tls_sha3_512',
    ],
    [
      'TLS tls_anon, no secret',
      () => ({ cert: shared, authOffer: ['tls_anon'] }),
      () => ({ cert: shared, authOffer: ['tls_anon'] }),
      'cbor',
      'cbor',
      true,
      'tls_anon',
      'tls_anon',
    ],
    [
      'TLS + hmac inside TLS',
      () => ({ cert: shared, secret: S, authOffer: ['hmac_sha3_512'] }),
      () => ({ cert: shared, secret: S, authOffer: ['hmac_sha3_512'] }),
      'cbor',
      'cbor',
      true,
      'hmac_sha3_512',
      'hmac_sha3_512',
    ],
    [
      'TLS + cleartext inside TLS',
      () => ({ cert: shared, secret: S, authOffer: ['cleartext'] }),
      () => ({ cert: shared, secret: S, authOffer: ['cleartext'] }),
      'cbor',
      'cbor',
      true,
      'cleartext',
      'cleartext',
    ],
    [
      'TLS with CA-signed node certs',
      () => ({ cert: caNodes['a'] }),
      () => ({ cert: caNodes['b'] }),
      'cbor',
      'cbor',
      true,
      'tls_sha3_512',
      'tls_sha3_512',
    ],
    [
      'cert on one side only: no TLS, hmac',
      () => ({ cert: shared, secret: S }),
      () => ({ secret: S }),
      'cbor',
      'cbor',
      false,
      'hmac_sha3_512',
      'hmac_sha3_512',
    ],
  ];

  it.each(cases)('%s', async (_n, srv, cli, c2s, s2c, tls, cAuth, sAuth) => {
    const r = await exchange({ nodeId: 'srv', ...srv() }, { nodeId: 'cli', ...cli() });
    expect(r.client).toMatchObject({
      tls,
      initiator: true,
      id: 'srv',
      local: { framing: c2s, authMethod: cAuth },
      remote: { framing: s2c, authMethod: sAuth },
    });
    expect(r.server).toMatchObject({
      tls,
      initiator: false,
      id: 'cli',
      local: { framing: s2c, authMethod: sAuth },
      remote: { framing: c2s, authMethod: cAuth },
    });
  });

  it('the greeting says where we dialled (connector) and who connected (acceptor)', async () => {
    const pair = await connectPair({ nodeId: 'srv', secret: S }, { nodeId: 'cli', secret: S });
    try {
      expect(pair.server.remote.greeting.kv['peeraddr']).toBe(pair.listener.addresses[0]);
      expect(pair.client.remote.greeting.kv['peeraddr']).toMatch(/^127\.0\.0\.1:\d+$/);
      expect(pair.client.remote.greeting.kv).toMatchObject({ provider: 'AE-2.02', mproto: '1', gproto: '1' });
      expect(pair.client.peerAddress).toBe(pair.listener.addresses[0]);
    } finally {
      await pair.close();
    }
  });

  it('different self-signed certificates: TLS fails on both sides, the listener goes on', async () => {
    const L = collectLogs();
    let accepted!: (c: Connection) => void;
    const acceptedP = new Promise<Connection>((r) => (accepted = r));
    const listener = await listen(['127.0.0.1:0'], { nodeId: 'srv', cert: shared, log: L.log }, (c) =>
      accepted(c),
    );
    try {
      const err = await connect(listener.addresses[0]!, { nodeId: 'cli', cert: other }).catch(
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(ConnectionError);
      expect((err as ConnectionError).message).toMatch(
        /TLS handshake failed|Unexpected end-of-file|Connection reset/,
      );
      const line = await L.waitFor((l) => l.message.startsWith('handshake with 127.0.0.1:'));
      expect(line.level).toBe('warn');
      expect(line.message).toMatch(/TLS handshake failed|Unexpected end-of-file|Connection reset/);
      const ok = await connect(listener.addresses[0]!, { nodeId: 'cli2', cert: shared });
      expect(ok.tls).toBe(true);
      expect((await withTimeout(acceptedP, 5000)).remoteNodeId).toBe('cli2');
      ok.complete();
    } finally {
      await listener.close();
    }
  });

  it('no TLS and no secret: refused with Perl’s text on both sides', async () => {
    const L = collectLogs();
    const listener = await listen(['127.0.0.1:0'], { nodeId: 'srv', log: L.log }, () => {});
    try {
      await expect(connect(listener.addresses[0]!, { nodeId: 'cli' })).rejects.toThrow(
        /unable to handshake TLS and no shared secret configured|Unexpected end-of-file/,
      );
      await L.waitFor((l) => l.message.includes('unable to handshake TLS and no shared secret configured'));
    } finally {
      await listener.close();
    }
  });
});

describe('writing', () => {
  it('frames written in one tick leave in one socket write', async () => {
    const pair = await connectPair(
      { nodeId: 'srv', secret: 'x', framingFormat: ['json'] },
      { nodeId: 'cli', secret: 'x' },
    );
    try {
      const frames = sample('c', 500);
      const arrived = receive(pair.server, frames.length);
      const spy = vi.spyOn(Socket.prototype, 'write');
      try {
        for (const f of frames) pair.client.next(f);
        expect(spy).not.toHaveBeenCalled(); // nothing before the end of the tick
        await pair.client.drained();
        expect(spy).toHaveBeenCalledTimes(1);
      } finally {
        spy.mockRestore();
      }
      expect(await arrived).toEqual(frames);
      // and two ticks → two writes
      const spy2 = vi.spyOn(Socket.prototype, 'write');
      try {
        pair.client.next(['a']);
        await Promise.resolve();
        await new Promise((r) => setImmediate(r));
        pair.client.next(['b']);
        pair.client.next(['c']);
        await pair.client.drained();
        expect(spy2).toHaveBeenCalledTimes(2);
      } finally {
        spy2.mockRestore();
      }
    } finally {
      await pair.close();
    }
  });

  it('the peer sees one chunk for one tick of frames (hand-written reader)', async () => {
    const s = await handPeerServer('json');
    try {
      const conn = await connect(`127.0.0.1:${s.port}`, {
        nodeId: 'us',
        secret: 's3cret',
        framingFormat: ['json'],
      });
      const peer = await s.peer;
      const frames = sample('us', 100);
      const expectedBytes = frames.map((f) => JSON.stringify(f)).join('');
      for (const f of frames) conn.next(f);
      await peer.waitBytes(Buffer.byteLength(expectedBytes));
      expect(peer.dataChunks()).toBe(1);
      expect(peer.takeBuffered().toString('utf8')).toBe(expectedBytes);
      conn.complete();
    } finally {
      s.close();
    }
  });

  it('an unencodable frame throws at write() and nothing of it is sent', async () => {
    const pair = await connectPair({ nodeId: 'srv', secret: 'x' }, { nodeId: 'cli', secret: 'x' });
    try {
      const arrived = receive(pair.server, 2);
      pair.client.next(['before']);
      const cyclic: unknown[] = ['bad'];
      cyclic.push(cyclic);
      expect(() => pair.client.next(cyclic)).toThrow(/cbor/);
      pair.client.next(['after']);
      expect(await arrived).toEqual([['before'], ['after']]);
    } finally {
      await pair.close();
    }
  });

  it('big frames, backlog$ and drained()', async () => {
    const pair = await connectPair({ nodeId: 'srv', secret: 'x' }, { nodeId: 'cli', secret: 'x' });
    try {
      const big = 'y'.repeat(1 << 20);
      const seen: number[] = [];
      const sub = pair.client.backlog$.subscribe((n) => seen.push(n));
      const arrived = receive(pair.server, 8, 10_000);
      for (let i = 0; i < 8; i++) pair.client.next(['big', i, big]);
      await pair.client.drained();
      expect(pair.client.backlog).toBe(0);
      const got = await arrived;
      expect(got.map((f) => f[1])).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
      expect((got[7]![2] as string).length).toBe(1 << 20);
      expect(seen[0]).toBe(0);
      expect(Math.max(...seen)).toBeGreaterThan(0);
      expect(seen[seen.length - 1]).toBe(0);
      sub.unsubscribe();
    } finally {
      await pair.close();
    }
  });
});

describe('reading', () => {
  it('the incoming frames: a stream that completes when the peer closes', async () => {
    const pair = await connectPair({ nodeId: 'srv', secret: 'x' }, { nodeId: 'cli', secret: 'x' });
    try {
      const all = lastValueFrom(pair.server.pipe(toArray()));
      pair.client.next(['one']);
      pair.client.next(['two', { a: 1 }]);
      pair.client.error('done');
      expect(await withTimeout(all, 5000)).toEqual([['one'], ['two', { a: 1 }]]);
      expect(pair.server.closeReason).toBe('Unexpected end-of-file');
      expect(pair.client.closeReason).toBe('done');
    } finally {
      await pair.close();
    }
  });

  it('nothing is read before a handler is set; frames wait (no loss)', async () => {
    const pair = await connectPair({ nodeId: 'srv', secret: 'x' }, { nodeId: 'cli', secret: 'x' });
    try {
      for (let i = 0; i < 10; i++) pair.client.next([String(i)]);
      await pair.client.drained();
      await new Promise((r) => setImmediate(r));
      const first3 = firstValueFrom(pair.server.pipe(take(3), toArray()));
      expect(await withTimeout(first3, 5000)).toEqual([['0'], ['1'], ['2']]);
    } finally {
      await pair.close();
    }
  });

  it('a throwing frame handler is logged and the connection goes on', async () => {
    const L = collectLogs();
    const pair = await connectPair(
      { nodeId: 'srv', secret: 'x', log: L.log },
      { nodeId: 'cli', secret: 'x' },
    );
    try {
      const got: unknown[] = [];
      const done = new Promise<void>((r) =>
        onFrames(pair.server, (f) => {
          got.push(f);
          if (f[0] === 'boom') throw new Error('handler exploded');
          if (f[0] === 'last') r();
        }),
      );
      pair.client.next(['boom']);
      pair.client.next(['last']);
      await withTimeout(done, 5000);
      expect(got).toEqual([['boom'], ['last']]);
      await L.waitFor((l) => l.level === 'error' && l.message.includes('handler exploded'));
      expect(pair.server.state).toBe('open');
    } finally {
      await pair.close();
    }
  });
});

describe('the end of a connection', () => {
  it('close() sends what was written before, then completes closed$ on both sides', async () => {
    const pair = await connectPair({ nodeId: 'srv', secret: 'x' }, { nodeId: 'cli', secret: 'x' });
    const arrived = receive(pair.server, 3);
    pair.client.next(['a']);
    pair.client.next(['b']);
    pair.client.next(['c']);
    pair.client.error('bye');
    pair.client.next(['dropped']);
    expect(await arrived).toEqual([['a'], ['b'], ['c']]);
    await expect(
      withTimeout(lastValueFrom(pair.client.closed$, { defaultValue: 'done' }), 5000),
    ).resolves.toBe('done');
    await expect(
      withTimeout(lastValueFrom(pair.server.closed$, { defaultValue: 'done' }), 5000),
    ).resolves.toBe('done');
    expect(pair.client.state).toBe('closed');
    await pair.close();
  });

  it('a peer that dies in the middle of a frame errors closed$ with Unexpected end-of-file', async () => {
    const s = await handPeerServer('json');
    try {
      const conn = await connect(`127.0.0.1:${s.port}`, {
        nodeId: 'us',
        secret: 's3cret',
        framingFormat: ['json'],
      });
      const peer = await s.peer;
      const frames: unknown[] = [];
      onFrames(conn, (f) => frames.push(f));
      peer.write('["complete"]["incompl');
      peer.end();
      const err = await withTimeout(
        lastValueFrom(conn.closed$).catch((e: unknown) => e),
        5000,
      );
      expect(err).toBeInstanceOf(ConnectionError);
      expect((err as ConnectionError).message).toBe('Unexpected end-of-file');
      expect((err as ConnectionError).code).toBe('eof');
      expect(frames).toEqual([['complete']]);
    } finally {
      s.close();
    }
  });

  it('a reset connection errors closed$ with the socket error text', async () => {
    const s = await handPeerServer('json');
    try {
      const conn = await connect(`127.0.0.1:${s.port}`, {
        nodeId: 'us',
        secret: 's3cret',
        framingFormat: ['json'],
      });
      const peer = await s.peer;
      onFrames(conn, () => {});
      peer.resetAndDestroy();
      const err = await withTimeout(
        lastValueFrom(conn.closed$).catch((e: unknown) => e),
        5000,
      );
      expect(err).toBeInstanceOf(ConnectionError);
      expect(['Connection reset by peer', 'Unexpected end-of-file']).toContain((err as Error).message);
    } finally {
      s.close();
    }
  });
});

describe('connect()', () => {
  it('refused: Connection refused', async () => {
    const srv = createServer();
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
    const port = (srv.address() as AddressInfo).port;
    await new Promise((r) => srv.close(r));
    const err = await connect(`127.0.0.1:${port}`, { nodeId: 'a', secret: 'x' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConnectionError);
    expect((err as Error).message).toBe('Connection refused');
  });

  it('a silent peer: connect timeout after connectInterval', async () => {
    const sockets: Socket[] = [];
    const srv = createServer((s) => sockets.push(s));
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
    try {
      const t0 = Date.now();
      const err = await connect(`127.0.0.1:${(srv.address() as AddressInfo).port}`, {
        nodeId: 'a',
        secret: 'x',
        connectInterval: 0.3,
      }).catch((e: unknown) => e);
      expect((err as Error).message).toBe('connect timeout');
      expect((err as ConnectionError).code).toBe('timeout');
      expect(Date.now() - t0).toBeGreaterThanOrEqual(250);
    } finally {
      for (const s of sockets) s.destroy();
      await new Promise((r) => srv.close(r));
    }
  });

  it('an AbortSignal aborts the attempt', async () => {
    const sockets: Socket[] = [];
    const srv = createServer((s) => sockets.push(s));
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
    try {
      const ac = new AbortController();
      const p = connect(
        `127.0.0.1:${(srv.address() as AddressInfo).port}`,
        { nodeId: 'a', secret: 'x' },
        ac.signal,
      );
      setImmediate(() => ac.abort());
      await expect(p).rejects.toThrow('aborted');
    } finally {
      for (const s of sockets) s.destroy();
      await new Promise((r) => srv.close(r));
    }
  });

  it('our own node: I refuse to talk to myself', async () => {
    const listener = await listen(['127.0.0.1:0'], { nodeId: 'same', secret: 'x' }, () => {});
    try {
      await expect(connect(listener.addresses[0]!, { nodeId: 'same', secret: 'x' })).rejects.toThrow(
        'I refuse to talk to myself',
      );
    } finally {
      await listener.close();
    }
  });

  it('admit() refusal on the connecting side', async () => {
    const listener = await listen(['127.0.0.1:0'], { nodeId: 'srv', secret: 'x' }, () => {});
    try {
      const seen: string[] = [];
      const err = await connect(listener.addresses[0]!, {
        nodeId: 'cli',
        secret: 'x',
        admit: (id) => (seen.push(id), refuseDuplicate(id)),
      }).catch((e: unknown) => e);
      expect((err as Error).message).toBe('srv already connected, not connecting again.');
      expect(seen).toEqual(['srv']);
    } finally {
      await listener.close();
    }
  });

  it('invalid options and addresses', async () => {
    await expect(connect('nowhere', { nodeId: 'a', secret: 'x' })).rejects.toThrow(ConnectionError);
    await expect(connect('127.0.0.1:1', { nodeId: 'a#b', secret: 'x' })).rejects.toThrow(TypeError);
    await expect(connect('127.0.0.1:1', { nodeId: 'a', framingFormat: ['storable'] })).rejects.toThrow(
      TypeError,
    );
    await expect(connect('127.0.0.1:1', { nodeId: 'a', cert: 'not a pem' })).rejects.toThrow(TypeError);
  });
});

describe('listen()', () => {
  it('reports the actually bound addresses and hands over only authenticated connections', async () => {
    const q = acceptQueue();
    const l = await listen(['127.0.0.1:0', '127.0.0.1:*'], { nodeId: 'srv', secret: 'x' }, q.onConnection);
    try {
      expect(l.addresses).toHaveLength(2);
      for (const a of l.addresses) expect(a).toMatch(/^127\.0\.0\.1:[1-9]\d*$/);
      const c = await connect(l.addresses[1]!, { nodeId: 'cli', secret: 'x' });
      expect((await q.next()).remoteNodeId).toBe('cli');
      c.complete();
    } finally {
      await l.close();
    }
  });

  it('a port in use rejects and leaves nothing bound', async () => {
    const a = await listen(['127.0.0.1:0'], { nodeId: 'a', secret: 'x' }, () => {});
    try {
      await expect(
        listen(['127.0.0.1:0', a.addresses[0]!], { nodeId: 'b', secret: 'x' }, () => {}),
      ).rejects.toThrow(/Address already in use/);
    } finally {
      await a.close();
    }
  });

  it('binds: parsing and expansion', () => {
    expect(parseHostPort('[::1]:4040')).toEqual({ host: '::1', port: 4040 });
    expect(parseHostPort('host:*')).toEqual({ host: 'host', port: 0 });
    expect(parseHostPort('host')).toBeUndefined();
    expect(parseHostPort('host:99999')).toBeUndefined();
    expect(formatHostPort('::1', 5)).toBe('[::1]:5');
    expect(formatHostPort('10.0.0.1', 5)).toBe('10.0.0.1:5');
    expect(expandBind('127.0.0.1:0')).toEqual([{ host: '127.0.0.1', port: 0 }]);
    for (const hp of expandBind('*:4040')!) {
      expect(hp.port).toBe(4040);
      expect(hp.host.startsWith('127.')).toBe(false);
      expect(hp.host).not.toBe('::1');
    }
    expect(expandBind('4040')![0]!.port).toBe(4040);
    expect(expandBind('x:y')).toBeUndefined();
  });

  it('IPv6 loopback, when the machine has it', async () => {
    const probe = createServer();
    const ok = await new Promise<boolean>((r) => {
      probe.once('error', () => r(false));
      probe.listen(0, '::1', () => r(true));
    });
    probe.close();
    if (!ok) return;
    const l = await listen(['[::1]:0'], { nodeId: 'srv', secret: 'x' }, () => {});
    try {
      expect(l.addresses[0]).toMatch(/^\[::1\]:\d+$/);
      const c = await connect(l.addresses[0]!, { nodeId: 'cli', secret: 'x' });
      expect(c.remote.greeting.kv['peeraddr']).toMatch(/^\[::1\]:\d+$/);
      c.complete();
    } finally {
      await l.close();
    }
  });
});

describe('a peer written by hand (vector line formats, our auth computation)', () => {
  const vectorGreeting = (node: string, peeraddr: string, framing: string) =>
    `aemp;1;${node};tls_sha3_512,hmac_sha3_512,tls_anon,cleartext;${framing};peeraddr=${peeraddr};provider=AE-2.02;mproto=1;gproto=1`;
  const NONCE = 'NFsgYIqI6QWKUULD2kbsFIV2qf2UNJCjM4/4y3+nkynHeaw5rfX03cTWoREkVO55ZSMMHMOsL+dL8310T+f9ggGX';
  const lines = (l1: string, l2: string) => ({ line1: Buffer.from(l1), line2: Buffer.from(l2) });

  it('connects to our listener like a Perl connector: auth line and first frames in one write', async () => {
    const q = acceptQueue();
    const l = await listen(
      ['127.0.0.1:0'],
      { nodeId: 'seed-json', secret: 's3cret', framingFormat: ['json'] },
      q.onConnection,
    );
    try {
      const peer = await rawPeer(portOf(l));
      const g1 = vectorGreeting('client-json', l.addresses[0]!, 'json');
      peer.write(`${g1}\n${NONCE}\n`);
      const ours1 = await peer.readLine();
      const ours2 = await peer.readLine();
      expect(ours1).toMatch(/^aemp;1;seed-json;tls_sha3_512,hmac_sha3_512,tls_anon,cleartext;json;/);
      expect(ours1).toContain(';provider=AE-2.02');
      expect(ours2).toMatch(/^[A-Za-z0-9+/]{88}$/);
      const me = lines(g1, NONCE);
      const them = lines(ours1, ours2);
      const secret = Buffer.from('s3cret');
      peer.write(
        `hmac_sha3_512;${authData('hmac_sha3_512', me, them, { secret, tls: false })};json\n["","g_slave"]["","g_slave"]`,
      );
      const theirAuth = await peer.readLine();
      expect(theirAuth).toBe(
        `hmac_sha3_512;${authData('hmac_sha3_512', them, me, { secret, tls: false })};json`,
      );
      const conn = await q.next();
      expect(conn.remoteNodeId).toBe('client-json');
      const frames = receive(conn, 3);
      peer.write('["","g_slave",{"\'l":{"client-json":["127.0.0.1:39445"]}}]');
      expect(await frames).toEqual([
        ['', 'g_slave'],
        ['', 'g_slave'],
        ['', 'g_slave', { "'l": { 'client-json': ['127.0.0.1:39445'] } }],
      ]);
      conn.next(['', 'g_global']);
      await peer.waitBytes(15);
      expect(peer.takeBuffered().toString()).toBe('["","g_global"]');
      peer.socket.destroy();
    } finally {
      await l.close();
    }
  });

  it('our connect() to a Perl-like acceptor that sends greeting, nonce and auth line in one write', async () => {
    const s = await handPeerServer('cbor');
    try {
      const conn = await connect(`127.0.0.1:${s.port}`, { nodeId: 'us', secret: 's3cret' });
      expect(conn.local).toEqual({ framing: 'cbor', authMethod: 'hmac_sha3_512' });
      expect(conn.remote.framing).toBe('cbor');
      const peer = await s.peer;
      expect(peer.ourGreeting[0]).toContain(`;peeraddr=127.0.0.1:${s.port}`);
      conn.complete();
    } finally {
      s.close();
    }
  });

  it('TLS: greeting and ClientHello in one segment (bytes after the nonce go to TLS)', async () => {
    const q = acceptQueue();
    const l = await listen(['127.0.0.1:0'], { nodeId: 'srv', cert: shared }, q.onConnection);
    try {
      const sock = netConnect({ host: '127.0.0.1', port: portOf(l) });
      await once(sock, 'connect');
      const nonce = '+'.repeat(88); // sorts before any real nonce: we are the TLS client
      const g1 =
        'aemp;1;handmade;tls_sha3_512;cbor,json;tls=1.0;provider=AE-2.02;mproto=1;gproto=1;peeraddr=x:1';
      // read their greeting first, so their lines are known
      let buf = Buffer.alloc(0);
      await withTimeout(
        new Promise<void>((r) => {
          const on = (d: Buffer) => {
            buf = Buffer.concat([buf, d]);
            if (buf.toString('latin1').split('\n').length >= 3) {
              sock.off('data', on);
              r();
            }
          };
          sock.on('data', on);
        }),
        5000,
      );
      sock.pause();
      const [t1, t2] = buf.toString('utf8').split('\n') as [string, string];
      const prefix = Buffer.from(`${g1}\n${nonce}\n`);
      let first = true;
      let wrote = 0;
      const duplex = new Duplex({
        read() {},
        write(chunk: Buffer, _enc, cb) {
          wrote++;
          const data = first ? Buffer.concat([prefix, chunk]) : chunk;
          first = false;
          sock.write(data, cb);
        },
        final(cb) {
          sock.end();
          cb();
        },
      });
      sock.on('data', (d) => duplex.push(d));
      sock.on('end', () => duplex.push(null));
      sock.resume();
      const tlsSock = tlsConnect({
        socket: duplex,
        cert: shared,
        key: shared,
        ca: shared,
        checkServerIdentity: () => undefined,
      });
      await withTimeout(once(tlsSock, 'secureConnect'), 5000, 'TLS up');
      expect(wrote).toBeGreaterThan(0);
      const me = lines(g1, nonce);
      const them = lines(t1, t2);
      tlsSock.write(`tls_sha3_512;${authData('tls_sha3_512', me, them, { tls: true })};json\n["hello",1]`);
      const authLine = await withTimeout(
        new Promise<string>((r) => {
          let b = '';
          tlsSock.on('data', (d: Buffer) => {
            b += d.toString();
            if (b.includes('\n')) r(b.slice(0, b.indexOf('\n')));
          });
        }),
        5000,
      );
      expect(authLine).toBe(`tls_sha3_512;${authData('tls_sha3_512', them, me, { tls: true })};cbor`);
      const conn = await q.next();
      expect(conn.tls).toBe(true);
      expect(await receive(conn, 1)).toEqual([['hello', 1]]);
      tlsSock.destroy();
      sock.destroy();
    } finally {
      await l.close();
    }
  });
});

/** A listening socket that plays a Perl acceptor by hand (greeting, nonce and auth line in one write once ours is in). */
async function handPeerServer(framing: 'json' | 'cbor') {
  const NONCE = '5jn9Fttc2Cl7PXYLHCgvZeJpdB1XZJDjzO0ZhACuNTfmMX5TxE4JP2mEeoFxrcEkpcpOBfSaMEWjmN27cebdeg4K';
  let resolvePeer!: (p: HandPeer) => void;
  const peer = new Promise<HandPeer>((r) => (resolvePeer = r));
  const sockets: Socket[] = [];
  const srv = createServer((sock) => {
    sockets.push(sock);
    let buf = Buffer.alloc(0);
    let phase: 'greeting' | 'auth' | 'data' = 'greeting';
    let chunksAfterAuth = 0;
    let ours: string[] = [];
    const g1 = `aemp;1;hand-peer;tls_sha3_512,hmac_sha3_512,tls_anon,cleartext;${framing};peeraddr=${sock.remoteAddress}:${sock.remotePort};mproto=1;gproto=1;provider=AE-2.02`;
    let wake: (() => void) | undefined;
    const p: HandPeer = {
      get ourGreeting() {
        return ours;
      },
      write: (d) => void sock.write(d),
      end: () => void sock.end(),
      resetAndDestroy: () => void sock.resetAndDestroy(),
      dataChunks: () => chunksAfterAuth,
      takeBuffered: () => {
        const b = buf;
        buf = Buffer.alloc(0);
        return b;
      },
      waitBytes: (n) =>
        withTimeout(
          new Promise<void>((r) => {
            wake = () => buf.length >= n && r();
            wake();
          }),
          5000,
          `${n} bytes`,
        ),
    };
    sock.on('error', () => {});
    sock.on('data', (d: Buffer) => {
      if (phase === 'data') chunksAfterAuth++;
      buf = Buffer.concat([buf, d]);
      if (phase === 'greeting' && buf.toString('latin1').split('\n').length >= 3) {
        const parts = buf.toString('utf8').split('\n');
        ours = parts.slice(0, 2);
        buf = Buffer.from(parts.slice(2).join('\n'));
        const me = { line1: Buffer.from(g1), line2: Buffer.from(NONCE) };
        const them = { line1: Buffer.from(ours[0]!), line2: Buffer.from(ours[1]!) };
        const data = authData('hmac_sha3_512', me, them, { secret: Buffer.from('s3cret'), tls: false });
        sock.write(`${g1}\n${NONCE}\nhmac_sha3_512;${data};${framing}\n`);
        phase = 'auth';
      }
      if (phase === 'auth' && buf.includes(0x0a)) {
        buf = buf.subarray(buf.indexOf(0x0a) + 1);
        phase = 'data';
        resolvePeer(p);
      }
      wake?.();
    });
  });
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  return {
    port: (srv.address() as AddressInfo).port,
    peer,
    close: () => {
      for (const s of sockets) s.destroy();
      srv.close();
    },
  };
}

interface HandPeer {
  readonly ourGreeting: string[];
  write(d: string | Uint8Array): void;
  end(): void;
  resetAndDestroy(): void;
  dataChunks(): number;
  takeBuffered(): Buffer;
  waitBytes(n: number): Promise<void>;
}
