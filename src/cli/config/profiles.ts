/**
 * The profile commands: `profile NAME` (switch the target of the
 * following edits), `delprofile`, `setparent`, `delparent`, and showing
 * `showprofile` / `showconfig`.
 * @module
 */
import { hostname } from 'node:os';
import type { Command } from 'commander';
import { setOwn, toSnakeKey } from '../../index.js';
import type { CliContext } from '../context.js';
import { CliError, UsageError } from '../errors.js';
import { edit, inGroup, show, valueFor } from './shared.js';

/** Registers the profile commands. */
export function registerProfileCommands(program: Command, ctx: CliContext): void {
  inGroup(
    program
      .command('profile')
      .argument('<name>', 'profile name')
      .description('make the following set…/del… sub-commands edit profile NAME')
      .addHelpText('after', '\nExample: aemp profile seed setbinds 127.0.0.1:4040 setsecret s3cret')
      .action((name: string) => {
        ctx.target = name;
      }),
    'profiles',
  );
  inGroup(
    program
      .command('delprofile')
      .argument('<name>', 'profile name')
      .description('remove profile NAME from the rc file')
      .action((name: string) =>
        edit(() => {
          const e = ctx.editor();
          if (e.showProfile(name) === undefined)
            throw new CliError(`no profile ${JSON.stringify(name)} in ${ctx.rcPath()}`);
          e.delProfile(name);
        }),
      ),
    'profiles',
  );
  registerParentCommands(program, ctx);
  registerShowCommands(program, ctx);
}

function registerParentCommands(program: Command, ctx: CliContext): void {
  inGroup(
    program
      .command('setparent')
      .alias('parent')
      .argument('<name>', 'the parent profile')
      .description('make the current profile inherit from profile NAME')
      .addHelpText('after', '\nNeeds a profile: aemp profile worker setparent common')
      .action((name: string) =>
        edit(() => {
          const target = needProfile(ctx, 'setparent');
          const e = ctx.editor();
          if (e.showProfile(name) === undefined)
            ctx.note(`aemp: note: profile ${JSON.stringify(name)} does not exist (yet)`);
          e.setParent(target, name);
        }),
      ),
    'profiles',
  );
  inGroup(
    program
      .command('delparent')
      .description('remove the parent of the current profile')
      .action(() => edit(() => ctx.editor().delParent(needProfile(ctx, 'delparent')))),
    'profiles',
  );
}

function registerShowCommands(program: Command, ctx: CliContext): void {
  inGroup(
    program
      .command('showprofile')
      .argument('[name]', 'profile name (default: the one "profile NAME" chose)')
      .description('print a profile as stored (JSON)')
      .action((name: string | undefined) => {
        const n = name ?? ctx.target;
        if (n === undefined) throw new UsageError('showprofile needs a profile name');
        const p = ctx.editor().showProfile(n);
        if (p === undefined) throw new CliError(`no profile ${JSON.stringify(n)} in ${ctx.rcPath()}`);
        show(ctx, p);
      }),
    'profiles',
  );
  inGroup(
    program
      .command('showconfig')
      .argument('[name]', 'profile name (default: the one "profile NAME" chose, else the host name)')
      .argument('[settings...]', 'KEY VALUE pairs given as configure arguments')
      .description(
        'print the effective configuration of a profile (JSON): defaults, top level, parents, profile',
      )
      .action((name: string | undefined, settings: string[]) => {
        if (settings.length % 2) throw new UsageError('showconfig: settings must be KEY VALUE pairs');
        const options: Record<string, unknown> = {};
        for (let i = 0; i < settings.length; i += 2) {
          const key = settings[i] as string;
          setOwn(options, key, valueFor(toSnakeKey(key), settings[i + 1] as string));
        }
        const profile = name ?? ctx.target ?? hostname();
        let merged: Record<string, unknown> = {};
        edit(() => {
          merged = ctx.editor().showConfig(profile, options);
        });
        show(ctx, merged);
      }),
    'profiles',
  );
}

function needProfile(ctx: CliContext, what: string): string {
  if (ctx.target === undefined)
    throw new UsageError(`${what} needs a profile first: aemp profile NAME ${what} …`);
  return ctx.target;
}
