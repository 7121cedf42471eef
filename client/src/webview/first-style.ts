// Cytoscape applies an element's style lazily (the first time anything reads it), property by
// property, and after each property it invalidates the cached style and bounds of the element, of its
// compound parents and children and of all their edges (`checkTriggers` in its style module). In a graph
// with compound nodes that builds a handful of collections per property per element: at 500 workloads
// it was four fifths of the cost of styling the elements a focus adds, the largest part of the focus.
//
// For an element that was just added, and whose style is applied for the first time, there is nothing
// to invalidate: adding it already dirtied those caches (cytoscape's `restore`), and whatever is
// computed from its style afterwards reads the style first, which applies it. So the invalidation is
// skipped for exactly that case. Elements whose style is applied again (a class changed, a hover, a new
// stylesheet for another theme) keep cytoscape's full behaviour.
import type { CollectionReturnValue, Core } from 'cytoscape';

interface ElementInternals {
  _private?: { appliedInitStyle?: boolean };
}

type CheckTriggers = (this: unknown, ele: ElementInternals, ...rest: unknown[]) => void;

interface StyleInternals {
  checkTriggers?: CheckTriggers;
  netpolFirstStyle?: true;
}

export class FirstStyleShortcut {
  /** Elements added since the stylesheet was last set, whose first style application is cheap. */
  private fresh = new WeakSet<object>();

  constructor(private readonly cy: Core) {}

  /** `elements` were just added (their style not read yet). */
  added(elements: CollectionReturnValue): void {
    if (!this.install()) return;
    elements.forEach((element) => void this.fresh.add(element));
  }

  /** The stylesheet is about to be replaced: every element is styled anew, with the usual invalidation. */
  reset(): void {
    this.fresh = new WeakSet();
  }

  /** Wraps the current stylesheet's trigger check once; false when cytoscape has none to wrap. */
  private install(): boolean {
    const style = this.cy.style() as unknown as StyleInternals;
    const original = style.checkTriggers;
    if (typeof original !== 'function') return false;
    if (style.netpolFirstStyle) return true;
    const isFirstOfFresh = (ele: ElementInternals) =>
      ele._private !== undefined && !ele._private.appliedInitStyle && this.fresh.has(ele);
    style.checkTriggers = function (this: unknown, ele, ...rest) {
      if (isFirstOfFresh(ele)) return;
      original.call(this, ele, ...rest);
    };
    style.netpolFirstStyle = true;
    return true;
  }
}
