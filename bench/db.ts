/**
 * Database benchmarks:
 * - latency from `db.set` on one slave to the `db.mon` event on another
 *   slave through their global node (median and p99), over real loopback
 *   TCP with the three nodes in this one process (so one event loop does the
 *   work of three; separate processes would overlap it);
 * - the same for one hop (slave → monitor on the global itself) as a
 *   breakdown;
 * - time for a new subscriber on a slave to receive a 100 k-key family
 *   (`g_mon1` → `g_chg1` with the whole family → the first delta);
 * - heap bytes per key on a global node (the merged store: key string,
 *   value, owner cell and indexes; values are small integers);
 * - a 200 k-key family of ~100-byte values (about 27 MB, over the 16 MiB
 *   frame limit, so it travels in parts): time for a new subscriber on a
 *   slave to get all of it, and for a slave's 200 k-key database to reach
 *   a global node it attaches to (`g_slave` in parts), each on one
 *   connection (the row notes say how many connections it took).
 * @module
 */
import { filter, firstValueFrom, Subject, Subscription } from 'rxjs';
import { createNode, type AempNode } from '../src/index.js';
import { Kernel } from '../src/kernel/index.js';
import { Database, type DbNetwork, type FamilyDelta } from '../src/db/index.js';
import { heapAfterGc, median, nowNs, rounds, type Row } from './rows.js';
import { freePort } from '../spec/helpers/proxy.js';

const LAT_WARMUP = 1_000;
const LAT_N = 5_000;
const BIG_N = 100_000;
const HEAP_N = 100_000;
const HUGE_N = 200_000;
/** ~100-byte values: 200 k of them make a family over the 16 MiB frame limit. */
const hugeValue = (i: number) => `${'v'.repeat(94)}${String(i).padStart(6, '0')}`;

async function node(nodeid: string, extra: Record<string, unknown>): Promise<AempNode> {
  return createNode({
    nodeid,
    binds: ['127.0.0.1:0'],
    secret: 'bench',
    norc: true,
    stderrLog: false,
    ...extra,
  });
}

/** Waits (bounded) until `check()` holds, looking every few ms. */
async function until(check: () => boolean, ms = 30_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('bench setup timed out');
    await new Promise((r) => setTimeout(r, 5));
  }
}

function p99(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(s.length * 0.99))]!;
}

/** Sequential set → event latencies in µs: each set waits for its event before the next. */
async function latencies(setter: AempNode, watcher: AempNode, family: string, n: number): Promise<number[]> {
  const events = new Subject<unknown>();
  const sub = watcher.db.mon(family).subscribe((d: FamilyDelta) => {
    const v = d.added['k'] ?? d.changed['k'];
    if (v !== undefined) events.next(v);
  });
  await firstValueFrom(watcher.db.mon(family)); // the first event is there
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const got = firstValueFrom(events.pipe(filter((v) => v === i)));
    const t0 = nowNs();
    setter.db.set(family, 'k', i);
    await got;
    out.push((nowNs() - t0) / 1000);
  }
  sub.unsubscribe();
  return out;
}

export async function benchLatency(): Promise<Row[]> {
  const g = await node('bench-g', { global: true });
  const s1 = await node('bench-s1', { seeds: [...g.addresses] });
  const s2 = await node('bench-s2', { seeds: [...g.addresses] });
  try {
    await until(() => s1.db.master === g.id && s2.db.master === g.id);
    await latencies(s1, s2, 'lat', LAT_WARMUP);
    const two = await latencies(s1, s2, 'lat', LAT_N);
    await latencies(s1, g, 'lat1', LAT_WARMUP);
    const one = await latencies(s1, g, 'lat1', LAT_N);
    return [
      {
        name: 'db.set → db.mon, slave → global → slave (median)',
        value: median(two),
        unit: 'µs',
        target: { cmp: '<=', value: 200 },
        note: `${LAT_N} sequential sets, 3 nodes in one process over loopback TCP; Perl ~460 µs`,
      },
      { name: 'db.set → db.mon, slave → global → slave (p99)', value: p99(two), unit: 'µs' },
      {
        name: 'db.set → db.mon, slave → monitor on the global (median, breakdown)',
        value: median(one),
        unit: 'µs',
        note: 'one hop',
      },
    ];
  } finally {
    await Promise.all([s1.close(), s2.close()]);
    await g.close();
  }
}

export async function benchBigFamily(): Promise<Row[]> {
  const g = await node('bench-big-g', { global: true });
  const owner = await node('bench-big-s1', { seeds: [...g.addresses] });
  const reader = await node('bench-big-s2', { seeds: [...g.addresses] });
  try {
    await until(() => owner.db.master === g.id && reader.db.master === g.id);
    for (let i = 0; i < BIG_N; i++) owner.db.set('big', `worker/Qx3vS3oPUyA#R0JxsSRoSQ${i}`, i);
    await until(() => g.db.service!.store.size('big') === BIG_N, 60_000);
    const r = await rounds(
      async () => {
        const t0 = nowNs();
        const first = await firstValueFrom(reader.db.mon('big')); // unsubscribes after it: g_mon0
        const ms = (nowNs() - t0) / 1e6;
        if (Object.keys(first.added).length !== BIG_N) throw new Error('incomplete family');
        return ms;
      },
      { warmup: 1, rounds: 5 },
    );
    const local = await rounds(
      async () => {
        const t0 = nowNs();
        await firstValueFrom(g.db.mon('big'));
        return (nowNs() - t0) / 1e6;
      },
      { warmup: 1, rounds: 5 },
    );
    return [
      {
        name: 'new subscriber on a slave gets a 100 k-key family',
        ...r,
        unit: 'ms',
        target: { cmp: '<=', value: 1000 },
        note: 'g_mon1 → g_chg1 (whole family, cbor) → first delta, through loopback TCP',
      },
      { name: 'new subscriber on the global gets a 100 k-key family (breakdown)', ...local, unit: 'ms' },
    ];
  } finally {
    await Promise.all([owner.close(), reader.close()]);
    await g.close();
  }
}


/** Up/down events of `other` on `x`, counted. */
function countEvents(x: AempNode, other: string): { up: number; down: number } {
  const n = { up: 0, down: 0 };
  x.nodes$.subscribe((e) => {
    if (e.node === other) n[e.up ? 'up' : 'down']++;
  });
  return n;
}

async function benchHugeFamily(): Promise<Row[]> {
  const g = await node('bench-huge-g', { global: true });
  const reader = await node('bench-huge-r', { seeds: [...g.addresses] });
  let subscriber: Row;
  try {
    await until(() => reader.db.master === g.id);
    const events = countEvents(reader, g.id);
    for (let i = 0; i < HUGE_N; i++) g.db.set('huge', `worker/Qx3vS3oPUyA#R0JxsSRoSQ${i}`, hugeValue(i));
    const r = await rounds(
      async () => {
        const t0 = nowNs();
        const first = await firstValueFrom(reader.db.mon('huge')); // unsubscribes after it: g_mon0
        const ms = (nowNs() - t0) / 1e6;
        if (Object.keys(first.added).length !== HUGE_N) throw new Error('incomplete family');
        return ms;
      },
      { warmup: 1, rounds: 3 },
    );
    subscriber = {
      name: 'new subscriber on a slave gets a 200 k-key family of 27 MB (16 MiB frame limit)',
      ...r,
      unit: 'ms',
      target: { cmp: '<=', value: 5000 },
      note: `in parts (g_chg1 + g_chg2 …, cbor); connection drops meanwhile: ${events.down}`,
    };
  } finally {
    await reader.close();
    await g.close();
  }

  // a slave with a 200 k-key database attaches to a global node that starts after it
  const port = await freePort();
  const address = `127.0.0.1:${port}`;
  const s = await node('bench-huge-s', { seeds: [address] });
  let g2: AempNode | undefined;
  try {
    for (let i = 0; i < HUGE_N; i++) s.db.set('huge', `worker/Qx3vS3oPUyA#R0JxsSRoSQ${i}`, hugeValue(i));
    let upAt = 0;
    const events = { up: 0, down: 0 };
    s.nodes$.subscribe((e) => {
      if (e.up) {
        events.up++;
        upAt ||= nowNs();
      } else events.down++;
    });
    g2 = await node('bench-huge-g2', { global: true, binds: [address] });
    const global = g2;
    await until(() => global.db.service?.store.size('huge') === HUGE_N, 120_000);
    const ms = (nowNs() - upAt) / 1e6;
    return [
      subscriber,
      {
        name: 'a slave’s 200 k-key database (27 MB) reaches its new master',
        value: ms,
        unit: 'ms',
        target: { cmp: '<=', value: 5000 },
        note: `node-up → all keys in the master's store (g_slave + g_upd parts); connections: ${events.up} up, ${events.down} down`,
      },
    ];
  } finally {
    await s.close();
    await g2?.close();
  }
}

/** A network part for a node without sockets: nobody else is ever up. */
function stubNetwork(): DbNetwork {
  return {
    nodes$: new Subject(),
    addresses: [],
    seedIds: new Map(),
    isUp: () => false,
    upNodes: () => [],
    selfSeed$: new Subject(),
    seedKnown$: new Subject(),
    addLookup: () => new Subscription(),
  };
}

/** A global node alone (no sockets): heap of its merged store per key. */
async function benchHeap(): Promise<Row[]> {
  const r = await rounds(
    () => {
      const before = heapAfterGc();
      const kernel = new Kernel({ id: 'bench/global', uniq: '', runiq: 'R0JxsSRoSQ' });
      const net = stubNetwork();
      const db = new Database(kernel, net, { seeds: [], global: true, monitorTimeout: 30 });
      db.start();
      for (let i = 0; i < HEAP_N; i++)
        kernel.deliverLocal(
          '',
          ['g_upd', 'workers', { [`worker/Qx3vS3oPUyA#R0JxsSRoSQ${i}`]: i }],
          'bench/slave',
        );
      const after = heapAfterGc();
      if (db.service!.store.size('workers') !== HEAP_N) throw new Error('store incomplete');
      const perKey = (after - before) / HEAP_N;
      db.close();
      return perKey;
    },
    { warmup: 1, rounds: 3 },
  );
  return [
    {
      name: 'heap per key on a global node',
      ...r,
      unit: 'B',
      note: `${HEAP_N} keys of ~30 chars (counted), small-integer values, one owner`,
    },
  ];
}

const SET_N = 20_000;
/** A value of the size a worker registry might hold: a dozen keys, a nested object, a list. */
const objectValue = (i: number) => ({
  id: i,
  host: 'worker-17.example.org',
  pid: 31337,
  tags: ['cpu', 'gpu', 'eu-west'],
  load: { cpu: i % 100, mem: 1234567, disk: 0.25 },
  started: '2026-12-03T07:00:00Z',
  version: '1.2.3',
  ok: true,
});

/**
 * The set path without sockets: a global node sets an object value and its
 * own `db.mon` sees it (local entry → `g_upd` to itself → merged store →
 * `g_chg2` to itself → the watcher's delta). Every set changes the value.
 */
export async function benchSetPath(): Promise<Row[]> {
  const r = await rounds(
    async () => {
      const kernel = new Kernel({ id: 'bench/set', uniq: '', runiq: 'R0JxsSRoSQ' });
      const net = stubNetwork();
      const db = new Database(kernel, net, { seeds: [], global: true, monitorTimeout: 30 });
      db.start();
      let seen = 0;
      const sub = db.mon('workers').subscribe(() => seen++);
      const values = Array.from({ length: SET_N }, (_, i) => objectValue(i));
      const t0 = nowNs();
      for (let i = 0; i < SET_N; i++) db.set('workers', 'w', values[i]);
      await until(() => seen >= SET_N + 1);
      const us = (nowNs() - t0) / 1000 / SET_N;
      sub.unsubscribe();
      db.close();
      return us;
    },
    { warmup: 1, rounds: 5 },
  );
  return [
    {
      name: 'db.set of an object value → db.mon on the same global node',
      ...r,
      unit: 'µs',
      note: `${SET_N} sets of a changing 8-key nested object, no sockets (local entry, store, watcher)`,
    },
  ];
}

/** Every database benchmark. */
export async function benchDb(): Promise<Row[]> {
  return [
    ...(await benchLatency()),
    ...(await benchBigFamily()),
    ...(await benchHugeFamily()),
    ...(await benchHeap()),
    ...(await benchSetPath()),
  ];
}
