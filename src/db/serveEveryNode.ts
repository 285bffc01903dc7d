/**
 * The node-port services every node's database has: the master's answers
 * (`g_chg1`, `g_chg2`, `g_reply`, `g_found`), checked as they come from a
 * peer and taken only from the current master.
 * @module
 */
import type { NodeService } from '../kernel/index.js';
import type { Finds } from './finds.js';
import type { Master } from './master.js';
import type { Queries } from './queries.js';
import { wireHash, wireKeys, wireString } from './value.js';
import type { Watches } from './watches.js';

/** Where the answers go. */
export interface AnswerSinks {
  readonly master: Master;
  readonly watches: Watches;
  readonly queries: Queries;
  readonly finds: Finds;
}

/** Installs the services into the node port's table. */
export function serveEveryNode(services: Map<string, NodeService>, to: AnswerSinks): void {
  const { master } = to;
  services.set('g_chg1', (from, [f, hash, more]) => {
    const family = wireString(f, 'g_chg1: family');
    const contents = wireHash(hash, 'g_chg1: contents');
    if (master.isFrom(from, 'g_chg1')) to.watches.chg1(family, contents, more);
  });
  services.set('g_chg2', (from, [f, set, del, more]) => {
    const family = wireString(f, 'g_chg2: family');
    const sets = wireHash(set, 'g_chg2: set');
    const dels = wireKeys(del, 'g_chg2: del');
    if (master.isFrom(from, 'g_chg2')) to.watches.chg2(family, sets, dels, more);
  });
  services.set('g_reply', (from, [reqId, result, more]) => {
    const id = wireString(reqId, 'g_reply: request id');
    if (master.isFrom(from, 'g_reply')) to.queries.reply(id, result, more);
  });
  services.set('g_found', (from, [n, addrs]) => {
    const node = wireString(n, 'g_found: node');
    const list = wireKeys(addrs, 'g_found: addresses');
    if (master.isFrom(from, 'g_found')) to.finds.found(node, list);
  });
}
