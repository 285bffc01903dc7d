/**
 * An authenticated AEMP connection: frames in, frames out, and its end as a
 * stream. Built by {@link connect} and {@link listen}, never directly.
 * @module
 */
import type { Socket } from 'node:net';
import { AsyncSubject, Observable, type Subscriber } from 'rxjs';
import type { LogLevel } from '../../log/log.js';
import {
  FramingError,
  getFraming,
  type Frame,
  type FrameDecoder,
  type FrameEncoder,
} from '../framing/index.js';
import type { Greeting, HandshakeResult } from '../handshake/index.js';
import { ConnectionError, type ConnectionErrorCode } from './connection-error.js';
import { socketErrorText } from './errno.js';
import { Liveness } from './liveness.js';
import type { ResolvedOptions } from './options.js';

/** What we send: our chosen framing and the auth method we used. */
export interface LocalSide {
  /** The framing we write (chosen from the peer's list). */
  readonly framing: string;
  /** The auth method of our auth line. */
  readonly authMethod: string;
}

/** What the peer sends: its framing and auth method, and its greeting. */
export interface RemoteSide {
  /** The framing the peer writes (announced in its auth line); our decoder. */
  readonly framing: string;
  /** The auth method of the peer's auth line. */
  readonly authMethod: string;
  /** The peer's parsed greeting line 1. */
  readonly greeting: Greeting;
}

/** Where a connection stands. */
export type ConnectionState = 'open' | 'closed' | 'failed';

/** Milliseconds a closed connection waits for the peer's FIN before destroying the socket. */
const CLOSE_GRACE_MS = 5000;
const noop = (): void => {};
const dropFrame = (_frame: Frame): void => {};

/** Everything a {@link Connection} is made from. @internal */
export interface ConnectionParts {
  /** The stream frames travel on (the TLS socket under TLS). */
  readonly stream: Socket;
  /** The TCP socket underneath (the same as `stream` without TLS). */
  readonly raw: Socket;
  /** The handshake's outcome. */
  readonly result: HandshakeResult;
  /** Bytes received right after the peer's auth line: the first frames. */
  readonly rest: Uint8Array;
  /** Whether we opened the connection. */
  readonly initiator: boolean;
  /** The peer's address, `host:port`. */
  readonly peerAddress: string;
  /** The resolved transport options. */
  readonly opts: ResolvedOptions;
}

/**
 * One authenticated connection to another node.
 *
 * - Readable side: {@link onFrame} sets the one handler of decoded frames
 *   (reading starts when it is first set); {@link frames$} is the same as a
 *   stream.
 * - Writable side: {@link write} encodes a frame at once (an unencodable
 *   frame throws to the caller) and queues it; everything written in one
 *   tick leaves in one socket write.
 * - The end: {@link closed$} completes when we {@link close} it or the peer
 *   closes it between frames, and errors with a {@link ConnectionError}
 *   otherwise (socket error, undecodable data, end of file inside a frame,
 *   no data for `monitorTimeout` inside a frame or — with a `probe` — at all:
 *   see `liveness.ts`).
 *   {@link closeReason} holds the text either way (`Unexpected end-of-file`
 *   for a peer close, as Perl reports it).
 */
export class Connection {
  /** The peer's node id (authenticated). */
  readonly remoteNodeId: string;
  /** Our framing and auth method. */
  readonly local: LocalSide;
  /** The peer's framing, auth method and greeting. */
  readonly remote: RemoteSide;
  /** TLS is in use. */
  readonly tls: boolean;
  /** We opened it (we are the connector). */
  readonly initiator: boolean;
  /** The protocol, `aemp`. */
  readonly protocol: string;
  /** The peer's address: the dialled `host:port` (connector) or the remote socket address (acceptor). */
  readonly peerAddress: string;
  /** Completes on a clean close, errors with {@link ConnectionError} otherwise. Late subscribers get the end too. */
  readonly closed$: Observable<never>;
  /** Decoded frames as a stream (installs the frame handler; see {@link onFrame}); ends like {@link closed$}. */
  readonly frames$: Observable<Frame>;
  /** {@link backlog} now and whenever it changes (after each socket write and its completion). */
  readonly backlog$: Observable<number>;

  readonly #stream: Socket;
  readonly #raw: Socket;
  readonly #opts: ResolvedOptions;
  readonly #decoder: FrameDecoder;
  readonly #encoder: FrameEncoder;
  readonly #closed = new AsyncSubject<never>();
  #state: ConnectionState = 'open';
  #reason: string | undefined;
  #handler: (frame: Frame) => void = dropFrame;
  #reading = false;
  #rest: Uint8Array | undefined;
  #flushScheduled = false;
  #frameSubs: Set<Subscriber<Frame>> | undefined;
  #backlogSubs: Set<Subscriber<number>> | undefined;
  #drainWaiters: (() => void)[] | undefined;
  #graceTimer: NodeJS.Timeout | undefined;
  readonly #live: Liveness;

  /** @internal — made by `connect`/`listen` after a successful handshake. */
  constructor(p: ConnectionParts) {
    const r = p.result;
    this.remoteNodeId = r.remoteNodeId;
    this.local = r.local;
    this.remote = { framing: r.remote.framing, authMethod: r.remote.authMethod, greeting: r.remoteGreeting };
    this.tls = r.tls;
    this.initiator = p.initiator;
    this.protocol = r.protocol;
    this.peerAddress = p.peerAddress;
    this.#stream = p.stream;
    this.#raw = p.raw;
    this.#opts = p.opts;
    const inFraming = getFraming(r.remote.framing);
    const outFraming = getFraming(r.local.framing);
    if (!inFraming || !outFraming)
      throw new TypeError(`unsupported framing ${r.remote.framing}/${r.local.framing}`);
    this.#decoder = inFraming.createDecoder({ maxFrameBytes: p.opts.maxFrameBytes });
    this.#encoder = outFraming.createEncoder();
    this.#rest = p.rest.length > 0 ? p.rest : undefined;
    this.closed$ = this.#closed.asObservable();
    this.frames$ = new Observable<Frame>((sub) => this.#subscribeFrames(sub));
    this.backlog$ = new Observable<number>((sub) => this.#subscribeBacklog(sub));
    this.#live = new Liveness(p.opts.monitorTimeout, { probe: this.#probe, quiet: this.#quiet });

    const s = this.#stream;
    s.pause();
    s.on('error', this.#onError);
    s.on('end', this.#onEnd);
    s.on('close', this.#onClose);
    if (this.#raw !== s) this.#raw.on('error', noop);
  }

  /** `open` until closed by us (`closed`) or by the peer/an error (`failed` — or `closed` for a clean peer close). */
  get state(): ConnectionState {
    return this.#state;
  }

  /** Why it ended: the `close()` reason, `Unexpected end-of-file`, or the error text; `undefined` while open. */
  get closeReason(): string | undefined {
    return this.#reason;
  }

  /**
   * Sets THE handler of incoming frames (replacing any earlier one and
   * {@link frames$}' subscribers). Reading from the socket starts with the
   * first call; until then the peer is held back by TCP flow control. A
   * handler that throws is logged and does not stop the connection.
   */
  onFrame(handler: (frame: Frame) => void): void {
    this.#handler = handler;
    if (this.#reading || this.#state !== 'open') return;
    this.#reading = true;
    this.#live.start();
    const rest = this.#rest;
    this.#rest = undefined;
    if (rest) this.#onData(rest);
    if (this.#state !== 'open') return;
    this.#stream.on('data', this.#onData);
    this.#stream.resume();
  }

  /**
   * Queues one frame (`[portname, ...args]`). It is encoded now — an
   * unencodable frame throws a `FramingError` here and nothing of it is
   * sent — and leaves with every other frame of this tick in one socket
   * write. Frames written after the connection ended are dropped.
   */
  write(frame: readonly unknown[]): void {
    if (this.#state !== 'open') return;
    this.#encoder.write(frame);
    if (!this.#flushScheduled) {
      this.#flushScheduled = true;
      queueMicrotask(this.#flush);
    }
  }

  /**
   * Bytes handed to the socket and not yet passed to the kernel
   * (`socket.writableLength`). Frames of the current tick join it at the end
   * of the tick, when they are flushed in one write.
   */
  get backlog(): number {
    return this.#stream.writableLength;
  }

  /** Resolves once everything written so far has left for the kernel (or the connection ended). */
  drained(): Promise<void> {
    if (this.#state !== 'open' || (this.backlog === 0 && !this.#flushScheduled)) return Promise.resolve();
    return new Promise((resolve) => (this.#drainWaiters ??= []).push(resolve));
  }

  /**
   * Closes the connection: frames already written are still sent, then the
   * socket is shut down; incoming data is ignored from now on.
   * {@link closed$} completes. `reason` is logged (level debug) and kept in
   * {@link closeReason}.
   */
  close(reason = 'closed'): void {
    if (this.#state !== 'open') return;
    this.#flush();
    this.#end('closed', reason);
    this.#opts.log('debug', 'transport', `${this.#label()} closed: ${reason}`);
    const s = this.#stream;
    s.off('data', this.#onData);
    s.on('data', noop);
    s.resume();
    s.end();
    this.#graceTimer = setTimeout(() => this.#destroy(), CLOSE_GRACE_MS);
    this.#graceTimer.unref();
    this.#closed.complete();
  }

  // ---- reading ---------------------------------------------------------------

  readonly #onData = (chunk: Uint8Array): void => {
    if (this.#state !== 'open') return;
    this.#live.heard();
    try {
      this.#decoder.push(chunk, this.#deliver);
    } catch (e) {
      if (this.#state !== 'open') return;
      const text = e instanceof FramingError ? e.message : `receive error: ${String(e)}`;
      this.#fail(text, 'framing', 'warn', e);
    }
  };

  readonly #deliver = (frame: Frame): void => {
    if (this.#state !== 'open') return;
    try {
      this.#handler(frame);
    } catch (e) {
      this.#opts.log(
        'error',
        'transport',
        `${this.#label()}: frame handler threw: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`,
      );
    }
  };

  #subscribeFrames(sub: Subscriber<Frame>): () => void {
    const subs = (this.#frameSubs ??= new Set());
    subs.add(sub);
    if (subs.size === 1) {
      this.onFrame((f) => {
        for (const s of subs) s.next(f);
      });
    }
    const end = this.closed$.subscribe({
      complete: () => sub.complete(),
      error: (e: unknown) => sub.error(e),
    });
    return () => {
      subs.delete(sub);
      end.unsubscribe();
    };
  }

  // ---- writing ---------------------------------------------------------------

  readonly #flush = (): void => {
    this.#flushScheduled = false;
    if (this.#state !== 'open' || this.#encoder.frames === 0) return;
    const bytes = this.#encoder.flush();
    this.#stream.write(bytes, this.#afterWrite);
    if (this.#backlogSubs) this.#emitBacklog();
  };

  readonly #afterWrite = (err?: Error | null): void => {
    if (err) return; // reported by the 'error' event
    if (this.backlog > 0) this.#live.heard(); // stuck behind our own bytes, but the peer takes them in
    if (this.#backlogSubs) this.#emitBacklog();
    if (this.#drainWaiters && this.backlog === 0) this.#releaseDrainWaiters();
  };

  #subscribeBacklog(sub: Subscriber<number>): () => void {
    const subs = (this.#backlogSubs ??= new Set());
    subs.add(sub);
    sub.next(this.backlog);
    const end = this.closed$.subscribe({ complete: () => sub.complete(), error: () => sub.complete() });
    return () => {
      subs.delete(sub);
      if (subs.size === 0) this.#backlogSubs = undefined;
      end.unsubscribe();
    };
  }

  #emitBacklog(): void {
    const n = this.backlog;
    for (const s of this.#backlogSubs ?? []) s.next(n);
  }

  #releaseDrainWaiters(): void {
    const w = this.#drainWaiters;
    this.#drainWaiters = undefined;
    for (const resolve of w ?? []) resolve();
  }

  // ---- liveness (see liveness.ts) ---------------------------------------------

  readonly #probe = (): void => {
    if (this.#opts.probe === undefined) return;
    try {
      this.write(this.#opts.probe);
    } catch (e) {
      this.#opts.log('error', 'transport', `${this.#label()}: liveness probe cannot be sent: ${String(e)}`);
    }
  };

  readonly #quiet = (): void => {
    if (this.#state !== 'open') return;
    const limit = `monitorTimeout (${this.#opts.monitorTimeout} s)`;
    if (this.#decoder.pending > 0)
      this.#fail(`Connection timed out: stalled inside a frame for ${limit}`, 'timeout', 'warn');
    else if (this.#opts.probe !== undefined)
      this.#fail(`Connection timed out: nothing received within ${limit}`, 'timeout', 'warn');
  };

  // ---- the end ---------------------------------------------------------------

  readonly #onError = (err: Error): void => {
    if (this.#state !== 'open') return;
    this.#fail(socketErrorText(err), 'socket', 'info', err);
  };

  readonly #onEnd = (): void => {
    if (this.#state !== 'open') return;
    if (this.#decoder.pending > 0) return this.#fail('Unexpected end-of-file', 'eof', 'info');
    // The peer closed between frames: a clean end (Perl calls every EOF "Unexpected end-of-file").
    this.#end('closed', 'Unexpected end-of-file');
    this.#opts.log('info', 'transport', `${this.#label()}: peer closed the connection`);
    this.#destroy();
    this.#closed.complete();
  };

  readonly #onClose = (): void => {
    if (this.#graceTimer) clearTimeout(this.#graceTimer);
    if (this.#state !== 'open') return;
    this.#fail('Unexpected end-of-file', 'eof', 'info');
  };

  #fail(text: string, code: ConnectionErrorCode, level: LogLevel, cause?: unknown): void {
    this.#end('failed', text);
    this.#opts.log(level, 'transport', `${this.#label()}: connection closed: ${text}`);
    this.#destroy();
    this.#closed.error(new ConnectionError(text, code, cause === undefined ? undefined : { cause }));
  }

  #end(state: ConnectionState, reason: string): void {
    this.#state = state;
    this.#reason = reason;
    this.#live.stop();
    this.#handler = dropFrame;
    this.#rest = undefined;
    if (this.#drainWaiters) this.#releaseDrainWaiters();
  }

  #destroy(): void {
    if (this.#graceTimer) clearTimeout(this.#graceTimer);
    this.#stream.destroy();
    if (this.#raw !== this.#stream) this.#raw.destroy();
  }

  #label(): string {
    return `${this.remoteNodeId} (${this.peerAddress})`;
  }
}
