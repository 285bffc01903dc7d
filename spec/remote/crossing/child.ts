/**
 * One process of the crossing-connect trials (see driver.ts). It reads JSON
 * commands from stdin, one a line, and answers each with one JSON line:
 *
 * - `{"cmd":"make","nodeid","port","peer":{"id","address"}}` makes a fresh
 *   node listening on `127.0.0.1:port` that knows the peer's address;
 * - `{"cmd":"go","at"}` at wall-clock time `at` calls the peer's node port
 *   (`time`, monitored as every `cal` without timeout is) and answers with
 *   what happened: the reply, a transport error, or nothing in time (lost),
 *   and how many node-down events were seen meanwhile;
 * - `{"cmd":"stats"}` answers with the node-down events seen so far and
 *   whether the peer is up (asked of both before either node closes);
 * - `{"cmd":"end"}` closes the node.
 */
import { createInterface } from 'node:readline';
import { firstValueFrom } from 'rxjs';
import { createNode, type AempNode } from '../../../src/index.js';

let node: AempNode | undefined;
let peer = '';
let downs = 0;
const out = (v: unknown) => process.stdout.write(JSON.stringify(v) + '\n');

async function handle(c: { cmd: string; nodeid?: string; port?: number; peer?: { id: string; address: string }; at?: number }) {
  switch (c.cmd) {
    case 'make': {
      peer = c.peer!.id;
      downs = 0;
      node = await createNode({
        norc: true,
        nodeid: c.nodeid!,
        binds: [`127.0.0.1:${c.port}`],
        secret: 'crossing',
        stderrLog: 'error',
        addresses: { [peer]: [c.peer!.address] },
      });
      node.nodes$.subscribe((e) => {
        if (e.node === peer && !e.up) downs++;
      });
      return out({ made: node.id });
    }
    case 'go': {
      const n = node!;
      await new Promise((r) => setTimeout(r, Math.max(0, (c.at ?? 0) - Date.now())));
      let result: string;
      try {
        await Promise.race([
          firstValueFrom(n.cal(`${peer}#`, 'time')),
          new Promise((_, reject) => setTimeout(() => reject(new Error('lost')), 8000)),
        ]);
        result = 'ok';
      } catch (e) {
        result = e instanceof Error && e.message === 'lost' ? 'lost' : `error: ${e instanceof Error ? e.message : String(e)}`;
      }
      return out({ result, downs, up: n.isUp(peer) });
    }
    case 'stats':
      return out({ downs, up: node?.isUp(peer) ?? false });
    case 'end': {
      await node?.close();
      node = undefined;
      return out({ ended: true });
    }
  }
}

createInterface({ input: process.stdin }).on('line', (line) => {
  handle(JSON.parse(line)).catch((e: unknown) => out({ error: String(e) }));
});
process.stdin.on('end', () => void (node?.close() ?? Promise.resolve()).then(() => process.exit(0)));
out({ ready: true });
