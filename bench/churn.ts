/**
 * Node churn: what a node keeps for other nodes that came and went. Fake
 * peers (fresh node ids, real AEMP handshakes over loopback, no node
 * behind them) each connect to one aemp node, ask it to monitor a port
 * (`mon1`), get a message from it, and leave. The row is the heap growth per
 * peer after all of them left, with a full gc before and after.
 * `npx tsx bench/churn.ts` runs it alone.
 * @module
 */
import { fileURLToPath } from 'node:url';
import { createNode, type AempNode } from '../src/index.js';
import { connect, type Connection } from '../src/streams/index.js';
import { heapAfterGc, type Row } from './rows.js';
import { renderTable } from './table.js';

/** Peers measured (after a warm-up of WARM), and how many run at once. */
const PEERS = Number(process.env.CHURN_PEERS ?? 5000);
const WARM = Number(process.env.CHURN_WARM ?? 2000);
const BATCH = 50;
const SECRET = 'churn-bench';
/** Issue #10 (9c): under 100 bytes per peer that came and left. */
const TARGET = { cmp: '<=' as const, value: 100 };

async function until(cond: () => boolean, what: string): Promise<void> {
  const end = Date.now() + 20_000;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`churn bench: ${what} did not happen within 20 s`);
    await new Promise((r) => setTimeout(r, 1));
  }
}

/** One fake peer: connects as `id`, makes the node watch a port and send to it, then leaves. */
async function visit(node: AempNode, id: string, watched: string, echo: string): Promise<void> {
  const got = new Promise<void>((resolve) => {
    void connect(node.addresses[0]!, { nodeId: id, secret: SECRET }).then((c: Connection) => {
      // the first frame back ends the visit (its end is not awaited)
      c.subscribe({
        next: () => {
          c.error('bye');
          resolve();
        },
        error: () => {},
      });
      c.next(['', 'mon1', watched.slice(watched.indexOf('#') + 1)]);
      c.next([echo.slice(echo.indexOf('#') + 1), 'hi', `${id}#reply`]);
    });
  });
  await got;
}

async function churn(node: AempNode, from: number, n: number, watched: string, echo: string): Promise<void> {
  for (let i = 0; i < n; i += BATCH) {
    const ids: string[] = [];
    for (let j = i; j < Math.min(n, i + BATCH); j++) ids.push(`churn${from + j}`);
    await Promise.all(ids.map((id) => visit(node, id, watched, echo)));
    await until(() => ids.every((id) => !node.isUp(id)), 'peers leaving');
  }
}

export async function benchChurn(): Promise<Row[]> {
  const node = await createNode({ norc: true, nodeid: 'churnhost', binds: ['127.0.0.1:0'], secret: SECRET, stderrLog: false });
  try {
    const watched = node.port(() => {});
    const echo = node.port((msg) => {
      const reply = msg[msg.length - 1];
      if (typeof reply === 'string') node.snd(reply, 'echo', ...msg.slice(0, -1));
    });
    await churn(node, 0, WARM, watched.id, echo.id);
    const before = heapAfterGc();
    await churn(node, WARM, PEERS, watched.id, echo.id);
    const after = heapAfterGc();
    const tracked = node.network?.tracked ?? -1;
    return [
      {
        name: 'remote: heap left per peer that came and went',
        value: (after - before) / PEERS,
        unit: 'B/peer',
        target: TARGET,
        note: `${PEERS / 1e3} k fake peers (mon1 + a message each), ${BATCH} at a time; node state left for ${tracked} of them`,
      },
    ];
  } finally {
    await node.close();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  console.log(renderTable(await benchChurn()));
}
