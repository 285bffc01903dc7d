/**
 * Wires the streams layer (handshake, auth, TLS, framings over sockets) to
 * the remote kernel's {@link LinkFactory}.
 * @module
 */
import type { ResolvedConfig } from '../config/index.js';
import type { LinkFactory } from './network.js';
import type { Kernel } from '../kernel/index.js';
import { connect, listen, type TransportOptions } from '../streams/index.js';

/** The transport options of a node, from its configuration. */
export function transportOptions(kernel: Kernel, config: ResolvedConfig): TransportOptions {
  return {
    nodeId: kernel.id,
    secret: config.secret,
    cert: config.cert,
    authOffer: [...config.authOffer],
    authAccept: [...config.authAccept],
    framingFormat: [...config.framingFormat],
    monitorTimeout: config.monitorTimeout,
    // liveness: a quiet link is asked the time; every AEMP node (Perl's too) answers to our node port's devnull
    probe: ['', 'time', `${kernel.id}#`, 'devnull'],
    connectInterval: config.connectInterval,
    maxLineBytes: config.maxLineBytes,
    maxFrameBytes: config.maxFrameBytes,
    nodelay: config.nodelay,
    log: kernel.log,
  };
}

/** A {@link LinkFactory} over real `node:net` / `node:tls` connections. */
export function streamLinks(kernel: Kernel, config: ResolvedConfig): LinkFactory {
  const base = transportOptions(kernel, config);
  return {
    connect: (address, admit, signal) => connect(address, { ...base, admit }, signal),
    listen: (binds, admit, onLink, abandoned) => listen([...binds], { ...base, admit, abandoned }, onLink),
  };
}
