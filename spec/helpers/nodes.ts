/**
 * In-process nodes on 127.0.0.1 for integration tests (real sockets).
 */
import { filter, firstValueFrom, timeout } from 'rxjs';
import { afterEach } from 'vitest';
import { createNode, type AempNode, type CreateNodeOptions, type LogRecord } from '../../src/index.js';

export const SECRET = 'test-secret';

/** A node on an ephemeral loopback port, with its log collected. */
export async function makeNode(
  nodeid: string,
  options: CreateNodeOptions = {},
): Promise<AempNode & { logs: LogRecord[] }> {
  const node = await createNode({
    nodeid,
    binds: ['127.0.0.1:0'],
    secret: SECRET,
    norc: true,
    stderrLog: false,
    connectInterval: 5,
    ...options,
  });
  const logs: LogRecord[] = [];
  node.log$.subscribe((r) => logs.push(r));
  return Object.assign(node, { logs });
}

/** Waits (bounded) for a node event. */
export function nodeEvent(node: AempNode, other: string, up: boolean, ms = 10_000) {
  return firstValueFrom(
    node.nodes$.pipe(
      filter((e) => e.node === other && e.up === up),
      timeout(ms),
    ),
  );
}

/** Rejection value of a promise (or a failure when it resolves). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read .reason off whatever was thrown
export async function rejection(p: Promise<unknown>): Promise<any> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  throw new Error('expected a rejection');
}

/**
 * `makeNode` for specs whose nodes are closed after each test (in reverse
 * order of making; `cleanup` takes more such steps): call it once at the top
 * of a spec file.
 */
export function closedAfterEach(): {
  node: (id: string, options?: CreateNodeOptions) => Promise<AempNode>;
  cleanup: (() => Promise<void>)[];
} {
  const cleanup: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const f of cleanup.splice(0).reverse()) await f().catch(() => {});
  });
  const node = async (id: string, options: CreateNodeOptions = {}): Promise<AempNode> => {
    const n = await makeNode(id, options);
    cleanup.push(() => n.close());
    return n;
  };
  return { node, cleanup };
}
