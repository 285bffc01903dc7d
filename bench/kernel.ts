/**
 * Local kernel benchmarks: `snd` throughput to a catch-all port and to a tag
 * port, a self-send chain through the trampoline queue, and heap bytes per
 * idle port. Rows marked "(breakdown)" are there to explain the headline
 * rows (what the kernel adds on top of a bare call, what a port is made of).
 *
 * Honesty rules kept here:
 * - handlers *use* the message (read the payload, keep the last one), so V8
 *   cannot scalar-replace the message array away — a handler that ignores
 *   its message measures ~1.5–2× faster and says nothing about real use;
 * - before any timing, the kernel's call sites are made polymorphic (several
 *   handlers, catch-all and tag ports, a self-send), as in a real program,
 *   so a row's figure does not depend on which bench ran first;
 * - fixed work sizes, warm-up rounds, median of the timed rounds.
 * @module
 */
import { Kernel } from '../src/kernel/node.js';
import { NameCounter } from '../src/kernel/names.js';
import { Port } from '../src/kernel/port.js';
import type { Message } from '../src/kernel/message.js';
import { heapAfterGc, nowNs, perSecond, rounds, type Row } from './rows.js';

/** A node id of realistic length (AnyEvent::MP's are `host/…` or `anon/<random>`). */
const NODE_ID = 'bench/Qx3vS3oPUyA';
const identity = () => ({ id: NODE_ID, uniq: '', runiq: 'R0JxsSRoSQ' });

/** Messages per timed round of the outside-a-handler `snd` loops. */
const SND_N = 2_000_000;
/** Length of the self-send chain (one round). */
const CHAIN_N = 1_000_000;
/** Ports per heap round. */
const HEAP_N = 100_000;

const SND_TARGET = { cmp: '>=', value: 10e6 } as const;
const HEAP_TARGET = { cmp: '<=', value: 300 } as const;

// Sinks that keep results observable, so no work can be optimised away.
let sum = 0;
let last: unknown;
let count = 0;

/** Makes the kernel's internal call sites polymorphic, as in a real program. */
async function polymorph(k: Kernel): Promise<void> {
  const handlers: Array<(m: Message) => void> = [
    (m) => void (sum += m.length),
    (m) => void (last = m),
    (m) => void (count += (m[1] as number) & 1),
    (m) => void (last = m[0]),
    (m) => void (sum -= m.length),
  ];
  for (const h of handlers) {
    const all = k.port(h);
    const tagged = k.port().rcv('x', h).rcv('y', h);
    for (let i = 0; i < 20_000; i++) {
      k.snd(all.id, 'x', i);
      k.snd(tagged.id, i & 1 ? 'x' : 'y', i);
    }
    k.kil(all.id);
    k.kil(tagged.id);
  }
  await chain(k, 50_000);
}

/** Runs a self-send chain of `n` messages on a fresh port; resolves when the last one was handled. */
function chain(k: Kernel, n: number): Promise<void> {
  return new Promise<void>((resolve) => {
    let c = 0;
    const p = k.port((m, self) => {
      sum += m[1] as number;
      if (++c < n) k.snd(self.id, 'n', c);
      else {
        k.kil(self.id);
        resolve();
      }
    });
    k.snd(p.id, 'n', 0);
  });
}

/** One timed round of `n` sends from outside any handler; returns msg/s. */
function sndRound(k: Kernel, id: string, n: number): number {
  const before = count;
  const t0 = nowNs();
  for (let i = 0; i < n; i++) k.snd(id, 'tag', i);
  const t1 = nowNs();
  if (count - before !== n) throw new Error(`delivered ${count - before} of ${n} messages`);
  return perSecond(n, t1 - t0);
}

async function throughputRows(): Promise<Row[]> {
  const k = new Kernel(identity());
  await polymorph(k);
  const rows: Row[] = [];

  const all = k.port((m) => {
    sum += m[1] as number;
    last = m;
    count++;
  });
  rows.push({
    name: 'kernel: local snd → catch-all port',
    ...(await rounds(() => sndRound(k, all.id, SND_N))),
    unit: 'msg/s',
    target: SND_TARGET,
    note: `k.snd(id, 'tag', i) ×${SND_N / 1e6} M from outside a handler; Perl ~0.29 M`,
  });

  const tagged = k.port().rcv('tag', (m) => {
    sum += m[0] as number;
    last = m;
    count++;
  });
  rows.push({
    name: 'kernel: local snd → tag port',
    ...(await rounds(() => sndRound(k, tagged.id, SND_N))),
    unit: 'msg/s',
    target: SND_TARGET,
    note: `p.rcv('tag', h); handler gets msg.slice(1)`,
  });

  rows.push({
    name: 'kernel: self-send chain',
    ...(await rounds(
      async () => {
        const t0 = nowNs();
        await chain(k, CHAIN_N);
        return perSecond(CHAIN_N, nowNs() - t0);
      },
      { warmup: 3, rounds: 7 },
    )),
    unit: 'msg/s',
    target: SND_TARGET,
    note: `handler snd's to itself, N = ${CHAIN_N / 1e6} M (trampoline queue + setImmediate every 10 k)`,
  });

  // ---- breakdown: what the kernel adds -------------------------------------
  const fixed: Message = ['tag', 1];
  rows.push({
    name: '  (breakdown) sndMessage, same array',
    ...(await rounds(() => {
      const before = count;
      const t0 = nowNs();
      for (let i = 0; i < SND_N; i++) k.sndMessage(all.id, fixed);
      const t1 = nowNs();
      if (count - before !== SND_N) throw new Error('lost messages');
      return perSecond(SND_N, t1 - t0);
    })),
    unit: 'msg/s',
    note: 'routing + queue + dispatch only: no message allocation',
  });
  const h = (m: Message, _p: Port) => {
    sum += m[1] as number;
    last = m;
    count++;
  };
  rows.push({
    name: '  (breakdown) bare handler call',
    ...(await rounds(() => {
      const t0 = nowNs();
      for (let i = 0; i < SND_N; i++) h(['tag', i], all);
      return perSecond(SND_N, nowNs() - t0);
    })),
    unit: 'msg/s',
    note: "h(['tag', i], port): the floor (array + call), no kernel",
  });

  await k.close();
  return rows;
}

/**
 * Bytes per item that `make` adds to the heap, `HEAP_N` items, median of
 * rounds. `prepare` runs before the baseline: what it makes (say, the array
 * that holds the items, or the ids they point to) is not counted.
 */
async function heapPer<P>(prepare: (n: number) => P, make: (n: number, p: P) => unknown) {
  return rounds(
    () => {
      let p: P | undefined = prepare(HEAP_N);
      const base = heapAfterGc();
      let kept: unknown = make(HEAP_N, p);
      const bytes = (heapAfterGc() - base) / HEAP_N;
      if (kept === undefined || p === undefined) throw new Error('nothing kept');
      kept = p = undefined;
      return bytes;
    },
    { warmup: 1, rounds: 5 },
  );
}

/** An array of `n` small ints: slots to fill with objects without growing it. */
function slots(n: number): unknown[] {
  const a: unknown[] = [];
  for (let i = 0; i < n; i++) a.push(0);
  return a;
}

/** Port-id-like strings for the rows that need ids to exist already (their form does not matter there). */
function makeIds(n: number): string[] {
  const names = new NameCounter();
  const ids: string[] = [];
  for (let i = 0; i < n; i++) ids.push(NODE_ID + '#' + '' + names.next());
  return ids;
}

async function heapRows(): Promise<Row[]> {
  const rows: Row[] = [];
  const none = () => 0;

  rows.push({
    name: 'kernel: heap per idle port, own closure',
    ...(await heapPer(none, (n) => {
      const k = new Kernel(identity());
      for (let i = 0; i < n; i++) k.port((m) => void (sum += i + m.length));
      if (k.portCount !== n + 1) throw new Error('ports missing');
      return k;
    })),
    unit: 'B/port',
    target: HEAP_TARGET,
    note: `${HEAP_N / 1e3} k ports, each k.port(closure over its own i); id + table entry included; Perl ~800 B`,
  });

  const shared = (m: Message) => void (sum += m.length);
  rows.push({
    name: '  (breakdown) idle port, shared handler',
    ...(await heapPer(none, (n) => {
      const k = new Kernel(identity());
      for (let i = 0; i < n; i++) k.port(shared);
      return k;
    })),
    unit: 'B/port',
    note: 'same, one handler for all ports',
  });

  // The parts of one port, each measured alone (holding array and pointees not counted).
  rows.push({
    name: '  (breakdown) = id string',
    ...(await heapPer(slots, (n, a) => {
      // ids made by a real kernel; the kernel and its ports are garbage by the time we measure
      const k = new Kernel(identity());
      for (let i = 0; i < n; i++) a[i] = k.port(shared).id;
      return a;
    })),
    unit: 'B/port',
    note: `the ids Kernel.port makes ('${NODE_ID}#' + uniq + name), kept alone`,
  });
  rows.push({
    name: '  (breakdown) + Port object',
    ...(await heapPer(
      (n) => ({ a: slots(n), ids: makeIds(n), k: new Kernel(identity()) }),
      (n, { a, ids, k }) => {
        for (let i = 0; i < n; i++) a[i] = new Port(ids[i]!, k, shared);
        return a;
      },
    )),
    unit: 'B/port',
    note: 'new Port(id, host, handler): 2 public + 6 private fields',
  });
  rows.push({
    name: '  (breakdown) + ports Map entry',
    ...(await heapPer(makeIds, (n, ids) => {
      const m = new Map<string, unknown>();
      for (let i = 0; i < n; i++) m.set(ids[i]!, m);
      return m;
    })),
    unit: 'B/port',
    note: `Map.set(id, …) ×${HEAP_N / 1e3} k; includes the Map's growth slack`,
  });
  rows.push({
    name: '  (breakdown) + own closure',
    ...(await heapPer(slots, (n, a) => {
      for (let i = 0; i < n; i++) a[i] = (m: Message) => void (sum += i + m.length);
      return a;
    })),
    unit: 'B/port',
    note: 'the per-port handler: JSFunction + its context (captures i)',
  });

  return rows;
}

/** All kernel rows. */
export async function benchKernel(): Promise<Row[]> {
  const rows = await throughputRows();
  rows.push(...(await heapRows()));
  void last; // keep the sinks alive
  return rows;
}
