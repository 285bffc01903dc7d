/**
 * The remote room (above kernel): everything about other nodes. The network
 * of connections (`Network`), the state kept per other node (`RemoteNode`:
 * queue, monitors, liveness of its link), dialing and reconnecting, seeds,
 * the crossing-connection rule, and the binding of the streams room's
 * connections to it (`streamLinks`). The kernel knows other nodes only
 * through the `RemoteRouter` interface it declares; this room implements it
 * and publishes node up/down events (`NodeEvent`) for the rooms above.
 * @module
 */
export { Network, type LinkFactory, type NetworkOptions, type AddressLookup, type SeedFailure } from './network.js';
export { RemoteNode } from './remoteNode.js';
export type { Link, NodeEvent } from './link.js';
export { streamLinks } from './streamLinks.js';
