/**
 * Starting a node's `services` (the rc file key AnyEvent::MP runs after
 * `configure`), the way a user of this library would expect them:
 *
 * | service | Perl | here |
 * | --- | --- | --- |
 * | `'Pkg::func'`, `['Pkg::func', arg…]` | call the function | spawn the registered function on this node (`init(self, arg…)`), so it gets a port to live in |
 * | `'./worker.js'`, `'file:…'`, `'some-package'` (no `::`) | — | `import()` the module; a default-exported function is called with `(node, arg…)` |
 * | `'AnyEvent::MP::Global::'` | load the global service | make this node global |
 * | `'AnyEvent::MP::LogCatcher::'` | load LogCatcher | nothing (every non-secure node serves it) |
 * | any other `'Pkg::'` | load a Perl module | a warning: there is no Perl here |
 *
 * A service that cannot be started (an unregistered name, a module that
 * fails to load or whose function throws) is logged as an error and the
 * others still start: a Perl node and ours may share one rc file, with
 * services only one of them can run.
 * @module
 */
import { pathToFileURL } from 'node:url';
import type { ServiceSpec } from './config/index.js';
import type { AempNode } from './node.js';

/** Perl modules that mean something here too. */
const PERL_MODULES: ReadonlyMap<string, (node: AempNode) => void> = new Map([
  ['AnyEvent::MP::Global', (node: AempNode) => node.db.becomeGlobal()],
  ['AnyEvent::MP::LogCatcher', () => {}],
]);

/** A module specifier to `import()`: relative and absolute paths are taken from the working directory. */
function moduleUrl(spec: string): string {
  if (spec.startsWith('.') || spec.startsWith('/')) return pathToFileURL(spec).href;
  return spec;
}

/** Starts every service of `specs` on `node`, in order. */
export async function startServices(node: AempNode, specs: readonly ServiceSpec[]): Promise<void> {
  for (const spec of specs) {
    const [name, ...args] = typeof spec === 'string' ? [spec] : spec;
    try {
      if (!name.includes('::')) {
        const mod = (await import(moduleUrl(name))) as { default?: unknown };
        if (typeof mod.default === 'function') await (mod.default as (n: AempNode, ...a: unknown[]) => unknown)(node, ...args);
        node.log('info', 'services', `loaded module ${name}`);
      } else if (name.endsWith('::')) {
        const perl = PERL_MODULES.get(name.slice(0, -2));
        if (perl !== undefined) perl(node);
        else node.log('warn', 'services', `service ${name} is a Perl module: not loaded (no Perl here)`);
      } else if (node.registered(name) !== undefined) {
        node.spawn(node.id, name, ...args);
        node.log('info', 'services', `started ${name}`);
      } else {
        node.log('error', 'services', `service ${name} is not registered (pass it in createNode's functions option)`);
      }
    } catch (err) {
      node.log('error', 'services', `service ${name} failed: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
}
