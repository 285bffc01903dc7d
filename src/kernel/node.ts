/**
 * A node: its id, its table of local ports, routing of `snd`, `kil`, `mon`,
 * `spawn`, `cal`, `after`, and its log. Everything not addressed to this
 * node goes through a {@link RemoteRouter}.
 *
 * Why this file is over 300 lines: `Kernel` is the node's public face, one
 * class whose methods share the port table, the run queue and the router;
 * half of it is the TSDoc of that public API (the rules of `snd`, `mon`,
 * `spawn`, `cal`). Its helpers live beside it: `port.ts`, `nodePort.ts`,
 * `runQueue.ts`, `plain-data.ts`, `router.ts`.
 * @module
 */
import { Observable, Subscription, timer } from 'rxjs';
import { defer } from './defer.js';
import { CallTimeout, PortKilled, type Reason } from './errors.js';
import { Logger, type LogRecord } from '../log/index.js';
import { assertPortId, dieText, jsonText, type Message } from './message.js';
import { plainValues } from './plain-data.js';
import { NameCounter } from './names.js';
import { Port, type Handler, type MonitorFn, type PortHost } from './port.js';
import { RunQueue } from './runQueue.js';
import { unreachableRouter, type RemoteRouter, type RouterHost } from './router.js';
import { handleNodeMessage, type NodePortHost, type NodeService } from './nodePort.js';

/** A spawnable init function: runs in the new port's context. */
export type InitFn = (self: Port, ...args: unknown[]) => void;

/** Options of a `cal`. */
export interface CallOptions {
  /** Seconds to wait for the reply; without it the target is monitored instead. */
  timeout?: number;
}

/** The identity a kernel is built with (see `createNode` for the public options; not public API, kept in the declarations, which name it). */
export interface KernelIdentity {
  /** The node id. */
  id: string;
  /** Prefix of local port names (`port`): UNIQ, empty when the node id was randomised. */
  uniq: string;
  /** Prefix of names made by `spawn`: RUNIQ. */
  runiq: string;
  /** AnyEvent::MP's secure mode: node-port requests naming a function (`_spawn`) are refused; `eval` always is. */
  secure?: boolean;
  /** The registered functions a node-port `_spawn` may run (also when secure); not given = all, or none when secure. */
  spawnAllow?: readonly string[] | undefined;
}

/**
 * A node's kernel: the local half of a node. `createNode` wraps it with the
 * network parts; used alone it is a node nobody can reach.
 *
 * It is also the `NodePortHost` of its node port and the `RouterHost` of its
 * network: both are checked where it is handed over (`handleNodeMessage`,
 * `new Network`), not in an `implements` clause, because the members they
 * need are internal and the shipped declarations leave them out.
 */
export class Kernel implements PortHost {
  /** This node's id. */
  readonly id: string;
  /** The node port's id, `nodeid#`. */
  readonly nodePortId: string;
  /** The port whose handler is running right now (AnyEvent::MP's `$SELF`), if any. */
  self: Port | undefined;

  readonly #ports = new Map<string, Port>();
  readonly #names = new NameCounter();
  readonly #uniq: string;
  readonly #runiq: string;
  readonly #logger: Logger;
  readonly #registry = new Map<string, InitFn>();
  /** Node-port services by tag (`mon1`, `g_slave` …), added by the remote kernel and the database. @internal */
  readonly services = new Map<string, NodeService>();
  /** Secure mode (see {@link KernelIdentity.secure}). */
  readonly secure: boolean;
  /** The remote-spawn allow-list, if one was given (see {@link KernelIdentity.spawnAllow}). */
  readonly spawnAllow: ReadonlySet<string> | undefined;
  readonly #queue: RunQueue<Port, Message>;
  #router: RemoteRouter;
  #closed = false;
  /** The port the previous network message went to, and its name ({@link deliverLocal}). */
  #lastName = '';
  #lastPort: Port | undefined;

  constructor(identity: KernelIdentity) {
    if (typeof identity.id !== 'string' || !identity.id || /[#;\n\r]/.test(identity.id))
      throw new TypeError(`nodeid must be a non-empty string without '#', ';' or newlines, got ${JSON.stringify(identity.id)}`);
    this.id = identity.id;
    this.nodePortId = identity.id + '#';
    this.#uniq = identity.uniq;
    this.#runiq = identity.runiq;
    this.secure = identity.secure === true;
    this.spawnAllow = identity.spawnAllow === undefined ? undefined : new Set(identity.spawnAllow);
    this.#logger = new Logger(() => this.id);
    this.#queue = new RunQueue<Port, Message>(this.#deliver);
    this.#router = unreachableRouter(defer);
    const nodePort = new Port(this.nodePortId, this, (msg) => handleNodeMessage(this, this.id, msg));
    this.#ports.set(this.nodePortId, nodePort);
  }

  /** Every log record of this node. */
  get log$(): Observable<LogRecord> {
    return this.#logger.records$;
  }

  /** Logs through this node's log stream. */
  get log() {
    return this.#logger.log;
  }

  /** Installs the remote side (done by the network layer). @internal */
  setRouter(router: RemoteRouter): void {
    this.#router = router;
  }

  /** Whether `id` names a port of this node (or this node's node port). */
  isLocal(id: string): boolean {
    const n = this.id.length;
    return id.length > n && id.charCodeAt(n) === 35 /* # */ && id.startsWith(this.id);
  }

  // ---- ports ---------------------------------------------------------------

  /**
   * Makes a new port (`port` / `port { … }`). With a handler, it is the
   * catch-all (`rcv $port, $cb`); without one, messages that match no tag
   * handler (and that no `messages` subscriber takes) kill the port with
   * `['unhandled_message', …]`.
   */
  port(handler?: Handler): Port {
    if (handler !== undefined && typeof handler !== 'function') throw new TypeError('port: handler must be a function');
    this.#assertOpen('port');
    // join() makes one flat string (concatenation would keep a rope of pieces alive: ~50 B more per port)
    const port = new Port([this.id, '#', this.#uniq, this.#names.next()].join(''), this, handler);
    this.#ports.set(port.id, port);
    return port;
  }

  /** The local port with this id, if it is alive. */
  getPort(id: string): Port | undefined {
    return this.#ports.get(id);
  }

  /** Number of live local ports (the node port included). */
  get portCount(): number {
    return this.#ports.size;
  }

  // ---- snd -----------------------------------------------------------------

  /**
   * Sends a message to a port, local or remote. Never blocks, never throws
   * for an unknown or dead port: the message is then dropped. From one
   * sender to one port, order is kept.
   *
   * A message holds only plain data, the same rule for local and remote
   * ports (so code that works locally works remotely):
   * - strings, numbers, bigints, booleans, `null`;
   * - `undefined`: a local receiver gets it as sent; on the wire it is
   *   `null` in arrays and left out of objects (as `JSON.stringify` does;
   *   Perl's `undef`);
   * - `NaN` and `±Infinity`: exact over CBOR, `null` over JSON;
   * - integers beyond ±(2^53−1) arrive as `bigint` (a Perl node's 64-bit
   *   integers and Math::BigInt values included; a `number` beyond 2^53,
   *   already rounded, arrives as a `bigint` equal to it); a `bigint`
   *   within that range arrives as a `number`;
   * - arrays and plain objects (`{}` or `Object.create(null)`; own
   *   enumerable string keys), nested at most 500 levels, without cycles;
   * - byte arrays (`Uint8Array`, `Buffer`): a local receiver gets a
   *   `Buffer` over the same bytes; a remote one a string of one character
   *   per byte (Perl has no binary type: it gets the byte string);
   * - a {@link Port}: becomes its id string (locally too).
   *
   * Anything else — a function, a symbol, a `Map`, `Set`, `Date`, another
   * typed array, a class instance (the node itself, say), a cycle — throws
   * a `TypeError` naming its path (`snd: msg[2].node must be plain data,
   * but it is a Kernel …`), and nothing is sent. `kil` reasons, `cal`,
   * `after` and `mon` messages, `spawn` arguments and database values
   * follow the same rule.
   */
  snd(id: string, ...msg: unknown[]): void {
    this.sndMessage(id, msg);
  }

  /** `snd` with the message as one array (no copy unless a value must be converted, see {@link plainValues}). */
  sndMessage(id: string, msg: Message): void {
    msg = plainValues(msg, 'snd', 'msg');
    const port = this.#ports.get(id);
    if (port !== undefined) {
      this.#queue.push(port, msg);
      return;
    }
    if (typeof id !== 'string') throw new TypeError(`snd: port id must be a string, got ${typeof id}`);
    if (this.isLocal(id)) return; // dead or unknown local port: dropped
    const i = id.indexOf('#');
    if (i < 0) {
      // a bare node id addresses that node's port, as in AnyEvent::MP (`snd $nodeid, …`)
      if (id !== '') this.sndMessage(id + '#', msg);
      return;
    }
    if (i === 0) return; // not a port id: dropped, like a message to an unknown port
    this.#router.snd(id.slice(0, i), id.slice(i + 1), msg);
  }

  /**
   * Delivers a message that arrived from the network to a local port by
   * name. Messages come in runs to one port, so the last port is remembered
   * with its name: a hit costs one string compare, where building the id
   * and looking it up costs a fresh string, its flattening and hashing (the
   * biggest single cost of receiving). A live port is always the one in the
   * table under its id, so a hit that is still alive is exact. @internal
   */
  deliverLocal(name: string, msg: Message, from: string): void {
    if (name === '') {
      // behind port deliveries still queued from the same connection (a kil1 after many
      // messages must not overtake them); at once otherwise, as a Perl node handles it
      if (this.#queue.size === 0) handleNodeMessage(this, from, msg);
      else this.#queue.push((this.#relay ??= this.#makeRelay()), [from, msg]);
      return;
    }
    let port = this.#lastPort;
    if (port === undefined || name !== this.#lastName || !port.alive) {
      port = this.#ports.get(this.nodePortId + name);
      this.#lastPort = port;
      this.#lastName = name;
      if (port === undefined) return;
    }
    this.#queue.push(port, msg);
  }

  /** Stand-in port that runs a node-port message from another node when it had to wait in the queue: `[from, msg]`. */
  #relay: Port | undefined;
  #makeRelay(): Port {
    return new Port(this.nodePortId, this, (m) => handleNodeMessage(this, m[0] as string, m[1] as Message));
  }

  #deliver = (port: Port, msg: Message): void => {
    if (!port.alive) return;
    if (port.held !== undefined) {
      port.held.push(msg);
      return;
    }
    const prev = this.self;
    this.self = port;
    try {
      port.dispatch(msg);
    } catch (err) {
      this.kil(port.id, 'die', dieText(err));
    } finally {
      this.self = prev;
    }
  };

  // ---- kil -----------------------------------------------------------------

  /**
   * Kills a port. No reason = a normal end; a reason (`type, ...details`) =
   * abnormal. The port stops taking messages at once; its monitors run later
   * (never inside `kil`). Killing a node port throws. The reason is plain
   * data, as a message is (see {@link snd}; a TypeError names
   * `reason[i]…`).
   */
  kil(id: string, ...reason: unknown[]): void {
    assertPortId(id, 'kil: port id');
    if (id.endsWith('#') && id.indexOf('#') === id.length - 1) throw new TypeError(`kil: cannot kill node port ${id}`);
    reason = plainValues(reason, 'kil', 'reason') as unknown[];
    const port = this.#ports.get(id);
    if (port !== undefined) {
      this.#kill(port, reason);
      return;
    }
    if (this.isLocal(id)) return;
    const i = id.indexOf('#');
    if (i > 0) this.#router.kil(id.slice(0, i), id.slice(i + 1), reason);
  }

  #kill(port: Port, reason: Reason, now = false): void {
    this.#ports.delete(port.id);
    const monitors = port.end(reason);
    const fire = () => {
      const watched = port.finishMessages(reason) || monitors.length > 0;
      for (const m of monitors) {
        try {
          m(reason);
        } catch (err) {
          this.log('error', 'kernel', `monitor callback of ${port.id} threw: ${dieText(err)}`);
        }
      }
      if (reason.length && !watched) this.portEnded(port, reason, false);
    };
    if (now) fire();
    else defer(fire);
  }

  /**
   * Kills a local port by name on behalf of another node (`kil1`): unlike
   * `kil`, the monitors run at once, before the frames behind the `kil1` on
   * the same connection are handled — as a Perl node does (its `kil0`
   * answer goes out before the replies to what followed). Unknown names are
   * ignored. @internal
   */
  killFromRemote(name: string, reason: Reason): void {
    const port = this.#ports.get(this.id + '#' + name);
    if (port !== undefined && port.id !== this.nodePortId) this.#kill(port, reason, true);
  }

  /** @internal */
  portEnded(port: Port, reason: Reason, watched: boolean): void {
    if (!watched) this.log('error', 'kernel', `unmonitored local port ${port.id} died with reason: ${jsonText(reason)}`);
  }

  // ---- mon -----------------------------------------------------------------

  /**
   * Monitors a port. The plain form is an `Observable<never>`: it completes
   * when the port is killed normally and errors with {@link PortKilled} when
   * it is killed abnormally, cut off (`transport_error`) or does not exist
   * (`no_such_port`). Unsubscribing stops monitoring.
   *
   * The other forms return a `Subscription` (unsubscribe = stop):
   * - `mon(id, reason => …)`: callback with the reason (`[]` = normal);
   * - `mon(id, localPortId)`: link — kill the local port with the same reason, only if non-empty;
   * - `mon(id, localPortId, ...msg)`: send `...msg, ...reason` to that port.
   */
  mon(id: string): Observable<never>;
  mon(id: string, callback: (reason: Reason) => void): Subscription;
  mon(id: string, port: string | Port, ...msg: unknown[]): Subscription;
  mon(id: string, target?: string | Port | ((reason: Reason) => void), ...msg: unknown[]): Observable<never> | Subscription {
    assertPortId(id, 'mon: port id');
    if (target === undefined) return this.#monitor$(id);
    let fn: MonitorFn;
    if (typeof target === 'function') fn = target;
    else if (typeof target === 'string' || target instanceof Port) {
      const other = typeof target === 'string' ? target : target.id;
      msg = plainValues(msg, 'mon', 'msg') as unknown[];
      fn = msg.length
        ? (reason) => this.sndMessage(other, [...msg, ...reason])
        : (reason) => {
            if (reason.length) this.kil(other, ...reason);
          };
    } else throw new TypeError('mon: second argument must be a callback, a port or a port id');
    return new Subscription(this.monitor(id, fn));
  }

  /** Registers a one-shot monitor callback; returns its remover. The low-level form of `mon`. */
  monitor(id: string, fn: MonitorFn): () => void {
    const port = this.#ports.get(id);
    if (port !== undefined) return port.addMonitor(fn);
    if (id === this.nodePortId) return () => {}; // the own node port never dies
    if (this.isLocal(id)) {
      let live = true;
      defer(() => live && fn(['no_such_port', 'cannot monitor nonexistent port', id]));
      return () => {
        live = false;
      };
    }
    const i = id.indexOf('#');
    if (i < 0 && id !== '') return this.monitor(id + '#', fn); // a bare node id: its node port
    if (i <= 0) {
      let live = true;
      defer(() => live && fn(['no_such_port', 'cannot monitor nonexistent port', id]));
      return () => {
        live = false;
      };
    }
    return this.#router.mon(id.slice(0, i), id.slice(i + 1), fn);
  }

  #monitor$(id: string): Observable<never> {
    return new Observable<never>((subscriber) =>
      this.monitor(id, (reason) => {
        if (reason.length) subscriber.error(new PortKilled(id, reason));
        else subscriber.complete();
      }),
    );
  }

  // ---- spawn ---------------------------------------------------------------

  /**
   * Registers a spawnable init function under a Perl-style name
   * (`'MyApp::Worker::init'`). `undefined` removes it.
   */
  register(name: string, init: InitFn | undefined): void {
    if (typeof name !== 'string' || !name) throw new TypeError('register: name must be a non-empty string');
    if (init === undefined) this.#registry.delete(name);
    else if (typeof init !== 'function') throw new TypeError('register: init must be a function');
    else this.#registry.set(name, init);
  }

  /** The registered init function of that name, if any. */
  registered(name: string): InitFn | undefined {
    return this.#registry.get(name);
  }

  /**
   * Creates a port on the node of `nodeOrPortId` by naming an init function
   * registered there, and returns the new port's id at once. The init runs
   * after `spawn` returned, in the new port's context; messages sent to the
   * new id before that are held and delivered after it. An unknown name or
   * a throwing init kills the new port with `['die', …]`.
   */
  spawn(nodeOrPortId: string, name: string, ...args: unknown[]): string {
    assertPortId(nodeOrPortId, 'spawn: node');
    if (typeof name !== 'string' || !name) throw new TypeError('spawn: init function name must be a non-empty string');
    this.#assertOpen('spawn');
    args = plainValues(args, 'spawn', 'args') as unknown[];
    const i = nodeOrPortId.indexOf('#');
    const node = i < 0 ? nodeOrPortId : nodeOrPortId.slice(0, i);
    const portName = this.#runiq + this.#names.next();
    if (node === this.id) {
      this.spawnLocal(portName, name, args);
    } else {
      this.#router.snd(node, '', ['AnyEvent::MP::_spawn', portName, name, ...args]);
    }
    return node + '#' + portName;
  }

  /**
   * Creates local port `name` and runs init `fn` on it: after this tick for
   * a local `spawn` (so it runs after `spawn` returned), at once for a
   * `_spawn` request from another node (the caller's `spawn` returned long
   * ago, and the frames behind it on the wire — `mon1`, first messages, a
   * `kil1` — must find the port initialised, as on a Perl node). @internal
   */
  spawnLocal(portName: string, fn: string, args: readonly unknown[], now = false): Port | undefined {
    const id = this.id + '#' + portName;
    if (this.#ports.has(id)) {
      this.log('error', 'kernel', `spawn: port ${id} exists already, spawn of ${fn} refused`);
      return undefined;
    }
    const port = new Port(id, this);
    port.held = [];
    this.#ports.set(id, port);
    const init = () => {
      if (!port.alive) return;
      const initFn = this.#registry.get(fn);
      const held = port.held ?? [];
      port.held = undefined;
      if (initFn === undefined) {
        this.log('error', 'kernel', `spawn of unregistered function ${fn} refused`);
        this.kil(id, 'die', `${fn}: no such function registered, refusing to spawn`);
        return;
      }
      const prev = this.self;
      this.self = port;
      try {
        initFn(port, ...args);
      } catch (err) {
        this.kil(id, 'die', dieText(err));
        return;
      } finally {
        this.self = prev;
      }
      for (const m of held) this.#queue.push(port, m);
    };
    if (now) init();
    else defer(init);
    return port;
  }

  // ---- cal, after ----------------------------------------------------------

  /**
   * Sends `...msg, replyPortId` to `id` and returns an Observable of the one
   * reply: it emits the reply message and completes. With `{ timeout }` as
   * the last argument it errors with {@link CallTimeout} when no reply comes
   * in time; without one it monitors the target and errors with
   * {@link PortKilled} if it dies (completes empty if it ends normally).
   * Nothing is sent until subscription; the reply port dies in every case.
   */
  cal(id: string, ...msgAndOptions: unknown[]): Observable<Message> {
    assertPortId(id, 'cal: port id');
    const last = msgAndOptions[msgAndOptions.length - 1];
    if (isCallOptions(last)) return this.call(id, msgAndOptions.slice(0, -1), last);
    return this.call(id, msgAndOptions, {});
  }

  /** `cal` with the message as an array and the options apart (no guessing). */
  call(id: string, msg: Message, options: CallOptions = {}): Observable<Message> {
    assertPortId(id, 'call: port id');
    const { timeout } = options;
    if (timeout !== undefined && (typeof timeout !== 'number' || !(timeout >= 0)))
      throw new TypeError('call: timeout must be a non-negative number of seconds');
    msg = plainValues(msg, 'cal', 'msg');
    return new Observable<Message>((subscriber) => {
      const reply = this.port((m) => {
        subscriber.next(m);
        subscriber.complete();
      });
      const sub = new Subscription(() => this.kil(reply.id));
      if (timeout !== undefined) {
        sub.add(timer(timeout * 1000).subscribe(() => subscriber.error(new CallTimeout(id, timeout))));
      } else {
        sub.add(
          this.monitor(id, (reason) => {
            if (reason.length) subscriber.error(new PortKilled(id, reason));
            else subscriber.complete();
          }),
        );
      }
      this.sndMessage(id, [...msg, reply.id]);
      return sub;
    });
  }

  /**
   * After `seconds`, calls `fn` or sends `[portId, ...msg]` (AnyEvent::MP's
   * `after`). Returns a Subscription: unsubscribe cancels.
   */
  after(seconds: number, fn: () => void): Subscription;
  after(seconds: number, portId: string, ...msg: unknown[]): Subscription;
  after(seconds: number, what: string | (() => void), ...msg: unknown[]): Subscription {
    if (typeof seconds !== 'number' || !(seconds >= 0)) throw new TypeError('after: seconds must be a non-negative number');
    if (typeof what !== 'function') msg = plainValues(msg, 'after', 'msg') as unknown[];
    const act = typeof what === 'function' ? what : () => this.sndMessage(what, msg);
    if (typeof what !== 'function') assertPortId(what, 'after: port id');
    return timer(seconds * 1000).subscribe(act);
  }

  // ---- life ----------------------------------------------------------------

  /** Kills every local port (normally) and releases the remote side and the log. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    for (const port of [...this.#ports.values()]) if (port.id !== this.nodePortId) this.#kill(port, []);
    this.#ports.clear();
    await this.#router.close();
    await new Promise<void>((r) => defer(r));
    this.#logger.close();
  }

  /** Whether `close()` was called. */
  get closed(): boolean {
    return this.#closed;
  }

  #assertOpen(what: string): void {
    if (this.#closed) throw new Error(`${what}: node ${this.id} is closed`);
  }
}

function isCallOptions(v: unknown): v is CallOptions {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  if (Object.getPrototypeOf(v) !== Object.prototype) return false;
  const keys = Object.keys(v);
  return keys.length === 1 && keys[0] === 'timeout';
}

/** Compile-time check: a kernel is the host its node port and its network need (see {@link Kernel}). */
const _asHosts = (k: Kernel): NodePortHost & RouterHost => k;
