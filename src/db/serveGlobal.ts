/**
 * The node-port services of a global node: the requests its
 * {@link GlobalService} answers (`g_set`, `g_upd`, `g_find`, `g_db_*`,
 * `g_mon1`, `g_mon0`), each with its arguments checked as they come from a
 * peer.
 * @module
 */
import type { NodeService } from '../kernel/index.js';
import type { GlobalService } from './global.js';
import { QUERY_TAGS } from './queries.js';
import { wireDb, wireHash, wireKeys, wireString } from './value.js';

/** Installs the global node's services into the node port's table. */
export function serveGlobal(services: Map<string, NodeService>, service: GlobalService): void {
  const s = services;
  s.set('g_set', (from, [db]) => service.set(from, wireDb(db, 'g_set: database')));
  s.set('g_upd', (from, [f, set, del]) =>
    service.update(from, wireString(f, 'g_upd: family'), wireHash(set, 'g_upd: set'), wireKeys(del, 'g_upd: del')),
  );
  s.set('g_find', (from, [node]) => service.find(from, wireString(node, 'g_find: node')));
  for (const kind of ['family', 'keys', 'values'] as const) {
    const tag = QUERY_TAGS[kind];
    s.set(tag, (from, [f, reqId, parts]) =>
      service.query(from, kind, wireString(f, `${tag}: family`), wireString(reqId, `${tag}: request id`), parts === 1),
    );
  }
  s.set('g_mon1', (from, [f]) => service.monitor(from, wireString(f, 'g_mon1: family')));
  s.set('g_mon0', (from, [f]) => service.unmonitor(from, wireString(f, 'g_mon0: family')));
}
