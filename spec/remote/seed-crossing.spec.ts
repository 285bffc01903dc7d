/**
 * Two nodes that are each other's seed, started at the same instant: both
 * dial before either knows the other's id, so both connections may
 * complete. Both sides keep the one the smaller node id opened; the node
 * never goes down and a lost seed connection is not redialled in step.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { firstValueFrom } from 'rxjs';
import { createNode, type AempNode } from '../../src/index.js';
import { until } from '../helpers/net.js';
import { freePort } from '../helpers/proxy.js';

const open: AempNode[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((n) => n.close()));
});

describe('seeds that dial each other at the same instant', () => {
  it('settle on one connection: no node-down, a cal each way works (8 trials)', async () => {
    for (let t = 0; t < 8; t++) {
      const [pa, pb] = [await freePort(), await freePort()];
      const make = (nodeid: string, me: number, other: number) =>
        createNode({ norc: true, nodeid, binds: [`127.0.0.1:${me}`], seeds: [`127.0.0.1:${other}`], secret: 's', stderrLog: false });
      const [a, b] = await Promise.all([make(`sxa${t}`, pa, pb), make(`sxb${t}`, pb, pa)]);
      open.push(a, b);
      const downs: string[] = [];
      a.nodes$.subscribe((e) => void (e.up || downs.push(`a: ${String(e.reason?.[2])}`)));
      b.nodes$.subscribe((e) => void (e.up || downs.push(`b: ${String(e.reason?.[2])}`)));
      await until('both up', () => a.isUp(b.id) && b.isUp(a.id));
      await firstValueFrom(a.cal(`${b.id}#`, 'time', { timeout: 5 }));
      await firstValueFrom(b.cal(`${a.id}#`, 'time', { timeout: 5 }));
      expect({ trial: t, downs }).toEqual({ trial: t, downs: [] });
      await Promise.all(open.splice(0).map((n) => n.close()));
    }
  }, 60_000);
});
