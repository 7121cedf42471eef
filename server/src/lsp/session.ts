// One language-server session over any connection (IPC, stdio, or in-process streams for tests).
import {
  CodeActionKind,
  DidChangeWatchedFilesNotification,
  FileChangeType,
  TextDocuments,
  TextDocumentSyncKind,
  type ClientCapabilities,
  type CodeAction,
  type Connection,
  type InitializeResult,
  type WorkspaceEdit,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { formatReachability, type Problem } from '../core/index';
import { createLanguageService, type LanguageService } from '../core/service';
import { resolveSettings, type Settings } from '../core/settings';
import type { Fix } from '../core/fixes/index';
import {
  ANALYSIS_STATE,
  REACHABILITY,
  type AnalysisStateParams,
  type ReachabilityParams,
  type ReachabilityResult,
} from '../protocol';
import { toDiagnostic, toLspRange } from './convert';
import { FEATURE_CAPABILITIES, registerFeatures } from './features';
import { registerGraphRequests } from './graph';
import { runSafe } from './run-safe';
import { excluder, isManifestUri, listManifests, readManifest } from './workspace-files';

export interface Session {
  service: LanguageService;
  /** Resolves when the initial workspace scan has been analysed and published. */
  ready: Promise<void>;
  /** Resolves when the idle-time warm-up after the initial scan has finished or given way to an edit. */
  warmedUp: Promise<void>;
}

/**
 * After the initial scan the server re-runs the analysis a few times while the user has not edited
 * anything yet, so V8 has optimised the analysis code by the first keystroke (measured on the benchmark
 * workspace: the first ~20 keystrokes of a session otherwise take about twice as long as later ones).
 * Bounded in rounds and time; it stops at the first change, since edits warm the code up as well.
 */
const WARM_UP_ROUNDS = 20;
const WARM_UP_BUDGET_MS = 1500;

/**
 * Files that are not open are parsed with the pre-filter (documents no analysis reads are skipped); open
 * documents are parsed in full, so their YAML errors all show.
 */
const UNOPENED = { relevantOnly: true } as const;

export interface SessionOptions {
  /** file: URI of docs/diagnostics.md, linked from every diagnostic's code. */
  docsUri?: string;
}

export function startSession(connection: Connection, options: SessionOptions = {}): Session {
  const diagnostic = (problem: Problem) => toDiagnostic(problem, options.docsUri);
  const documents = new TextDocuments(TextDocument);
  const service = createLanguageService({
    onError: (what, error) => connection.console.error(`netpol-lens: ${what} failed: ${String(error)}`),
  });
  let folders: string[] = [];
  let supportsConfiguration = false;
  let supportsWatchRegistration = false;
  let clientCapabilities: ClientCapabilities | undefined;
  let excluded: (uri: string) => boolean = () => false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let shuttingDown = false;
  /** What was last published per uri (version and a signature of the list), to skip unchanged lists. */
  const published = new Map<string, { version: number | undefined; signature: string }>();
  let scanned = false;
  let markReady: () => void = () => {};
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  let markWarmedUp: () => void = () => {};
  const warmedUp = new Promise<void>((resolve) => (markWarmedUp = resolve));

  const isOurs = (document: TextDocument) => document.languageId === 'yaml' || isManifestUri(document.uri);

  function publish(): void {
    const { diagnostics, analysis } = service.state();
    const targets = new Set([...diagnostics.keys(), ...published.keys()]);
    for (const document of documents.all()) if (isOurs(document)) targets.add(document.uri);
    const counts = { error: 0, warning: 0, information: 0, hint: 0 };
    for (const uri of targets) {
      const problems = diagnostics.get(uri) ?? [];
      for (const p of problems) counts[p.severity]++;
      const version = documents.get(uri)?.version;
      const signature = problems.map(problemSignature).join('\n');
      const last = published.get(uri);
      // An edit elsewhere leaves most files' lists as they were: sending them again costs time for nothing.
      if (last && last.version === version && last.signature === signature) continue;
      void connection.sendDiagnostics({ uri, version, diagnostics: problems.map(diagnostic) });
      if (problems.length > 0 || version !== undefined) published.set(uri, { version, signature });
      else published.delete(uri);
    }
    const state: AnalysisStateParams = {
      policies: analysis.model.policies.length,
      workloads: analysis.model.workloads.filter((w) => !w.implicit && !w.inferred).length,
      files: service.uris().length,
      problems: counts,
    };
    void connection.sendNotification(ANALYSIS_STATE, state);
    features.analysed();
  }

  function validateSoon(delay = service.settings().debounceMs): void {
    if (timer) clearTimeout(timer);
    if (shuttingDown) return;
    // Only the latest state is ever analysed and published: earlier scheduled runs are dropped here.
    timer = setTimeout(() => {
      timer = undefined;
      // Before the first scan is in, results would lack the rest of the workspace (false "no such
      // namespace" problems); the scan publishes everything once it is done.
      if (!scanned) return;
      runSafe(connection, 'validation', undefined, undefined, publish);
    }, delay);
  }

  /**
   * One warm-up analysis per macrotask, so requests and edits are served in between. The time of the
   * previous round keeps the next one from overrunning the budget: a large workspace gets few rounds (its
   * long loops are optimised within the first analyses anyway). The cold analysis is no estimate for a
   * round: it is many times slower, the code being unoptimised then.
   */
  function warmUp(): void {
    let lastMs = 0;
    const generation = service.generation();
    const started = performance.now();
    let rounds = 0;
    const round = () => {
      // Re-publishing the same state (a document opened with its text on disk) costs nothing: carry on.
      const idle = !shuttingDown && service.generation() === generation;
      const withinBudget = performance.now() - started + lastMs <= WARM_UP_BUDGET_MS;
      if (!idle || rounds >= WARM_UP_ROUNDS || !withinBudget) {
        markWarmedUp();
        return;
      }
      rounds++;
      const roundStarted = performance.now();
      runSafe(connection, 'warm-up', undefined, undefined, () => service.warmUp());
      lastMs = performance.now() - roundStarted;
      setImmediate(round);
    };
    setImmediate(round);
  }

  async function loadSettings(): Promise<Settings> {
    if (!supportsConfiguration) return service.settings();
    const raw = await connection.workspace.getConfiguration('netpolLens').catch(() => undefined);
    return resolveSettings(raw);
  }

  async function scanWorkspace(): Promise<void> {
    const settings = await loadSettings();
    service.setSettings(settings);
    excluded = excluder(folders, settings.exclude);
    for (const uri of service.uris()) if (!documents.get(uri) && excluded(uri)) service.deleteFile(uri);
    for (const folder of folders) {
      for (const uri of await listManifests(folder, excluded)) {
        if (documents.get(uri)) continue; // Open documents override the disk.
        const text = await readManifest(uri);
        if (text !== undefined) service.setFile(uri, text, UNOPENED);
      }
    }
  }

  connection.onInitialize((params): InitializeResult => {
    folders = params.workspaceFolders?.map((f) => f.uri) ?? (params.rootUri ? [params.rootUri] : []);
    supportsConfiguration = params.capabilities.workspace?.configuration === true;
    clientCapabilities = params.capabilities;
    supportsWatchRegistration =
      params.capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration === true;
    // Clients without workspace/configuration may pass settings at start, flat or under `netpolLens`.
    const initial = params.initializationOptions as Record<string, unknown> | undefined;
    if (initial) service.setSettings(resolveSettings(initial.netpolLens ?? initial));
    return {
      capabilities: {
        textDocumentSync: TextDocumentSyncKind.Incremental,
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
        ...FEATURE_CAPABILITIES,
      },
      serverInfo: { name: 'netpol-lens' },
    };
  });

  connection.onInitialized(async () => {
    if (supportsWatchRegistration) {
      void connection.client.register(DidChangeWatchedFilesNotification.type, {
        watchers: [{ globPattern: '**/*.{yaml,yml}' }],
      });
    }
    try {
      await scanWorkspace();
    } catch (error) {
      connection.console.error(`netpol-lens: workspace scan failed: ${String(error)}`);
    }
    scanned = true;
    if (!shuttingDown) runSafe(connection, 'validation', undefined, undefined, publish);
    markReady();
    warmUp();
  });

  connection.onDidChangeConfiguration(async () => {
    await scanWorkspace().catch((error) => connection.console.error(`netpol-lens: ${String(error)}`));
    validateSoon(0);
  });

  connection.onDidChangeWatchedFiles(async ({ changes }) => {
    for (const change of changes) {
      if (documents.get(change.uri) || !isManifestUri(change.uri) || excluded(change.uri)) continue;
      if (change.type === FileChangeType.Deleted) {
        service.deleteFile(change.uri);
      } else {
        const text = await readManifest(change.uri);
        if (text === undefined) service.deleteFile(change.uri);
        else service.setFile(change.uri, text, UNOPENED);
      }
    }
    validateSoon();
  });

  documents.onDidChangeContent(({ document }) => {
    if (!isOurs(document)) return;
    service.setFile(document.uri, document.getText());
    validateSoon();
  });

  documents.onDidClose(async ({ document }) => {
    // A closed document falls back to its content on disk, if it is part of the workspace.
    const onDisk =
      isManifestUri(document.uri) && !excluded(document.uri) && folders.length > 0
        ? await readManifest(document.uri)
        : undefined;
    if (onDisk === undefined) service.deleteFile(document.uri);
    else service.setFile(document.uri, onDisk, UNOPENED);
    validateSoon();
  });

  connection.onCodeAction((params, token) =>
    runSafe(connection, 'codeAction', token, [] as CodeAction[], () => {
      const document = documents.get(params.textDocument.uri);
      if (!document) return [];
      const start = document.offsetAt(params.range.start);
      const end = document.offsetAt(params.range.end);
      const range = {
        start: { ...params.range.start, offset: start },
        end: { ...params.range.end, offset: end },
      };
      return service.codeActions(document.uri, range).map(({ problem, fix }) => {
        const matching = params.context.diagnostics.filter(
          (d) => d.code === problem.code && d.range.start.line === problem.range.start.line,
        );
        return {
          title: fix.title,
          kind: CodeActionKind.QuickFix,
          diagnostics: matching.length > 0 ? matching : [diagnostic(problem)],
          isPreferred: fix.isPreferred,
          edit: toWorkspaceEdit(fix, documents),
        };
      });
    }),
  );

  connection.onRequest(REACHABILITY, (params: ReachabilityParams, token): ReachabilityResult =>
    runSafe(connection, 'reachability', token, '', () =>
      formatReachability(service.state().analysis, params.format),
    ),
  );

  const features = registerFeatures(connection, documents, service, () => clientCapabilities);
  registerGraphRequests(connection, service);

  connection.onShutdown(() => {
    shuttingDown = true;
    if (timer) clearTimeout(timer);
  });

  documents.listen(connection);
  return { service, ready, warmedUp };
}

/** Everything of a problem that reaches the client. */
function problemSignature(p: Problem): string {
  const { start, end } = p.range;
  const data = p.data === undefined ? '' : JSON.stringify(p.data);
  return `${p.code}|${p.severity}|${start.line}:${start.character}-${end.line}:${end.character}|${p.message}|${data}`;
}

function toWorkspaceEdit(fix: Fix, documents: TextDocuments<TextDocument>): WorkspaceEdit {
  const byUri = new Map<string, { range: ReturnType<typeof toLspRange>; newText: string }[]>();
  for (const edit of fix.edits) {
    byUri.set(edit.uri, [
      ...(byUri.get(edit.uri) ?? []),
      { range: toLspRange(edit.range), newText: edit.newText },
    ]);
  }
  const documentChanges: NonNullable<WorkspaceEdit['documentChanges']> = [];
  for (const [uri, edits] of byUri) {
    documentChanges.push({ textDocument: { uri, version: documents.get(uri)?.version ?? null }, edits });
  }
  if (fix.createFile) {
    const { uri, text } = fix.createFile;
    documentChanges.push({ kind: 'create', uri, options: { ignoreIfExists: false, overwrite: false } });
    documentChanges.push({
      textDocument: { uri, version: null },
      edits: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, newText: text }],
    });
  }
  return { documentChanges };
}
