/**
 * What the network publishes for the rooms above it, over real loopback
 * TCP: a seed that turns out to be this node itself (`selfSeed$`; the
 * database then turns global), and the registered address lookup (the
 * database's), which the network asks for a node it has no address of.
 */
import { firstValueFrom, timeout } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { closedAfterEach } from '../helpers/nodes.js';
import { freePort } from '../helpers/proxy.js';
import { withTimeout } from '../helpers/net.js';

const { node } = closedAfterEach();

describe('the network publishes, the database subscribes', () => {
  it('selfSeed$: a seed that is this node under another address makes the node global', async () => {
    const port = await freePort();
    const a = await node('pub-self', { binds: [`0.0.0.0:${port}`], seeds: [`127.0.0.1:${port}`] });
    const seen = await firstValueFrom(a.network!.selfSeed$.pipe(timeout(10_000))).catch(() => undefined);
    // (the event may have come before we subscribed: the database saw it either way)
    if (seen !== undefined) expect(seen).toBe(`127.0.0.1:${port}`);
    const deadline = Date.now() + 10_000;
    while (!a.db.isGlobal && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    expect(a.db.isGlobal).toBe(true);
  });

  it("addLookup: a slave reaches a node it has no address of through its master's answer", async () => {
    const g = await node('pub-g', { global: true });
    const b = await node('pub-b', { seeds: [...g.addresses] });
    const a = await node('pub-a', { seeds: [...g.addresses] });
    const deadline = Date.now() + 10_000;
    const ready = () => a.db.master === g.id && b.db.master === g.id && g.db.service?.lookup(b.id) != null;
    while (!ready() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    let inbox = '';
    const got = new Promise<unknown>((resolve) => (inbox = b.port((msg) => resolve(msg)).id));
    a.snd(inbox, 'hello');
    await expect(withTimeout(got, 10_000, 'the message through the looked-up address')).resolves.toEqual(['hello']);
  });
});
