/**
 * Where the rc file lives (PROTOCOL.md §11.1), exactly as Perl's
 * AnyEvent::MP::Config forms the name.
 * @module
 */

/** An environment: `process.env` or any name → value record. */
export type Env = Readonly<Record<string, string | undefined>>;

function lookup(env: Env, name: string): string | undefined {
  return Object.hasOwn(env, name) ? env[name] : undefined;
}

/**
 * The rc file path: `$PERL_ANYEVENT_MP_RC` if set (even when empty, as
 * Perl's `exists` test), else `$HOME/.perl-anyevent-mp`, else
 * `$APPDATA/perl-anyevent-mp`. Joined with `/` like Perl does. When none of
 * the three is set there is no rc file: `undefined` (Perl would use
 * `/perl-anyevent-mp`).
 */
export function rcPath(env: Env = process.env): string | undefined {
  const rc = lookup(env, 'PERL_ANYEVENT_MP_RC');
  if (rc !== undefined) return rc;
  const home = lookup(env, 'HOME');
  if (home !== undefined) return `${home}/.perl-anyevent-mp`;
  const appdata = lookup(env, 'APPDATA');
  if (appdata !== undefined) return `${appdata}/perl-anyevent-mp`;
  return undefined;
}
