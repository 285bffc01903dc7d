/**
 * Left-to-right processing of sub-commands, as Perl's `aemp` does:
 * `aemp profile seed setbinds 127.0.0.1:4040 setsecret x` is three
 * sub-commands. The command line is cut into one segment per sub-command,
 * using what each commander command declares (its arguments: how many
 * tokens it takes; its options: which of them take a value); each segment
 * is then parsed by commander on its own.
 *
 * Global options (those of the program itself) may appear anywhere before
 * a `--`; they are taken out and given to every segment. A sub-command with
 * a variadic argument (`snd PORT ARG…`, `showconfig [NAME] [KEY VALUE…]`)
 * takes everything after it; so does `--`.
 * @module
 */
import type { Command, Option } from 'commander';
import { UsageError } from './errors.js';

/** The command line cut up. */
export interface Chain {
  /** The global options, as written (with their values). */
  readonly globals: string[];
  /** One token list per sub-command, each starting with its name. */
  readonly segments: string[][];
}

const NEGATIVE_NUMBER = /^-\d*\.?\d+(?:[eE][+-]?\d+)?$/;

function findOption(options: readonly Option[], token: string): Option | undefined {
  const name = token.startsWith('--') ? (token.split('=', 1)[0] as string) : token.slice(0, 2);
  return options.find((o) => o.long === name || o.short === name);
}

/** How many tokens an option token consumes after itself (0 or 1). */
function optionValueCount(option: Option, token: string, next: string | undefined): number {
  if (token.startsWith('--') && token.includes('=')) return 0;
  if (!token.startsWith('--') && token.length > 2) return 0; // -c5
  if (option.required) return next === undefined ? 0 : 1;
  if (option.optional) return next !== undefined && !next.startsWith('-') ? 1 : 0;
  return 0;
}

/** The sub-command named `name` (or aliased so), if any. */
export function findCommand(program: Command, name: string): Command | undefined {
  return program.commands.find((c) => c.name() === name || c.aliases().includes(name));
}

function maxPositionals(cmd: Command): number {
  const args = cmd.registeredArguments;
  if (args.some((a) => a.variadic)) return Infinity;
  return args.length;
}

/**
 * Cuts `argv` into global options and sub-command segments. A token that
 * is neither an option nor an argument the current sub-command still takes
 * starts a new segment (commander reports it if it names no command).
 * `help` as the first sub-command takes the rest of the line.
 */
export function cutChain(argv: readonly string[], program: Command): Chain {
  const globals: string[] = [];
  const segments: string[][] = [];
  let current: string[] | undefined;
  let cmd: Command | undefined;
  let positionals = 0;
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i] as string;
    if (token === '--') {
      const rest = argv.slice(i);
      if (current) current.push(...rest);
      else segments.push((current = [...rest]));
      break;
    }
    if (token.startsWith('-') && token !== '-' && !NEGATIVE_NUMBER.test(token)) {
      const global = findOption(program.options, token);
      const own = cmd ? findOption(cmd.options, token) : undefined;
      const option = own ?? global;
      const take = option ? optionValueCount(option, token, argv[i + 1]) : 0;
      const tokens = argv.slice(i, i + 1 + take);
      i += take;
      if (own === undefined && global !== undefined) globals.push(...tokens);
      else if (current) current.push(...tokens);
      else globals.push(...tokens); // unknown, before any command: commander reports it
      continue;
    }
    if (current && cmd && positionals < maxPositionals(cmd)) {
      current.push(token);
      positionals++;
      continue;
    }
    if (current && cmd === undefined) {
      current.push(token); // after an unknown command: let commander complain about that one
      continue;
    }
    segments.push((current = [token]));
    positionals = 0;
    cmd = findCommand(program, token);
    if (token === 'help' && segments.length === 1) {
      current.push(...argv.slice(i + 1).filter((t) => !findOption(program.options, t)));
      break;
    }
  }
  return { globals, segments };
}

/** The usage line of `cmd`: its name and arguments, as `--help` shows them. */
function usageOf(cmd: Command): string {
  const args = cmd.registeredArguments.map((a) => {
    const name = a.name() + (a.variadic ? '...' : '');
    return a.required ? `<${name}>` : `[${name}]`;
  });
  return [cmd.name(), ...args].join(' ');
}

/**
 * Checks a cut command line before anything runs: every segment names a
 * sub-command, `help NAME` names one, and no sub-command of fixed arity is
 * followed by a word that is not a sub-command (an extra argument).
 * Missing arguments and bad options are left to commander, which reports
 * them when the segment is parsed (also before it runs).
 * @throws UsageError naming the problem.
 */
export function checkChain(segments: readonly string[][], program: Command): void {
  let previous: Command | undefined;
  for (const segment of segments) {
    const [name, ...rest] = segment;
    if (name === undefined || name === '--' || name.startsWith('-')) continue;
    if (name === 'help') {
      // commander's own help command: one optional command name
      const words = rest.filter((t) => !t.startsWith('-'));
      const topic = words[0];
      if (topic !== undefined && findCommand(program, topic) === undefined)
        throw new UsageError(`help: unknown command '${topic}'${didYouMean(topic, program)} (aemp --help lists them)`);
      if (words.length > 1) throw new UsageError('help: takes one command name (usage: aemp help [command])');
      previous = undefined;
      continue;
    }
    const cmd = findCommand(program, name);
    if (cmd === undefined) {
      if (previous !== undefined && maxPositionals(previous) !== Infinity) {
        throw new UsageError(
          `${previous.name()}: unexpected argument '${name}' (usage: aemp ${usageOf(previous)})`,
        );
      }
      throw new UsageError(`unknown command '${name}'${didYouMean(name, program)} (aemp --help lists them)`);
    }
    previous = cmd;
  }
}

/** Edit distance of two short words (insertions, deletions, substitutions, swaps of neighbours). */
function distance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[a.length]![b.length]!;
}

/** `. Did you mean X?` for the closest command names (as commander suggests), or `''`. */
function didYouMean(word: string, program: Command): string {
  const names = program.commands.flatMap((c) => [c.name(), ...c.aliases()]);
  let best = Infinity;
  let found: string[] = [];
  for (const n of names) {
    const dist = distance(word, n);
    if (dist > Math.max(1, Math.floor(n.length * 0.4))) continue;
    if (dist < best) [best, found] = [dist, [n]];
    else if (dist === best) found.push(n);
  }
  return found.length ? `. Did you mean ${found.join(' or ')}?` : '';
}
