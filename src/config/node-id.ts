/**
 * Node id templates (PROTOCOL.md §1.1) and what makes a node id valid.
 * @module
 */

/** The result of {@link expandNodeId}. */
export interface ExpandedNodeId {
  /** The node id. */
  readonly nodeid: string;
  /**
   * True when `%u` or a trailing `/` was replaced by the RUNIQ: the node id
   * is randomised, so the local port-name prefix UNIQ becomes empty.
   */
  readonly randomized: boolean;
}

/**
 * Expands a node id template, in Perl's order: every `%n` becomes the host
 * name; then every `%u`, and a trailing `/`, becomes the RUNIQ.
 *
 * `'aemp/%n/%u'` → `'aemp/<host>/<runiq>'`, `'client/'` →
 * `'client/<runiq>'`, `'fixed'` → `'fixed'` (not randomised),
 * `'a/%u/b/'` → `'a/<runiq>/b/<runiq>'`.
 */
export function expandNodeId(
  template: string,
  context: { readonly hostname: string; readonly runiq: string },
): ExpandedNodeId {
  let id = template.split('%n').join(context.hostname);
  const parts = id.split('%u');
  let randomized = parts.length > 1;
  id = parts.join(context.runiq);
  if (id.endsWith('/')) {
    id += context.runiq;
    randomized = true;
  }
  return { nodeid: id, randomized };
}

/**
 * Why `id` cannot be a node id, or `undefined` when it can: it must be
 * non-empty and must not contain `#` (separates node and port) or `;`
 * (the greeting's field separator).
 */
export function nodeIdProblem(id: string): string | undefined {
  if (id === '') return 'is empty';
  if (id.includes('#')) return "contains '#'";
  if (id.includes(';')) return "contains ';'";
  return undefined;
}
