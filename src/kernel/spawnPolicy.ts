/**
 * Who may run a function here by naming it: the policy of a node-port
 * `AnyEvent::MP::_spawn` request (a remote `spawn`).
 *
 * | `secure` | `spawnAllow` | a `_spawn` of a registered function |
 * | --- | --- | --- |
 * | false | not given | runs |
 * | true | not given | refused: `remote execution not allowed` (Perl's secure mode) |
 * | either | a list | runs when the function is in the list, else refused |
 *
 * An unregistered function is always refused. The check looks at the
 * request, not at who sent it: a peer cannot get round it through the
 * `snd` relay to our own node port (a secure Perl node refuses its own
 * function-name requests too). Local `spawn` never goes through here.
 * @module
 */
/** What the policy reads of a node (the kernel has it; declared here so that this file does not import the kernel). */
export interface SpawnPolicyHost {
  /** Secure mode. */
  readonly secure: boolean;
  /** The allow-list, if one was given. */
  readonly spawnAllow: ReadonlySet<string> | undefined;
  /** Whether a function of that name is registered (its init function, if any). */
  registered(name: string): unknown;
}

/** Why `_spawn` of `fn` is refused on `kernel`, or `undefined` when it may run. */
export function remoteSpawnRefusal(kernel: SpawnPolicyHost, fn: string): string | undefined {
  const allow = kernel.spawnAllow;
  if (allow !== undefined) {
    if (!allow.has(fn)) return `remote execution not allowed (${fn} is not in spawnAllow)`;
  } else if (kernel.secure) {
    return `remote execution not allowed (secure: remote spawn of ${fn})`;
  }
  if (kernel.registered(fn) === undefined) return `remote execution not allowed (${fn} is not registered)`;
  return undefined;
}

/** Whether `kernel` runs any remote spawn at all (what `can AnyEvent::MP::_spawn` answers). */
export function servesRemoteSpawn(kernel: SpawnPolicyHost): boolean {
  const allow = kernel.spawnAllow;
  return allow !== undefined ? allow.size > 0 : !kernel.secure;
}
