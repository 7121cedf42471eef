// One language-server session over any connection (IPC, stdio, or in-process streams for tests). It only
// wires the parts together: each part (publishing, the workspace on disk, settings, document sync, the
// request handlers) lives in its own module.
import {
  TextDocuments,
  TextDocumentSyncKind,
  type ClientCapabilities,
  type Connection,
  type InitializeResult,
} from 'vscode-languageserver/node';
import { WORKSPACE_TRUSTED, type NetpolLensExperimentalCapabilities } from '../protocol';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { createLanguageService, type LanguageService } from '../core/index';
import { createClientSettings } from './client-settings';
import { CODE_ACTION_CAPABILITIES, registerCodeActions } from './code-actions';
import { createDiagnosticsPublisher } from './diagnostics-publisher';
import { isOurs, registerDocumentSync } from './document-sync';
import { FEATURE_CAPABILITIES, registerFeatures } from './features';
import { registerExpectationRequests } from './expectations';
import { registerComparison } from './compare';
import { registerGraphRequests } from './graph';
import { ignoringStaleVersions } from './stale-versions';
import { warmUpWhileIdle } from './warm-up';
import { youngGenerationCollector } from '../node/young-generation';
import { createIndexingGate } from './indexing-gate';
import { createWorkspaceIndexer } from './workspace-indexer';
import { computeWithWorker, startFirstScanWorker, streamTo } from './first-scan-worker';
import type { DiagnosticsWorker } from '../node/parallel-diagnostics';

export interface Session {
  service: LanguageService;
  /** Resolves when the initial workspace scan has been analysed and published. */
  ready: Promise<void>;
  /** Resolves when the idle-time warm-up after the initial scan has finished or given way to an edit. */
  warmedUp: Promise<void>;
}

export interface SessionOptions {
  /** file: URI of docs/diagnostics.md, linked from every diagnostic's code. */
  docsUri?: string;
  /** Called once the first scan's diagnostics are published, before the idle-time warm-up. */
  afterFirstPublish?: () => void;
}

/** The longest the comparison's base waits for the first publish before it is analysed anyway. */
const BASE_WAIT_LIMIT_MS = 10_000;

export function startSession(connection: Connection, options: SessionOptions = {}): Session {
  const documents = new TextDocuments(TextDocument);
  const service = createLanguageService({
    onError: (what, error) => connection.console.error(`netpol-lens: ${what} failed: ${String(error)}`),
  });
  const settings = createClientSettings(connection);
  const indexer = createWorkspaceIndexer(connection, documents, service);
  let watchRegistration = false;
  let clientCapabilities: ClientCapabilities | undefined;
  // Reachability answers, hovers, lenses and navigation wait for the disk to be read: asked mid-scan
  // they would miss policies (a wrong "allowed", "ingress: open") or workloads ("selects no workload").
  const indexing = createIndexingGate();
  const features = registerFeatures(
    connection,
    documents,
    service,
    () => clientCapabilities,
    indexing.settled,
  );
  const collectYoungGeneration = youngGenerationCollector();
  /**
   * Set for the first scan's publish, which does not collect: the warm-up that follows it fills the young
   * generation again at once, and the collection would only hold up the diagnostics of a cold start. The
   * warm-up collects when it ends.
   */
  let coldStartPublish = false;
  /**
   * Settles once every file's diagnostics have been published and handed to the system (the comparison's
   * base waits for it, so analysing the base does not hold them up in the transport's queue).
   */
  let firstPublished: (sent: Promise<void>) => void = () => {};
  const applyAfter = new Promise<void>(
    (resolve) => (firstPublished = (sent) => resolve(sent.catch(() => undefined))),
  );
  const publisher = createDiagnosticsPublisher(connection, documents, service, {
    docsUri: options.docsUri,
    isOurs,
    onPublished: (sent) => {
      features.analysed();
      firstPublished(sent);
    },
    onDiagnosticsSent: () => {
      if (coldStartPublish) coldStartPublish = false;
      else collectYoungGeneration?.();
    },
  });

  /** Fetches the settings and scans the workspace; `settled` is called once the settings are in. */
  const rescan = async (worker?: DiagnosticsWorker, settled?: () => void) => {
    const current = await settings.fetch(service.settings());
    service.setSettings(current);
    settled?.();
    await indexer.scan(current, worker && streamTo(worker, service));
  };

  let markReady: () => void = () => {};
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  let markWarmedUp: () => void = () => {};
  const warmedUp = new Promise<void>((resolve) => (markWarmedUp = resolve));

  let folders: string[] = [];
  /** Trusted unless the client says it is not (clients without workspace trust never do). */
  let trusted = true;
  connection.onInitialize((params): InitializeResult => {
    const ours = (params.capabilities.experimental as NetpolLensExperimentalCapabilities | undefined)
      ?.netpolLens;
    trusted = ours?.workspaceTrusted !== false;
    folders = params.workspaceFolders?.map((f) => f.uri) ?? (params.rootUri ? [params.rootUri] : []);
    indexer.setFolders(folders);
    clientCapabilities = params.capabilities;
    watchRegistration = params.capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration === true;
    const initial = settings.initial(params);
    if (initial) service.setSettings(initial);
    return {
      capabilities: {
        textDocumentSync: TextDocumentSyncKind.Incremental,
        ...CODE_ACTION_CAPABILITIES,
        ...FEATURE_CAPABILITIES,
      },
      serverInfo: { name: 'netpol-lens' },
    };
  });

  connection.onInitialized(async () => {
    if (watchRegistration) indexer.watch();
    // The first scan's rules are shared with a worker thread, which loads while the settings are fetched.
    const worker = startFirstScanWorker(connection);
    // The comparison's base (git, by default HEAD) is read while the workspace is scanned, once the
    // settings that name it are in. The workspace's diagnostics do not wait for it: the base is analysed
    // after their first publish, and its publish adds the comparison's.
    let base: Promise<void> | undefined;
    const readBase = () => (base ??= comparison.refresh({ applyAfter }));
    await indexing.opened(
      rescan(worker, readBase).catch((error) =>
        connection.console.error(`netpol-lens: workspace scan failed: ${String(error)}`),
      ),
    );
    readBase();
    publisher.markScanned();
    if (worker) await computeWithWorker(connection, service, worker);
    coldStartPublish = true;
    publisher.publishNow();
    options.afterFirstPublish?.();
    // Should that publish fail (it is logged), the comparison and the warm-up must not wait for it forever.
    setTimeout(() => firstPublished(Promise.resolve()), BASE_WAIT_LIMIT_MS).unref();
    markReady();
    const generation = service.generation();
    // Each round is a whole analysis on this thread: started before the transport has written the
    // publish's last messages (it writes one per turn of the event loop), a round would hold them back.
    void applyAfter
      .then(() => warmUpWhileIdle(connection, service, publisher.stopped, publisher.pending))
      .then(() => {
        // Idle still (not ended by an edit, whose own publish collects).
        if (coldStartPublish === false && service.generation() === generation) collectYoungGeneration?.();
        markWarmedUp();
      });
  });

  connection.onDidChangeConfiguration(async () => {
    await indexing.track(
      rescan().catch((error) => connection.console.error(`netpol-lens: ${String(error)}`)),
    );
    await comparison.refresh();
    publisher.publishSoon(0);
  });

  connection.onDidChangeWatchedFiles(async ({ changes }) => {
    await indexing.track(indexer.applyFileEvents(changes));
    publisher.publishSoon();
  });

  registerDocumentSync(documents, service, indexer, publisher);
  registerCodeActions(connection, documents, service, options.docsUri);
  const comparison = registerComparison(
    connection,
    service,
    () => folders,
    publisher,
    () => trusted,
  );
  connection.onNotification(WORKSPACE_TRUSTED, () => {
    trusted = true;
    void comparison.refresh();
  });
  documents.onDidSave(() => void comparison.refresh());
  registerGraphRequests(connection, service, indexing.settled);
  registerExpectationRequests(connection, service);
  connection.onShutdown(() => {
    publisher.stop();
    comparison.stop();
  });

  documents.listen(ignoringStaleVersions(connection, documents));
  return { service, ready, warmedUp };
}
