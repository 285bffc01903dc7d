/**
 * Socket error texts as Perl (strerror) prints them, so transport errors read
 * the same on both sides of a mixed network.
 * @module
 */

const TEXTS: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'Connection refused',
  ECONNRESET: 'Connection reset by peer',
  ECONNABORTED: 'Software caused connection abort',
  ETIMEDOUT: 'Connection timed out',
  EPIPE: 'Broken pipe',
  EHOSTUNREACH: 'No route to host',
  ENETUNREACH: 'Network is unreachable',
  ENETDOWN: 'Network is down',
  EADDRINUSE: 'Address already in use',
  EADDRNOTAVAIL: 'Cannot assign requested address',
  EACCES: 'Permission denied',
  ENOTFOUND: 'Name or service not known',
  EAI_AGAIN: 'Temporary failure in name resolution',
};

/** The strerror-style text of a socket error (`Connection refused` …), else its message. */
export function socketErrorText(err: unknown): string {
  if (err && typeof err === 'object') {
    const code = (err as { code?: unknown }).code;
    if (typeof code === 'string' && Object.hasOwn(TEXTS, code)) return TEXTS[code]!;
    if (err instanceof Error) return err.message;
  }
  return String(err);
}

/**
 * The failure kind of a socket error: `refused` for `ECONNREFUSED`, `reset`
 * for `ECONNRESET`/`EPIPE` (the peer dropped the connection), `socket`
 * otherwise.
 */
export function socketErrorKind(err: unknown): 'refused' | 'reset' | 'socket' {
  const code = (err as { code?: unknown } | null)?.code;
  if (code === 'ECONNREFUSED') return 'refused';
  if (code === 'ECONNRESET' || code === 'EPIPE') return 'reset';
  return 'socket';
}
