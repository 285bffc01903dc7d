/**
 * The README's worker pool, as a test: workers `db.reg` a port into a
 * family, a client follows the family with `db.mon` and dispatches with
 * `cal`; a worker that goes away leaves the pool by itself.
 */
import { afterEach, expect, it } from 'vitest';
import { filter, firstValueFrom, map, shareReplay, switchMap, take, type Observable } from 'rxjs';
import { createNode, familyMap, type AempNode } from '../../src/index.js';

const nodes: AempNode[] = [];
afterEach(async () => {
  await Promise.all(nodes.splice(0).map((n) => n.close()));
});

const base = { binds: ['127.0.0.1:0'], secret: 's3cret', norc: true, stderrLog: false } as const;

it('workers register, a client follows the family and dispatches round-robin; a closed worker leaves the pool', async () => {
  // a global node (the seed)
  const seed = await createNode({ ...base, nodeid: 'pool-seed', global: true });
  nodes.push(seed);
  const seeds = [...seed.addresses];

  // --- README example starts ---
  // worker: a port that squares numbers, registered in the family 'squarers'
  async function startWorker(name: string): Promise<AempNode> {
    const worker = await createNode({ ...base, nodeid: name, seeds });
    const port = worker
      .port()
      .rcv('square', ([x, reply]) => worker.snd(reply as string, (x as number) ** 2, name));
    worker.db.reg('squarers', port.id); // gone from the family when the port (or the node) dies
    return worker;
  }

  // client: the current pool as a Map, kept up to date by db.mon
  const client = await createNode({ ...base, nodeid: 'pool-client', seeds });
  const pool$: Observable<ReadonlyMap<string, unknown>> = client.db
    .mon('squarers')
    .pipe(familyMap(), shareReplay({ bufferSize: 1, refCount: true }));

  let turn = 0;
  const square = (x: number) =>
    pool$.pipe(
      filter((pool) => pool.size > 0), // wait for a worker
      take(1),
      switchMap((pool) => {
        const ids = [...pool.keys()].sort();
        return client.cal(ids[turn++ % ids.length]!, 'square', x, { timeout: 5 });
      }),
      map(([y, by]) => ({ y, by })),
    );
  // --- README example ends ---
  nodes.push(client);

  const keep = pool$.subscribe(); // keep following the family between calls
  const w1 = await startWorker('pool-w1');
  const w2 = await startWorker('pool-w2');
  nodes.push(w1, w2);
  await firstValueFrom(pool$.pipe(filter((p) => p.size === 2)));

  const results = [];
  for (let x = 1; x <= 4; x++) results.push(await firstValueFrom(square(x)));
  expect(results.map((r) => r.y)).toEqual([1, 4, 9, 16]);
  expect(new Set(results.map((r) => r.by))).toEqual(new Set(['pool-w1', 'pool-w2']));

  await w1.close();
  await firstValueFrom(pool$.pipe(filter((p) => p.size === 1)));
  expect(await firstValueFrom(square(5))).toEqual({ y: 25, by: 'pool-w2' });
  keep.unsubscribe();
});
