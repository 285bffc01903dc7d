/**
 * The remote room: everything about other nodes. The kernel knows them only
 * through the `RemoteRouter` it declares (kernel/router.ts); this room
 * implements it and uses no more of the kernel than `RouterHost` lists.
 *
 * - `network.ts`: `Network`, the router over real connections — the node
 *   table, incoming connections and who is admitted (the crossing rule),
 *   keeping the seeds, the monitoring protocol (`mon1`/`mon0`/`kil0`),
 *   node up/down events, flow control (`drained`).
 * - `remoteNode.ts`: `RemoteNode`, the state kept per other node (queue,
 *   monitors both ways, its link, forgetting it when unused).
 * - `dial.ts`: one connection attempt (deadline, dials spread over the
 *   addresses, our half of the crossing rule).
 * - `backoff.ts`: `Backoff`, the one reconnect schedule of the tree (seeds
 *   here, the global mesh in the database).
 * - `link.ts`: what a connection is to this room; `streamLinks.ts` binds
 *   the streams room's connections to it.
 *
 * A change about another node — reaching it, losing it, retrying — belongs here.
 * @module
 */
export { Network, type LinkFactory, type NetworkOptions, type AddressLookup, type SeedFailure } from './network.js';
export { RemoteNode } from './remoteNode.js';
export type { Link, NodeEvent } from './link.js';
export { streamLinks } from './streamLinks.js';
export { Backoff } from './backoff.js';
