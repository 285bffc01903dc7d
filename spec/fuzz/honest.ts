/**
 * The honest side of the fuzz: a node connected to the target since the
 * start (its connection must never be disturbed), and a newcomer per check.
 */
import { filter, firstValueFrom, type Subscription } from 'rxjs';
import { createNode, type AempNode } from '../../src/index.js';
import { rawSession } from '../helpers/rawHandshake.js';
import { timeProbe, within } from './sessions.js';
import { SECRET, type Target } from './target.js';

/** The honest side: a node connected to the target all along, and a newcomer per check. */
export interface Honest {
  check(batch: number): Promise<string | undefined>;
  close(): Promise<void>;
}

/** Connects an honest node to the target (as a seed) and watches that connection. */
export async function honestPeers(target: Target): Promise<Honest> {
  const veteran: AempNode = await createNode({
    nodeid: 'fuzz-veteran',
    binds: ['127.0.0.1:0'],
    secret: SECRET,
    seeds: [target.address],
    norc: true,
    stderrLog: false,
  });
  const up = firstValueFrom(veteran.nodes$.pipe(filter((e) => e.node === target.id && e.up)));
  if (!veteran.isUp(target.id) && !(await within(up, 15_000))) {
    await veteran.close();
    throw new Error('the honest veteran could not connect to the target');
  }
  let disturbed: string | undefined;
  const sub: Subscription = veteran.nodes$
    .pipe(filter((e) => e.node === target.id && !e.up))
    .subscribe(
      (e) => (disturbed ??= `the veteran's connection to the target went down: ${JSON.stringify(e)}`),
    );
  return {
    async check(batch) {
      const dead = target.dead();
      if (dead) return `target dead: ${dead}`;
      if (disturbed) return disturbed;
      try {
        await firstValueFrom(veteran.cal(`${target.id}#`, 'time', { timeout: 15 }));
      } catch (e) {
        return `the veteran's cal failed: ${String(e)}`;
      }
      const me = `fz-honest-${batch}`;
      try {
        const s = await rawSession(target.port, { nodeId: me, secret: SECRET, timeoutMs: 15_000 });
        try {
          await timeProbe(s, me, false, 'honest');
        } finally {
          s.socket.destroy();
        }
      } catch (e) {
        return `an honest newcomer failed: ${String(e)}`;
      }
      return disturbed;
    },
    async close() {
      sub.unsubscribe();
      await veteran.close();
    },
  };
}
