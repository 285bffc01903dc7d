/**
 * Opening a connection to another node.
 * @module
 */
import { connect as netConnect } from 'node:net';
import { formatHostPort, parseHostPort } from './address.js';
import type { Connection } from './connection.js';
import { ConnectionError, isRefusal } from './connection-error.js';
import { resolveOptions, type TransportOptions } from './options.js';
import { runHandshake } from './run-handshake.js';

/**
 * Connects to `address` (`host:port`, `[v6]:port`), runs the handshake and
 * resolves with the authenticated connection. The whole attempt (TCP connect
 * and handshake) has a deadline of `connectInterval` seconds (`connect
 * timeout`). Rejects with a {@link ConnectionError} whose message is the AEMP
 * text (`Connection refused`, `I refuse to talk to myself`,
 * `authentication failure/shared secret mismatch` …) and whose `kind` says
 * what failed (`refused`, `self-connect`, `auth` …), or with a `TypeError`
 * for invalid options.
 */
export async function connect(
  address: string,
  options: TransportOptions,
  signal?: AbortSignal,
): Promise<Connection> {
  const opts = resolveOptions(options);
  const hp = parseHostPort(address);
  if (!hp || hp.port === 0)
    throw new ConnectionError(`${address}: invalid address (expected host:port)`, 'address');
  const peerAddress = formatHostPort(hp.host, hp.port);
  const socket = netConnect({ host: hp.host, port: hp.port });
  try {
    return await runHandshake({
      socket,
      initiator: true,
      peerAddress,
      opts,
      deadline: { ms: opts.connectInterval * 1000, text: 'connect timeout' },
      signal,
    });
  } catch (e) {
    if (e instanceof ConnectionError) {
      const level =
        isRefusal(e.kind) || e.code === 'socket' || e.code === 'timeout' || e.code === 'aborted' ? 'debug' : 'warn';
      opts.log(level, 'transport', `connect to ${peerAddress} failed: ${e.message}`);
    }
    throw e;
  }
}
