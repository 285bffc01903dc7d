/**
 * An authenticated AEMP connection with one face, shaped like RxJS's
 * `WebSocketSubject`: an Observable of incoming frames and an Observer of
 * outgoing ones. Built by {@link connect} and {@link listen}, never directly.
 *
 * (About 390 lines, a third of them TSDoc: reading, writing, liveness and
 * the end share the socket's listeners and the connection's state; split
 * further, the per-frame path would call through another object. What is
 * not on that path lives beside it: `connection-parts.ts` (the sides and
 * parts), `backlog.ts` (`backlog$`, `drained()`), `frame-guard.ts` (a
 * throwing subscriber), `liveness.ts`.)
 * @module
 */
import type { Socket } from 'node:net';
import { AsyncSubject, Observable, Subscriber, type Observer, type Subscription } from 'rxjs';
import type { LogLevel } from '../../log/index.js';
import {
  FramingError,
  getFraming,
  type Frame,
  type FrameDecoder,
  type FrameEncoder,
} from '../framing/index.js';
import {
  reasonText,
  type ConnectionParts,
  type ConnectionState,
  type LocalSide,
  type RemoteSide,
} from './connection-parts.js';
import { ConnectionError, type ConnectionFailureKind } from './connection-error.js';
import { socketErrorKind, socketErrorText } from './errno.js';
import { BacklogWatchers } from './backlog.js';
import { guardedNext } from './frame-guard.js';
import { Liveness } from './liveness.js';
import type { ResolvedOptions } from './options.js';

export type { ConnectionParts, ConnectionState, LocalSide, RemoteSide } from './connection-parts.js';

/** Milliseconds a closed connection waits for the peer's FIN before destroying the socket. */
const CLOSE_GRACE_MS = 5000;
const noop = (): void => {};
/** Where a frame goes: one function per subscriber. */
type Sink = (frame: Frame) => void;
const NO_SINKS: readonly Sink[] = [];

/**
 * One authenticated connection to another node, with one face:
 *
 * ```ts
 * conn.subscribe({ next: (frame) => …, complete: () => …, error: (e: ConnectionError) => … });
 * conn.next(['port', 'hello']); // send
 * conn.complete();              // close cleanly
 * conn.error('not needed');     // close, with a reason for the log
 * ```
 *
 * - Incoming: subscribing delivers the decoded frames, synchronously from
 *   the socket's data event; reading starts with the first subscription
 *   (until then the peer is held back by TCP flow control). Frames that
 *   arrive while nobody is subscribed are dropped. A subscriber's `next`
 *   that throws is logged and does not stop the connection.
 * - Outgoing: {@link next} encodes a frame at once (an unencodable frame
 *   throws to the caller) and queues it; everything sent in one tick leaves
 *   in one socket write. {@link complete} and {@link error} close it (what
 *   was sent before still leaves).
 * - The end: the incoming stream (and {@link closed$}, the end alone)
 *   completes when we close it or the peer closes it between frames, and
 *   errors with a {@link ConnectionError} otherwise — its `kind` says what
 *   failed: `socket`/`refused`, `framing` (undecodable data), `eof` (end of
 *   file inside a frame), `timeout` (no data for `monitorTimeout` inside a
 *   frame or — with a `probe` — at all: see `liveness.ts`).
 *   {@link closeReason} holds the text either way (`Unexpected end-of-file`
 *   for a peer close, as Perl reports it).
 */
export class Connection extends Observable<Frame> implements Observer<readonly unknown[]> {
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
  /**
   * The end alone, without reading: completes on a clean close, errors with
   * a {@link ConnectionError} otherwise. Late subscribers get the end too.
   */
  readonly closed$: Observable<never>;
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
  /** The subscribers' sinks of incoming frames (replaced, never mutated: delivery iterates a snapshot). */
  #sinks: readonly Sink[] = NO_SINKS;
  #reading = false;
  #rest: Uint8Array | undefined;
  #flushScheduled = false;
  readonly #backlog: BacklogWatchers;
  #graceTimer: NodeJS.Timeout | undefined;
  readonly #live: Liveness;

  /** @internal — made by `connect`/`listen` after a successful handshake. */
  constructor(p: ConnectionParts) {
    super(Connection.#subscribeFrames);
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
    this.#backlog = new BacklogWatchers(() => this.#stream.writableLength, this.closed$);
    this.backlog$ = this.#backlog.backlog$;
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

  /** Why it ended: the reason given to `error()` (`closed` for `complete()`), `Unexpected end-of-file`, or the error text; `undefined` while open. */
  get closeReason(): string | undefined {
    return this.#reason;
  }

  /**
   * Subscribes to the incoming frames (see the class notes). A `next`
   * handler given here directly that throws is logged (level `error`) and
   * the connection goes on.
   */
  override subscribe(observerOrNext?: Partial<Observer<Frame>> | ((value: Frame) => void) | null): Subscription {
    if (observerOrNext instanceof Subscriber) return super.subscribe(observerOrNext); // an operator's
    // A direct subscriber: its `next` is called straight from the data event (no Subscriber layers
    // on the per-frame path); its end comes from closed$, as RxJS would deliver it (an error
    // without an error handler is reported as unhandled).
    const o = typeof observerOrNext === 'function' ? { next: observerOrNext } : (observerOrNext ?? {});
    const end = this.closed$.subscribe({
      complete: o.complete && (() => o.complete!()),
      error: o.error && ((e: unknown) => o.error!(e)),
    });
    if (o.next && !end.closed) end.add(this.#addSink(guardedNext(o, this.#handlerThrew)));
    return end;
  }

  readonly #handlerThrew = (e: unknown): void => {
    this.#opts.log(
      'error',
      'transport',
      `${this.#label()}: frame handler threw: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`,
    );
  };

  /** The Observable's subscribe function, for operators' Subscribers (`this` is the connection). */
  static #subscribeFrames(this: Observable<Frame>, sub: Subscriber<Frame>): () => void {
    const self = this as Connection;
    const end = self.closed$.subscribe({
      complete: () => sub.complete(),
      error: (e: unknown) => sub.error(e),
    });
    if (!end.closed) end.add(self.#addSink((f) => sub.next(f)));
    return () => end.unsubscribe();
  }

  /** Adds a sink (reading starts with the first); returns its removal. */
  #addSink(sink: Sink): () => void {
    if (this.#state !== 'open') return noop;
    this.#sinks = [...this.#sinks, sink];
    this.#startReading();
    return () => {
      this.#sinks = this.#sinks.filter((s) => s !== sink);
    };
  }

  /** Reading from the socket starts with the first subscriber. */
  #startReading(): void {
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
   * Sends one frame (`[portname, ...args]`). It is encoded now — an
   * unencodable frame throws a `FramingError` here and nothing of it is
   * sent — and leaves with every other frame of this tick in one socket
   * write. Frames sent after the connection ended are dropped.
   */
  next(frame: readonly unknown[]): void {
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
    return this.#backlog.wait();
  }

  /** Closes the connection cleanly: as {@link error} with the reason `closed`. */
  complete(): void {
    this.#close('closed');
  }

  /**
   * Closes the connection with a reason (a string or an Error: its message):
   * frames already sent still leave, then the socket is shut down; incoming
   * data is ignored from now on. It is our own close, so the incoming
   * stream and {@link closed$} complete. The reason is logged (level debug)
   * and kept in {@link closeReason}; the peer sees an end of file.
   */
  error(reason?: unknown): void {
    this.#close(reasonText(reason));
  }

  #close(reason: string): void {
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
    const sinks = this.#sinks;
    for (let i = 0; i < sinks.length; i++) sinks[i]!(frame);
  };

  // ---- writing ---------------------------------------------------------------

  readonly #flush = (): void => {
    this.#flushScheduled = false;
    if (this.#state !== 'open' || this.#encoder.frames === 0) return;
    const bytes = this.#encoder.flush();
    this.#stream.write(bytes, this.#afterWrite);
    this.#backlog.written();
  };

  readonly #afterWrite = (err?: Error | null): void => {
    if (err) return; // reported by the 'error' event
    if (this.backlog > 0) this.#live.heard(); // stuck behind our own bytes, but the peer takes them in
    this.#backlog.sent();
  };

  // ---- liveness (see liveness.ts) ---------------------------------------------

  readonly #probe = (): void => {
    if (this.#opts.probe === undefined) return;
    try {
      this.next(this.#opts.probe);
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
    this.#fail(socketErrorText(err), socketErrorKind(err), 'info', err);
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

  #fail(text: string, kind: ConnectionFailureKind, level: LogLevel, cause?: unknown): void {
    this.#end('failed', text);
    this.#opts.log(level, 'transport', `${this.#label()}: connection closed: ${text}`);
    this.#destroy();
    this.#closed.error(new ConnectionError(text, kind, cause === undefined ? undefined : { cause }));
  }

  #end(state: ConnectionState, reason: string): void {
    this.#state = state;
    this.#reason = reason;
    this.#live.stop();
    this.#sinks = NO_SINKS;
    this.#rest = undefined;
    this.#backlog.release();
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
