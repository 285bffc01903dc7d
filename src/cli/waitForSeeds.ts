/**
 * A network command's node waits until it reached a seed before the
 * command goes on: it fails at once when every seed failed once (refused,
 * unreachable within the connect interval, authentication …), saying why
 * for each, or after the wait without an answer; once one seed is up it
 * gives the others up to a second more.
 * @module
 */
import { filter, firstValueFrom, map, race, take, timer } from 'rxjs';
import type { AempNode } from '../index.js';
import type { CliContext } from './context.js';
import { CliError } from './errors.js';

/**
 * On a terminal, says on stderr what the command waits for once it has
 * waited a second; returns the function that stops it.
 */
function waitingNote(ctx: CliContext, seeds: readonly string[]): () => void {
  if (!(ctx.stderr as { isTTY?: boolean }).isTTY) return () => {};
  const t = setTimeout(() => ctx.note(`aemp: waiting for a seed to answer (${seeds.join(', ')}) …`), 1000);
  return () => clearTimeout(t);
}

/**
 * Waits (at most `waitSeconds`) until one of `seeds` is known, then up to a
 * second for the rest.
 * @throws CliError when every seed failed, or none answered in time.
 */
export async function waitForSeeds(
  ctx: CliContext,
  node: AempNode,
  seeds: readonly string[],
  how: string,
  waitSeconds: number,
): Promise<void> {
  const known = () => node.seeds().size;
  if (known() === 0) {
    const failures = new Map<string, string>();
    let lastFailure: string | undefined;
    const tell = waitingNote(ctx, seeds);
    const outcome = await firstValueFrom(
      race(
        node.seeds$.pipe(
          filter((e) => {
            if (e.up) return true;
            failures.set(e.address, e.reason);
            lastFailure = e.reason;
            return seeds.every((s) => failures.has(s));
          }),
          map((e) => (e.up ? ('up' as const) : ('failed' as const))),
        ),
        timer(waitSeconds * 1000).pipe(map(() => 'timeout' as const)),
      ),
      { defaultValue: 'timeout' as const },
    ).finally(tell);
    if (outcome === 'failed') {
      const why = seeds.map((s) => `  ${s}: ${failures.get(s) ?? 'no answer'}`).join('\n');
      throw new CliError(`${how}: cannot reach any seed:\n${why}`);
    }
    if (outcome === 'timeout') {
      throw new CliError(
        `${how}: could not reach any seed (${seeds.join(', ')}) within ${waitSeconds} s` +
          (lastFailure ? `: ${lastFailure}` : ''),
      );
    }
  }
  if (known() < seeds.length) {
    await firstValueFrom(
      race(
        node.seeds$.pipe(
          filter((e) => e.up && known() >= seeds.length),
          take(1),
        ),
        timer(1000),
      ),
      { defaultValue: undefined },
    );
  }
}
