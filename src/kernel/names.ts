/**
 * Port-name counters in AnyEvent::MP's style: Perl's "magic string
 * increment" (`a` → `b` … `z` → `aa` → `ab` …), pre-incremented from `a`,
 * so the first name is `b` (PROTOCOL.md §1.2).
 * @module
 */

/** Perl's magic increment of a lower-case string: `'a'`→`'b'`, `'z'`→`'aa'`, `'az'`→`'ba'`. */
export function magicIncrement(s: string): string {
  let i = s.length - 1;
  let out = '';
  while (i >= 0) {
    const c = s.charCodeAt(i);
    if (c !== 122 /* z */) return s.slice(0, i) + String.fromCharCode(c + 1) + out;
    out = 'a' + out;
    i--;
  }
  return 'a' + out;
}

/** A counter handing out `b`, `c`, … `z`, `aa`, … — one per node, never reset. */
export class NameCounter {
  #last = 'a';
  /** The next name suffix. */
  next(): string {
    return (this.#last = magicIncrement(this.#last));
  }
}
