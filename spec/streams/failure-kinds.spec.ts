/**
 * Failures are typed values: every way a connection attempt or a connection
 * fails carries a `kind` (and the stable coarse `code`), so nothing above the
 * streams layer has to match error text. Also the Connection's one face: an
 * Observable of incoming frames that ends with the connection.
 */
import { createServer } from 'node:net';
import { lastValueFrom, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import {
  ConnectionError,
  connect,
  failureKind,
  listen,
  refuseClosing,
  type ConnectionFailureKind,
} from '../../src/streams/index.js';
import { connectPair, withTimeout } from '../helpers/net.js';

async function failing(p: Promise<unknown>): Promise<ConnectionError> {
  const err = await withTimeout(p.then(() => undefined, (e: unknown) => e), 10_000, 'the attempt to fail');
  expect(err).toBeInstanceOf(ConnectionError);
  return err as ConnectionError;
}

function expectKind(err: ConnectionError, kind: ConnectionFailureKind, code: string): void {
  expect({ kind: err.kind, code: err.code, fromKind: failureKind(err) }).toEqual({ kind, code, fromKind: kind });
}

/** A port nothing listens on (bound, then released). */
async function deadPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

describe('failure kinds', () => {
  it('a refused TCP connect is kind refused (code socket)', async () => {
    const err = await failing(connect(`127.0.0.1:${await deadPort()}`, { nodeId: 'a', secret: 'x' }));
    expect(err.message).toBe('Connection refused');
    expectKind(err, 'refused', 'socket');
  });

  it('an unparsable address is kind address (code socket)', async () => {
    expectKind(await failing(connect('nowhere', { nodeId: 'a', secret: 'x' })), 'address', 'socket');
  });

  it('talking to ourselves is kind self-connect, a wrong secret auth, an admit refusal its own kind (code handshake)', async () => {
    const l = await listen(['127.0.0.1:0'], { nodeId: 'srv', secret: 'x' }, (c) => c.complete());
    try {
      const at = l.addresses[0]!;
      const self = await failing(connect(at, { nodeId: 'srv', secret: 'x' }));
      expect(self.message).toBe('I refuse to talk to myself');
      expectKind(self, 'self-connect', 'handshake');
      expectKind(await failing(connect(at, { nodeId: 'cli', secret: 'wrong' })), 'auth', 'handshake');
      expectKind(
        await failing(connect(at, { nodeId: 'cli', secret: 'x', admit: () => refuseClosing() })),
        'closing',
        'handshake',
      );
      // no TLS here, and tls_anon is all we would send: no common auth method
      expectKind(
        await failing(connect(at, { nodeId: 'cli', secret: 'x', authOffer: ['tls_anon'] })),
        'negotiation',
        'handshake',
      );
    } finally {
      await l.close();
    }
  });

  it('a text that merely looks like a refusal carries no kind; every code is a kind too', () => {
    for (const code of ['handshake', 'tls', 'timeout', 'eof', 'socket', 'framing', 'aborted'] as const)
      expect(new ConnectionError('x', code).code).toBe(code);
    expect(failureKind(new Error('I refuse to talk to myself'))).toBeUndefined();
    expect(failureKind({ kind: 'no such kind' })).toBeUndefined();
  });
});

describe('the one face', () => {
  it('frames sent with next() arrive on the other side, whose stream completes when the sender completes', async () => {
    const pair = await connectPair({ nodeId: 'srv', secret: 'x' }, { nodeId: 'cli', secret: 'x' });
    try {
      const all = lastValueFrom(pair.server.pipe(toArray()));
      pair.client.next(['a', 1]);
      pair.client.next(['b', { c: 2 }]);
      pair.client.complete();
      expect(await withTimeout(all, 5000, 'the stream to complete')).toEqual([['a', 1], ['b', { c: 2 }]]);
      expect(pair.client.state).toBe('closed');
      expect(pair.client.closeReason).toBe('closed');
      // a late subscriber gets the end at once
      expect(await withTimeout(lastValueFrom(pair.client.pipe(toArray())), 1000, 'a late end')).toEqual([]);
    } finally {
      await pair.close();
    }
  });

  it('error(reason) closes with that reason, our own close: the stream completes', async () => {
    const pair = await connectPair({ nodeId: 'srv', secret: 'x' }, { nodeId: 'cli', secret: 'x' });
    try {
      const mine = lastValueFrom(pair.client.pipe(toArray()));
      pair.client.error(new Error('not needed'));
      expect(await withTimeout(mine, 5000, 'our stream to complete')).toEqual([]);
      expect(pair.client.closeReason).toBe('not needed');
    } finally {
      await pair.close();
    }
  });
});
