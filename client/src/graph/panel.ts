// The reachability graph panel on the extension side: builds the page, feeds it the server's graph,
// follows re-analyses, answers "open this rule" and image exports, and is restored after a reload.
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import type { DeniedPair, GraphResult, JsonLocation } from '../../../server/src/protocol';
import {
  isWebviewMessage,
  type GraphSettings,
  type HostToWebview,
  type ImageFormat,
  type WebviewToHost,
} from '../webview/messages';
import { renderGraphPage } from './html';

export const GRAPH_VIEW_TYPE = 'netpolLens.graph';

/** What the panel needs from the rest of the extension. */
export interface GraphHost {
  extensionUri: vscode.Uri;
  requestGraph(): Promise<GraphResult | undefined>;
  /** Every denied pair from or to a workload (the focus view, when the graph's list is truncated). */
  requestDenied(peer: string): Promise<DeniedPair[]>;
  settings(): GraphSettings;
  openLocation(location: JsonLocation): Promise<void>;
  /** An image the user asked for from the webview's own buttons. */
  saveImage(format: ImageFormat, data: string): Promise<void>;
}

const EXPORT_TIMEOUT_MS = 30_000;

export class GraphPanel implements vscode.Disposable {
  private static current: GraphPanel | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private ready = false;
  private readyWaiters: (() => void)[] = [];
  private stale = true;
  private refreshing: Promise<void> | undefined;
  private refreshAgain = false;
  private nextRequest = 1;
  /** A focus asked for before the page was ready, sent once it is. */
  private pendingFocus: string | undefined;
  private readonly pending = new Map<number, { resolve(data: string): void; reject(error: Error): void }>();

  static show(host: GraphHost): GraphPanel {
    if (GraphPanel.current) {
      GraphPanel.current.panel.reveal(undefined, true);
      return GraphPanel.current;
    }
    const panel = vscode.window.createWebviewPanel(
      GRAPH_VIEW_TYPE,
      'Reachability Graph',
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
      GraphPanel.options(host.extensionUri),
    );
    GraphPanel.current = new GraphPanel(panel, host);
    return GraphPanel.current;
  }

  /** Re-attaches a panel VS Code restored after a reload (see registerWebviewPanelSerializer). */
  static revive(panel: vscode.WebviewPanel, host: GraphHost): GraphPanel {
    GraphPanel.current?.dispose();
    panel.webview.options = GraphPanel.options(host.extensionUri);
    GraphPanel.current = new GraphPanel(panel, host);
    return GraphPanel.current;
  }

  /** The open panel, if any: re-analyses refresh it. */
  static get active(): GraphPanel | undefined {
    return GraphPanel.current;
  }

  private static options(extensionUri: vscode.Uri): vscode.WebviewPanelOptions & vscode.WebviewOptions {
    return {
      enableScripts: true,
      enableCommandUris: false,
      // Only the bundle folder: the page can load nothing from the workspace or the network.
      localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist')],
    };
  }

  private constructor(
    private readonly panel: vscode.WebviewPanel,
    private readonly host: GraphHost,
  ) {
    panel.webview.html = this.html();
    this.disposables.push(
      panel.onDidDispose(() => this.dispose()),
      panel.webview.onDidReceiveMessage((message: unknown) => void this.receive(message)),
      panel.onDidChangeViewState(() => {
        // Hidden webviews are torn down (no retainContextWhenHidden); they say 'ready' again when shown.
        if (!panel.visible) this.ready = false;
      }),
    );
  }

  private html(): string {
    const webview = this.panel.webview;
    const dist = (file: string) =>
      webview.asWebviewUri(vscode.Uri.joinPath(this.host.extensionUri, 'dist', file));
    return renderGraphPage({
      cspSource: webview.cspSource,
      nonce: randomBytes(18).toString('base64'),
      scripts: [dist('webview.js').toString()],
      styles: [dist('webview.css').toString()],
    });
  }

  private async receive(message: unknown): Promise<void> {
    if (!isWebviewMessage(message)) return;
    const m: WebviewToHost = message;
    switch (m.type) {
      case 'ready':
        this.ready = true;
        for (const resolve of this.readyWaiters.splice(0)) resolve();
        this.stale = true;
        if (this.pendingFocus !== undefined) {
          await this.post({ type: 'focus', peer: this.pendingFocus });
          this.pendingFocus = undefined;
        }
        await this.refresh();
        break;
      case 'deniedOf': {
        const pairs = await this.host.requestDenied(m.peer);
        await this.post({ type: 'denied', peer: m.peer, pairs });
        break;
      }
      case 'open':
        await this.host.openLocation(m.location).catch((error) => {
          void vscode.window.showErrorMessage(`NetPol Lens: cannot open ${m.location.uri}: ${String(error)}`);
        });
        break;
      case 'exported': {
        const waiter = m.requestId !== undefined ? this.pending.get(m.requestId) : undefined;
        if (waiter) {
          this.pending.delete(m.requestId!);
          waiter.resolve(m.data);
        } else if (m.requestId === undefined) {
          await this.host.saveImage(m.format, m.data);
        }
        break;
      }
      case 'exportFailed': {
        const waiter = m.requestId !== undefined ? this.pending.get(m.requestId) : undefined;
        this.pending.delete(m.requestId ?? -1);
        if (waiter) waiter.reject(new Error(m.message));
        else void vscode.window.showErrorMessage(`NetPol Lens: export failed: ${m.message}`);
        break;
      }
    }
  }

  /** The server's analysis changed: fetch the graph and post it (now if visible, else when shown). */
  async refresh(): Promise<void> {
    this.stale = true;
    if (!this.ready) return;
    if (this.refreshing) {
      // One fetch at a time; a change during a fetch triggers exactly one more.
      this.refreshAgain = true;
      return this.refreshing;
    }
    this.refreshing = (async () => {
      do {
        this.refreshAgain = false;
        this.stale = false;
        const graph = await this.host.requestGraph();
        if (graph) await this.post({ type: 'graph', graph, settings: this.host.settings() });
      } while (this.refreshAgain && this.ready);
    })().finally(() => (this.refreshing = undefined));
    return this.refreshing;
  }

  /** Shows one workload's neighbourhood (now, or as soon as the page is ready). */
  focus(peer: string): void {
    if (this.ready) void this.post({ type: 'focus', peer });
    else this.pendingFocus = peer;
  }

  /** Renders the graph as an image in the webview (showing the panel if needed). */
  async exportImage(format: ImageFormat): Promise<string> {
    this.panel.reveal(undefined, true);
    await this.whenReady();
    if (this.refreshing) await this.refreshing;
    const requestId = this.nextRequest++;
    const data = new Promise<string>((resolve, reject) => {
      this.pending.set(requestId, { resolve, reject });
      setTimeout(() => {
        if (this.pending.delete(requestId)) reject(new Error('the graph view did not answer in time'));
      }, EXPORT_TIMEOUT_MS);
    });
    await this.post({ type: 'export', requestId, format });
    return data;
  }

  private whenReady(): Promise<void> {
    if (this.ready) return Promise.resolve();
    return new Promise((resolve, reject) => {
      this.readyWaiters.push(resolve);
      setTimeout(() => reject(new Error('the graph view did not load in time')), EXPORT_TIMEOUT_MS);
    });
  }

  private async post(message: HostToWebview): Promise<void> {
    // postMessage clones the data as JSON: labels are never spliced into the page's HTML.
    await this.panel.webview.postMessage(message);
  }

  get isStale(): boolean {
    return this.stale;
  }

  dispose(): void {
    if (GraphPanel.current === this) GraphPanel.current = undefined;
    for (const waiter of this.pending.values()) waiter.reject(new Error('the graph view was closed'));
    this.pending.clear();
    for (const d of this.disposables.splice(0)) d.dispose();
    this.panel.dispose();
  }
}
