/**
 * The far side of `bench/remote.ts`: a child process (`node --import tsx
 * bench/remote-peer.ts '<json options>'`) that serves every remote bench
 * from one and the same process, so aemp and the raw baselines meet the
 * same kind of receiver.
 *
 * It runs
 * - two aemp nodes, one per framing (`framingFormat: ['cbor']` and
 *   `['json']`), each with
 *   - a sink port: `'arm', n, replyId` starts a round; every `'tag', i`
 *     adds `i` to a sum; on the n-th it sends `'done', rxNs, sum, count` to
 *     `replyId` (`rxNs`: the receiver's clock from the first to the n-th
 *     message of the round);
 *   - an echo port: `[tag, i, …, replyId]` is answered at once with
 *     `'pong', i` to `replyId` (what `cal` and a snd/rcv ping expect);
 * - a plain `net` server for the raw baselines. A connection opens with one
 *   mode byte:
 *   - `C` + uint32 n: a stream of concatenated CBOR frames, decoded with
 *     cbor-x `decodeMultiple` (the split frame at a chunk end is kept and
 *     glued to the next chunk); after every n frames it writes the line
 *     `<rxNs> <sum>\n`;
 *   - `J` + uint32 n: the same with JSON lines (`JSON.parse` per line);
 *   - `P`: JSON-lines ping-pong, `[port,"ping",i,reply]` → `[reply,"pong",i]`.
 *
 * Prints one line `READY <json>` (node ids, addresses, port ids, raw port),
 * then runs until its stdin closes.
 * @module
 */
import { createServer, type Socket } from 'node:net';
import { StringDecoder } from 'node:string_decoder';
import { Decoder } from 'cbor-x';
import { createNode, type AempNode } from '../src/index.js';

interface PeerOptions {
  /** The shared secret of the bench nodes. */
  secret: string;
  /** Node id prefix (made unique per run by the parent). */
  prefix: string;
}

const options = JSON.parse(process.argv[2] ?? '{}') as PeerOptions;
const now = (): number => Number(process.hrtime.bigint());

// ---- aemp nodes ----------------------------------------------------------------

async function peerNode(framing: 'cbor' | 'json') {
  const node: AempNode = await createNode({
    nodeid: `${options.prefix}-peer-${framing}`,
    binds: ['127.0.0.1:0'],
    secret: options.secret,
    framingFormat: [framing],
    norc: true,
    stderrLog: false,
  });
  let target = 0;
  let count = 0;
  let sum = 0;
  let t0 = 0;
  let reply = '';
  const sink = node
    .port()
    .rcv('arm', ([n, to]) => {
      target = n as number;
      reply = to as string;
      count = 0;
      sum = 0;
    })
    .rcv('tag', ([i]) => {
      if (count === 0) t0 = now();
      sum += i as number;
      if (++count === target) node.snd(reply, 'done', now() - t0, sum, count);
    });
  const echo = node.port((msg) => {
    const to = msg[msg.length - 1];
    if (typeof to === 'string') node.snd(to, 'pong', msg[1]);
  });
  return { node, info: { id: node.id, addresses: node.addresses, sink: sink.id, echo: echo.id } };
}

const cbor = await peerNode('cbor');
const json = await peerNode('json');

// ---- raw baselines -------------------------------------------------------------

/** Counts frames of one round; writes `<rxNs> <sum>\n` back after every `n`. */
function counter(socket: Socket, n: number) {
  let count = 0;
  let sum = 0;
  let t0 = 0;
  return (frame: unknown): void => {
    if (count === 0) t0 = now();
    sum += (frame as unknown[])[2] as number;
    if (++count === n) {
      socket.write(`${now() - t0} ${sum}\n`);
      count = 0;
      sum = 0;
    }
  };
}

/** Plain cbor-x: decodeMultiple over each chunk, the split tail glued to the next chunk. */
function cborSink(socket: Socket, n: number, first: Buffer): void {
  const decoder = new Decoder({ useRecords: false });
  const use = counter(socket, n);
  let tail: Buffer | undefined;
  const onData = (chunk: Buffer): void => {
    const buf = tail === undefined ? chunk : Buffer.concat([tail, chunk]);
    tail = undefined;
    try {
      decoder.decodeMultiple(buf, use);
    } catch (e) {
      const err = e as { incomplete?: boolean; lastPosition?: number };
      if (!err.incomplete) throw e;
      tail = Buffer.from(buf.subarray(err.lastPosition ?? 0));
    }
  };
  if (first.length) onData(first);
  socket.on('data', onData);
}

/** Plain JSON lines: decode the chunk to text, split on `\n`, JSON.parse each line. */
function jsonSink(socket: Socket, n: number, first: Buffer): void {
  const text = new StringDecoder('utf8');
  const use = counter(socket, n);
  let tail = '';
  const onData = (chunk: Buffer): void => {
    const s = tail + text.write(chunk);
    let from = 0;
    for (let nl = s.indexOf('\n'); nl >= 0; nl = s.indexOf('\n', from)) {
      use(JSON.parse(s.slice(from, nl)));
      from = nl + 1;
    }
    tail = s.slice(from);
  };
  if (first.length) onData(first);
  socket.on('data', onData);
}

/** Plain JSON-lines ping-pong: every `[port,"ping",i,reply]` line is answered at once. */
function pingPong(socket: Socket, first: Buffer): void {
  const text = new StringDecoder('utf8');
  let tail = '';
  const onData = (chunk: Buffer): void => {
    const s = tail + text.write(chunk);
    let from = 0;
    let out = '';
    for (let nl = s.indexOf('\n'); nl >= 0; nl = s.indexOf('\n', from)) {
      const m = JSON.parse(s.slice(from, nl)) as unknown[];
      out += JSON.stringify([m[3], 'pong', m[2]]) + '\n';
      from = nl + 1;
    }
    tail = s.slice(from);
    if (out) socket.write(out);
  };
  if (first.length) onData(first);
  socket.on('data', onData);
}

const server = createServer((socket) => {
  socket.setNoDelay(true);
  let head = Buffer.alloc(0);
  const onHead = (chunk: Buffer): void => {
    head = Buffer.concat([head, chunk]);
    const mode = String.fromCharCode(head[0]!);
    const need = mode === 'P' ? 1 : 5;
    if (head.length < need) return;
    socket.off('data', onHead);
    const rest = head.subarray(need);
    if (mode === 'C') cborSink(socket, head.readUInt32BE(1), rest);
    else if (mode === 'J') jsonSink(socket, head.readUInt32BE(1), rest);
    else if (mode === 'P') pingPong(socket, rest);
    else socket.destroy();
  };
  socket.on('data', onHead);
  socket.on('error', () => socket.destroy());
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const rawPort = (server.address() as { port: number }).port;

process.stdout.write('READY ' + JSON.stringify({ cbor: cbor.info, json: json.info, rawPort }) + '\n');

process.stdin.resume();
process.stdin.on('end', () => {
  server.close();
  void Promise.all([cbor.node.close(), json.node.close()]).then(() => process.exit(0));
});
