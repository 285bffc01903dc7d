/**
 * Remote benchmarks: aemp between two processes on 127.0.0.1, next to raw
 * baselines between the very same two processes.
 *
 * The parent (this bench) runs two aemp nodes, one per framing; the child
 * (`bench/remote-peer.ts`, started with `node --import tsx`) runs the two
 * matching nodes and a plain `net` server for the baselines. Measured:
 *
 * - one-way throughput of `["<port>","tag",i]` messages parent → child, per
 *   framing: `node.snd(sink, 'tag', i)` ×N with `await node.drained(peer)`
 *   every {@link FLOW} messages; the child counts and reports when the N-th
 *   arrived. The figure is N over the parent's clock from the first `snd`
 *   to the arrival of that report (so nothing still in flight is counted as
 *   sent); the child's own first-to-last figure is in the note;
 * - the same without flow control (one synchronous loop of N `snd`s): its
 *   throughput and the memory that piles up before the first byte leaves;
 * - raw baselines: the same frames pre-encoded (cbor-x `encode`, JSON lines),
 *   written {@link FLOW} frames per socket write with `'drain'` waits, decoded
 *   by plain cbor-x `decodeMultiple` / `JSON.parse` per line;
 * - ping-pong round-trip latency: a snd/rcv ping to the child's echo port
 *   (both framings), `cal` (cbor), and a plain JSON-lines ping-pong with the
 *   same payload.
 *
 * Honesty rules kept here: the child is one process serving every bench;
 * rounds of the compared benches are interleaved (raw, aemp, raw, aemp …) so
 * load from other processes hits all of them alike, and ratios are taken per
 * pair of rounds; warm-up rounds first; every message is used (the receiver
 * sums the counters and the parent checks the sum); nodelay on every socket
 * (aemp's default).
 *
 * Run alone: `npx tsx bench/remote.ts`. `AEMP_BENCH_REMOTE_N` overrides N;
 * `AEMP_BENCH_PEER_ARGS` adds node flags to the child (e.g. `--cpu-prof`).
 * @module
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { connect, type Socket } from 'node:net';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { Encoder } from 'cbor-x';
import { firstValueFrom } from 'rxjs';
import { createNode, type AempNode } from '../src/index.js';
import { fullGc, median, nowNs, perSecond, summarize, type Row, type Spread } from './rows.js';
import { renderTable } from './table.js';

/** Messages per throughput round. */
const N = Number(process.env.AEMP_BENCH_REMOTE_N) || 1_000_000;
/** Messages between two `drained()` waits (and frames per raw socket write). */
const FLOW = 10_000;
/** Untimed and timed throughput rounds. */
const WARMUP = 1;
const ROUNDS = 5;
/** Round trips per ping-pong kind: timed (in blocks, interleaved) and warm-up. */
const RTT_N = 20_000;
const RTT_BLOCKS = 4;
const RTT_WARMUP = 2_000;
/** `cal` round trips (timed, in the same blocks). */
const CAL_N = 8_000;

const SECRET = 'aemp-bench-remote';
const PEER = fileURLToPath(new URL('./remote-peer.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('..', import.meta.url));

const PERL_TPUT = 'Perl 51–57 k (autocork 322–378 k), Erlang dist 190–264 k';

// ---- the child -------------------------------------------------------------------

interface PeerNodeInfo {
  id: string;
  addresses: string[];
  sink: string;
  echo: string;
}
interface Peer {
  cbor: PeerNodeInfo;
  json: PeerNodeInfo;
  rawPort: number;
  proc: ChildProcess;
  stop(): Promise<void>;
}

function startPeer(prefix: string): Promise<Peer> {
  const extra = (process.env.AEMP_BENCH_PEER_ARGS ?? '').split(' ').filter(Boolean);
  const proc = spawn(process.execPath, [...extra, '--import', 'tsx', PEER, JSON.stringify({ secret: SECRET, prefix })], {
    cwd: ROOT,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let err = '';
  proc.stderr!.setEncoding('utf8').on('data', (d: string) => (err += d));
  const exited = new Promise<void>((r) => proc.once('exit', () => r()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      proc.kill('SIGKILL');
      reject(new Error(`bench peer did not start within 30 s: ${err}`));
    }, 30_000);
    proc.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`bench peer exited early (${code}): ${err}`));
    });
    createInterface({ input: proc.stdout! }).on('line', (line) => {
      if (!line.startsWith('READY ')) return;
      clearTimeout(timer);
      resolve({
        ...(JSON.parse(line.slice(6)) as Omit<Peer, 'proc' | 'stop'>),
        proc,
        stop: async () => {
          proc.stdin!.end();
          const t = setTimeout(() => proc.kill('SIGKILL'), 5000);
          await exited;
          clearTimeout(t);
        },
      });
    });
  });
}

// ---- aemp side -------------------------------------------------------------------

interface Side {
  framing: 'cbor' | 'json';
  node: AempNode;
  peer: PeerNodeInfo;
  /** Resolves with the child's next `'done', rxNs, sum, count`. */
  nextDone(): Promise<[rxNs: number, sum: number, count: number]>;
  /** Id of the port receiving the `'done'` reports. */
  ctl: string;
}

async function makeSide(prefix: string, framing: 'cbor' | 'json', peer: PeerNodeInfo): Promise<Side> {
  const node = await createNode({
    nodeid: `${prefix}-${framing}`,
    binds: [],
    secret: SECRET,
    framingFormat: [framing],
    addresses: { [peer.id]: peer.addresses },
    norc: true,
    stderrLog: false,
  });
  let waiter: ((d: [number, number, number]) => void) | undefined;
  const ctl = node.port().rcv('done', ([rxNs, sum, count]) => {
    const w = waiter;
    waiter = undefined;
    w?.([rxNs as number, sum as number, count as number]);
  });
  return {
    framing,
    node,
    peer,
    ctl: ctl.id,
    nextDone: () => new Promise((r) => (waiter = r)),
  };
}

const expectedSum = (n: number): number => (n * (n - 1)) / 2;

interface Tput {
  /** msg/s over the parent's clock (first send → report of the N-th arrival). */
  e2e: number;
  /** msg/s over the receiver's clock (first to N-th arrival). */
  rx: number;
}

/** One round of N `snd`s; `flow` = await `drained` every {@link FLOW}. */
async function aempRound(s: Side, flow: boolean, memory?: number[]): Promise<Tput> {
  const { node, peer } = s;
  const done = s.nextDone();
  node.snd(peer.sink, 'arm', N, s.ctl);
  await node.drained(peer.id);
  if (memory) fullGc();
  const before = memory ? memUsed() : 0; // heap + ArrayBuffers (the encoder's buffers)
  const t0 = nowNs();
  if (flow) {
    for (let i = 0; i < N; ) {
      node.snd(peer.sink, 'tag', i);
      if (++i % FLOW === 0) await node.drained(peer.id);
    }
  } else {
    for (let i = 0; i < N; i++) node.snd(peer.sink, 'tag', i);
    if (memory) {
      fullGc(); // only what is still referenced: everything is queued now, nothing has left yet
      memory.push(memUsed() - before);
    }
  }
  const [rxNs, sum, count] = await done;
  const t1 = nowNs();
  if (memory) {
    await node.drained(peer.id);
    fullGc();
    memory.push(memUsed() - before); // still held once everything has left
  }
  if (count !== N || sum !== expectedSum(N)) throw new Error(`${s.framing}: child got ${count} messages, sum ${sum}`);
  return { e2e: perSecond(N, t1 - t0), rx: perSecond(N, rxNs) };
}

/** `[held before the first write, still held after it drained]` in MiB, as text. */
function mib([peak, after]: number[]): string {
  const m = (b: number) => (b / 2 ** 20).toFixed(0);
  return `heap + buffers after GC: +${m(peak!)} MiB at the end of the loop (nothing sent yet), +${m(after!)} MiB once all left`;
}

function memUsed(): number {
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

// ---- raw side --------------------------------------------------------------------

/** A socket to the child's raw server plus a reader of `\n`-terminated reply lines. */
async function rawSocket(port: number, head: Buffer): Promise<{ socket: Socket; nextLine(): Promise<string> }> {
  const socket = await rawConnect(port, head);
  let text = '';
  const waiters: ((line: string) => void)[] = [];
  socket.setEncoding('utf8').on('data', (d: string) => {
    text += d;
    for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n')) {
      const line = text.slice(0, nl);
      text = text.slice(nl + 1);
      waiters.shift()?.(line);
    }
  });
  return { socket, nextLine: () => new Promise((r) => waiters.push(r)) };
}

async function rawConnect(port: number, head: Buffer): Promise<Socket> {
  const socket = connect(port, '127.0.0.1');
  socket.setNoDelay(true);
  await once(socket, 'connect');
  socket.write(head);
  return socket;
}

function sinkHead(mode: 'C' | 'J', n: number): Buffer {
  const b = Buffer.alloc(5);
  b.write(mode, 0, 'latin1');
  b.writeUInt32BE(n, 1);
  return b;
}

/** The N frames pre-encoded, {@link FLOW} per chunk (one socket write each). */
function preEncode(port: string, encode: (frame: unknown[]) => Uint8Array | string): Buffer[] {
  const chunks: Buffer[] = [];
  for (let from = 0; from < N; from += FLOW) {
    const parts: (Uint8Array | string)[] = [];
    for (let i = from; i < Math.min(N, from + FLOW); i++) parts.push(encode([port, 'tag', i]));
    chunks.push(typeof parts[0] === 'string' ? Buffer.from(parts.join(''), 'utf8') : Buffer.concat(parts as Uint8Array[]));
  }
  return chunks;
}

async function rawRound(raw: Awaited<ReturnType<typeof rawSocket>>, chunks: readonly Buffer[]): Promise<Tput> {
  const reply = raw.nextLine();
  const t0 = nowNs();
  for (const c of chunks) if (!raw.socket.write(c)) await once(raw.socket, 'drain');
  const line = await reply;
  const t1 = nowNs();
  const [rxNs, sum] = line.split(' ').map(Number) as [number, number];
  if (sum !== expectedSum(N)) throw new Error(`raw: child summed ${sum}`);
  return { e2e: perSecond(N, t1 - t0), rx: perSecond(N, rxNs) };
}

// ---- ping-pong -------------------------------------------------------------------

/** `n` sequential snd/rcv pings to the echo port; round-trip times in ns. */
function aempPingPong(s: Side, n: number): Promise<number[]> {
  const { node, peer } = s;
  return new Promise((resolve, reject) => {
    const samples: number[] = [];
    let t0 = 0;
    const pong = node.port().rcv('pong', ([j]) => {
      samples.push(nowNs() - t0);
      if (j !== samples.length - 1) reject(new Error(`pong ${String(j)} out of order`));
      if (samples.length === n) {
        node.kil(pong.id);
        resolve(samples);
        return;
      }
      t0 = nowNs();
      node.snd(peer.echo, 'ping', samples.length, pong.id);
    });
    t0 = nowNs();
    node.snd(peer.echo, 'ping', 0, pong.id);
  });
}

/** `n` sequential `cal`s (with a timeout, so no remote monitor per call). */
async function aempCal(s: Side, n: number): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = nowNs();
    const reply = await firstValueFrom(s.node.cal(s.peer.echo, 'ping', i, { timeout: 10 }));
    samples.push(nowNs() - t0);
    if (reply[1] !== i) throw new Error('cal: wrong reply');
  }
  return samples;
}

/** `n` sequential JSON-lines pings with the same payload as aemp's json frames. */
function rawPingPong(socket: Socket, echoName: string, replyId: string, n: number): Promise<number[]> {
  return new Promise((resolve, reject) => {
    const samples: number[] = [];
    let tail = '';
    let t0 = 0;
    const onData = (d: string): void => {
      const s = tail + d;
      let from = 0;
      for (let nl = s.indexOf('\n'); nl >= 0; nl = s.indexOf('\n', from)) {
        const m = JSON.parse(s.slice(from, nl)) as unknown[];
        from = nl + 1;
        samples.push(nowNs() - t0);
        if (m[2] !== samples.length - 1) reject(new Error('raw pong out of order'));
        if (samples.length === n) {
          socket.off('data', onData);
          resolve(samples);
          return;
        }
        t0 = nowNs();
        socket.write(JSON.stringify([echoName, 'ping', samples.length, replyId]) + '\n');
      }
      tail = s.slice(from);
    };
    socket.setEncoding('utf8').on('data', onData);
    t0 = nowNs();
    socket.write(JSON.stringify([echoName, 'ping', 0, replyId]) + '\n');
  });
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))]!;
}

// ---- rows ------------------------------------------------------------------------

const pctSpread = (s: Spread): Spread => ({ min: s.min * 100, max: s.max * 100, rounds: s.rounds });

/** Every remote row. */
export async function benchRemote(): Promise<Row[]> {
  const prefix = `bench-${process.pid}`;
  const peer = await startPeer(prefix);
  const sides: Side[] = [];
  const sockets: Socket[] = [];
  try {
    const cbor = await makeSide(prefix, 'cbor', peer.cbor);
    sides.push(cbor);
    const json = await makeSide(prefix, 'json', peer.json);
    sides.push(json);
    const portName = (id: string) => id.slice(id.indexOf('#') + 1);

    // connect both links, warm up the ping paths
    for (const s of sides) await aempPingPong(s, RTT_WARMUP);
    await aempCal(cbor, RTT_WARMUP / 4);
    const ping = { socket: await rawConnect(peer.rawPort, Buffer.from('P')) };
    sockets.push(ping.socket);
    const echoName = portName(cbor.peer.echo);
    await rawPingPong(ping.socket, echoName, cbor.ctl, RTT_WARMUP);

    // ---- ping-pong, interleaved blocks --------------------------------------
    const rtt = { raw: [] as number[][], cbor: [] as number[][], json: [] as number[][], cal: [] as number[][] };
    for (let b = 0; b < RTT_BLOCKS; b++) {
      rtt.raw.push(await rawPingPong(ping.socket, echoName, cbor.ctl, RTT_N / RTT_BLOCKS));
      rtt.cbor.push(await aempPingPong(cbor, RTT_N / RTT_BLOCKS));
      rtt.json.push(await aempPingPong(json, RTT_N / RTT_BLOCKS));
      rtt.cal.push(await aempCal(cbor, CAL_N / RTT_BLOCKS));
    }

    // ---- throughput, interleaved rounds -------------------------------------
    const cborChunks = preEncode(portName(cbor.peer.sink), (() => {
      const enc = new Encoder({ useRecords: false });
      return (f: unknown[]) => enc.encode(f);
    })());
    const jsonChunks = preEncode(portName(json.peer.sink), (f) => JSON.stringify(f) + '\n');
    const rawCbor = await rawSocket(peer.rawPort, sinkHead('C', N));
    const rawJson = await rawSocket(peer.rawPort, sinkHead('J', N));
    sockets.push(rawCbor.socket, rawJson.socket);
    const tp = { rawCbor: [] as Tput[], cbor: [] as Tput[], rawJson: [] as Tput[], json: [] as Tput[] };
    for (let r = 0; r < WARMUP + ROUNDS; r++) {
      const keep = r >= WARMUP;
      const a = await rawRound(rawCbor, cborChunks);
      const b = await aempRound(cbor, true);
      const c = await rawRound(rawJson, jsonChunks);
      const d = await aempRound(json, true);
      if (keep) {
        tp.rawCbor.push(a);
        tp.cbor.push(b);
        tp.rawJson.push(c);
        tp.json.push(d);
      }
    }
    cborChunks.length = jsonChunks.length = 0;

    // ---- without flow control -----------------------------------------------
    // memory first (a round of its own, full GCs around the loop, its time not used): the
    // encoder keeps its largest buffer, so a later burst would reuse what an earlier one grew
    const noFlow = { cbor: [] as Tput[], json: [] as Tput[], cborMem: [] as number[], jsonMem: [] as number[] };
    await aempRound(cbor, false, noFlow.cborMem);
    await aempRound(json, false, noFlow.jsonMem);
    for (let r = 0; r < 3; r++) {
      noFlow.cbor.push(await aempRound(cbor, false));
      noFlow.json.push(await aempRound(json, false));
    }

    // ---- rows ----------------------------------------------------------------
    const e2e = (xs: Tput[]) => summarize(xs.map((x) => x.e2e));
    const rxNote = (xs: Tput[]) => `receiver's clock ${(median(xs.map((x) => x.rx)) / 1e3).toFixed(0)} k`;
    const ratio = (a: Tput[], b: Tput[]) => summarize(a.map((x, i) => x.e2e / b[i]!.e2e));
    const cborRatio = ratio(tp.cbor, tp.rawCbor);
    const jsonRatio = ratio(tp.json, tp.rawJson);
    const rows: Row[] = [
      {
        name: 'remote cbor: snd throughput',
        ...e2e(tp.cbor),
        unit: 'msg/s',
        target: { cmp: '>=', value: 1e6 },
        note: `N = ${N / 1e6} M, drained() every ${FLOW / 1e3} k; ${rxNote(tp.cbor)}; ${PERL_TPUT}`,
      },
      {
        name: 'remote cbor: raw cbor-x baseline',
        ...e2e(tp.rawCbor),
        unit: 'msg/s',
        note: `pre-encoded, ${FLOW / 1e3} k frames per write, decodeMultiple; ${rxNote(tp.rawCbor)}`,
      },
      {
        name: 'remote cbor: share of raw cbor-x',
        value: cborRatio.value * 100,
        spread: pctSpread(cborRatio.spread),
        unit: '%',
        target: { cmp: '>=', value: 60 },
        note: 'aemp / raw, per pair of interleaved rounds',
      },
      {
        name: 'remote json: snd throughput',
        ...e2e(tp.json),
        unit: 'msg/s',
        target: { cmp: '>=', value: 700e3 },
        note: `same; ${rxNote(tp.json)}`,
      },
      {
        name: 'remote json: raw JSON-lines baseline',
        ...e2e(tp.rawJson),
        unit: 'msg/s',
        note: `pre-encoded, ${FLOW / 1e3} k lines per write, JSON.parse per line; ${rxNote(tp.rawJson)}`,
      },
      {
        name: 'remote json: share of raw JSON lines',
        value: jsonRatio.value * 100,
        spread: pctSpread(jsonRatio.spread),
        unit: '%',
        note: 'aemp / raw, per pair of interleaved rounds',
      },
      {
        name: '  (breakdown) cbor snd, no drained()',
        ...e2e(noFlow.cbor),
        unit: 'msg/s',
        note: `one sync loop of ${N / 1e6} M snd; ${mib(noFlow.cborMem)}`,
      },
      {
        name: '  (breakdown) json snd, no drained()',
        ...e2e(noFlow.json),
        unit: 'msg/s',
        note: `same; ${mib(noFlow.jsonMem)}`,
      },
    ];

    const us = (ns: number) => ns / 1e3;
    const rttRows = (key: keyof typeof rtt, label: string, note: string, target?: boolean): Row[] => {
      const blocks = rtt[key];
      const all = blocks.flat().sort((a, b) => a - b);
      const meds = blocks.map((b) => us(median(b)));
      const p99s = blocks.map((b) => us(percentile([...b].sort((x, y) => x - y), 99)));
      const rawMed = median(rtt.raw.flat());
      const out: Row[] = [
        {
          name: `remote ${label}: RTT median`,
          value: us(median(all)),
          spread: { min: Math.min(...meds), max: Math.max(...meds), rounds: blocks.length },
          unit: 'µs',
          note: `${all.length / 1e3} k sequential round trips; ${note}`,
        },
        {
          name: `remote ${label}: RTT p99`,
          value: us(percentile(all, 99)),
          spread: { min: Math.min(...p99s), max: Math.max(...p99s), rounds: blocks.length },
          unit: 'µs',
        },
      ];
      if (key !== 'raw') {
        const r = summarize(blocks.map((b, i) => median(b) / median(rtt.raw[i]!)));
        out.push({
          name: `remote ${label}: RTT median / raw`,
          value: (median(all) / rawMed) * 100,
          spread: pctSpread(r.spread),
          unit: '%',
          target: target ? { cmp: '<=', value: 120 } : undefined,
          note: 'over the raw JSON-lines median; spread: per interleaved block',
        });
      }
      return out;
    };
    rows.push(
      ...rttRows('raw', 'raw JSON lines', 'plain net socket, JSON.parse/stringify per line; Perl AEMP ~90–100 µs'),
      ...rttRows('cbor', 'cbor', "snd 'ping' → echo port → snd 'pong'", true),
      ...rttRows('json', 'json', 'same', true),
      ...rttRows('cal', 'cbor cal', 'cal(echo, …, { timeout }): reply port + timer per call'),
    );
    return rows;
  } finally {
    for (const s of sockets) s.destroy();
    for (const s of sides) await s.node.close();
    await peer.stop();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const t0 = performance.now();
  console.log(renderTable(await benchRemote()));
  console.log(`(${((performance.now() - t0) / 1000).toFixed(1)} s)`);
}
