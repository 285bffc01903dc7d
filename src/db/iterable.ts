/**
 * A pull face for delta streams: an ix `AsyncIterableX` over an
 * `Observable<FamilyDelta>` with a bounded buffer.
 *
 * Overflow policy (`overflow`):
 * - `'coalesce'` (default): when `bufferSize` deltas wait and another one
 *   arrives, it is merged into the last waiting one ({@link composeDeltas}).
 *   Nothing is lost — applying what the consumer gets still yields the
 *   family's current contents — and memory stays bounded by `bufferSize`
 *   deltas, each at most the size of the family. Merges that cancel out
 *   completely (a key added then deleted) are skipped, except the first
 *   event, which always comes.
 * - `'error'`: the iterator ends with a {@link DeltaBufferOverflow} error
 *   after yielding what was buffered; the subscription is dropped at once.
 *
 * Each `[Symbol.asyncIterator]()` call subscribes anew (cold, like the
 * Observable); `return()` (a `break` out of `for await`) or an abort signal
 * unsubscribes.
 * @module
 */
import type { Observable, Subscription } from 'rxjs';
import { AsyncIterableX } from 'ix/asynciterable/asynciterablex';
import { composeInto, copyDelta, isEmptyDelta, type FamilyDelta } from './delta.js';

/** Options of {@link deltaIterable}. */
export interface DeltaIterableOptions {
  /** Deltas kept waiting for the consumer before the overflow policy applies. Default 16, at least 1. */
  bufferSize?: number;
  /** What happens when the buffer is full. Default `'coalesce'`. */
  overflow?: 'coalesce' | 'error';
}

/** The error of an `overflow: 'error'` iterator whose consumer fell behind. */
export class DeltaBufferOverflow extends Error {
  /** Stable code for this error class. */
  readonly code = 'delta_buffer_overflow';
  constructor(
    readonly family: string,
    readonly bufferSize: number,
  ) {
    super(`db.mon(${JSON.stringify(family)}): more than ${bufferSize} deltas waiting for the consumer`);
    this.name = 'DeltaBufferOverflow';
  }
}

/** Turns a delta stream into a bounded async iterable (see the module notes for the overflow policy). */
export function deltaIterable<V>(
  source: Observable<FamilyDelta<V>>,
  options: DeltaIterableOptions = {},
): AsyncIterableX<FamilyDelta<V>> {
  const { bufferSize = 16, overflow = 'coalesce' } = options;
  if (!Number.isInteger(bufferSize) || bufferSize < 1)
    throw new TypeError('deltaIterable: bufferSize must be an integer ≥ 1');
  if (overflow !== 'coalesce' && overflow !== 'error')
    throw new TypeError("deltaIterable: overflow must be 'coalesce' or 'error'");
  return new DeltaIterable(source, bufferSize, overflow);
}

class DeltaIterable<V> extends AsyncIterableX<FamilyDelta<V>> {
  constructor(
    private readonly source: Observable<FamilyDelta<V>>,
    private readonly size: number,
    private readonly overflow: 'coalesce' | 'error',
  ) {
    super();
  }

  [Symbol.asyncIterator](signal?: AbortSignal): AsyncIterator<FamilyDelta<V>> {
    return new DeltaIterator(this.source, this.size, this.overflow, signal);
  }
}

type Waiter<V> = { resolve: (r: IteratorResult<FamilyDelta<V>>) => void; reject: (err: unknown) => void };

class DeltaIterator<V> implements AsyncIterator<FamilyDelta<V>> {
  readonly #buffer: FamilyDelta<V>[] = [];
  /** Buffered deltas that are private merges (may be folded into again). */
  readonly #owned = new WeakSet<object>();
  #waiter: Waiter<V> | undefined;
  #subscription: Subscription | undefined;
  /** No more input (completed, failed, returned or aborted). */
  #closed = false;
  #error: { err: unknown } | undefined;
  #delivered = 0;
  #started = false;

  constructor(
    private readonly source: Observable<FamilyDelta<V>>,
    private readonly size: number,
    private readonly overflow: 'coalesce' | 'error',
    private readonly signal: AbortSignal | undefined,
  ) {
    signal?.addEventListener('abort', this.#onAbort, { once: true });
  }

  next(): Promise<IteratorResult<FamilyDelta<V>>> {
    if (!this.#started) this.#start();
    for (;;) {
      const d = this.#buffer.shift();
      if (d === undefined) break;
      if (this.#delivered > 0 && isEmptyDelta(d)) continue;
      this.#delivered++;
      return Promise.resolve({ value: d, done: false });
    }
    if (this.#error !== undefined) {
      const { err } = this.#error;
      this.#error = undefined;
      return Promise.reject(err);
    }
    if (this.#closed) return Promise.resolve({ value: undefined, done: true });
    if (this.#waiter !== undefined)
      return Promise.reject(new Error('deltaIterable: next() called while another next() is pending'));
    return new Promise((resolve, reject) => (this.#waiter = { resolve, reject }));
  }

  return(): Promise<IteratorResult<FamilyDelta<V>>> {
    this.#finish();
    this.#buffer.length = 0;
    this.#error = undefined;
    return Promise.resolve({ value: undefined, done: true });
  }

  #start(): void {
    this.#started = true;
    if (this.signal?.aborted) {
      this.#onAbort();
      return;
    }
    this.#subscription = this.source.subscribe({
      next: (d) => this.#push(d),
      error: (err: unknown) => this.#fail(err),
      complete: () => {
        this.#finish();
        this.#wake();
      },
    });
    if (this.#closed) this.#subscription.unsubscribe();
  }

  #push(d: FamilyDelta<V>): void {
    if (this.#closed) return;
    const w = this.#waiter;
    if (w !== undefined && this.#buffer.length === 0) {
      if (this.#delivered > 0 && isEmptyDelta(d)) return;
      this.#waiter = undefined;
      this.#delivered++;
      w.resolve({ value: d, done: false });
      return;
    }
    if (this.#buffer.length < this.size) {
      this.#buffer.push(d);
      return;
    }
    if (this.overflow === 'error') {
      this.#fail(new DeltaBufferOverflow(d.family, this.size));
      return;
    }
    const i = this.#buffer.length - 1;
    let last = this.#buffer[i] as FamilyDelta<V>;
    if (!this.#owned.has(last)) {
      last = copyDelta(last);
      this.#owned.add(last);
      this.#buffer[i] = last;
    }
    composeInto(last as Parameters<typeof composeInto<V>>[0], d);
  }

  /** Input ends with an error, reported once the buffer is drained. */
  #fail(err: unknown): void {
    if (this.#closed) return;
    this.#error = { err };
    this.#finish();
    this.#wake();
  }

  #wake(): void {
    const w = this.#waiter;
    if (w === undefined) return;
    this.#waiter = undefined;
    this.next().then(w.resolve, w.reject);
  }

  #finish(): void {
    this.#closed = true;
    this.signal?.removeEventListener('abort', this.#onAbort);
    const s = this.#subscription;
    this.#subscription = undefined;
    s?.unsubscribe();
  }

  #onAbort = (): void => {
    const err = new Error('deltaIterable: aborted');
    err.name = 'AbortError';
    this.#buffer.length = 0;
    this.#fail(err);
  };
}
