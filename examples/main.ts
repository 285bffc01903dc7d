/**
 * `npm start`: the main job — a live aemp network on 127.0.0.1 (a seed,
 * three worker processes, a client that follows the family and survives a
 * worker being killed). See examples/network.ts.
 */
await import('./network.js');
