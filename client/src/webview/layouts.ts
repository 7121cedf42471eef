// Layouts that cost next to nothing, for views that must draw at once at any size: the focus on one
// workload (what reaches it left, the workload in the middle, what it reaches right) and the workloads
// of a namespace in a grid; and the pass that hides edge labels that would cover a node or another
// label (hovering an edge still shows its label). All positions are computed here, deterministically,
// from the nodes' drawn sizes; no layered layout runs.
import type cytoscape from 'cytoscape';
import type { Core, EdgeSingular, NodeCollection, NodeSingular } from 'cytoscape';
import { setClass } from './classes';

export interface BoundingBox {
  x1: number;
  y1: number;
  x2: number;
  y2: number;
  w: number;
  h: number;
}

/** Room between the blocks (namespaces) of the focus view, and between its columns. */
const FOCUS_GAP = 40;
/** Room between workloads in a grid. */
export const GRID_GAP = 16;

export function nodeBox(node: NodeSingular): BoundingBox {
  return node.boundingBox({ includeLabels: true, includeOverlays: false } as cytoscape.BoundingBoxOptions);
}

export function boxesOverlap(a: BoundingBox, b: BoundingBox): boolean {
  return a.x1 < b.x2 && b.x1 < a.x2 && a.y1 < b.y2 && b.y1 < a.y2;
}

/** The leaf nodes that carry a node's position: itself, or a compound's descendants. */
export function leavesOf(node: NodeSingular): NodeCollection {
  return node.isParent() ? node.descendants().filter((d: NodeSingular) => !d.isParent()) : node;
}

/**
 * Moves a node (a compound: its leaves) by an offset. Cytoscape's `shift` checks every member's
 * ancestors against the whole collection, which is quadratic in the number of workloads moved.
 */
export function moveBy(node: NodeSingular, dx: number, dy: number): void {
  if (dx === 0 && dy === 0) return;
  leavesOf(node).positions((leaf: NodeSingular) => {
    const at = leaf.position();
    return { x: at.x + dx, y: at.y + dy };
  });
}

/**
 * Puts `nodes` in a grid of rows (in the given order) whose top left is at `anchor`, roughly
 * `aspect` times as wide as high. Every cell is as large as the largest node, so none overlap.
 */
export function gridAt(nodes: NodeSingular[], anchor: { x1: number; y1: number }, aspect = 2): void {
  if (nodes.length === 0) return;
  const width = Math.max(...nodes.map((n) => n.outerWidth())) + GRID_GAP;
  const height = Math.max(...nodes.map((n) => n.outerHeight())) + GRID_GAP;
  const cols = Math.max(1, Math.round(Math.sqrt((nodes.length * height * aspect) / width)));
  nodes.forEach((node, i) => {
    node.position({
      x: anchor.x1 + (i % cols) * width + width / 2,
      y: anchor.y1 + Math.floor(i / cols) * height + height / 2,
    });
  });
}

type Role = 'source' | 'both' | 'target';
type Column = 'left' | 'centre' | 'right';

/** What each neighbour is to the focused node: it reaches the focus, is reached by it, or both. */
function rolesAround(focus: NodeSingular): Map<string, Role> {
  const roles = new Map<string, Role>();
  focus.incomers('node').forEach((n: NodeSingular) => void roles.set(n.id(), 'source'));
  focus.outgoers('node').forEach((n: NodeSingular) => {
    roles.set(n.id(), roles.has(n.id()) ? 'both' : 'target');
  });
  return roles;
}

const ROLE_ORDER: Record<Role, number> = { source: 0, both: 1, target: 2 };

/**
 * The focus view: each namespace (and the external addresses) is kept whole as a block; blocks whose
 * workloads all reach the focused workload stand in columns left of it, blocks it reaches right of it,
 * its own namespace and mixed ones in the middle. Inside a block the workloads sit in a grid, sources
 * first. Columns wrap to the panel's shape, so the view fits the panel readable.
 */
export function layoutFocus(cy: Core, focusId: string): void {
  const focus = cy.getElementById(focusId) as NodeSingular;
  if (focus.empty()) return;
  const roles = rolesAround(focus);
  const roleOf = (n: NodeSingular): Role | 'focus' =>
    n.id() === focusId ? 'focus' : (roles.get(n.id()) ?? 'both');
  const blocks: { node: NodeSingular; column: Column; box: BoundingBox }[] = [];
  cy.nodes()
    .filter((n: NodeSingular) => n.parent().empty())
    .sort((a: NodeSingular, b: NodeSingular) => a.id().localeCompare(b.id()))
    .forEach((node: NodeSingular) => {
      const members = leavesOf(node).toArray() as NodeSingular[];
      const kinds = new Set(members.map(roleOf));
      const column: Column =
        kinds.size === 1 && kinds.has('source')
          ? 'left'
          : kinds.size === 1 && kinds.has('target')
            ? 'right'
            : 'centre';
      if (node.isParent()) {
        const order = (n: NodeSingular) => {
          const role = roleOf(n);
          return role === 'focus' ? -1 : ROLE_ORDER[role];
        };
        members.sort((a, b) => order(a) - order(b) || a.id().localeCompare(b.id()));
        gridAt(members, { x1: 0, y1: 0 }, 1);
      } else {
        node.position({ x: 0, y: 0 });
      }
      blocks.push({ node, column, box: nodeBox(node) });
    });
  // The focus's own block first in the middle column.
  const parent = focus.parent();
  const own = parent.nonempty() ? parent.first().id() : focusId;
  const column = (c: Column) =>
    blocks
      .filter((b) => b.column === c)
      .sort((a, b) => Number(b.node.id() === own) - Number(a.node.id() === own));
  const aspect = Math.max(0.5, Math.min(3, cy.width() / Math.max(1, cy.height())));
  const area = blocks.reduce((sum, b) => sum + (b.box.w + FOCUS_GAP) * (b.box.h + FOCUS_GAP), 0);
  const tallest = Math.max(...blocks.map((b) => b.box.h));
  const height = Math.max(tallest, Math.sqrt(area / aspect));
  // Left columns are filled from the middle outwards: the first wraps nearest the focus.
  const columns = [
    ...wrap(column('left'), height).reverse(),
    ...wrap(column('centre'), height),
    ...wrap(column('right'), height),
  ];
  let x = 0;
  for (const stack of columns) {
    const width = Math.max(...stack.map((b) => b.box.w));
    const total = stack.reduce((sum, b) => sum + b.box.h, 0) + FOCUS_GAP * (stack.length - 1);
    let y = (height - total) / 2;
    for (const block of stack) {
      const dx = x + (width - block.box.w) / 2 - block.box.x1;
      const dy = y - block.box.y1;
      moveBy(block.node, dx, dy);
      y += block.box.h + FOCUS_GAP;
    }
    x += width + FOCUS_GAP;
  }
}

/** Stacks of blocks, each at most `height` tall (a taller block stands alone). */
function wrap<T extends { box: BoundingBox }>(blocks: T[], height: number): T[][] {
  const stacks: T[][] = [];
  let current: T[] = [];
  let used = 0;
  for (const block of blocks) {
    if (current.length > 0 && used + FOCUS_GAP + block.box.h > height) {
      stacks.push(current);
      current = [];
      used = 0;
    }
    used += (current.length > 0 ? FOCUS_GAP : 0) + block.box.h;
    current.push(block);
  }
  if (current.length > 0) stacks.push(current);
  return stacks;
}

/** The box of an edge's label as drawn at full size (model coordinates); empty without a label. */
export function labelBox(edge: EdgeSingular): BoundingBox {
  return edge.boundingBox({
    includeNodes: false,
    includeEdges: false,
    includeLabels: true,
    includeMainLabels: true,
    includeSourceLabels: false,
    includeTargetLabels: false,
    includeOverlays: false,
  } as cytoscape.BoundingBoxOptions);
}

/** The box of a compound node's title (a namespace's name above its workloads). */
export function titleBox(node: NodeSingular): BoundingBox {
  return node.boundingBox({
    includeNodes: false,
    includeLabels: true,
    includeOverlays: false,
  } as cytoscape.BoundingBoxOptions);
}

/** Boxes in a grid of cells, to find the ones a box overlaps without testing every pair. */
class BoxIndex {
  private readonly cells = new Map<string, BoundingBox[]>();
  constructor(private readonly size = 120) {}

  private keys(box: BoundingBox): string[] {
    const keys: string[] = [];
    for (let i = Math.floor(box.x1 / this.size); i <= Math.floor(box.x2 / this.size); i++)
      for (let j = Math.floor(box.y1 / this.size); j <= Math.floor(box.y2 / this.size); j++)
        keys.push(`${i},${j}`);
    return keys;
  }

  add(box: BoundingBox): void {
    for (const key of this.keys(box)) {
      const cell = this.cells.get(key);
      if (cell) cell.push(box);
      else this.cells.set(key, [box]);
    }
  }

  hits(box: BoundingBox): boolean {
    return this.keys(box).some((key) =>
      (this.cells.get(key) ?? []).some((other) => boxesOverlap(box, other)),
    );
  }
}

/** The edge labels' font size (model units) when the graph fits at zoom 1 or more (theme.ts). */
export const EDGE_FONT_SIZE = 10;
/** The smallest edge label that still reads on screen, in pixels. */
export const LEGIBLE_LABEL_PX = 7;
/** Labels grow at most this much for a graph fitted far out: past it they would cover everything. */
const MAX_LABEL_SCALE = 2.5;

/**
 * Edge labels are drawn from this zoom up when the graph fits at this zoom or more, where their 10px
 * are 7px and more on screen (the tutorials' graphs fit the panel at about 0.9); below it they are
 * shown on hover only.
 */
export const LABEL_MIN_ZOOM = LEGIBLE_LABEL_PX / EDGE_FONT_SIZE;

export interface LabelSizing {
  /** The edge labels' font size, in model units. */
  fontSize: number;
  /** Below this zoom they are smaller than legible on screen, and drawn only on hover. */
  minZoom: number;
}

/**
 * How large edge labels are for a graph fitted at `zoom`: legible on screen at the fitted zoom (so
 * a large graph that fits below LABEL_MIN_ZOOM shows its labels, where they cover nothing, instead of
 * hiding them all), never smaller than at zoom 1, and hidden when zoomed out past the fit. A graph
 * fitted very far out (its nodes' own text unreadable) keeps them for hovering.
 */
export function labelSizing(zoom: number): LabelSizing {
  const wanted = Math.ceil(LEGIBLE_LABEL_PX / Math.max(zoom, 1e-3));
  const fontSize = Math.min(EDGE_FONT_SIZE * MAX_LABEL_SCALE, Math.max(EDGE_FONT_SIZE, wanted));
  return { fontSize, minZoom: LEGIBLE_LABEL_PX / fontSize };
}

/** The class of an edge whose label is not drawn (it would cover a node or another label). */
export const LABEL_HIDDEN = 'label-hidden';

/**
 * Hides the labels of edges that would cover a node (a workload, a collapsed namespace, an external
 * node, a namespace's title) or a label kept before it; the others stay. Label boxes are in model
 * coordinates, so what overlaps does not depend on the zoom (the zoom only decides whether labels are
 * drawn at all, theme.ts). Hovering an edge shows its label anyway.
 */
export function declutterLabels(cy: Core): void {
  const index = new BoxIndex();
  cy.nodes().forEach((n: NodeSingular) => {
    index.add(n.isParent() ? titleBox(n) : nodeBox(n));
  });
  let hidden = cy.collection();
  cy.edges().forEach((edge: EdgeSingular) => {
    if (!edge.data('label')) return;
    const box = labelBox(edge);
    if (!(box.w > 0 && box.h > 0)) return;
    if (index.hits(box)) hidden = hidden.union(edge);
    else index.add(box);
  });
  cy.batch(() => setClass(cy.edges(), LABEL_HIDDEN, hidden));
}
