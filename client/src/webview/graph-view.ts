// The drawn graph: a cytoscape instance laid out with ELK (layered, namespaces as compound nodes).
// Updates are applied as diffs so zoom, pan, positions and selection survive a re-analysis; only new
// nodes are placed, and a full layout runs only on the first draw or on request.
import cytoscape, { type Core, type ElementDefinition, type NodeSingular } from 'cytoscape';
import elk from 'cytoscape-elk';
import svg from 'cytoscape-svg';
import {
  diffElements,
  type EdgeData,
  type GraphElement,
  type GraphElements,
  type NodeData,
} from './graph-model';
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
}

/** Past this many workloads, one layered layout of every pod makes a tall, thin column. */
const FLAT_LAYOUT_LIMIT = 24;

/**
 * Small graphs: one layered layout across namespaces, so connections flow left to right. Larger
 * ones: the pods of each namespace packed in a box, and the namespaces laid out in layers.
 */
function layoutOptions(cy: Core): object {
  const leaves = cy.nodes().filter((n) => !n.isParent()).length;
  if (leaves <= FLAT_LAYOUT_LIMIT) return LAYOUT_OPTIONS;
  return {
    ...LAYOUT_OPTIONS,
    elk: { ...LAYOUT_OPTIONS.elk, 'elk.hierarchyHandling': 'SEPARATE_CHILDREN' },
    nodeLayoutOptions: (node: NodeSingular) =>
      node.isParent() ? { 'elk.algorithm': 'box', 'elk.aspectRatio': '2' } : {},
  };
}

export interface GraphViewEvents {
  /** A node or edge was selected (tapped), or the selection was cleared. */
  select(id: string | undefined): void;
  /** The viewport moved (zoom or pan). */
  viewport(zoom: number, pan: { x: number; y: number }): void;
}

function toDefinition(
  element: GraphElement<NodeData | EdgeData>,
  group: 'nodes' | 'edges',
): ElementDefinition {
  // Labels travel as data and are drawn as canvas text: never parsed as markup.
  return { group, data: { ...element.data }, classes: element.classes };
}

export class GraphView {
  readonly cy: Core;
  private drawn: GraphElements = { nodes: [], edges: [] };
  private selected: string | undefined;

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
      style: graphStyle(readTheme()),
      wheelSensitivity: 0.3,
      minZoom: 0.05,
      maxZoom: 5,
      boxSelectionEnabled: false,
      selectionType: 'single',
    });
    this.cy.on('tap', (event) => {
      const target = event.target;
      if (target === this.cy) this.select(undefined);
      else this.select(target.id());
    });
    this.cy.on('viewport', () => this.events.viewport(this.cy.zoom(), this.cy.pan()));
  }

  get elements(): GraphElements {
    return this.drawn;
  }

  /** Draws `next`: the whole graph (with a layout) the first time, then only the differences. */
  async render(
    next: GraphElements,
    viewport?: { zoom: number; pan: { x: number; y: number } },
  ): Promise<void> {
    const first = this.cy.elements().empty();
    const diff = diffElements(this.drawn, next);
    this.drawn = next;
    let added = this.cy.collection();
    this.cy.batch(() => {
      for (const id of diff.remove) this.cy.getElementById(id).remove();
      const definitions = diff.add.map((e) => toDefinition(e, 'source' in e.data ? 'edges' : 'nodes'));
      // Parents before children, nodes before edges: cytoscape needs them in that order.
      definitions.sort((a, b) => order(a) - order(b));
      added = this.cy.add(definitions);
      for (const element of diff.update) {
        const drawn = this.cy.getElementById(element.data.id);
        drawn.data({ ...element.data });
        drawn.classes(element.classes);
      }
    });
    if (first) {
      await this.layout(viewport === undefined);
      if (viewport) this.cy.viewport({ zoom: viewport.zoom, pan: viewport.pan });
    } else {
      this.place(added.nodes().filter((n) => !n.isParent()));
    }
    if (this.selected && this.cy.getElementById(this.selected).nonempty()) this.select(this.selected, false);
    else if (this.selected) this.select(undefined);
  }

  /** Runs the ELK layout over the whole graph. */
  async layout(fit = true): Promise<void> {
    const layout = this.cy.layout({ ...layoutOptions(this.cy), fit } as cytoscape.LayoutOptions);
    const done = layout.promiseOn('layoutstop');
    layout.run();
    await done;
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
    const cy = this.cy;
    cy.batch(() => {
      cy.elements().removeClass('faded reaches reached outgoing incoming');
      cy.elements().unselect();
      this.selected = id;
      if (id === undefined) return;
      const element = cy.getElementById(id);
      if (element.empty()) return;
      element.select();
      if (element.isNode()) {
        const members = element.isParent() ? element.children() : element;
        const out = members.outgoers();
        const inc = members.incomers();
        out.edges().addClass('outgoing');
        out.nodes().addClass('reaches');
        inc.edges().addClass('incoming');
        inc.nodes().addClass('reached');
        const keep = element.union(members).union(out).union(inc);
        cy.elements().not(keep.union(keep.ancestors())).addClass('faded');
      } else {
        const edge = element as unknown as cytoscape.EdgeSingular;
        const keep = edge.union(edge.connectedNodes());
        cy.elements().not(keep.union(keep.ancestors())).addClass('faded');
      }
    });
    if (notify) this.events.select(id);
  }

  /** What is drawn right now, element by element. */
  snapshot(): DrawnElement[] {
    const round = (n: number) => Math.round(n * 10) / 10;
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
        return {
          group: 'node' as const,
          ...common,
          ...(parent ? { parent } : {}),
          x: round(e.position().x),
          y: round(e.position().y),
          width: round(box.w),
          height: round(box.h),
        };
      }
      const edge = e as unknown as cytoscape.EdgeSingular;
      const middle = edge.midpoint();
      return {
        group: 'edge' as const,
        ...common,
        source: edge.source().id(),
        target: edge.target().id(),
        x: round(middle.x),
        y: round(middle.y),
      };
    });
  }

  fit(): void {
    this.cy.fit(undefined, 30);
  }

  zoomBy(factor: number): void {
    const cy = this.cy;
    cy.zoom({
      level: cy.zoom() * factor,
      renderedPosition: { x: cy.width() / 2, y: cy.height() / 2 },
    });
  }

  restyle(): void {
    this.cy.style(graphStyle(readTheme()));
  }

  exportImage(format: ImageFormat): string {
    const bg = readTheme().background;
    if (format === 'svg') return (this.cy as unknown as { svg(o: object): string }).svg({ full: true, bg });
    return this.cy.png({ output: 'base64uri', full: true, bg, scale: 2, maxWidth: 8000, maxHeight: 8000 });
  }
}

function order(definition: ElementDefinition): number {
  if (definition.group === 'edges') return 2;
  return definition.data.parent ? 1 : 0;
}
