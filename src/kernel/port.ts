/**
 * A port: a message destination that is an Observer (`next(msg)` delivers a
 * message to it) and an Observable (`messages`: what arrives), plus the
 * AnyEvent::MP handler forms (`rcv`).
 * @module
 */
import { Observable, Subject, throwError, EMPTY, type Observer, type Subscription } from 'rxjs';
import { PortKilled, type Reason } from './errors.js';
import { dieText, unhandledText, type Message } from './message.js';

/** What a port needs from the node it lives on (not public API; kept in the declarations, which name it). */
export interface PortHost {
  /** Sends to any port id. */
  snd(id: string, ...msg: unknown[]): void;
  /** Kills a port by id. */
  kil(id: string, ...reason: unknown[]): void;
  /** The port whose code runs now (`$SELF`). */
  self: Port | undefined;
  /** Called when a port ends (abnormally and unwatched → logged). @internal */
  portEnded(port: Port, reason: Reason, watched: boolean): void;
}

/**
 * A message handler. It runs *in port context*: `self` is the port, and a
 * throw kills that port with `['die', text]`.
 */
export type Handler = (msg: Message, self: Port) => void;

/** A one-shot monitor callback, called with the kill reason (not public API; kept in the declarations, which name it). */
export type MonitorFn = (reason: Reason) => void;

/**
 * A local port. Cheap until observed: a table entry, an id and a handler;
 * the `messages` Subject is made on first subscription.
 */
export class Port implements Observer<Message> {
  #catchAll: Handler | undefined;
  #tags: Map<string, Handler> | undefined;
  #subject: Subject<Message> | undefined;
  #monitors: MonitorFn[] | undefined;
  #end: Reason | undefined;
  /** Messages held until a spawned port's init has run. @internal */
  held: Message[] | undefined;

  /** @internal — ports are made by `node.port()` / `node.spawn()`. */
  constructor(
    /** The full port id, `nodeid#name`. */
    readonly id: string,
    /** @internal */
    readonly host: PortHost,
    handler?: Handler,
  ) {
    this.#catchAll = handler;
  }

  /** Whether the port is still alive. */
  get alive(): boolean {
    return this.#end === undefined;
  }

  /**
   * Sets the catch-all handler (`rcv $port, $cb`), or, with a tag, the handler
   * for messages whose first element equals `tag` (`rcv $port, tag => $cb`);
   * the tag handler gets the message *without* its tag. `undefined` removes.
   * Returns the port, so calls chain.
   */
  rcv(handler: Handler | undefined): this;
  rcv(tag: string, handler: Handler | undefined): this;
  rcv(a: string | Handler | undefined, b?: Handler): this {
    if (typeof a === 'string') {
      if (b !== undefined && typeof b !== 'function') throw new TypeError('rcv: handler must be a function or undefined');
      if (b) (this.#tags ??= new Map()).set(a, b);
      else this.#tags?.delete(a);
    } else {
      if (a !== undefined && typeof a !== 'function') throw new TypeError('rcv: handler must be a function, a tag or undefined');
      this.#catchAll = a;
    }
    return this;
  }

  /**
   * Every message that arrives, in order. Completes when the port is killed
   * normally; errors with {@link PortKilled} when it is killed abnormally.
   * Subscribing to it counts as handling messages: a port with subscribers
   * is not killed for `unhandled_message`.
   */
  get messages(): Observable<Message> {
    return new Observable<Message>((subscriber) => {
      const end = this.#end;
      if (end !== undefined) return (end.length ? throwError(() => new PortKilled(this.id, end)) : EMPTY).subscribe(subscriber);
      return (this.#subject ??= new Subject<Message>()).subscribe(subscriber);
    });
  }

  /**
   * Subscribes to `messages`. A function given here runs *in port context*
   * (like a handler): a throw kills the port with `['die', text]` instead of
   * becoming an unhandled RxJS error. An observer object is passed through
   * as is.
   */
  subscribe(observer?: Partial<Observer<Message>> | ((msg: Message) => void)): Subscription {
    if (typeof observer !== 'function') return this.messages.subscribe(observer);
    const host = this.host;
    return this.messages.subscribe((msg) => {
      const prev = host.self;
      host.self = this;
      try {
        observer(msg);
      } catch (err) {
        this.error(err);
      } finally {
        host.self = prev;
      }
    });
  }

  /** Observer side: delivers `msg` to this port (same as `node.snd(port.id, ...msg)`). */
  next(msg: Message): void {
    this.host.snd(this.id, ...msg);
  }
  /** Observer side: an error kills the port with `['die', text]` (PortKilled keeps its reason). */
  error(err: unknown): void {
    if (err instanceof PortKilled) this.host.kil(this.id, ...err.reason);
    else this.host.kil(this.id, 'die', dieText(err));
  }
  /** Observer side: completion kills the port normally. */
  complete(): void {
    this.host.kil(this.id);
  }

  /** Kills this port (`kil $SELF, @reason`). */
  kill(...reason: unknown[]): void {
    this.host.kil(this.id, ...reason);
  }

  /** Sends a message to another port (convenience for `node.snd`). */
  snd(id: string, ...msg: unknown[]): void {
    this.host.snd(id, ...msg);
  }

  /**
   * Runs `fn` in this port's context (`peval`): a throw kills the port with
   * `['die', text]` and is not rethrown. Returns what `fn` returned.
   */
  eval<R>(fn: (self: this) => R): R | undefined {
    try {
      return fn(this);
    } catch (err) {
      this.error(err);
      return undefined;
    }
  }

  /** Wraps `fn` so that it runs in this port's context (`psub`). */
  wrap<A extends unknown[], R>(fn: (...args: A) => R): (...args: A) => R | undefined {
    return (...args: A) => this.eval(() => fn(...args));
  }

  // ---- kernel side -------------------------------------------------------

  /** Whether a message with no matching handler is still taken (someone subscribed). @internal */
  get observed(): boolean {
    return this.#subject !== undefined && this.#subject.observed;
  }

  /**
   * Dispatches one message: subscribers first, then a tag handler, else the
   * catch-all; a message nobody takes kills the port with
   * `['unhandled_message', …]`. Handler throws propagate to the caller
   * (the kernel turns them into `['die', …]`). @internal
   */
  dispatch(msg: Message): void {
    const subject = this.#subject;
    // taken by subscribers if any were there when it arrived (one may unsubscribe while taking it)
    const taken = subject !== undefined && subject.observed;
    if (taken) subject.next(msg);
    const tags = this.#tags;
    if (tags !== undefined && tags.size !== 0) {
      const tag = msg[0];
      // a number tag matches the handler of its text, as Perl compares tags as strings
      const h = typeof tag === 'string' ? tags.get(tag) : typeof tag === 'number' ? tags.get(String(tag)) : undefined;
      if (h !== undefined) return h(untagged(msg), this);
    }
    const all = this.#catchAll;
    if (all !== undefined) return all(msg, this);
    if (!taken) this.host.kil(this.id, 'unhandled_message', unhandledText(msg[0]));
  }

  /** Adds a one-shot monitor; returns its remover. @internal */
  addMonitor(fn: MonitorFn): () => void {
    (this.#monitors ??= []).push(fn);
    return () => {
      const m = this.#monitors;
      if (!m) return;
      const i = m.indexOf(fn);
      if (i >= 0) m.splice(i, 1);
    };
  }

  /**
   * Marks the port dead; returns the monitors to run (the caller runs them
   * later, never inside `kil`). @internal
   */
  end(reason: Reason): MonitorFn[] {
    if (this.#end !== undefined) return [];
    this.#end = reason;
    this.#catchAll = undefined;
    this.#tags = undefined;
    this.held = undefined;
    const monitors = this.#monitors ?? [];
    this.#monitors = undefined;
    return monitors;
  }

  /** Ends the `messages` stream; returns whether anybody was watching it. @internal */
  finishMessages(reason: Reason): boolean {
    const s = this.#subject;
    if (s === undefined) return false;
    this.#subject = undefined;
    const watched = s.observed;
    if (reason.length) s.error(new PortKilled(this.id, reason));
    else s.complete();
    return watched;
  }
}

/** `msg.slice(1)`, with the short cases spelled out (they are most messages; ~40 % faster). */
function untagged(msg: Message): Message {
  switch (msg.length) {
    case 1:
      return [];
    case 2:
      return [msg[1]];
    case 3:
      return [msg[1], msg[2]];
    case 4:
      return [msg[1], msg[2], msg[3]];
    default:
      return msg.slice(1);
  }
}
