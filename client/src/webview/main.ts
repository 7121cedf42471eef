// Entry point of the graph webview (bundled to dist/webview.js for the browser). It receives the
// server's graph from the extension host, draws it, and keeps its filters and viewport in the
// webview state so the panel comes back as it was after a reload.
import type { DeniedPair, GraphResult, JsonLocation } from '../../../server/src/protocol';
import {
  byId,
  mirrorElements,
  showActions,
  showDetails,
  showNamespaceFilter,
  showWorkloadNames,
} from './dom';
import {
  DEFAULT_FILTERS,
  EXTERNAL_GROUP,
  namespaceNodeId,
  namespacesOf,
  parsePortFilter,
  unanalysedNotice,
} from './graph-model';
import { GraphView } from './graph-view';
import {
  DEFAULT_GRAPH_SETTINGS,
  type GraphSettings,
  type GraphViewState,
  type HostToWebview,
  type ImageFormat,
  type WebviewToHost,
} from './messages';
import { viewDetails } from './view-details';
import { buildView, findWorkload, initialExpansion, type ViewModel } from './view-model';
import './graph.css';

const vscode = acquireVsCodeApi<GraphViewState>();
const post = (message: WebviewToHost) => vscode.postMessage(message);

let state: GraphViewState = vscode.getState() ?? { filters: DEFAULT_FILTERS, portText: '' };
let graph: GraphResult | undefined;
let settings: GraphSettings = DEFAULT_GRAPH_SETTINGS;
let model: ViewModel | undefined;
/** The denied pairs of the focused workload, when the graph's own list is truncated. */
let focusDenied: { peer: string; pairs: DeniedPair[] } | undefined;
/** What the last draw showed ('' before the first): a change of view lays the graph out anew. */
let drawnView = '';
/** Where the nodes of the overview were when a focus replaced it: leaving the focus puts them back. */
let overviewPositions: Map<string, { x: number; y: number }> | undefined;
let renderCount = 0;
/** Draws run one after another, so a fast series of updates never interleaves two layouts. */
let drawing: Promise<void> = Promise.resolve();

function saveState(patch: Partial<GraphViewState>): void {
  state = { ...state, ...patch };
  vscode.setState(state);
}

const view = new GraphView(byId('graph'), {
  select(id) {
    saveState({ selected: id });
    showSelection();
    mirror();
  },
  viewport(zoom, pan) {
    document.body.dataset.zoom = String(zoom);
    document.body.dataset.pan = `${pan.x},${pan.y}`;
    saveViewport(zoom, pan);
  },
  hover(id) {
    document.body.dataset.hovered = id ?? '';
    mirrorSoon();
  },
  labelsChanged() {
    mirror();
  },
  activate(id) {
    const node = model?.elements.nodes.find((n) => n.data.id === id);
    if (node?.data.kind === 'pod') void setFocus(id);
    else if (node && ['namespace', 'namespace-summary', 'external-group'].includes(node.data.kind))
      void toggleNamespace(node.data.namespace ?? node.data.label);
  },
});
/** The text-only list follows a hovered label once the pointer settles (refreshing it costs at 500 workloads). */
const mirrorSoon = debounce(() => mirror(), 150);
const saveViewport = debounce((zoom: number, pan: { x: number; y: number }) => saveState({ zoom, pan }), 200);

/** Refreshes the text-only list of what is drawn (and the selection it shows). */
function mirror(): void {
  mirrorElements(byId('graph-elements'), view.snapshot());
  document.body.dataset.selected = state.selected ?? '';
  const labels = view.labelSizing();
  document.body.dataset.labelFontSize = String(labels.fontSize);
  document.body.dataset.labelMinZoom = String(labels.minZoom);
}

const open = (location: JsonLocation) => post({ type: 'open', location });

function showSelection(): void {
  const id = state.selected;
  const details = graph && model && id !== undefined ? viewDetails(graph, model, id) : undefined;
  const panel = byId('details');
  showDetails(panel, details, open);
  if (details && id !== undefined) showActions(panel, selectionActions(id));
}

/** The buttons under a selected node's details. */
function selectionActions(id: string): { label: string; run: () => void }[] {
  const node = model?.elements.nodes.find((n) => n.data.id === id);
  if (!node) return [];
  if (node.data.kind === 'pod') {
    return state.focus === id
      ? [{ label: 'Show all', run: () => void setFocus(undefined) }]
      : [{ label: 'Focus on this workload', run: () => void setFocus(id) }];
  }
  if (node.data.kind === 'namespace-summary')
    return [{ label: 'Expand', run: () => void toggleNamespace(node.data.namespace!) }];
  if ((node.data.kind === 'namespace' || node.data.kind === 'external-group') && state.focus === undefined)
    return [{ label: 'Collapse', run: () => void toggleNamespace(node.data.namespace ?? node.data.label) }];
  return [];
}

function currentExpansion(): readonly string[] | 'all' {
  if (state.expanded) return state.expanded;
  return graph ? initialExpansion(graph, settings.overviewThreshold) : 'all';
}

function toggleNamespace(namespace: string): Promise<void> {
  if (!graph) return Promise.resolve();
  const current = currentExpansion();
  const expanded = current === 'all' ? [...namespacesOf(graph), EXTERNAL_GROUP] : [...current];
  const next = expanded.includes(namespace)
    ? expanded.filter((n) => n !== namespace)
    : [...expanded, namespace].sort();
  saveState({
    expanded: next,
    selected: namespace === EXTERNAL_GROUP ? namespace : namespaceNodeId(namespace),
  });
  return draw();
}

function setFocus(peer: string | undefined): Promise<void> {
  saveState({ focus: peer, selected: peer });
  byId<HTMLInputElement>('search').value = peer ?? '';
  requestFocusDenied();
  return draw();
}

/** The focus shows denied pairs from a list the server cut short: ask the host for the workload's. */
function requestFocusDenied(): void {
  const peer = state.focus;
  if (!graph?.deniedTruncated || !state.filters.showDenied || peer === undefined) return;
  if (focusDenied?.peer !== peer) post({ type: 'deniedOf', peer });
}

function changesNodes(next: { nodes: { data: { id: string } }[] }): boolean {
  const drawn = new Set(view.elements.nodes.map((n) => n.data.id));
  return next.nodes.length !== drawn.size || next.nodes.some((n) => !drawn.has(n.data.id));
}

function draw(): Promise<void> {
  drawing = drawing.then(async () => {
    if (!graph) return;
    const started = performance.now();
    const denied = focusDenied?.peer === state.focus ? focusDenied?.pairs : undefined;
    model = buildView(graph, {
      filters: state.filters,
      expanded: currentExpansion(),
      focus: state.focus,
      focusDenied: denied,
    });
    const modelled = performance.now();
    const elements = model.elements;
    const viewName = model.focus === undefined ? 'overview' : `focus ${model.focus}`;
    const restore = renderCount === 0 && state.zoom !== undefined && state.pan !== undefined;
    const viewport = restore ? { zoom: state.zoom!, pan: state.pan! } : undefined;
    const focus = model.focus;
    const selected = state.selected;
    // The details panel takes room from the graph: open or close it first, so the layout and the fit
    // see the width the graph will have (a fit before the panel opens leaves part of it underneath).
    showSelection();
    if (drawnView === viewName && focus !== undefined && changesNodes(elements)) {
      // A focus is small: lay it out again rather than squeeze new peers in or leave the gaps of the
      // peers gone (unchecking Denied pairs), and fit it to the panel.
      await view.render(elements, { relayout: true, focus, selected });
    } else if (drawnView === '' || drawnView === viewName) {
      await view.render(elements, { viewport, focus, selected });
    } else if (focus === undefined) {
      await view.render(elements, { relayout: true, positions: overviewPositions, selected });
      overviewPositions = undefined;
    } else {
      if (drawnView === 'overview') overviewPositions = view.positions();
      await view.render(elements, { relayout: true, focus, selected });
    }
    drawnView = viewName;
    const rendered = performance.now();
    renderCount++;
    // The selection may be gone from this view: the render dropped it, the panel follows.
    if (view.selectedId() !== state.selected) {
      saveState({ selected: view.selectedId() });
      showSelection();
    }
    mirror();
    document.body.dataset.drawPhases =
      `model ${Math.round(modelled - started)}, render ${Math.round(rendered - modelled)}, ` +
      `details and mirror ${Math.round(performance.now() - rendered)}`;
    const truncated =
      graph.deniedTruncated && state.filters.showDenied && !denied ? ' (denied pairs truncated)' : '';
    const workloads = elements.nodes.filter((n) => n.data.kind === 'pod').length;
    const namespaces = elements.nodes.filter((n) => n.data.kind === 'namespace-summary').length;
    byId('status').textContent =
      (model.focus !== undefined ? `focus on ${model.focus}: ` : '') +
      (namespaces > 0 ? `${namespaces} collapsed namespaces, ` : '') +
      `${workloads} workloads, ${elements.nodes.filter((n) => n.data.kind === 'external').length} external, ` +
      `${elements.edges.length} edges${truncated}` +
      (graph.diff
        ? ` · ${graph.diff.error ?? `compared with ${graph.diff.base}: ${graph.diff.edges.length} changes`}`
        : '');
    document.body.dataset.view = viewName;
    // How long the last draw took (model, diff, layout, mirror): a figure for tests and bug reports.
    document.body.dataset.drawMs = String(Math.round(performance.now() - started));
    document.body.dataset.renderCount = String(renderCount);
    document.body.dataset.nodes = String(elements.nodes.length);
    document.body.dataset.edges = String(elements.edges.length);
  });
  return drawing.catch((error) => {
    byId('status').textContent = `Drawing failed: ${String(error)}`;
  });
}

/** The notice above the graph (policy kinds left out of the analysis); hidden when there is none. */
function showNotice(text: string | undefined): void {
  const notice = byId('notice');
  notice.textContent = text ?? '';
  notice.hidden = text === undefined;
}

function updateNamespaceFilter(): void {
  if (!graph) return;
  showWorkloadNames(
    byId('workload-names'),
    graph.reachability.peers.flatMap((p) => (p.type === 'pod' ? [p.id] : [])),
  );
  const namespaces = namespacesOf(graph);
  showNamespaceFilter(byId('namespace-list'), namespaces, state.filters.hiddenNamespaces, (hidden) => {
    saveState({ filters: { ...state.filters, hiddenNamespaces: hidden } });
    void draw();
  });
}

function exportImage(format: ImageFormat, requestId?: number): void {
  try {
    post({ type: 'exported', requestId, format, data: view.exportImage(format) });
  } catch (error) {
    post({ type: 'exportFailed', requestId, message: String(error) });
  }
}

function wireToolbar(): void {
  const port = byId<HTMLInputElement>('port-filter');
  const portError = byId('port-error');
  port.value = state.portText;
  port.addEventListener(
    'input',
    debounce(() => {
      const parsed = parsePortFilter(port.value);
      portError.textContent = parsed === 'invalid' ? 'port: 1-65535, optionally /TCP, /UDP or /SCTP' : '';
      if (parsed === 'invalid') return;
      saveState({ portText: port.value, filters: { ...state.filters, port: parsed } });
      void draw();
    }, 250),
  );
  followLegend();
  const denied = byId<HTMLInputElement>('show-denied');
  denied.checked = state.filters.showDenied;
  denied.addEventListener('change', () => {
    saveState({ filters: { ...state.filters, showDenied: denied.checked } });
    requestFocusDenied();
    void draw();
  });
  const search = byId<HTMLInputElement>('search');
  search.value = state.focus ?? '';
  search.addEventListener('change', () => {
    if (!graph) return;
    const text = search.value.trim();
    if (text === '') return void setFocus(undefined);
    const found = findWorkload(graph, text);
    byId('search-error').textContent = found ? '' : `no workload ${text}`;
    if (found) void setFocus(found);
  });
  byId('clear-focus').addEventListener('click', () => void setFocus(undefined));
  byId('collapse-all').addEventListener('click', () => {
    saveState({ expanded: [], focus: undefined });
    search.value = '';
    void draw();
  });
  byId('fit').addEventListener('click', () => view.fit());
  byId('zoom-in').addEventListener('click', () => view.zoomBy(1.25));
  byId('zoom-out').addEventListener('click', () => view.zoomBy(0.8));
  byId('relayout').addEventListener('click', () => void view.layout(true));
  byId('export-svg').addEventListener('click', () => exportImage('svg'));
  byId('export-png').addEventListener('click', () => exportImage('png'));
}

/** Below this width the legend starts closed (its entries would take several lines of the graph's). */
const NARROW_PANEL = 700;

/** The legend opens as the user last left it, else open in a wide panel and closed in a narrow one. */
function followLegend(): void {
  const legend = byId<HTMLDetailsElement>('legend-entries');
  const open = state.legendOpen ?? window.innerWidth >= NARROW_PANEL;
  let asSet = legend.open !== open;
  legend.open = open;
  legend.addEventListener('toggle', () => {
    // Setting `open` above fires one toggle too; only the user's choice is kept.
    if (asSet) return void (asSet = false);
    saveState({ legendOpen: legend.open });
  });
}

function isHostMessage(value: unknown): value is HostToWebview {
  const type = (value as { type?: unknown } | null)?.type;
  return type === 'graph' || type === 'export' || type === 'focus' || type === 'denied';
}

window.addEventListener('message', (event: MessageEvent) => {
  const message = event.data as unknown;
  if (!isHostMessage(message)) return;
  switch (message.type) {
    case 'graph':
      graph = message.graph;
      showNotice(unanalysedNotice(graph));
      settings = message.settings ?? settings;
      // A new analysis may deny other pairs: ask again when the focus needs them.
      focusDenied = undefined;
      requestFocusDenied();
      updateNamespaceFilter();
      void draw();
      break;
    case 'focus':
      void setFocus(message.peer);
      break;
    case 'denied':
      focusDenied = { peer: message.peer, pairs: message.pairs };
      if (message.peer === state.focus) void draw();
      break;
    case 'export':
      void drawing.then(() => exportImage(message.format, message.requestId));
      break;
  }
});

// VS Code changes the body's theme classes in place; cytoscape needs its colours resolved again.
new MutationObserver(() => view.restyle()).observe(document.body, {
  attributes: true,
  attributeFilter: ['class', 'data-vscode-theme-kind'],
});

function debounce<A extends unknown[]>(f: (...args: A) => void, ms: number): (...args: A) => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return (...args: A) => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => f(...args), ms);
  };
}

wireToolbar();
post({ type: 'ready' });
