// Entry point of the graph webview (bundled to dist/webview.js for the browser). It receives the
// server's graph from the extension host, draws it, and keeps its filters and viewport in the
// webview state so the panel comes back as it was after a reload.
import type { GraphResult, JsonLocation } from '../../../server/src/protocol';
import { byId, mirrorElements, showDetails, showNamespaceFilter } from './dom';
import {
  DEFAULT_FILTERS,
  buildElements,
  edgeDetails,
  namespacesOf,
  nodeDetails,
  parsePortFilter,
} from './graph-model';
import { GraphView } from './graph-view';
import type { GraphViewState, HostToWebview, ImageFormat, WebviewToHost } from './messages';
import './graph.css';

const vscode = acquireVsCodeApi<GraphViewState>();
const post = (message: WebviewToHost) => vscode.postMessage(message);

let state: GraphViewState = vscode.getState() ?? { filters: DEFAULT_FILTERS, portText: '' };
let graph: GraphResult | undefined;
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
});
const saveViewport = debounce((zoom: number, pan: { x: number; y: number }) => saveState({ zoom, pan }), 200);

/** Refreshes the text-only list of what is drawn (and the selection it shows). */
function mirror(): void {
  mirrorElements(byId('graph-elements'), view.snapshot());
  document.body.dataset.selected = state.selected ?? '';
}

const open = (location: JsonLocation) => post({ type: 'open', location });

function showSelection(): void {
  const id = state.selected;
  const details =
    graph && id !== undefined ? (edgeDetails(graph, id) ?? nodeDetails(graph, id, view.elements)) : undefined;
  showDetails(byId('details'), details, open);
}

function draw(): Promise<void> {
  drawing = drawing.then(async () => {
    if (!graph) return;
    const started = performance.now();
    const elements = buildElements(graph, state.filters);
    const restore = renderCount === 0 && state.zoom !== undefined && state.pan !== undefined;
    await view.render(elements, restore ? { zoom: state.zoom!, pan: state.pan! } : undefined);
    if (renderCount === 0 && state.selected) view.select(state.selected, false);
    renderCount++;
    showSelection();
    mirror();
    const truncated = graph.deniedTruncated && state.filters.showDenied ? ' (denied pairs truncated)' : '';
    byId('status').textContent =
      `${elements.nodes.filter((n) => n.data.kind === 'pod' || n.data.kind === 'external').length} peers, ` +
      `${elements.edges.length} edges${truncated}`;
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

function updateNamespaceFilter(): void {
  if (!graph) return;
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
  const denied = byId<HTMLInputElement>('show-denied');
  denied.checked = state.filters.showDenied;
  denied.addEventListener('change', () => {
    saveState({ filters: { ...state.filters, showDenied: denied.checked } });
    void draw();
  });
  byId('fit').addEventListener('click', () => view.fit());
  byId('zoom-in').addEventListener('click', () => view.zoomBy(1.25));
  byId('zoom-out').addEventListener('click', () => view.zoomBy(0.8));
  byId('relayout').addEventListener('click', () => void view.layout(true));
  byId('export-svg').addEventListener('click', () => exportImage('svg'));
  byId('export-png').addEventListener('click', () => exportImage('png'));
}

function isHostMessage(value: unknown): value is HostToWebview {
  const type = (value as { type?: unknown } | null)?.type;
  return type === 'graph' || type === 'export';
}

window.addEventListener('message', (event: MessageEvent) => {
  const message = event.data as unknown;
  if (!isHostMessage(message)) return;
  switch (message.type) {
    case 'graph':
      graph = message.graph;
      updateNamespaceFilter();
      void draw();
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
