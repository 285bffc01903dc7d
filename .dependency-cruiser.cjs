/* global module */
/**
 * The house rules of src/ (issue #12, ARCHITECTURE.md), checked by `npm run lint`:
 *
 *   depcruise src --config .dependency-cruiser.cjs
 *
 * - layering: rooms bottom to top are log < config < streams < kernel < remote < db <
 *   operators < front (the .ts files directly in src/) < cli; a module imports only from its
 *   own room or rooms below. Inside streams: framing, handshake < transport.
 * - front doors: across rooms, only a room's index.ts is imported (outside streams, only
 *   src/streams/index.ts; inside streams, a sub-room's index.ts).
 * - cli uses only the public API: src/index.ts.
 * - no import circles, type-only imports included (`import type` is erased at run time, but
 *   a circle of types is still two files that cannot be understood one without the other —
 *   the circles issue #12 names, message ↔ port and node ↔ nodePort, are type-only).
 * - nothing unresolvable, no dead files, no devDependency in shipped code.
 *
 * TEMPORARY EXCEPTIONS: the `exceptions` table below names imports that other helpers of
 * issue #12 are removing in parallel; the lead deletes each entry once its branch is merged.
 * Do not add to it: fix the import instead.
 */

/** Rooms bottom to top; a room may import only itself and the rooms before it. */
const LAYERS = [
  ['log', '^src/log/'],
  ['config', '^src/config/'],
  ['streams', '^src/streams/'],
  ['kernel', '^src/kernel/'],
  ['remote', '^src/remote/'],
  ['db', '^src/db/'],
  ['operators', '^src/operators/'],
  ['front', '^src/[^/]+\\.ts$'],
  ['cli', '^src/cli/'],
];

/** The public front: the files directly in src/ (the package's entry points and their parts). */
const FRONT = '^src/[^/]+\\.ts$';
/** A room's front door. */
const ROOM_INDEX = '^src/[^/]+/index\\.ts$';
/** Where the program starts: the package's two entry points and the `aemp` command. */
const ENTRY_POINTS = ['^src/index\\.ts$', '^src/classic\\.ts$', '^src/cli/main\\.ts$'];

/**
 * Imports allowed against a rule, each with the reason it is allowed (`until`: what must land
 * before it goes). None now: every room keeps the rules. Each names a file (`from`) and the files it may
 * still import against the rule (`to`); for `no-circular`, the files of a circle (no `to`).
 * @type {{ rule: string; from: string[]; to?: string[]; until: string }[]}
 */
const exceptions = [];

/** `x` as a list (a rule's path may be a string or a list of strings). */
const list = (x) => (x === undefined ? [] : [x].flat());
/** One regular expression matching any of `xs` (group references like `$1` survive). */
const anyOf = (xs) => xs.map((x) => `(?:${x})`).join('|');

/** A regular expression matching exactly the file `path`. */
const exactly = (path) => `^${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`;

/**
 * A rule with its exceptions: the excepted files leave the rule; each gets a copy of the rule
 * of its own (`from` narrowed to the file by a lookahead, which keeps `$1` working) in which
 * only its excepted imports pass. A file excepted without `to` leaves the rule entirely.
 */
function withExceptions(rule) {
  /** @type {Map<string, (string | undefined)[]>} excepted file → the imports it may keep */
  const files = new Map();
  for (const e of exceptions.filter((x) => x.rule === rule.name)) {
    for (const from of e.from) files.set(from, [...(files.get(from) ?? []), ...(e.to ?? [undefined])]);
  }
  const base = {
    ...rule,
    from: { ...rule.from, pathNot: [...list(rule.from.pathNot), ...[...files.keys()].map(exactly)] },
  };
  const copies = [...files].flatMap(([file, allowed]) => {
    if (allowed.includes(undefined)) return [];
    return [
      {
        ...rule,
        comment: `${rule.comment} (with temporary exceptions, see .dependency-cruiser.cjs)`,
        from: { ...rule.from, path: `(?=${exactly(file)})(?:${anyOf(list(rule.from.path))})` },
        to: { ...rule.to, pathNot: anyOf([...list(rule.to.pathNot), ...allowed.map(exactly)]) },
      },
    ];
  });
  return [base, ...copies];
}

const layering = LAYERS.flatMap(([name, path], i) => {
  const above = LAYERS.slice(i + 1).map(([, p]) => p);
  if (above.length === 0) return [];
  return [
    {
      name: 'layering',
      comment: `${name} may import only from its own room and the rooms below it (${LAYERS.slice(0, i + 1)
        .map(([n]) => n)
        .join(' < ')}); see ARCHITECTURE.md`,
      severity: 'error',
      from: { path },
      to: { path: above },
    },
  ];
});

/** @type {import('dependency-cruiser').IConfiguration['forbidden']} */
const rules = [
  ...layering,
  {
    name: 'streams-layering',
    comment:
      'inside streams, framing and handshake are pure and import no other part of streams; transport builds on both',
    severity: 'error',
    from: { path: '^src/streams/(framing|handshake)/' },
    to: { path: ['^src/streams/transport/', '^src/streams/index\\.ts$'] },
  },
  {
    name: 'no-circular',
    comment: 'no import circles, type-only imports included',
    severity: 'error',
    from: {},
    to: { circular: true },
  },
  {
    name: 'front-door-only',
    comment: "across rooms, import only the room's index.ts (outside streams: src/streams/index.ts)",
    severity: 'error',
    from: { path: '^src/([^/]+)/', pathNot: '^src/streams/' },
    to: { path: '^src/[^/]+/', pathNot: ['^src/$1/', ROOM_INDEX] },
  },
  {
    name: 'front-door-only',
    comment: 'the front files import a room only through its index.ts (streams: src/streams/index.ts)',
    severity: 'error',
    from: { path: FRONT },
    to: { path: '^src/[^/]+/', pathNot: ROOM_INDEX },
  },
  {
    name: 'streams-front-door-only',
    comment:
      "streams' sub-rooms import each other only through their index.ts, and other rooms only through theirs",
    severity: 'error',
    from: { path: '^src/streams/([^/]+)/' },
    to: {
      path: '^src/',
      pathNot: ['^src/streams/$1/', '^src/streams/[^/]+/index\\.ts$', ROOM_INDEX, '^src/streams/index\\.ts$'],
    },
  },
  {
    name: 'cli-uses-public-api-only',
    comment: 'the aemp command is a client of the package: it imports only src/index.ts (and its own files)',
    severity: 'error',
    from: { path: '^src/cli/' },
    to: { path: '^src/', pathNot: ['^src/cli/', '^src/index\\.ts$'] },
  },
  {
    name: 'not-to-unresolvable',
    comment: 'every import resolves (a missing file, or a package not installed)',
    severity: 'error',
    from: {},
    to: { couldNotResolve: true },
  },
  {
    name: 'no-orphans',
    comment: 'a file nothing imports and that imports nothing is dead (entry points excepted)',
    severity: 'error',
    from: { orphan: true, pathNot: ENTRY_POINTS },
    to: {},
  },
  {
    name: 'no-unreachable',
    comment:
      "every file in src/ is reachable from an entry point (src/index.ts, src/classic.ts, src/cli/main.ts); a room's index.ts is a front door (tests use them) and need not be",
    severity: 'error',
    from: { path: ENTRY_POINTS },
    to: {
      path: '^src/',
      pathNot: [...ENTRY_POINTS, ROOM_INDEX, '^src/streams/[^/]+/index\\.ts$'],
      reachable: false,
    },
  },
  {
    name: 'not-to-dev-dep',
    comment: 'shipped code imports no devDependency, not even its types (users do not install them)',
    severity: 'error',
    from: { path: '^src/' },
    to: { dependencyTypes: ['npm-dev'] },
  },
  {
    name: 'no-non-package-json',
    comment: 'shipped code imports only packages listed in package.json',
    severity: 'error',
    from: { path: '^src/' },
    to: { dependencyTypes: ['npm-no-pkg', 'npm-unknown'] },
  },
];

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: rules.flatMap(withExceptions),
  options: {
    // type-only imports count: they are dependencies of the design, if not of the run
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '\\.d\\.ts$' },
  },
};
// the exceptions table, for spec/docs/dependency-rules.spec.ts (not enumerable: not part of the config)
Object.defineProperty(module.exports, 'exceptions', { value: exceptions, enumerable: false });
