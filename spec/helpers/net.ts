/**
 * Loopback test helpers: log collection with bounded waits, a raw socket
 * speaking the AEMP handshake by hand, and connected pairs of our own.
 */
import { connect as netConnect, type Socket } from 'node:net';
import type { Subscription } from 'rxjs';
import type { LogFn, LogLevel } from '../../src/log/log.js';
import type { Connection, Listener, TransportOptions } from '../../src/streams/index.js';
import { connect, listen } from '../../src/streams/index.js';

/** One collected log line. */
export interface LogLine {
  readonly level: LogLevel;
  readonly context: string;
  readonly message: string;
}

/** A {@link LogFn} that keeps what it is given and can wait for a line. */
export interface LogCollector {
  readonly log: LogFn;
  readonly lines: LogLine[];
  /** Resolves with the first line (already logged or future) matching, or rejects after `ms`. */
  waitFor(pred: (l: LogLine) => boolean, ms?: number): Promise<LogLine>;
}

/** Makes a {@link LogCollector}. */
export function collectLogs(): LogCollector {
  const lines: LogLine[] = [];
  const waiters: { pred: (l: LogLine) => boolean; resolve: (l: LogLine) => void }[] = [];
  const log: LogFn = (level, context, message) => {
    const l = { level, context, message };
    lines.push(l);
    for (let i = waiters.length - 1; i >= 0; i--) {
      if (waiters[i]!.pred(l)) {
        waiters[i]!.resolve(l);
        waiters.splice(i, 1);
      }
    }
  };
  const waitFor = (pred: (l: LogLine) => boolean, ms = 5000): Promise<LogLine> => {
    const found = lines.find(pred);
    if (found) return Promise.resolve(found);
    return withTimeout(
      new Promise<LogLine>((resolve) => waiters.push({ pred, resolve })),
      ms,
      () =>
        `no matching log line within ${ms}ms; got:\n${lines.map((l) => `  ${l.level} ${l.message}`).join('\n')}`,
    );
  };
  return { log, lines, waitFor };
}

/** Polls `cond` every 5 ms until it holds; rejects naming `what` after `ms` (bounded, never a sleep that hopes). */
export function until(what: string, cond: () => boolean, ms = 5000): Promise<void> {
  return withTimeout(
    (async () => {
      while (!cond()) await new Promise((r) => setTimeout(r, 5));
    })(),
    ms,
    what,
  );
}

/** Races `p` against a timer; the timer is cleared either way. */
export function withTimeout<T>(
  p: Promise<T>,
  ms: number,
  what: string | (() => string) = 'operation',
): Promise<T> {
  let t: NodeJS.Timeout;
  const timeout = new Promise<never>((_, reject) => {
    t = setTimeout(
      () => reject(new Error(typeof what === 'string' ? `${what} timed out after ${ms}ms` : what())),
      ms,
    );
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(t));
}

/** A raw TCP client with line and byte reading, for speaking AEMP by hand. */
export interface RawPeer {
  readonly socket: Socket;
  /** Every chunk received, in order. */
  readonly chunks: Buffer[];
  /** Reads the next LF-terminated line (without LF/CR). */
  readLine(ms?: number): Promise<string>;
  /** Everything buffered and not yet read as a line. */
  takeBuffered(): Buffer;
  /** Waits until at least `n` unread bytes are buffered. */
  waitBytes(n: number, ms?: number): Promise<void>;
  /** Writes text or bytes. */
  write(data: string | Uint8Array): void;
  /** Resolves when the socket has closed (for whatever reason). */
  closed(ms?: number): Promise<void>;
}

/** Opens a {@link RawPeer} to `127.0.0.1:port`. */
export function rawPeer(port: number): Promise<RawPeer> {
  return new Promise((resolve, reject) => {
    const socket = netConnect({ host: '127.0.0.1', port });
    const chunks: Buffer[] = [];
    let buf = Buffer.alloc(0);
    let wake: (() => void) | undefined;
    let isClosed = false;
    const closeWaiters: (() => void)[] = [];
    socket.on('data', (c: Buffer) => {
      chunks.push(c);
      buf = Buffer.concat([buf, c]);
      wake?.();
    });
    socket.on('error', () => {});
    socket.on('close', () => {
      isClosed = true;
      wake?.();
      for (const w of closeWaiters) w();
    });
    const until = (cond: () => boolean, ms: number, what: string): Promise<void> =>
      withTimeout(
        new Promise<void>((res, rej) => {
          const check = () => {
            if (cond()) {
              wake = undefined;
              res();
            } else if (isClosed) {
              wake = undefined;
              rej(new Error(`socket closed while waiting for ${what}`));
            }
          };
          wake = check;
          check();
        }),
        ms,
        what,
      );
    const peer: RawPeer = {
      socket,
      chunks,
      async readLine(ms = 5000) {
        await until(() => buf.includes(0x0a), ms, 'a line');
        const i = buf.indexOf(0x0a);
        let line = buf.subarray(0, i);
        buf = buf.subarray(i + 1);
        if (line.length && line[line.length - 1] === 0x0d) line = line.subarray(0, -1);
        return line.toString('utf8');
      },
      takeBuffered() {
        const b = buf;
        buf = Buffer.alloc(0);
        return b;
      },
      waitBytes: (n, ms = 5000) => until(() => buf.length >= n, ms, `${n} bytes`),
      write: (d) => void socket.write(d),
      closed: (ms = 5000) =>
        isClosed
          ? Promise.resolve()
          : withTimeout(new Promise<void>((r) => closeWaiters.push(r)), ms, 'socket close'),
    };
    socket.once('connect', () => resolve(peer));
    socket.once('error', reject);
  });
}

/** Port of a listener's first address. */
export function portOf(l: Listener): number {
  return Number(l.addresses[0]!.split(':').pop());
}

/** A listener of ours and a connection to it from another of ours: both ends plus cleanup. */
export interface Pair {
  readonly listener: Listener;
  readonly client: Connection;
  readonly server: Connection;
  close(): Promise<void>;
}

/** Listens with `a` on 127.0.0.1:0, connects with `b`, resolves once both sides are authenticated. */
export async function connectPair(a: TransportOptions, b: TransportOptions): Promise<Pair> {
  let gotServer!: (c: Connection) => void;
  const serverSide = new Promise<Connection>((r) => (gotServer = r));
  const listener = await listen(['127.0.0.1:0'], a, (c) => gotServer(c));
  try {
    const client = await connect(listener.addresses[0]!, b);
    const server = await withTimeout(serverSide, 5000, 'server side of the pair');
    return {
      listener,
      client,
      server,
      close: async () => {
        client.complete();
        server.complete();
        await listener.close();
      },
    };
  } catch (e) {
    await listener.close();
    throw e;
  }
}

/** Collects a listener's connections; `next()` waits (bounded) for the next one. */
export function acceptQueue(): {
  onConnection: (c: Connection) => void;
  next(ms?: number): Promise<Connection>;
} {
  const ready: Connection[] = [];
  const waiting: ((c: Connection) => void)[] = [];
  return {
    onConnection: (c) => {
      const w = waiting.shift();
      if (w) w(c);
      else ready.push(c);
    },
    next: (ms = 5000) => {
      const c = ready.shift();
      if (c) return Promise.resolve(c);
      return withTimeout(new Promise<Connection>((r) => waiting.push(r)), ms, 'next accepted connection');
    },
  };
}

/**
 * Reads `c`'s incoming frames with `fn`, as an owner that watches the end
 * through `closed$` does (the subscription's own end is not reported).
 */
export function onFrames(c: Connection, fn: (frame: unknown[]) => void): Subscription {
  return c.subscribe({ next: fn, error: () => {} });
}
