/**
 * The node port (`nodeid#`, `""` on the wire): the control endpoint every
 * node has. Messages are `[TAG, ...ARGS]`; the built-in services of
 * PROTOCOL.md §5 live here, and layers above (the remote kernel, the
 * database) add theirs to `kernel.services` — they speak ordinary
 * node-port messages, no special paths.
 * @module
 */
import type { LogFn } from '../log/index.js';
import type { Message } from './message.js';
import { dieText } from './message.js';
import type { Reason } from './errors.js';
import { remoteSpawnRefusal, servesRemoteSpawn, type SpawnPolicyHost } from './spawnPolicy.js';

/** A node-port service: gets the sender node id and the arguments after the tag. */
export type NodeService = (from: string, args: readonly unknown[]) => void;

/**
 * What the node port needs of its node (the `Kernel` implements it; declared
 * here so that the node port does not import the kernel that uses it). Not
 * public API.
 */
export interface NodePortHost extends SpawnPolicyHost {
  /** The node id. */
  readonly id: string;
  /** Services added by the layers above, by tag. */
  readonly services: ReadonlyMap<string, NodeService>;
  /** Logs through the node's log stream. */
  readonly log: LogFn;
  /** `snd` with the message as one array. */
  sndMessage(id: string, msg: Message): void;
  /** Kills a port (a local `kil1` to our own node port). */
  kil(id: string, ...reason: unknown[]): void;
  /** Kills a local port by name for another node, its monitors at once. */
  killFromRemote(name: string, reason: Reason): void;
  /** Makes local port `portName` and runs registered function `fn` on it (`now`: at once). */
  spawnLocal(portName: string, fn: string, args: readonly unknown[], now?: boolean): unknown;
}

/** Tags the node port always knows (Perl's %NODE_REQ; `_spawn` unless the spawn policy refuses every one). */
const BUILTIN = new Set(['', 'devnull', 'snd', 'time', 'can', 'eval', 'kil1']);
const SPAWN = 'AnyEvent::MP::_spawn';

/** Sends `[...reply.slice(1), ...results]` to `reply[0]` when a reply port is given. */
function reply(kernel: NodePortHost, replyTo: readonly unknown[], ...results: unknown[]): void {
  const [port, ...rest] = replyTo;
  if (typeof port === 'string' && port) kernel.sndMessage(port, [...rest, ...results]);
}

/** A peer's tag for an error text; String() of an object whose own `toString` is not a function would throw. */
function tagText(tag: unknown): string {
  if (typeof tag === 'string') return tag;
  if (typeof tag === 'object' && tag !== null) return Array.isArray(tag) ? 'an array' : 'an object';
  return String(tag);
}

/**
 * Handles one node-port message from node `from` (our own id for local
 * sends). Errors are logged as Perl does
 * (`error processing node message from <node>: …`) and nothing is sent back.
 */
export function handleNodeMessage(kernel: NodePortHost, from: string, msg: Message): void {
  const tag = msg.length ? msg[0] : '';
  const args = msg.slice(1);
  try {
    switch (tag) {
      case '':
      case 'devnull':
        return;
      case 'snd': {
        const [to, ...rest] = args;
        if (typeof to !== 'string') throw new Error('snd relay: port id must be a string');
        kernel.sndMessage(to, rest);
        return;
      }
      case 'time':
        reply(kernel, args, Date.now() / 1000);
        return;
      case 'can': {
        const [what, ...replyTo] = args;
        // what a peer may send as a node-port tag (registered spawnables are reached through _spawn only)
        const known =
          typeof what === 'string' &&
          (BUILTIN.has(what) || kernel.services.has(what) || (what === SPAWN && servesRemoteSpawn(kernel)));
        reply(kernel, replyTo, known ? '1' : '');
        return;
      }
      case 'eval':
        throw new Error('remote execution not allowed');
      case 'kil1': {
        const [name, ...reason] = args;
        if (typeof name !== 'string' || !name) throw new Error('kil1: port name must be a non-empty string');
        if (from === kernel.id) kernel.kil(kernel.id + '#' + name, ...reason);
        else kernel.killFromRemote(name, reason);
        return;
      }
      case SPAWN: {
        const [name, fn, ...initArgs] = args;
        if (typeof name !== 'string' || !name || typeof fn !== 'string') throw new Error('_spawn: bad arguments');
        const refused = remoteSpawnRefusal(kernel, fn);
        if (refused !== undefined) throw new Error(refused);
        kernel.spawnLocal(name, fn, initArgs, true);
        return;
      }
    }
    const service = typeof tag === 'string' ? kernel.services.get(tag) : undefined;
    if (service === undefined) throw new Error(`remote execution not allowed (${tagText(tag)})`);
    service(from, args);
  } catch (err) {
    kernel.log('error', 'kernel', `error processing node message from ${from}: ${dieText(err)}`);
  }
}
