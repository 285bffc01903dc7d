/**
 * Shared bits of the marble specs: a TestScheduler that asserts with
 * vitest, and a recording stand-in for the parts of a node the operators
 * take (used where the real kernel's deferred monitors cannot run inside
 * virtual time).
 */
import { expect } from 'vitest';
import { TestScheduler } from 'rxjs/testing';
import type { Message } from '../src/kernel/message.js';

export function testScheduler(): TestScheduler {
  return new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
}

/** One thing a {@link RecordingNode} was asked to do, at a virtual frame. */
export type Act =
  | [frame: number, op: 'snd', id: string, msg: Message]
  | [frame: number, op: 'kil', id: string, reason: unknown[]];

/** A node stand-in recording `sndMessage` and `kil` with the frame they happened at. */
export class RecordingNode {
  readonly acts: Act[] = [];
  constructor(private readonly scheduler: TestScheduler) {}
  sndMessage(id: string, msg: Message): void {
    this.acts.push([this.scheduler.now(), 'snd', id, msg]);
  }
  kil(id: string, ...reason: unknown[]): void {
    this.acts.push([this.scheduler.now(), 'kil', id, reason]);
  }
}

/** A `Killable` (port) stand-in recording its kills with their frames. */
export class RecordingPort {
  readonly kills: [frame: number, reason: unknown[]][] = [];
  constructor(private readonly scheduler: TestScheduler) {}
  kill(...reason: unknown[]): void {
    this.kills.push([this.scheduler.now(), reason]);
  }
}
