// The messages between the extension host (client/src/graph/panel.ts) and the graph webview
// (client/src/webview/main.ts), typed in one place. Types only: both bundles import it freely.
import type { DeniedPair, GraphResult, JsonLocation } from '../../../server/src/protocol';
import type { GraphFilters } from './graph-model';

export type ImageFormat = 'svg' | 'png';

/** Settings of the graph view (netpolLens.graph.*). */
export interface GraphSettings {
  /** Past this many workloads the graph opens on the overview: one node per namespace. */
  overviewThreshold: number;
}

export const DEFAULT_GRAPH_SETTINGS: GraphSettings = { overviewThreshold: 40 };

export type HostToWebview =
  /** A new analysis: redraw, keeping zoom, pan and selection. */
  | { type: 'graph'; graph: GraphResult; settings?: GraphSettings }
  /** Show one workload's neighbourhood ("Show in Graph"). */
  | { type: 'focus'; peer: string }
  /** The answer to `deniedOf`: every denied pair from or to the workload. */
  | { type: 'denied'; peer: string; pairs: DeniedPair[] }
  /** Render the graph as an image and answer with `exported`. */
  | { type: 'export'; requestId: number; format: ImageFormat };

export type WebviewToHost =
  /** The page has loaded and listens: send the graph. */
  | { type: 'ready' }
  /** Open a manifest at a rule or policy. */
  | { type: 'open'; location: JsonLocation }
  /** The focus shows denied pairs, but the graph's list of them is truncated: ask for the workload's. */
  | { type: 'deniedOf'; peer: string }
  /** The image of the graph: SVG text or a PNG `data:` URL. `requestId` is absent for the toolbar's buttons. */
  | { type: 'exported'; requestId?: number; format: ImageFormat; data: string }
  | { type: 'exportFailed'; requestId?: number; message: string };

/** What the webview keeps across reloads (vscode.setState) and the panel serializer restores. */
export interface GraphViewState {
  filters: GraphFilters;
  /** Free text of the port filter, as typed. */
  portText: string;
  /** Id of the selected node or edge. */
  selected?: string;
  /** Namespaces shown with their workloads; absent: as the overview threshold decides. */
  expanded?: string[];
  /** The focused workload. */
  focus?: string;
  zoom?: number;
  pan?: { x: number; y: number };
  /** Whether the legend is open, once the user has opened or closed it. */
  legendOpen?: boolean;
}

export function isWebviewMessage(value: unknown): value is WebviewToHost {
  if (!value || typeof value !== 'object') return false;
  const type = (value as { type?: unknown }).type;
  return (
    type === 'ready' ||
    type === 'open' ||
    type === 'deniedOf' ||
    type === 'exported' ||
    type === 'exportFailed'
  );
}
