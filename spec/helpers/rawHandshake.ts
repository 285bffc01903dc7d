/**
 * An honest AEMP handshake over a plain TCP socket, driven by our own pure
 * handshake machine, that then hands over the raw socket: for tests (and
 * the fuzz harness) that authenticate correctly and then send whatever
 * bytes they like — frames a real node would never send.
 */
import { connect as netConnect, type Socket } from 'node:net';
import { Handshake, type HandshakeResult } from '../../src/streams/handshake/index.js';
import { SUPPORTED_FRAMINGS } from '../../src/streams/framing/index.js';

/** An authenticated raw socket. */
export interface RawSession {
  readonly socket: Socket;
  readonly result: HandshakeResult;
  /** Bytes that came right after the handshake (the first data); later data: listen on `socket`. */
  readonly rest: Buffer;
  /** Resolves when the socket closed. */
  readonly closed: Promise<void>;
  /** Whether the socket has closed. */
  isClosed(): boolean;
}

/** Options of {@link rawSession}. */
export interface RawSessionOptions {
  /** Our node id as announced (any text the greeting can carry). */
  readonly nodeId: string;
  readonly secret: string;
  /** The framing we send (and announce). Default `json`. */
  readonly framing?: 'json' | 'cbor';
  /** Bound on the whole handshake. Default 5000 ms. */
  readonly timeoutMs?: number;
  /** Bytes sent in the same write as our auth line (first frames before the peer's auth line arrived). */
  readonly withAuthLine?: Uint8Array;
}

/** Connects to `127.0.0.1:port` and authenticates honestly (hmac_sha3_512, no TLS). */
export function rawSession(port: number, o: RawSessionOptions): Promise<RawSession> {
  return new Promise((resolve, reject) => {
    const socket = netConnect({ host: '127.0.0.1', port });
    let isClosed = false;
    const closed = new Promise<void>((r) => socket.once('close', () => ((isClosed = true), r())));
    const hs = new Handshake({
      nodeId: o.nodeId,
      secret: o.secret,
      tls: false,
      authOffer: ['hmac_sha3_512'],
      authAccept: ['hmac_sha3_512'],
      framings: [o.framing ?? 'json'],
      receivableFramings: SUPPORTED_FRAMINGS,
      peerAddr: `127.0.0.1:${port}`,
    });
    let done = false;
    let writes = 0;
    const timer = setTimeout(() => fail(new Error('raw handshake timed out')), o.timeoutMs ?? 5000);
    const fail = (e: Error) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      reject(e);
    };
    const run = (actions: ReturnType<Handshake['push']>) => {
      for (const a of actions) {
        if (a.type === 'write') {
          // the first write is our greeting, the second our auth line
          const extra = ++writes === 2 ? o.withAuthLine : undefined;
          socket.write(extra ? Buffer.concat([a.data, extra]) : a.data);
        } else if (a.type === 'fail') return fail(new Error(`raw handshake failed: ${a.reason}`));
        else if (a.type === 'starttls') return fail(new Error('raw handshake: TLS not supported here'));
        else if (a.type === 'established') {
          done = true;
          clearTimeout(timer);
          socket.off('data', onData);
          socket.off('close', onClose);
          resolve({ socket, result: a.result, rest: Buffer.from(a.rest), closed, isClosed: () => isClosed });
          return;
        }
      }
    };
    const onData = (c: Buffer) => run(hs.push(c));
    socket.on('error', (e) => fail(e));
    const onClose = () => fail(new Error('socket closed during the raw handshake'));
    socket.on('close', onClose);
    socket.on('data', onData);
    socket.once('connect', () => run(hs.start()));
  });
}
