/**
 * Accepting connections from other nodes.
 * @module
 */
import { createServer, type Server, type Socket } from 'node:net';
import { formatHostPort, type HostPort } from './address.js';
import { expandBind } from './binds.js';
import type { Connection } from './connection.js';
import { ConnectionError, isRefusal } from './connection-error.js';
import { socketErrorKind, socketErrorText } from './errno.js';
import { resolveOptions, type ResolvedOptions, type TransportOptions } from './options.js';
import { runHandshake } from './run-handshake.js';

/** The listening side of a node. */
export interface Listener {
  /** The actually bound addresses, `host:port` (`[v6]:port`), ports resolved. */
  readonly addresses: readonly string[];
  /**
   * Stops listening and drops connections still in their handshake.
   * Established connections are not touched (they belong to their owner).
   */
  close(): Promise<void>;
}

function listenOne(hp: HostPort, onSocket: (s: Socket) => void): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer(onSocket);
    const onError = (err: Error) => {
      reject(new ConnectionError(`${formatHostPort(hp.host, hp.port)}: ${socketErrorText(err)}`, socketErrorKind(err)));
    };
    server.once('error', onError);
    server.listen({ host: hp.host, port: hp.port }, () => {
      server.off('error', onError);
      resolve(server);
    });
  });
}

/**
 * Stops accepting. Does not wait for accepted connections to end (a
 * `net.Server`'s close callback would): those belong to their owners.
 */
function stopAll(servers: readonly Server[]): Promise<void> {
  for (const s of servers) if (s.listening) s.close();
  return new Promise((r) => setImmediate(r));
}

function boundAddress(server: Server, hp: HostPort): string {
  const a = server.address();
  if (a && typeof a === 'object') return formatHostPort(a.address, a.port);
  return formatHostPort(hp.host, hp.port);
}

/**
 * Listens on every bind (`host:port`; host `*` = every interface address;
 * port `0`/`*` = ephemeral) and hands each incoming connection to
 * `onConnection` once it is authenticated. A failed handshake is logged
 * (context `transport`, level `warn`; routine refusals such as
 * `I refuse to talk to myself` at `info`) with the peer's address and the
 * reason, and only that socket is closed. Rejects when a bind fails (nothing
 * stays bound then) or with a `TypeError` for invalid options.
 */
export async function listen(
  binds: readonly string[],
  options: TransportOptions,
  onConnection: (connection: Connection) => void,
): Promise<Listener> {
  const opts = resolveOptions(options);
  const targets: HostPort[] = [];
  for (const b of binds) {
    const list = expandBind(b);
    if (!list) throw new ConnectionError(`${b}: invalid bind address`, 'address');
    if (list.length === 0) opts.log('warn', 'transport', `bind ${b}: no matching interface address`);
    targets.push(...list);
  }
  const pending = new Set<Socket>();
  let closed = false;
  const onSocket = (socket: Socket) => accept(socket, opts, pending, () => closed, onConnection);
  const servers: Server[] = [];
  try {
    for (const hp of targets) servers.push(await listenOne(hp, onSocket));
  } catch (e) {
    await stopAll(servers);
    throw e;
  }
  const addresses = servers.map((s, i) => boundAddress(s, targets[i]!));
  for (const s of servers)
    s.on('error', (err) => opts.log('error', 'transport', `listener: ${socketErrorText(err)}`));
  opts.log('debug', 'transport', `listening on ${addresses.join(', ') || '(nothing)'}`);
  return {
    addresses,
    close: async () => {
      if (closed) return;
      closed = true;
      for (const s of pending) s.destroy();
      pending.clear();
      await stopAll(servers);
    },
  };
}

function accept(
  socket: Socket,
  opts: ResolvedOptions,
  pending: Set<Socket>,
  isClosed: () => boolean,
  onConnection: (connection: Connection) => void,
): void {
  if (isClosed()) return void socket.destroy();
  const peerAddress =
    socket.remoteAddress !== undefined
      ? formatHostPort(socket.remoteAddress, socket.remotePort ?? 0)
      : 'unknown';
  pending.add(socket);
  runHandshake({ socket, initiator: false, peerAddress, opts }).then(
    (conn) => {
      pending.delete(socket);
      if (isClosed()) return conn.error('listener closed');
      opts.log(
        'debug',
        'transport',
        `${peerAddress} connected as ${conn.remoteNodeId} (${conn.tls ? 'tls, ' : ''}${conn.remote.authMethod}, ${conn.remote.framing}/${conn.local.framing})`,
      );
      try {
        onConnection(conn);
      } catch (e) {
        opts.log(
          'error',
          'transport',
          `connection handler threw: ${e instanceof Error ? e.message : String(e)}`,
        );
      }
    },
    (e: unknown) => {
      pending.delete(socket);
      // Handshakes cut short by our own close() are not the peer's fault.
      const routine = isClosed() || (e instanceof ConnectionError && isRefusal(e.kind));
      const text = e instanceof Error ? e.message : String(e);
      opts.log(routine ? 'info' : 'warn', 'transport', `handshake with ${peerAddress} failed: ${text}`);
    },
  );
}
