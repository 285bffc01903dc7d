/**
 * `npm start`: the main job. For now a tour of one node; it grows into a
 * live multi-node network as the spine lands.
 */
await import('./local.js');
