/**
 * Replays the Perl client's side of the captured sessions
 * (vectors/json.json and cbor.json, connector → acceptor) against a node of
 * ours set up like the Perl seed of the capture, and checks that our node
 * answers with the frames the Perl seed sent — same tags, same shapes, same
 * values, same order — except where we differ on purpose (eval is refused).
 * The replay is paced like the capture: before each TCP chunk the Perl client
 * sent, we wait until our seed has answered as many frames as the Perl seed
 * had by then (the relay log records both directions).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { firstValueFrom } from 'rxjs';
import { createNode, type AempNode } from '../../src/index.js';
import { connect, type Connection } from '../../src/streams/index.js';
import { onFrames } from '../helpers/net.js';
import { loadConnectionVector, loadRelayLog } from '../helpers/vectors.js';

/** Our seed's port name in place of the Perl seed's, everywhere in a frame. */
function mapNames(v: unknown, from: string, to: string): unknown {
  if (typeof v === 'string') return v.split(from).join(to);
  if (Array.isArray(v)) return v.map((x) => mapNames(x, from, to));
  if (v && typeof v === 'object')
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [mapNames(k, from, to) as string, mapNames(x, from, to)]));
  return v;
}

/** Waits (bounded: 5 s) until `cond` holds. */
async function until(cond: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !cond(); i++) await new Promise((r) => setTimeout(r, 10));
}

/** What may differ between two correct seeds: addresses, clock values, hash order of key/value lists. */
function normalise(f: unknown[]): unknown[] {
  if (f[0] === '' && f[1] === 'g_found') return [f[0], f[1], f[2], 'ADDRS'];
  if (f[1] === 'time_reply') return [f[0], f[1], typeof f[2]];
  if (f[0] === '' && f[1] === 'g_reply' && Array.isArray(f[3])) return [...f.slice(0, 3), [...(f[3] as string[])].sort()];
  return f;
}

for (const name of ['json', 'cbor'] as const) {
  const vector = loadConnectionVector(name);
  const c2s = vector.connector.frames.map((f) => f.decoded as unknown[]);
  const s2c = vector.acceptor.frames.map((f) => f.decoded as unknown[]);
  const SEED = vector.acceptor.parsed_greeting1.node;
  const CLIENT = vector.connector.parsed_greeting1.node;
  const SEED_PORT = c2s.find((f) => f[1] === 'hello')?.[0] as string; // the Perl seed's test port
  const slaveDb = c2s.find((f) => f[1] === 'g_slave' && f.length === 3)?.[2] as Record<string, Record<string, unknown>>;
  const clientPort = Object.keys(slaveDb.aemp_ref ?? {})[0] as string;

  describe(`replaying the Perl client session of vectors/${name}.json against our seed`, () => {
    let seed: AempNode;
    let conn: Connection;
    let ourPort = '';
    const received: unknown[][] = [];

    beforeAll(async () => {
      seed = await createNode({ nodeid: SEED, binds: ['127.0.0.1:0'], secret: 's3cret', norc: true, stderrLog: false, framingFormat: [name] });
      // the Perl seed's test setup: a port answering hello/add/shutdown, registered in family aemp_ref, and the victim
      const port = seed.port().rcv('hello', () => {}).rcv('shutdown', () => {});
      port.rcv('add', (args) => {
        const reply = args[args.length - 1] as string;
        seed.snd(reply, (args.slice(0, -1) as number[]).reduce((a, b) => a + b, 0));
      });
      ourPort = port.id.slice(port.id.indexOf('#') + 1);
      seed.db.reg('aemp_ref', port.id, 'seed-port');
      seed.register('AEMPRef::Peer::victim', (self, reply, tag) => {
        seed.snd(reply as string, 'spawned', self.id, tag);
        self.rcv('ping', ([to, what]) => seed.snd(to as string, 'pong', self.id, what));
        self.rcv('kilself', (reason) => self.kill(...reason));
        self.rcv('die', () => {
          throw new Error('asked to die\n');
        });
      });

      conn = await connect(seed.addresses[0] as string, { nodeId: CLIENT, secret: 's3cret', framingFormat: [name] });
      onFrames(conn, (f) => received.push(f));
      const isEval = (i: number) => s2c[i]?.[1] === 'eval_reply';
      let c2sBytes = 0;
      let s2cBytes = 0;
      let next = 0;
      for (const entry of loadRelayLog(name)) {
        if (entry.dir === 's2c') s2cBytes += entry.bytes?.length ?? 0;
        if (entry.dir !== 'c2s') continue;
        c2sBytes += entry.bytes?.length ?? 0;
        const answered = vector.acceptor.frames.filter((f, i) => f.offset + f.length <= s2cBytes && !isEval(i)).length;
        await until(() => received.length >= answered);
        while (next < c2s.length) {
          const f = vector.connector.frames[next]!;
          if (f.offset + f.length > c2sBytes) break;
          conn.next(mapNames(c2s[next++], SEED_PORT, ourPort) as unknown[]);
        }
        // one TCP chunk of the capture = one read on the seed: let it leave and be read before the next one
        await conn.drained();
        await new Promise((r) => setTimeout(r, 1));
      }
      await until(() => received.length >= s2c.length - 1); // all but the eval reply, which we never send
    });

    afterAll(async () => {
      conn?.complete();
      await seed?.close();
    });

    it('answers every request with the frame the Perl seed sent, in the same order', () => {
      const want = s2c.filter((f) => f[1] !== 'eval_reply').map((f) => mapNames(f, SEED_PORT, ourPort) as unknown[]);
      expect(received.map(normalise)).toEqual(want.map(normalise));
    });

    it('g_found carries our listener addresses', () => {
      expect(received.find((f) => f[1] === 'g_found')).toEqual(['', 'g_found', SEED, [...seed.addresses]]);
    });

    it('the slave database sent with g_slave was merged (the client port is in aemp_ref)', async () => {
      expect(await firstValueFrom(seed.db.family('aemp_ref'))).toMatchObject({ [clientPort]: 'client-port' });
    });
  });
}
