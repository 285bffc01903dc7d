/**
 * Runs the pure handshake state machine over a socket: writes, TLS upgrade,
 * timeouts, and the hand-over to a {@link Connection}.
 * @module
 */
import type { Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { SUPPORTED_FRAMINGS } from '../framing/index.js';
import {
  Handshake,
  PROTOCOL,
  handshakeTimeout,
  type HandshakeAction,
  type HandshakeResult,
} from '../handshake/index.js';
import { Connection } from './connection.js';
import { ConnectionError, type ConnectionFailureKind } from './connection-error.js';
import { socketErrorKind, socketErrorText } from './errno.js';
import type { ResolvedOptions } from './options.js';
import { startTls } from './start-tls.js';

/** One handshake to run. @internal */
export interface HandshakeJob {
  /** The TCP socket, connected or still connecting. */
  readonly socket: Socket;
  /** We opened it. */
  readonly initiator: boolean;
  /** Our greeting's `peeraddr=`, and the peer's address in logs and on the connection. */
  readonly peerAddress: string;
  /** The resolved options. */
  readonly opts: ResolvedOptions;
  /** An overall deadline (connect): milliseconds and the failure text. */
  readonly deadline?: { readonly ms: number; readonly text: string } | undefined;
  /** Aborts the attempt. */
  readonly signal?: AbortSignal | undefined;
}

/**
 * Runs the AEMP handshake on `job.socket`. Resolves with the authenticated
 * connection; rejects with a {@link ConnectionError} whose `kind` says what
 * failed (the socket is destroyed then). Never throws synchronously.
 */
export function runHandshake(job: HandshakeJob): Promise<Connection> {
  return new Promise<Connection>((resolve, reject) => {
    const { socket, opts } = job;
    let stream: Socket = socket;
    let tlsQueue: Uint8Array[] | undefined;
    let settled = false;
    /** The node id `admit` let in: told to `abandoned` if this handshake then fails. */
    let admitted: string | undefined;
    const timers: NodeJS.Timeout[] = [];

    let hs: Handshake;
    try {
      hs = new Handshake({
        nodeId: opts.nodeId,
        secret: opts.secret,
        tls: opts.tls !== undefined,
        authOffer: opts.authOffer,
        authAccept: opts.authAccept,
        framings: opts.framings,
        receivableFramings: SUPPORTED_FRAMINGS,
        peerAddr: job.peerAddress,
        maxLineBytes: opts.maxLineBytes,
        admit:
          opts.admit &&
          ((id: string) => {
            const answer = opts.admit!(id);
            if (answer instanceof Promise) {
              // decided later: counted as let in (told to `abandoned` if it fails); no auth line until then
              admitted = id;
              answer.then(
                (refusal) => !settled && run(hs.resume(refusal)),
                (e: unknown) => fail(`admit failed: ${String(e)}`, 'internal'),
              );
              return 'hold';
            }
            if (answer === undefined) admitted = id;
            return answer;
          }),
      });
    } catch (e) {
      socket.destroy();
      reject(new ConnectionError(`handshake setup failed: ${String(e)}`, 'internal'));
      return;
    }

    const detach = () => {
      for (const t of timers) clearTimeout(t);
      socket.off('connect', begin);
      for (const s of new Set([socket, stream])) {
        s.off('data', onData);
        s.off('end', onEnd);
        s.off('close', onEnd);
        s.off('error', onError);
      }
      job.signal?.removeEventListener('abort', onAbort);
    };

    const fail = (text: string, kind: ConnectionFailureKind) => {
      if (settled) return;
      settled = true;
      hs.abort(text);
      detach();
      socket.on('error', noop); // late errors of a dead socket
      stream.on('error', noop);
      stream.destroy();
      socket.destroy();
      reject(new ConnectionError(text, kind));
      abandon();
    };

    const abandon = () => {
      if (admitted === undefined) return;
      const id = admitted;
      admitted = undefined;
      try {
        opts.abandoned?.(id);
      } catch {
        // the kernel's bookkeeping must not break the transport
      }
    };

    const write = (data: Uint8Array) => {
      if (tlsQueue) tlsQueue.push(data);
      else stream.write(data);
    };

    const run = (actions: HandshakeAction[]) => {
      for (const a of actions) {
        if (settled) return;
        switch (a.type) {
          case 'write':
            write(a.data);
            break;
          case 'fail':
            return fail(a.reason, a.kind ?? 'aborted');
          case 'starttls':
            upgrade(a.role, a.rest);
            break;
          case 'established':
            return establish(a.result, a.rest);
        }
      }
    };

    const upgrade = (role: 'client' | 'server', rest: Uint8Array) => {
      socket.off('data', onData);
      tlsQueue = [];
      startTls(socket, role, opts.tls!, rest, {
        ready: (t: TLSSocket) => {
          if (settled) return void t.destroy();
          stream = t;
          t.on('data', onData);
          t.on('end', onEnd);
          t.on('close', onEnd);
          t.on('error', onError);
          const q = tlsQueue ?? [];
          tlsQueue = undefined;
          for (const d of q) t.write(d);
        },
        fail: (text) => fail(text, 'tls'),
      });
    };

    const establish = (result: HandshakeResult, rest: Uint8Array) => {
      if (result.protocol !== PROTOCOL)
        return fail(`${result.protocol}: data connections are not supported`, 'protocol');
      settled = true;
      detach();
      let conn: Connection;
      try {
        conn = new Connection({
          stream,
          raw: socket,
          result,
          rest,
          initiator: job.initiator,
          peerAddress: job.peerAddress,
          opts,
        });
      } catch (e) {
        socket.destroy();
        stream.destroy();
        reject(new ConnectionError(`connection setup failed: ${String(e)}`, 'internal'));
        abandon();
        return;
      }
      resolve(conn);
    };

    const onData = (chunk: Uint8Array) => run(hs.push(chunk));
    const onEnd = () => fail('Unexpected end-of-file', 'eof');
    const onError = (err: Error) => fail(socketErrorText(err), socketErrorKind(err));
    const onAbort = () => fail('aborted', 'aborted');

    function begin() {
      if (settled) return;
      socket.setNoDelay(opts.nodelay);
      socket.setKeepAlive(true);
      socket.on('data', onData);
      run(hs.start());
    }

    socket.on('error', onError);
    socket.on('end', onEnd);
    socket.on('close', onEnd);
    if (job.signal) {
      if (job.signal.aborted) return onAbort();
      job.signal.addEventListener('abort', onAbort);
    }
    timers.push(
      setTimeout(() => fail(handshakeTimeout(opts.monitorTimeout), 'timeout'), opts.monitorTimeout * 1000),
    );
    if (job.deadline) {
      const { ms, text } = job.deadline;
      timers.push(setTimeout(() => fail(text, 'timeout'), ms));
    }
    if (socket.connecting) socket.once('connect', begin);
    else begin();
  });
}

function noop(): void {}
