// The drawn graph: a cytoscape instance laid out with ELK (layered, namespaces as compound nodes).
// Updates are applied as diffs so zoom, pan, positions and selection survive a re-analysis; only new
// nodes are placed, and a full layout runs only on the first draw or on request.
import cytoscape, { type Core, type ElementDefinition, type NodeSingular } from 'cytoscape';
import elk from 'cytoscape-elk';
import svg from 'cytoscape-svg';
import {
  EXTERNAL_GROUP,
  diffElements,
  type EdgeData,
  type GraphElement,
  type GraphElements,
  type NodeData,
} from './graph-model';
import {
  EDGE_FONT_SIZE,
  LABEL_HIDDEN,
  boxesOverlap,
  declutterLabels,
  gridAt,
  labelBox,
  labelSizing,
  layoutFocus,
  titleBox,
  moveBy,
  nodeBox,
  type BoundingBox,
  type LabelSizing,
} from './layouts';
import { setClass, type Elements } from './classes';
import { FirstStyleShortcut } from './first-style';
import { graphStyle, readTheme } from './theme';
import type { ImageFormat } from './messages';

cytoscape.use(elk);
cytoscape.use(svg);

const CYTOSCAPE_STYLESHEET_ID = '__________cytoscape_stylesheet';

const LAYOUT_OPTIONS = {
  name: 'elk',
  animate: false,
  padding: 30,
  nodeDimensionsIncludeLabels: true,
  elk: {
    algorithm: 'layered',
    'elk.direction': 'RIGHT',
    'elk.hierarchyHandling': 'INCLUDE_CHILDREN',
    'elk.layered.spacing.nodeNodeBetweenLayers': 70,
    'elk.spacing.nodeNode': 24,
    'elk.padding': '[top=30,left=16,bottom=16,right=16]',
  },
};

/** One drawn element as cytoscape has it: what tests and the text-only mirror read. */
export interface DrawnElement {
  group: 'node' | 'edge';
  id: string;
  label: string;
  kind: string;
  classes: string;
  parent?: string;
  source?: string;
  target?: string;
  /** Model coordinates: a node's centre or an edge's midpoint. */
  x: number;
  y: number;
  /** A node's drawn size (model units). */
  width?: number;
  height?: number;
  selected: boolean;
  /** An external node: the engine's ranges it stands for, space-separated. */
  peers?: string;
  /** An edge with a label: its box as drawn at full size, `x1,y1,x2,y2` (model units). */
  labelBox?: string;
  /** A namespace drawn with its workloads: the box of its title, `x1,y1,x2,y2` (model units). */
  titleBox?: string;
  /** An edge: whether its label is drawn now (not hidden as covering something, and large enough). */
  labelShown?: boolean;
}

/** Past this many workloads, one layered layout of every pod makes a tall, thin column. */
const FLAT_LAYOUT_LIMIT = 24;

/**
 * Small graphs: one layered layout across namespaces, so connections flow left to right. Larger
 * ones: the pods of each namespace packed in a box, and the namespaces laid out in layers.
 */
function layoutOptions(cy: Core): object {
  if (cy.nodes('.namespace-summary').nonempty()) return overviewLayout(cy);
  const layered = { ...LAYOUT_OPTIONS, elk: { ...LAYOUT_OPTIONS.elk, 'elk.direction': layerDirection(cy) } };
  const leaves = cy.nodes().filter((n) => !n.isParent()).length;
  if (leaves <= FLAT_LAYOUT_LIMIT) return layered;
  return {
    ...layered,
    elk: { ...layered.elk, 'elk.hierarchyHandling': 'SEPARATE_CHILDREN' },
    nodeLayoutOptions: (node: NodeSingular) =>
      node.isParent() ? { 'elk.algorithm': 'box', 'elk.aspectRatio': '2' } : {},
  };
}

/**
 * Layers follow the panel's longer side: left to right in a wide panel, top down in a tall one (a
 * narrow panel beside the editor), so the fitted graph is drawn larger there.
 */
function layerDirection(cy: Core): 'RIGHT' | 'DOWN' {
  return cy.height() > cy.width() ? 'DOWN' : 'RIGHT';
}

/**
 * The overview: the namespace boxes in rows, in name order, to the panel's shape, so every label is
 * readable at the fitted zoom. Between namespaces almost everything is connected, and a layered layout
 * of that makes one long column; cytoscape's grid also costs nothing next to ELK. When some namespaces
 * are drawn expanded (a restored view), ELK packs the boxes instead, as the grid ignores compounds.
 */
function overviewLayout(cy: Core): object {
  const aspect = Math.max(0.5, Math.min(3, cy.width() / Math.max(1, cy.height())));
  if (cy.nodes(':parent').nonempty()) {
    return {
      ...LAYOUT_OPTIONS,
      elk: {
        algorithm: 'rectpacking',
        'elk.aspectRatio': String(aspect),
        'elk.spacing.nodeNode': 30,
        'elk.hierarchyHandling': 'SEPARATE_CHILDREN',
      },
      nodeLayoutOptions: (node: NodeSingular) =>
        node.isParent() ? { 'elk.algorithm': 'rectpacking', 'elk.aspectRatio': '2' } : {},
    };
  }
  const nodes = cy.nodes();
  const width = Math.max(...nodes.map((n: NodeSingular) => n.outerWidth())) + OVERVIEW_GAP;
  const height = Math.max(...nodes.map((n: NodeSingular) => n.outerHeight())) + OVERVIEW_GAP;
  const cols = Math.max(1, Math.round(Math.sqrt((nodes.length * height * aspect) / width)));
  return {
    name: 'grid',
    animate: false,
    padding: 30,
    avoidOverlap: true,
    avoidOverlapPadding: OVERVIEW_GAP,
    condense: true,
    cols,
    // Namespaces by name; the external addresses last.
    sort: (a: NodeSingular, b: NodeSingular) =>
      Number(a.id() === EXTERNAL_GROUP) - Number(b.id() === EXTERNAL_GROUP) || a.id().localeCompare(b.id()),
  };
}

/** Room between namespace boxes in the overview. */
const OVERVIEW_GAP = 40;

export interface GraphViewEvents {
  /** A node or edge was selected (tapped), or the selection was cleared. */
  select(id: string | undefined): void;
  /** The viewport moved (zoom or pan). */
  viewport(zoom: number, pan: { x: number; y: number }): void;
  /** A node was double-clicked: expand or collapse a namespace, focus a workload. */
  activate(id: string): void;
  /** The pointer entered an edge (its label is shown whatever the zoom) or left it. */
  hover(id: string | undefined): void;
  /** Edge labels were hidden or shown by a change of zoom or an overlap check, not by a draw. */
  labelsChanged(): void;
}

function toDefinition(
  element: GraphElement<NodeData | EdgeData>,
  group: 'nodes' | 'edges',
  zoomedOut: boolean,
): ElementDefinition {
  // Labels travel as data and are drawn as canvas text: never parsed as markup.
  return {
    group,
    data: { ...element.data },
    classes: withZoomClass(element, zoomedOut && group === 'edges'),
  };
}

export class GraphView {
  readonly cy: Core;
  private drawn: GraphElements = { nodes: [], edges: [] };
  private selected: string | undefined;
  /** The focused workload, when the view is a focus: laid out around it rather than by ELK. */
  private focus: string | undefined;
  /** Whether the edge labels were checked for covering nodes since the last change of positions. */
  private labelsChecked = false;
  private labelCheckTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly firstStyle: FirstStyleShortcut;
  /** Whether the edges carry the class that hides labels below the legible zoom. */
  private zoomedOut = false;
  /** A draw is under way: it brings the labels in line with its zoom when it is done. */
  private rendering = false;
  /** The edge labels' size for the zoom the graph was last fitted at. */
  private labels: LabelSizing = labelSizing(1);

  constructor(
    container: HTMLElement,
    private readonly events: GraphViewEvents,
  ) {
    // Cytoscape injects an inline <style> unless an element with this id exists; the CSP would block
    // it. Its one rule (position: relative on the container) is in graph.css instead.
    if (!document.getElementById(CYTOSCAPE_STYLESHEET_ID)) {
      const marker = document.createElement('meta');
      marker.id = CYTOSCAPE_STYLESHEET_ID;
      document.head.append(marker);
    }
    this.cy = cytoscape({
      container,
      style: graphStyle(readTheme(), () => this.labels.fontSize),
      wheelSensitivity: 0.3,
      minZoom: 0.05,
      maxZoom: 5,
      boxSelectionEnabled: false,
      selectionType: 'single',
    });
    this.firstStyle = new FirstStyleShortcut(this.cy);
    // Cytoscape calls any two taps in quick succession a double tap, even on two different elements:
    // only two on the same node activate it.
    let lastTap: string | undefined;
    let previousTap: string | undefined;
    this.cy.on('tap', (event) => {
      const target = event.target;
      previousTap = lastTap;
      lastTap = target === this.cy ? undefined : target.id();
      this.select(lastTap);
    });
    this.cy.on('viewport', () => {
      this.events.viewport(this.cy.zoom(), this.cy.pan());
      if (!this.rendering && this.zoomedOut === this.labelsDrawn()) {
        this.syncLabelZoom();
        this.events.labelsChanged();
      }
      // Zoomed in far enough for labels to be drawn: check them once the zooming stops.
      if (this.labelsChecked || !this.labelsDrawn()) return;
      clearTimeout(this.labelCheckTimer);
      this.labelCheckTimer = setTimeout(() => this.checkLabels(), 100);
    });
    this.cy.on('dbltap', 'node', (event) => {
      if (previousTap === event.target.id()) this.events.activate(event.target.id());
    });
    // Edge labels are hidden when too small to read or covering something; hovering shows one at a
    // legible size.
    this.cy.on('mouseover', 'edge', (event) => {
      const size = Math.max(this.labels.fontSize, EDGE_FONT_SIZE / this.cy.zoom());
      event.target.addClass(HOVERED).style({ 'font-size': size, 'text-opacity': 1, 'z-index': 10 });
      this.events.hover(event.target.id());
    });
    this.cy.on('mouseout', 'edge', (event) => {
      event.target.removeClass(HOVERED).removeStyle('font-size text-opacity z-index');
      this.events.hover(undefined);
    });
  }

  get elements(): GraphElements {
    return this.drawn;
  }

  /**
   * Draws `next`: the whole graph with a layout the first time (or when asked), then only the
   * differences. A namespace that expands is laid out in place and the nodes right of it and below it
   * move over to make room; one that collapses gives the room back; every other node stays still.
   */
  async render(next: GraphElements, options: RenderOptions = {}): Promise<void> {
    this.rendering = true;
    try {
      await this.apply(next, options);
    } finally {
      this.rendering = false;
    }
  }

  private async apply(next: GraphElements, options: RenderOptions): Promise<void> {
    this.followContainerSize();
    const first = this.cy.elements().empty();
    this.focus = options.focus;
    const diff = diffElements(this.drawn, next);
    const boxes = this.namespaceBoxes();
    this.drawn = next;
    let added = this.cy.collection();
    this.cy.batch(() => {
      for (const id of diff.remove) this.cy.getElementById(id).remove();
      const definitions = diff.add.map((e) =>
        toDefinition(e, 'source' in e.data ? 'edges' : 'nodes', this.zoomedOut),
      );
      // Parents before children, nodes before edges: cytoscape needs them in that order.
      definitions.sort((a, b) => order(a) - order(b));
      added = this.cy.add(definitions);
      this.firstStyle.added(added);
      for (const element of diff.update) {
        const drawn = this.cy.getElementById(element.data.id);
        drawn.data({ ...element.data });
        drawn.classes(withZoomClass(element, this.zoomedOut && drawn.isEdge()));
      }
    });
    if ('selected' in options) this.selected = options.selected;
    // The selection's highlight before the layout: its classes change border widths (so the boxes
    // laid out) and restyle what they touch, so the style is computed once, not once more afterwards.
    if (this.selected !== undefined && this.cy.getElementById(this.selected).empty())
      this.selected = undefined;
    this.highlight(this.selected);
    if (first || options.relayout) {
      if (options.positions) this.applyPositions(options.positions);
      else await this.layout(options.viewport === undefined);
      if (options.viewport) this.cy.viewport({ zoom: options.viewport.zoom, pan: options.viewport.pan });
      else if (options.positions) this.fit();
    } else {
      const placed = this.reshapeNamespaces(boxes);
      this.place(added.nodes().filter((n) => !n.isParent() && !placed.has(n.id())));
    }
    this.syncLabelZoom();
    this.positionsChanged();
  }

  /**
   * Cytoscape learns of a new container size from a ResizeObserver, after the next frame: a layout or
   * fit in the same task as the change (the details panel opening) would still use the old size.
   */
  private followContainerSize(): void {
    const container = this.cy.container();
    if (
      container &&
      (container.clientWidth !== this.cy.width() || container.clientHeight !== this.cy.height())
    )
      this.cy.resize();
  }

  /** The selected element's id, if it is drawn. */
  selectedId(): string | undefined {
    return this.selected;
  }

  /** Positions of the leaf nodes, to restore a view later (e.g. the overview after a focus). */
  positions(): Map<string, { x: number; y: number }> {
    const result = new Map<string, { x: number; y: number }>();
    this.cy.nodes().forEach((n: NodeSingular) => {
      if (!n.isParent()) result.set(n.id(), { ...n.position() });
    });
    return result;
  }

  /** Restores saved positions; nodes without one are placed as new nodes are. */
  private applyPositions(positions: Map<string, { x: number; y: number }>): void {
    let missing = this.cy.collection();
    this.cy.batch(() => {
      this.cy.nodes().forEach((n: NodeSingular) => {
        if (n.isParent()) return;
        const saved = positions.get(n.id());
        if (saved) n.position(saved);
        else missing = missing.union(n);
      });
    });
    this.place(missing.nodes());
  }

  /** Bounding boxes of the namespace nodes (collapsed or expanded), before a change. */
  private namespaceBoxes(): Map<string, { box: BoundingBox; compound: boolean }> {
    const boxes = new Map<string, { box: BoundingBox; compound: boolean }>();
    this.cy.nodes('.namespace, .namespace-summary, .external-group').forEach((n: NodeSingular) => {
      boxes.set(n.id(), { box: nodeBox(n), compound: n.isParent() });
    });
    return boxes;
  }

  /**
   * Namespaces that became compound (expanded) get their workloads laid out in a grid anchored where
   * the summary node was; ones that became leaves again (collapsed) sit at the compound's top left.
   * Returns the ids of the workloads placed.
   */
  private reshapeNamespaces(before: Map<string, { box: BoundingBox; compound: boolean }>): Set<string> {
    const placed = new Set<string>();
    // The top-level boxes, kept up to date as nodes move: reading each box back from cytoscape after
    // every move would compute the bounds of every namespace again for every one that changed.
    let tops: Map<string, BoundingBox> | undefined;
    for (const [id, was] of before) {
      const node = this.cy.getElementById(id) as NodeSingular;
      if (node.empty() || node.isParent() === was.compound) continue;
      tops ??= this.topLevelBoxes(before);
      // Where it is now: an earlier namespace's change may have moved it.
      const old = tops.get(id) ?? was.box;
      if (node.isParent()) {
        const children = node.children();
        children.forEach((c: NodeSingular) => void placed.add(c.id()));
        const sorted = (children.toArray() as NodeSingular[]).sort((a, b) => a.id().localeCompare(b.id()));
        // Roughly twice as wide as high: the shape of the panel.
        gridAt(sorted, old, 2);
      } else {
        node.position({ x: old.x1 + node.outerWidth() / 2, y: old.y1 + node.outerHeight() / 2 });
      }
      const now = nodeBox(node);
      // Anchor the new shape at the old top left, then move the others by the change in size.
      const dx = old.x1 - now.x1;
      const dy = old.y1 - now.y1;
      moveBy(node, dx, dy);
      tops.set(id, shifted(now, dx, dy));
      this.makeRoom(id, old, { w: now.w - old.w, h: now.h - old.h }, tops);
    }
    return placed;
  }

  /** The boxes of the top-level nodes: the namespaces' from before the change, the others as drawn. */
  private topLevelBoxes(before: Map<string, { box: BoundingBox }>): Map<string, BoundingBox> {
    const boxes = new Map<string, BoundingBox>();
    this.cy.nodes().forEach((n: NodeSingular) => {
      if (n.parent().empty()) boxes.set(n.id(), before.get(n.id())?.box ?? nodeBox(n));
    });
    return boxes;
  }

  /**
   * Moves every top-level node right of the old box by the growth in width and every one below it by
   * the growth in height (a shrink moves them back when nothing would overlap then). Nodes that keep
   * their side of the box keep their relative places, so no two of them can come to overlap.
   * `tops` (the top-level boxes) follows the moves.
   */
  private makeRoom(
    changed: string,
    old: BoundingBox,
    growth: { w: number; h: number },
    tops: Map<string, BoundingBox>,
  ): void {
    const moveOthers = (w: number, h: number) => {
      for (const [id, box] of tops) {
        if (id === changed) continue;
        const x = box.x1 >= old.x2 ? w : 0;
        const y = box.y1 >= old.y2 ? h : 0;
        if (x === 0 && y === 0) continue;
        moveBy(this.cy.getElementById(id) as NodeSingular, x, y);
        tops.set(id, shifted(box, x, y));
      }
    };
    const grow = { w: Math.max(0, growth.w), h: Math.max(0, growth.h) };
    const shrink = { w: Math.min(0, growth.w), h: Math.min(0, growth.h) };
    if (grow.w > 0 || grow.h > 0) moveOthers(grow.w, grow.h);
    if (shrink.w === 0 && shrink.h === 0) return;
    // Giving room back is only safe when nothing has moved into it since.
    const saved = new Map(tops);
    moveOthers(shrink.w, shrink.h);
    if (anyOverlap([...tops.values()])) {
      for (const [id, box] of saved) {
        const now = tops.get(id)!;
        moveBy(this.cy.getElementById(id) as NodeSingular, box.x1 - now.x1, box.y1 - now.y1);
      }
      for (const [id, box] of saved) tops.set(id, box);
    }
  }

  /** Lays the whole graph out: around the focused workload in a focus, else with ELK. */
  async layout(fit = true): Promise<void> {
    if (this.focus !== undefined && this.cy.getElementById(this.focus).nonempty()) {
      layoutFocus(this.cy, this.focus);
      if (fit) this.fit();
      this.positionsChanged();
      return;
    }
    const layout = this.cy.layout({
      ...layoutOptions(this.cy),
      fit: false,
    } as unknown as cytoscape.LayoutOptions);
    const done = layout.promiseOn('layoutstop');
    layout.run();
    await done;
    if (fit) this.fit();
    this.positionsChanged();
  }

  /** Puts new nodes under their namespace's existing members, or in a column right of the graph. */
  private place(nodes: cytoscape.NodeCollection): void {
    if (nodes.empty()) return;
    const graphBox = this.cy.elements().not(nodes).boundingBox();
    let column = 0;
    const belowParent = new Map<string, number>();
    nodes.forEach((node: NodeSingular) => {
      const siblings = node.siblings().not(nodes);
      if (siblings.nonempty()) {
        const box = siblings.boundingBox();
        const parent = String(node.data('parent'));
        const offset = belowParent.get(parent) ?? 0;
        belowParent.set(parent, offset + 1);
        node.position({ x: box.x1 + box.w / 2, y: box.y2 + 40 * (offset + 1) });
      } else {
        const x = Number.isFinite(graphBox.x2) ? graphBox.x2 + 120 : 0;
        const y = Number.isFinite(graphBox.y1) ? graphBox.y1 + 50 * column : 50 * column;
        node.position({ x, y });
        column++;
      }
    });
  }

  /** Selects an element and highlights what a node reaches (outgoing) and what reaches it (incoming). */
  select(id: string | undefined, notify = true): void {
    this.selected = id;
    this.highlight(id);
    if (notify) this.events.select(id);
  }

  /**
   * Marks the selection and what it touches: what a node reaches (outgoing), what reaches it
   * (incoming), the rest faded. Only elements whose classes change are touched (classes.ts).
   */
  private highlight(id: string | undefined): void {
    const cy = this.cy;
    const element = id === undefined ? cy.collection() : cy.getElementById(id);
    const none = cy.collection();
    let marks: Record<string, Elements> = {
      outgoing: none,
      reaches: none,
      incoming: none,
      reached: none,
      faded: none,
    };
    if (element.nonempty() && element.isNode()) {
      const members = element.isParent() ? element.children() : element;
      const out = members.outgoers();
      const inc = members.incomers();
      const keep = element.union(members).union(out).union(inc);
      marks = {
        outgoing: out.edges(),
        reaches: out.nodes(),
        incoming: inc.edges(),
        reached: inc.nodes(),
        faded: cy.elements().not(keep.union(keep.ancestors())),
      };
    } else if (element.nonempty()) {
      const keep = element.union((element as unknown as cytoscape.EdgeSingular).connectedNodes());
      marks = { ...marks, faded: cy.elements().not(keep.union(keep.ancestors())) };
    }
    cy.batch(() => {
      const all = cy.elements();
      for (const [name, members] of Object.entries(marks)) setClass(all, name, members);
      cy.elements(':selected').not(element).unselect();
      if (element.nonempty() && !element.selected()) element.select();
    });
  }

  /** Nodes moved: labels are checked again now if they are drawn at this zoom, else once they are. */
  private positionsChanged(): void {
    this.labelsChecked = false;
    if (this.labelsDrawn()) this.checkLabels();
  }

  private checkLabels(): void {
    clearTimeout(this.labelCheckTimer);
    if (this.labelsChecked) return;
    declutterLabels(this.cy);
    this.labelsChecked = true;
  }

  /** Whether edge labels are drawn at the current zoom (hovering shows one at any zoom). */
  private labelsDrawn(): boolean {
    // A hair below, so the fitted zoom itself always counts.
    return this.cy.zoom() >= this.labels.minZoom * (1 - 1e-9);
  }

  /** The edge labels' size, and the zoom below which they are drawn on hover only. */
  labelSizing(): LabelSizing {
    return this.labels;
  }

  /** Sizes the edge labels to be legible at the zoom the graph is fitted at (layouts.ts labelSizing). */
  private sizeLabelsFor(zoom: number): void {
    const next = labelSizing(zoom);
    if (next.fontSize === this.labels.fontSize) return;
    this.labels = next;
    // The style reads the size from `labels`; the edges take it when restyled. A restyle alone leaves
    // the label sizes cytoscape measured (and the boxes from them) in place until the next frame.
    const edges = this.cy.edges() as unknown as { updateStyle(): void; dirtyBoundingBoxCache(): void };
    edges.updateStyle();
    edges.dirtyBoundingBoxCache();
    this.labelsChecked = false;
  }

  /**
   * Gives every edge the class that hides its label while the zoom is below the legible level, or
   * takes it away: only edges that lack it (new ones are added with it) or have it are touched.
   */
  private syncLabelZoom(): void {
    this.zoomedOut = !this.labelsDrawn();
    const edges = this.zoomedOut ? this.cy.edges().not(`.${ZOOMED_OUT}`) : this.cy.edges(`.${ZOOMED_OUT}`);
    if (edges.empty()) return;
    this.cy.batch(() => (this.zoomedOut ? edges.addClass(ZOOMED_OUT) : edges.removeClass(ZOOMED_OUT)));
  }

  /** What is drawn right now, element by element. */
  snapshot(): DrawnElement[] {
    const round = (n: number) => Math.round(n * 10) / 10;
    const boxText = (b: BoundingBox) => [b.x1, b.y1, b.x2, b.y2].map(round).join(',');
    const labelsDrawn = this.labelsDrawn();
    if (labelsDrawn) this.checkLabels();
    return this.cy.elements().map((e) => {
      const common = {
        id: e.id(),
        label: String(e.data('label') ?? ''),
        kind: String(e.data('kind') ?? ''),
        classes: e.classes().join(' '),
        selected: e.selected(),
      };
      if (e.isNode()) {
        const box = e.boundingBox({ includeLabels: false, includeOverlays: false });
        const parent = e.data('parent') as string | undefined;
        const peers = e.data('peers') as string[] | undefined;
        const title = e.isParent() ? titleBox(e) : undefined;
        return {
          group: 'node' as const,
          ...common,
          ...(parent ? { parent } : {}),
          ...(peers ? { peers: peers.join(' ') } : {}),
          ...(title && title.w > 0 ? { titleBox: boxText(title) } : {}),
          x: round(e.position().x),
          y: round(e.position().y),
          width: round(box.w),
          height: round(box.h),
        };
      }
      const edge = e as unknown as cytoscape.EdgeSingular;
      const middle = edge.midpoint();
      const hovered = edge.hasClass(HOVERED);
      const label = (labelsDrawn || hovered) && edge.data('label') ? labelBox(edge) : undefined;
      return {
        group: 'edge' as const,
        ...common,
        source: edge.source().id(),
        target: edge.target().id(),
        x: round(middle.x),
        y: round(middle.y),
        ...(label && label.w > 0
          ? {
              labelBox: boxText(label),
              labelShown: hovered || !edge.hasClass(LABEL_HIDDEN),
            }
          : {}),
      };
    });
  }

  /**
   * Fits the nodes to the panel. Edges run between nodes, so the nodes' box holds them too (bar a
   * curve's bulge, within the padding), and finding every edge's curve first would cost more than the
   * layout at hundreds of edges.
   */
  fit(): void {
    this.cy.fit(this.cy.nodes(), 30);
    const size = this.labels.fontSize;
    this.sizeLabelsFor(this.cy.zoom());
    // Outside a draw (the Fit button), the labels follow now.
    if (!this.rendering && size !== this.labels.fontSize) {
      this.syncLabelZoom();
      this.positionsChanged();
      this.events.labelsChanged();
    }
  }

  zoomBy(factor: number): void {
    const cy = this.cy;
    cy.zoom({
      level: cy.zoom() * factor,
      renderedPosition: { x: cy.width() / 2, y: cy.height() / 2 },
    });
  }

  restyle(): void {
    this.firstStyle.reset();
    this.cy.style(graphStyle(readTheme(), () => this.labels.fontSize));
  }

  exportImage(format: ImageFormat): string {
    const bg = readTheme().background;
    if (format === 'svg') return (this.cy as unknown as { svg(o: object): string }).svg({ full: true, bg });
    return this.cy.png({ output: 'base64uri', full: true, bg, scale: 2, maxWidth: 8000, maxHeight: 8000 });
  }
}

export interface RenderOptions {
  /** Lay the whole graph out again (or restore `positions`) instead of applying only the changes. */
  relayout?: boolean;
  /** With `relayout`: saved positions to restore instead of running the layout. */
  positions?: Map<string, { x: number; y: number }>;
  viewport?: { zoom: number; pan: { x: number; y: number } };
  /** The view is the focus on this workload: a relayout places the rest around it. */
  focus?: string;
  /** The element to select (highlighted before the layout); without the key the selection is kept. */
  selected?: string;
}

/** The classes of an edge whose label is hidden as the zoom is too small (theme.ts), and of the hovered one. */
const ZOOMED_OUT = 'zoomed-out';
const HOVERED = 'hovered';

/** An element's classes from the model, plus the zoom's class on an edge while zoomed out. */
function withZoomClass(element: GraphElement<NodeData | EdgeData>, zoomedOut: boolean): string {
  return zoomedOut ? `${element.classes} ${ZOOMED_OUT}`.trim() : element.classes;
}

function shifted(box: BoundingBox, dx: number, dy: number): BoundingBox {
  return { ...box, x1: box.x1 + dx, x2: box.x2 + dx, y1: box.y1 + dy, y2: box.y2 + dy };
}

/** Whether any two of the boxes overlap. */
function anyOverlap(boxes: BoundingBox[]): boolean {
  for (let i = 0; i < boxes.length; i++)
    for (let j = i + 1; j < boxes.length; j++) if (boxesOverlap(boxes[i], boxes[j])) return true;
  return false;
}

function order(definition: ElementDefinition): number {
  if (definition.group === 'edges') return 2;
  return definition.data.parent ? 1 : 0;
}
