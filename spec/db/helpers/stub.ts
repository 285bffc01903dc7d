/**
 * A database on a real Kernel with a stand-in network: node events are
 * driven by hand, everything the node sends to other nodes is recorded as
 * wire frames (`[portname, ...msg]`), and frames "from" another node are
 * handed to the node port as the network would.
 */
import { Subject, Subscription } from 'rxjs';
import { Kernel, type Message } from '../../../src/kernel/index.js';
import { type LogRecord } from '../../../src/log/index.js';
import { type AddressLookup, type NodeEvent } from '../../../src/remote/index.js';
import { Database, type DbNetwork } from '../../../src/db/index.js';

export class StubNetwork implements DbNetwork {
  readonly events = new Subject<NodeEvent>();
  readonly nodes$ = this.events.asObservable();
  addresses: string[] = [];
  readonly seedIds = new Map<string, string>();
  readonly up = new Set<string>();
  readonly selfSeeds = new Subject<string>();
  readonly selfSeed$ = this.selfSeeds.asObservable();
  readonly seedsKnown = new Subject<string>();
  readonly seedKnown$ = this.seedsKnown.asObservable();
  /** The lookup the database registered (as the network would ask it). */
  lookup: AddressLookup | undefined;
  addLookup(lookup: AddressLookup): Subscription {
    this.lookup = lookup;
    return new Subscription(() => {
      if (this.lookup === lookup) this.lookup = undefined;
    });
  }
  /** The network found that a seed is this node itself. */
  onSelfSeed(address: string): void {
    this.selfSeeds.next(address);
  }
  /** The network learned a seed's id while it is up. */
  onSeedKnown(node: string): void {
    this.seedsKnown.next(node);
  }
  isUp(node: string): boolean {
    return this.up.has(node);
  }
  upNodes(): string[] {
    return [...this.up];
  }
  nodeUp(node: string): void {
    this.up.add(node);
    this.events.next({ node, up: true });
  }
  nodeDown(node: string, text = 'Unexpected end-of-file'): void {
    this.up.delete(node);
    this.events.next({ node, up: false, reason: ['transport_error', node, text] });
  }
}

export interface StubNode {
  readonly kernel: Kernel;
  readonly db: Database;
  readonly net: StubNetwork;
  /** Every frame sent to another node: `[node, portname, ...msg]`. */
  readonly sent: [node: string, ...frame: unknown[]][];
  /** Node-port monitors asked of the network (`mon node#`). */
  readonly monitored: string[];
  readonly logs: LogRecord[];
  /** Frames sent to `node` (without the node), optionally only node-port ones with these tags. */
  framesTo(node: string): unknown[][];
  /** Takes (and forgets) what was sent so far. */
  take(): [node: string, ...frame: unknown[]][];
  /** A node-port message arriving from `from` (it is not copied: pass fresh data). */
  receive(from: string, ...msg: unknown[]): void;
  /** Error log lines so far. */
  errors(): string[];
}

export interface StubOptions {
  global?: boolean;
  seeds?: string[];
  addresses?: string[];
  monitorTimeout?: number;
}

/** A node with a database and a stand-in network. `start()` is called (the `'l` entry is set). */
export function stubNode(id: string, options: StubOptions = {}): StubNode {
  const kernel = new Kernel({ id, uniq: '', runiq: 'R0JxsSRoSQ' });
  const logs: LogRecord[] = [];
  kernel.log$.subscribe((r) => logs.push(r));
  const sent: [string, ...unknown[]][] = [];
  const monitored: string[] = [];
  kernel.setRouter({
    snd: (node, name, msg) => void sent.push([node, name, ...msg]),
    kil: (node, name, reason) => void sent.push([node, '', 'kil1', name, ...reason]),
    mon: (node, name) => {
      monitored.push(node + '#' + name);
      return () => {};
    },
    close: async () => {},
  });
  const net = new StubNetwork();
  net.addresses = options.addresses ?? [];
  const seeds = options.seeds ?? [];
  const db = new Database(kernel, net, {
    seeds,
    global: options.global ?? false,
    monitorTimeout: options.monitorTimeout ?? 30,
  });
  db.start();
  return {
    kernel,
    db,
    net,
    sent,
    monitored,
    logs,
    framesTo: (node) => sent.filter((s) => s[0] === node).map((s) => s.slice(1)),
    take: () => sent.splice(0),
    receive: (from, ...msg: Message) => kernel.deliverLocal('', msg, from),
    errors: () => logs.filter((l) => l.level === 'error').map((l) => l.message),
  };
}

/** Lets queued microtasks and one macrotask turn run. */
export const tick = (): Promise<void> => new Promise((r) => setImmediate(r));
