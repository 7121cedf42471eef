// What lives as long as the extension: output channels, the status bar, the current server session
// (started lazily, only once Kubernetes manifests show up), and the services commands share.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import {
  GRAPH,
  GRAPH_DENIED,
  type DeniedPair,
  type CompareBase,
  type GraphResult,
  type JsonLocation,
} from '../../server/src/protocol';
import { DEFAULT_MAX_FILE_MB } from '../../server/src/node/manifest-files';
import { ExplanationDocuments, EXPLAIN_SCHEME } from './commands/explain';
import { refreshComparisonList } from './commands/compare';
import { saveImage } from './commands/export';
import { CrashPolicy } from './crash-policy';
import { GraphPanel, type GraphHost } from './graph/panel';
import { openLocation } from './locations';
import { looksLikeKubernetes, mentionsNetworkPolicy } from './manifest-detect';
import { scanWorkspace } from './manifest-scan';
import { ServerSession } from './session';
import { StatusBar } from './status';
import { DEFAULT_GRAPH_SETTINGS, type ImageFormat } from './webview/messages';

export class Ctx implements vscode.Disposable {
  readonly output = vscode.window.createOutputChannel('NetPol Lens', { log: true });
  readonly traceOutput = vscode.window.createOutputChannel('NetPol Lens Trace', { log: true });
  readonly graphHost: GraphHost;
  /** The base chosen with Compare Reachability with…: the graph shows the diff against it. */
  compareBase: CompareBase | undefined;
  readonly explanations = new ExplanationDocuments();
  private readonly status = new StatusBar();
  private readonly crashes = new CrashPolicy();
  private readonly disposables: vscode.Disposable[] = [];
  private session: ServerSession | undefined;
  private starting: Promise<ServerSession> | undefined;

  constructor(readonly context: vscode.ExtensionContext) {
    this.graphHost = {
      extensionUri: context.extensionUri,
      requestGraph: () => this.requestGraph(),
      requestDenied: (peer) => this.requestDenied(peer),
      settings: () => ({
        overviewThreshold: vscode.workspace
          .getConfiguration('netpolLens')
          .get<number>('graph.overviewThreshold', DEFAULT_GRAPH_SETTINGS.overviewThreshold),
      }),
      openLocation: (location) => this.openLocation(location),
      saveImage: async (format, data) => void (await saveImage(format, data)),
    };
    this.disposables.push(
      this.output,
      this.traceOutput,
      this.status,
      this.explanations,
      vscode.workspace.registerTextDocumentContentProvider(EXPLAIN_SCHEME, this.explanations),
    );
  }

  /** The running client, starting the server first if needed. */
  async client(): Promise<LanguageClient> {
    return (await this.ensureSession()).client;
  }

  private ensureSession(): Promise<ServerSession> {
    if (this.session) return Promise.resolve(this.session);
    this.starting ??= this.startSession().finally(() => (this.starting = undefined));
    return this.starting;
  }

  private async startSession(): Promise<ServerSession> {
    this.status.starting();
    const session = new ServerSession(this.context, {
      output: this.output,
      traceOutput: this.traceOutput,
      crashes: this.crashes,
      onAnalysisState: (state) => {
        this.status.update(state);
        void GraphPanel.active?.refresh();
        if (this.compareBase) void refreshComparisonList(this).catch(() => undefined);
      },
      onStateChange: (state) => {
        if (state === 'stopped') this.status.stopped();
        else if (state === 'starting') this.status.starting();
      },
      onFirstCrash: () => this.tellCrashed(),
    });
    try {
      await session.start();
    } catch (error) {
      await session.dispose();
      this.output.appendLine(`The server did not start: ${String(error)}`);
      // A crash while starting counts like any crash: retried until the policy gives up.
      const decision = this.crashes.onCrash(Date.now());
      if (decision !== 'give-up') {
        if (decision === 'restart-and-tell') this.tellCrashed();
        return this.startSession();
      }
      this.status.stopped();
      throw error;
    }
    this.session = session;
    void vscode.commands.executeCommand('setContext', 'netpolLens.active', true);
    return session;
  }

  private tellCrashed(): void {
    void vscode.window
      .showWarningMessage(
        'NetPol Lens: the language server stopped unexpectedly and was restarted.',
        'Show Output',
      )
      .then((choice) => choice && this.output.show(true));
  }

  async restart(): Promise<void> {
    await this.starting?.catch(() => undefined);
    const old = this.session;
    this.session = undefined;
    await old?.dispose();
    this.crashes.reset();
    await this.ensureSession();
    void GraphPanel.active?.refresh();
  }

  /**
   * Starts the server as soon as a Kubernetes manifest (YAML or JSON) is open or in the workspace; stays
   * invisible otherwise.
   */
  watchForManifests(): void {
    const consider = (document: vscode.TextDocument) => {
      this.updateEditorContext();
      if (!this.session && isManifest(document)) void this.ensureSession().catch(() => undefined);
    };
    this.disposables.push(
      vscode.workspace.onDidOpenTextDocument(consider),
      vscode.window.onDidChangeActiveTextEditor(() => this.updateEditorContext()),
      vscode.workspace.onDidSaveTextDocument(consider),
    );
    vscode.workspace.textDocuments.forEach(consider);
    if (!this.session) void this.scanWorkspace();
  }

  private async scanWorkspace(): Promise<void> {
    const maxMB = vscode.workspace
      .getConfiguration('netpolLens')
      .get<number>('maxFileSizeMB', DEFAULT_MAX_FILE_MB);
    const scan = await scanWorkspace(
      (max) => vscode.workspace.findFiles('**/*.{yaml,yml,json}', '**/{node_modules,.git}/**', max),
      vscode.workspace.fs,
      (uri) => uri.path,
      maxMB * 1024 * 1024,
      () => this.session !== undefined || this.starting !== undefined,
    );
    if (scan.found) await this.ensureSession().catch(() => undefined);
    else if (scan.gaveUp) this.output.appendLine(scan.gaveUp);
  }

  /** Context keys for the editor menus: a Kubernetes manifest, one with a NetworkPolicy. */
  private updateEditorContext(): void {
    const document = vscode.window.activeTextEditor?.document;
    const manifest = document !== undefined && isManifest(document);
    void vscode.commands.executeCommand('setContext', 'netpolLens.manifestEditor', manifest);
    void vscode.commands.executeCommand(
      'setContext',
      'netpolLens.policyEditor',
      manifest && mentionsNetworkPolicy(document.getText()),
    );
  }

  async openLocation(location: JsonLocation): Promise<void> {
    const client = await this.client();
    await openLocation(location, (uri) => client.protocol2CodeConverter.asUri(uri));
  }

  async showText(name: string, text: string): Promise<void> {
    const document = await this.explanations.open(name, text + '\n');
    await vscode.window.showTextDocument(document, { viewColumn: vscode.ViewColumn.Beside, preview: true });
  }

  private async requestGraph(): Promise<GraphResult | undefined> {
    try {
      const client = await this.client();
      // In diff mode (after Compare Reachability with…) the graph carries the changed edges.
      return await client.sendRequest(GRAPH, this.compareBase ? { compare: this.compareBase } : {});
    } catch (error) {
      this.output.appendLine(`Graph request failed: ${String(error)}`);
      return undefined;
    }
  }

  private async requestDenied(peer: string): Promise<DeniedPair[]> {
    try {
      const client = await this.client();
      return await client.sendRequest(GRAPH_DENIED, { peer });
    } catch (error) {
      this.output.appendLine(`Denied pairs request failed: ${String(error)}`);
      return [];
    }
  }

  showGraph(): GraphPanel {
    void this.ensureSession().catch(() => undefined);
    return GraphPanel.show(this.graphHost);
  }

  /** Opens the graph on one workload's neighbourhood. */
  showInGraph(peer: string): GraphPanel {
    const panel = this.showGraph();
    panel.focus(peer);
    return panel;
  }

  graphImage(format: ImageFormat): Promise<string> {
    return this.showGraph().exportImage(format);
  }

  dispose(): void {
    GraphPanel.active?.dispose();
    void this.session?.dispose();
    this.session = undefined;
    for (const d of this.disposables.splice(0)) d.dispose();
  }

  async stop(): Promise<void> {
    const session = this.session;
    this.session = undefined;
    await session?.dispose();
  }
}

/** A YAML document, or a `.json` file (what the server reads), that holds Kubernetes objects. */
function isManifest(document: vscode.TextDocument): boolean {
  const language =
    document.languageId === 'yaml' ||
    (document.languageId === 'json' && document.uri.path.toLowerCase().endsWith('.json'));
  return language && document.uri.scheme !== EXPLAIN_SCHEME && looksLikeKubernetes(document.getText());
}
