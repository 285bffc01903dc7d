/**
 * `ofTags`: several tags at once, the tag kept.
 * @module
 */
import { filter, type OperatorFunction } from 'rxjs';
import type { Message } from '../kernel/index.js';

/**
 * Lets through the messages whose first element is one of `tags` and emits
 * them **whole, tag included**, so one subscriber can tell them apart
 * (a `switch` on `msg[0]`). With no tags nothing passes.
 *
 * ```text
 * source:                --[a,1]--[b,2]--[c,3]--[a]--|
 * ofTags('a', 'c'):      --[a,1]---------[c,3]--[a]--|
 * ```
 *
 * Completion and errors pass through unchanged.
 *
 * @example
 * ```ts
 * port.messages.pipe(ofTags('add', 'del')).subscribe(([tag, key]) => {
 *   if (tag === 'add') keys.add(key);
 *   else keys.delete(key);
 * });
 * ```
 *
 * @param tags The tags to match (`===`).
 * @returns An operator emitting the matching messages unchanged.
 */
export function ofTags<T extends string>(
  ...tags: T[]
): OperatorFunction<Message, readonly [T, ...unknown[]]> {
  const set = new Set<unknown>(tags);
  return (source) =>
    source.pipe(
      filter(
        (msg): msg is readonly [T, ...unknown[]] => Array.isArray(msg) && msg.length > 0 && set.has(msg[0]),
      ),
    );
}
