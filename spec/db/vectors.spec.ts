/**
 * Conformance with the captured Perl transcript (`vectors/json.json`): a
 * Perl slave ("connector") talking to a Perl seed that became global
 * ("acceptor"). Our slave must send the same `g_*` frames, byte for byte
 * in JSON, and our global node must answer the slave's frames as the Perl
 * seed did.
 */
import { describe, expect, it } from 'vitest';
import { firstValueFrom } from 'rxjs';
import type { FamilyDelta } from '../../src/db/index.js';
import { loadConnectionVector, sideOf } from '../helpers/vectors.js';
import { stubNode } from './helpers/stub.js';

const vector = loadConnectionVector('json');
/** The node-port `g_*` frames one side sent, in order. */
const gFrames = (dir: 'c2s' | 's2c') =>
  sideOf(vector, dir).frames.filter((f) => f.decoded[0] === '' && String(f.decoded[1]).startsWith('g_'));

/** Fresh copies, as a decoder would hand them over. */
const copy = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

describe('db wire conformance with the Perl transcript (json)', () => {
  it('our slave sends what the Perl slave sent: g_slave ×2, g_slave DB, then the pending requests in order', async () => {
    const s = stubNode('client-json', { seeds: ['127.0.0.1:14050'], addresses: ['127.0.0.1:39445'] });
    s.db.set('aemp_ref', 'client-json#wACyQV64db', 'client-port');

    // requests made before any master is up wait
    const deltas: FamilyDelta[] = [];
    s.db.mon('aemp_ref').subscribe((d) => deltas.push(d));
    const found = s.net.lookup!('seed-json');
    const keys = firstValueFrom(s.db.keys('aemp_ref'));
    const family = firstValueFrom(s.db.family('aemp_ref'));
    const values = firstValueFrom(s.db.values('aemp_ref'));
    expect(s.sent).toEqual([]);

    s.net.seedIds.set('127.0.0.1:14050', 'seed-json');
    s.net.nodeUp('seed-json');
    // our queries end in a 1 the Perl slave does not send (it asks for a big answer in parts;
    // Perl's handlers read only FAMILY and ID): beyond that, byte for byte the same
    const ours = s.framesTo('seed-json').map((f) => {
      if (String(f[1]).startsWith('g_db_')) expect(f.at(-1)).toBe(1);
      return JSON.stringify(String(f[1]).startsWith('g_db_') ? f.slice(0, -1) : f);
    });
    expect(ours).toEqual(gFrames('c2s').map((f) => f.text));
    expect(s.db.master).toBe('seed-json');

    // the seed's answers, fed back
    for (const f of gFrames('s2c')) s.receive('seed-json', ...copy(f.decoded.slice(1)));
    expect(await found).toEqual(['127.0.0.1:14050']);
    expect((await keys).sort()).toEqual(['client-json#wACyQV64db', 'seed-json#vwBqtqcfZb']);
    expect(await family).toEqual({
      'client-json#wACyQV64db': 'client-port',
      'seed-json#vwBqtqcfZb': 'seed-port',
    });
    expect((await values).sort()).toEqual(['client-port', 'seed-port']);
    expect(deltas).toEqual([
      {
        family: 'aemp_ref',
        added: { 'client-json#wACyQV64db': 'client-port', 'seed-json#vwBqtqcfZb': 'seed-port' },
        changed: {},
        deleted: {},
      },
    ]);
    expect(s.errors()).toEqual([]);
  });

  it('our global node answers the Perl slave as the Perl seed did', () => {
    const g = stubNode('seed-json', { global: true, addresses: ['127.0.0.1:14050'] });
    g.db.set('aemp_ref', 'seed-json#vwBqtqcfZb', 'seed-port');
    g.net.nodeUp('client-json');
    for (const f of gFrames('c2s')) g.receive('client-json', ...copy(f.decoded.slice(1)));

    const ours = g.framesTo('client-json');
    const theirs = gFrames('s2c').map((f) => f.decoded);
    expect(ours.map((f) => f[1])).toEqual(theirs.map((f) => f[1]));
    // key order of a Perl hash is arbitrary: compare key/value lists as sets, hashes as hashes
    const norm = (f: unknown[]) => f.map((x) => (Array.isArray(x) ? [...x].sort() : x));
    expect(ours.map(norm)).toEqual(theirs.map(norm));
    expect(g.errors()).toEqual([]);
  });
});
