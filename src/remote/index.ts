/**
 * The remote room: everything about other nodes. The network of
 * connections (`Network`), the state kept per other node (`RemoteNode`:
 * queue, monitors, liveness of its link), dialing and reconnecting, seeds,
 * the crossing-connection rule, and the binding of the streams layer's
 * connections to it (`streamLinks`). The kernel knows other nodes only
 * through the `RemoteRouter` interface it declares; this room implements it.
 * @module
 */
export { Network, type LinkFactory, type NetworkOptions, type AddressLookup, type SeedFailure } from './network.js';
export { RemoteNode } from './remoteNode.js';
export type { Link, NodeEvent } from './link.js';
export { streamLinks } from './streamLinks.js';
export { Backoff } from './backoff.js';
