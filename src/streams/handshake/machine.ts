/**
 * The AEMP handshake as a pure state machine (PROTOCOL.md §2): bytes or
 * lines in, actions out. No I/O, no timers; the transport runs the actions.
 *
 * ```
 * new → start() → greeting ─line 1→ nonce ─line 2→ auth ─line 3→ established
 *                    └───────────── any error ──────────────→ failed
 * ```
 * @module
 */
import { authData, formatAuthLine, parseAuthLine, sameAuthData, type GreetingLines } from './auth.js';
import {
  DEFAULT_MAX_LINE_BYTES,
  GPROTO,
  MPROTO,
  PROTOCOL,
  PROVIDER,
  TLS_VERSION,
  isAuthMethod,
} from './constants.js';
import { checkGreeting, formatGreeting, parseGreeting, type Greeting } from './greeting.js';
import { HandshakeError } from './handshake-error.js';
import { LineReader } from './line-reader.js';
import { chooseAuthMethod, chooseFraming, tlsRole } from './negotiate.js';
import { createNonce } from './nonce.js';
import { perlInt } from './perl.js';
import type { AdmitRefusal } from './handshake-error.js';
import type { HandshakeAction, HandshakeConfig, HandshakeState, TlsRole } from './types.js';
import {
  AUTH_FAILURE,
  ECHO_ATTACK,
  NO_TLS_NO_SECRET,
  authNotAccepted,
  noCommonAuth,
  noCommonFraming,
  unsupportedRcvAuth,
  unsupportedSndAuth,
  lineTooLong,
  unusableRemoteFraming,
} from './texts.js';


const EMPTY = new Uint8Array(0);
const LF = 0x0a;
const utf8 = new TextDecoder('utf-8', { fatal: false });

/** One side of one handshake. */
export class Handshake {
  /** Our greeting line 1 (without LF). */
  readonly line1: string;
  /** Our greeting line 2, the nonce (without LF). */
  readonly line2: string;
  readonly #cfg: HandshakeConfig;
  readonly #secret: Uint8Array | undefined;
  readonly #own: GreetingLines;
  readonly #reader: LineReader;
  #state: HandshakeState = 'new';
  #peerLine1: Uint8Array = EMPTY;
  #peer: GreetingLines | undefined;
  #greeting: Greeting | undefined;
  #protocol = PROTOCOL;
  #tls = false;
  #role: TlsRole | undefined;
  #sAuth = '';
  #sFraming = '';
  /** `admit` answered `'hold'`: no line is read until {@link resume}. */
  #held = false;

  constructor(cfg: HandshakeConfig) {
    this.#cfg = cfg;
    this.#secret = typeof cfg.secret === 'string' ? Buffer.from(cfg.secret, 'utf8') : cfg.secret;
    if (this.#secret && this.#secret.length === 0) this.#secret = undefined;
    const kv: [string, string][] = [
      ['provider', PROVIDER],
      ['peeraddr', cfg.peerAddr],
      ['mproto', MPROTO],
      ['gproto', GPROTO],
    ];
    if (cfg.tls) kv.push(['tls', TLS_VERSION]);
    this.line1 =
      cfg.greetingLine1 ??
      formatGreeting({ nodeId: cfg.nodeId, authAccept: cfg.authAccept, framings: cfg.framings, kv });
    this.line2 = cfg.nonce ?? createNonce();
    this.#own = { line1: Buffer.from(this.line1, 'utf8'), line2: Buffer.from(this.line2, 'utf8') };
    this.#reader = new LineReader(cfg.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES);
  }

  /** Where the handshake stands. */
  get state(): HandshakeState {
    return this.#state;
  }

  /** Bytes received and not yet consumed as a line. */
  get pending(): number {
    return this.#reader.pending;
  }

  /** Begins: returns the write of both our greeting lines (each LF-terminated). */
  start(): HandshakeAction[] {
    if (this.#state !== 'new') return [];
    this.#state = 'greeting';
    return [{ type: 'write', data: Buffer.from(`${this.line1}\n${this.line2}\n`, 'utf8') }];
  }

  /**
   * Feeds received bytes (raw before TLS, decrypted after). Stops consuming
   * at the action that changes the stream (`starttls`, `established`) and
   * hands the unconsumed bytes over in its `rest`. Never throws.
   */
  push(chunk: Uint8Array): HandshakeAction[] {
    if (!this.#active()) return [];
    const out: HandshakeAction[] = [];
    try {
      this.#reader.push(chunk);
      for (;;) {
        if (this.#held) {
          // the peer may send its nonce and auth lines meanwhile, no more
          if (this.#reader.pending > 2 * this.#reader.maxLineBytes)
            throw new HandshakeError(lineTooLong(this.#reader.maxLineBytes), 'protocol');
          break;
        }
        const line = this.#reader.next();
        if (line === undefined) break;
        const before = this.#state;
        this.#onLine(line, out);
        if (!this.#active()) break;
        if (before === 'nonce' && this.#tls) {
          // Everything after the nonce line belongs to TLS.
          const i = out.findIndex((a) => a.type === 'starttls');
          const a = out[i] as Extract<HandshakeAction, { type: 'starttls' }>;
          out[i] = { ...a, rest: this.#reader.takeRest() };
          break;
        }
      }
    } catch (e) {
      this.#fail(e, out);
    }
    if (this.#state === 'established') {
      const i = out.length - 1;
      const a = out[i] as Extract<HandshakeAction, { type: 'established' }>;
      out[i] = { ...a, rest: this.#reader.takeRest() };
    }
    return out;
  }

  /**
   * The decision `admit` held back (it answered `'hold'`): a refusal fails
   * the handshake with it; `undefined` goes on with the lines received
   * meanwhile. Never throws; nothing happens when nothing is held.
   */
  resume(refusal: AdmitRefusal | undefined): HandshakeAction[] {
    if (!this.#active() || !this.#held) return [];
    this.#held = false;
    if (refusal !== undefined) {
      const out: HandshakeAction[] = [];
      this.#fail(new HandshakeError(refusal.text, refusal.kind), out);
      return out;
    }
    return this.push(EMPTY);
  }

  /** Whether `admit`'s decision is held back (see {@link resume}). */
  get held(): boolean {
    return this.#held;
  }

  /** Feeds one complete line (without its terminator). For tests and line-based callers. Never throws. */
  receiveLine(line: Uint8Array | string): HandshakeAction[] {
    if (!this.#active()) return [];
    const bytes = typeof line === 'string' ? Buffer.from(line, 'utf8') : line;
    const out: HandshakeAction[] = [];
    try {
      if (bytes.length + 1 > this.#reader.maxLineBytes || bytes.includes(LF))
        throw new HandshakeError(lineTooLong(this.#reader.maxLineBytes), 'protocol');
      if (this.#held) return this.push(Buffer.concat([bytes, Buffer.from([LF])]));
      this.#onLine(bytes, out);
    } catch (e) {
      this.#fail(e, out);
    }
    return out;
  }

  /** Gives up from outside (timeout, socket error): moves to `failed` and returns the fail action. */
  abort(reason: string): HandshakeAction[] {
    if (!this.#active()) return [];
    this.#state = 'failed';
    return [{ type: 'fail', reason }];
  }

  #active(): boolean {
    return this.#state === 'greeting' || this.#state === 'nonce' || this.#state === 'auth';
  }

  #fail(e: unknown, out: HandshakeAction[]): void {
    this.#state = 'failed';
    if (e instanceof HandshakeError) out.push({ type: 'fail', reason: e.message, kind: e.kind });
    else out.push({ type: 'fail', reason: `internal handshake error: ${String(e)}`, kind: 'internal' });
  }

  #onLine(line: Uint8Array, out: HandshakeAction[]): void {
    switch (this.#state) {
      case 'greeting':
        return this.#onGreeting(line);
      case 'nonce':
        return this.#onNonce(line, out);
      case 'auth':
        return this.#onAuth(line, out);
      default:
        return;
    }
  }

  #onGreeting(line: Uint8Array): void {
    const g = parseGreeting(utf8.decode(line));
    this.#protocol = checkGreeting(g, { nodeId: this.#cfg.nodeId });
    if (this.#protocol === PROTOCOL && this.#cfg.admit) {
      const refusal = this.#cfg.admit(g.nodeId);
      if (refusal === 'hold') this.#held = true;
      else if (refusal !== undefined) throw new HandshakeError(refusal.text, refusal.kind);
    }
    this.#peerLine1 = Uint8Array.from(line);
    this.#greeting = g;
    this.#state = 'nonce';
  }

  #onNonce(line: Uint8Array, out: HandshakeAction[]): void {
    const g = this.#greeting!;
    const peer: GreetingLines = { line1: this.#peerLine1, line2: Uint8Array.from(line) };
    if (
      Buffer.compare(peer.line1, this.#own.line1) === 0 &&
      Buffer.compare(peer.line2, this.#own.line2) === 0
    )
      throw new HandshakeError(ECHO_ATTACK, 'auth');
    const tls = this.#cfg.tls && perlInt(g.kv.tls) === 1;
    const secret = this.#secret;
    const sAuth = chooseAuthMethod(g.authAccept, this.#cfg.authOffer, { tls, secret: secret !== undefined });
    if (sAuth === undefined) throw new HandshakeError(noCommonAuth(g.fields[3] ?? ''), 'negotiation');
    const sFraming = chooseFraming(g.framings, this.#cfg.framings);
    if (sFraming === undefined) throw new HandshakeError(noCommonFraming(g.fields[4] ?? ''), 'negotiation');
    if (!tls && !secret) throw new HandshakeError(NO_TLS_NO_SECRET, 'negotiation');
    const data = authData(sAuth, this.#own, peer, { secret, tls });
    if (data === undefined) throw new HandshakeError(unsupportedSndAuth(sAuth), 'negotiation');
    this.#peer = peer;
    this.#tls = tls;
    this.#sAuth = sAuth;
    this.#sFraming = sFraming;
    this.#state = 'auth';
    if (tls) {
      this.#role = tlsRole(this.#own.line2, peer.line2);
      out.push({ type: 'starttls', role: this.#role, rest: EMPTY });
    }
    out.push({
      type: 'write',
      data: Buffer.from(`${formatAuthLine({ method: sAuth, data, framing: sFraming })}\n`, 'utf8'),
    });
  }

  #onAuth(line: Uint8Array, out: HandshakeAction[]): void {
    const a = parseAuthLine(utf8.decode(line));
    if (!isAuthMethod(a.method)) throw new HandshakeError(unsupportedRcvAuth(a.method), 'auth');
    if (!this.#cfg.authAccept.includes(a.method)) throw new HandshakeError(authNotAccepted(a.method), 'auth');
    const expected = authData(a.method, this.#peer!, this.#own, { secret: this.#secret, tls: this.#tls });
    if (expected === undefined || !sameAuthData(a.data, expected)) throw new HandshakeError(AUTH_FAILURE, 'auth');
    if (!this.#cfg.receivableFramings.includes(a.framing))
      throw new HandshakeError(unusableRemoteFraming(a.framing), 'negotiation');
    const g = this.#greeting!;
    this.#state = 'established';
    out.push({
      type: 'established',
      rest: EMPTY,
      result: {
        protocol: this.#protocol,
        remoteNodeId: g.nodeId,
        remoteGreeting: g,
        tls: this.#tls,
        tlsRole: this.#role,
        local: { framing: this.#sFraming, authMethod: this.#sAuth },
        remote: { framing: a.framing, authMethod: a.method },
      },
    });
  }
}
