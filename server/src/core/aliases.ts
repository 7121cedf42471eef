// YAML aliases, resolved once per document and with a budget.
//
// The reader follows aliases wherever it reads, so an alias to a list of aliases to lists … ("billion
// laughs") multiplies its work. One pass over each document finds every alias's target (yaml's own
// Alias.resolve walks the document from its start on every call) and the number of nodes the aliases
// add when fully expanded. A document whose aliases add more than MAX_ALIAS_EXPANSION nodes has none of
// its aliases followed, and says so once, at the alias that expands the most.
import { isAlias, isCollection, isPair, type Alias, type Document, type Node } from 'yaml';

/** Nodes that aliases may add to one document when expanded; more is treated as a resource attack. */
export const MAX_ALIAS_EXPANSION = 50_000;
/** Stands for "over the budget" (sums are capped here, cycles count as this). */
const OVER = MAX_ALIAS_EXPANSION + 1;
/** Alias chains (an alias to a node holding an alias to …) deeper than this count as over the budget. */
const MAX_ALIAS_NESTING = 1_000;

export interface DocumentAliases {
  /** Alias → the node it names (undefined: the anchor does not exist). */
  targets: Map<Alias, Node | undefined>;
  /** Nodes the aliases add when expanded (capped just above the budget; a cycle counts as over it). */
  expansion: number;
  /** False when the expansion is over budget: then no alias of the document is followed. */
  follow: boolean;
  /** The alias that expands the most, where the problem is reported. */
  worst?: Alias;
}

const byDocument = new WeakMap<Document, DocumentAliases>();

export function documentAliases(document: Document): DocumentAliases {
  let info = byDocument.get(document);
  if (!info) {
    info = analyseAliases(document);
    byDocument.set(document, info);
  }
  return info;
}

/**
 * One iterative walk in document order (deep nesting must not overflow the stack). On entry a node's
 * anchor is recorded and an alias takes the latest node with its anchor so far, as yaml resolves it. On
 * exit a node knows its own node count and the nodes its aliases add: an alias adds its target's expanded
 * size less one (an alias to a node that is still open, i.e. an ancestor, is a cycle and adds without end).
 */
function analyseAliases(document: Document): DocumentAliases {
  const targets = new Map<Alias, Node | undefined>();
  const anchors = new Map<string, Node>();
  /** For every closed node: its own nodes, the nodes its aliases add (capped), and alias nesting. */
  const plain = new Map<unknown, number>();
  const extra = new Map<unknown, number>();
  const nesting = new Map<unknown, number>();
  const open = new Set<unknown>();
  let worst: Alias | undefined;
  let worstExtra = 0;

  type Frame = { node: unknown; children: unknown[] | undefined };
  const stack: Frame[] = [{ node: document.contents, children: undefined }];
  while (stack.length > 0) {
    const frame = stack[stack.length - 1];
    const node = frame.node;
    if (frame.children === undefined) {
      if (node === null || typeof node !== 'object') {
        stack.pop();
        continue;
      }
      if (isAlias(node)) {
        stack.pop();
        const target = anchors.get(node.source);
        targets.set(node, target);
        const depth = target === undefined ? 0 : (nesting.get(target) ?? 0) + 1;
        let adds = 0;
        if (target !== undefined) {
          adds =
            open.has(target) || depth > MAX_ALIAS_NESTING
              ? OVER
              : (plain.get(target) ?? 1) - 1 + (extra.get(target) ?? 0);
        }
        plain.set(node, 1);
        extra.set(node, Math.min(adds, OVER));
        nesting.set(node, depth);
        if (adds > worstExtra) {
          worst = node;
          worstExtra = adds;
        }
        continue;
      }
      const anchor = (node as { anchor?: string }).anchor;
      if (anchor) anchors.set(anchor, node as Node);
      open.add(node);
      const children: unknown[] = [];
      if (isPair(node)) children.push(node.key, node.value);
      else if (isCollection(node)) for (const item of node.items) children.push(item);
      frame.children = children;
      // Pushed in reverse, so that children are entered in document order.
      for (let i = children.length - 1; i >= 0; i--) stack.push({ node: children[i], children: undefined });
      continue;
    }
    // Leaving a node whose children are all closed.
    stack.pop();
    open.delete(node);
    let own = 1;
    let adds = 0;
    let depth = 0;
    for (const child of frame.children) {
      own += plain.get(child) ?? 0;
      adds = Math.min(OVER, adds + (extra.get(child) ?? 0));
      depth = Math.max(depth, nesting.get(child) ?? 0);
    }
    plain.set(node, own);
    extra.set(node, adds);
    nesting.set(node, depth);
  }
  const expansion = extra.get(document.contents) ?? 0;
  return { targets, expansion, follow: expansion <= MAX_ALIAS_EXPANSION, worst };
}
