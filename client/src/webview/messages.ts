// The messages between the extension host (client/src/graph/panel.ts) and the graph webview
// (client/src/webview/main.ts), typed in one place. Types only: both bundles import it freely.
import type { GraphResult, JsonLocation } from '../../../server/src/protocol';
import type { GraphFilters } from './graph-model';

export type ImageFormat = 'svg' | 'png';

export type HostToWebview =
  /** A new analysis: redraw, keeping zoom, pan and selection. */
  | { type: 'graph'; graph: GraphResult }
  /** Render the graph as an image and answer with `exported`. */
  | { type: 'export'; requestId: number; format: ImageFormat };

export type WebviewToHost =
  /** The page has loaded and listens: send the graph. */
  | { type: 'ready' }
  /** Open a manifest at a rule or policy. */
  | { type: 'open'; location: JsonLocation }
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
  zoom?: number;
  pan?: { x: number; y: number };
}

export function isWebviewMessage(value: unknown): value is WebviewToHost {
  if (!value || typeof value !== 'object') return false;
  const type = (value as { type?: unknown }).type;
  return type === 'ready' || type === 'open' || type === 'exported' || type === 'exportFailed';
}
