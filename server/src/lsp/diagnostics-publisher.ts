// Pushes diagnostics to the client, in the manner of json-language-features'
// registerDiagnosticsPushSupport: validation is debounced, only the latest state is ever analysed (earlier
// scheduled runs are dropped), and a uri whose list did not change since the last push is not sent again.
import type { Connection, TextDocuments } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { LanguageService, Problem } from '../core/index';
import { ANALYSIS_STATE, type AnalysisStateParams } from '../protocol';
import { toDiagnostic } from './convert';
import { runSafe } from './run-safe';

export interface DiagnosticsPublisher {
  /**
   * Analyses and publishes now; before the first workspace scan is in, only what the open documents'
   * own text tells (see LanguageService.fileDiagnostics).
   */
  publishNow(): void;
  /**
   * Analyses and publishes after `delay` ms (default: the debounce setting); a later call replaces it.
   * `editedUri`: an open document that changed, whose diagnostics go out before the other files'.
   */
  publishSoon(delay?: number, editedUri?: string): void;
  /** From now on results cover the whole workspace: before the scan they would lack its other files. */
  markScanned(): void;
  /** Whether a publish is scheduled and has not run yet (the debounce, or the rest of the workspace). */
  pending(): boolean;
  /** Stops publishing (shutdown). */
  stop(): void;
  stopped(): boolean;
}

export interface PublisherOptions {
  /** file: URI of docs/diagnostics.md, linked from every diagnostic's code. */
  docsUri?: string;
  /** Open documents that get a (possibly empty) list even without problems. */
  isOurs(document: TextDocument): boolean;
  /**
   * After each publish: e.g. the lenses of other open files may have changed. `sent` settles once the
   * transport has handed its last message (the analysis state) to the system, every diagnostic before it.
   */
  onPublished(sent: Promise<void>): void;
  /**
   * Once every file's diagnostics of a publish are handed to the transport, before the analysis-state
   * notification: idle time, e.g. to empty V8's young generation (node/young-generation.ts).
   */
  onDiagnosticsSent?(): void;
}

/**
 * The open documents (the first opened) that get their own diagnostics before the scan is in. Their file
 * rules run twice (alone, then in the workspace): an editor restoring dozens of tabs should not pay for it.
 */
const MAX_FILES_ALONE = 8;

/** What was last published for a uri: its version and a signature of the list. */
interface Published {
  version: number | undefined;
  signature: string;
}

export function createDiagnosticsPublisher(
  connection: Connection,
  documents: TextDocuments<TextDocument>,
  service: LanguageService,
  options: PublisherOptions,
): DiagnosticsPublisher {
  const published = new Map<string, Published>();
  let timer: ReturnType<typeof setTimeout> | undefined;
  /** The rest of the workspace, published in a later turn of the event loop than the edited documents. */
  let rest: ReturnType<typeof setTimeout> | undefined;
  /** Open documents edited since the last publish. */
  const edited = new Set<string>();
  let scanned = false;
  let shuttingDown = false;

  function publishUri(uri: string, problems: Problem[]): void {
    const version = documents.get(uri)?.version;
    const signature = problems.map(problemSignature).join('\n');
    const last = published.get(uri);
    // An edit elsewhere leaves most files' lists as they were: sending them again costs time for nothing.
    if (last && last.version === version && last.signature === signature) return;
    const diagnostics = problems.map((p) => toDiagnostic(p, options.docsUri));
    void connection.sendDiagnostics({ uri, version, diagnostics });
    if (problems.length > 0 || version !== undefined) published.set(uri, { version, signature });
    else published.delete(uri);
  }

  function publish(): void {
    const { diagnostics, analysis } = service.state();
    const targets = new Set([...diagnostics.keys(), ...published.keys()]);
    for (const document of documents.all()) if (options.isOurs(document)) targets.add(document.uri);
    const counts = { error: 0, warning: 0, information: 0, hint: 0 };
    for (const uri of targets) {
      const problems = diagnostics.get(uri) ?? [];
      for (const p of problems) counts[p.severity]++;
      publishUri(uri, problems);
    }
    options.onDiagnosticsSent?.();
    const state: AnalysisStateParams = {
      // Unreadable policies are policies too (their diagnostics say why they are not analysed).
      policies:
        analysis.model.policies.length +
        analysis.model.unreadable.filter((u) => u.kind === 'NetworkPolicy').length,
      workloads: analysis.model.workloads.filter((w) => !w.implicit && !w.inferred).length,
      files: service.uris().length,
      problems: counts,
    };
    options.onPublished(connection.sendNotification(ANALYSIS_STATE, state));
  }

  /**
   * Before the workspace scan is in, the open documents get what their own text tells (YAML, schema and
   * API-server problems); the workspace-wide lints follow with the first full publish.
   */
  function publishOpenFilesAlone(): void {
    const open = documents.all().filter((d) => options.isOurs(d) && service.hasFile(d.uri));
    for (const document of open.slice(0, MAX_FILES_ALONE))
      publishUri(document.uri, service.fileDiagnostics(document.uri));
  }

  /**
   * The edited documents first: the person typing waits for their diagnostics, which take a fraction of
   * the workspace's (see LanguageService.leadingDiagnostics); the rest follows in a later turn of the
   * event loop, unless another edit comes first and starts over.
   */
  function publishEditedFirst(): void {
    const uris = [...edited].filter((uri) => documents.get(uri) && service.hasFile(uri));
    edited.clear();
    if (uris.length === 0) return publish();
    try {
      for (const [uri, problems] of service.leadingDiagnostics(uris)) publishUri(uri, problems);
    } finally {
      // A timer, not setImmediate: the messages just sent are handled first, and a new edit cancels it.
      rest = setTimeout(() => {
        rest = undefined;
        if (!shuttingDown) runSafe(connection, 'validation', undefined, undefined, publish);
      }, 0);
    }
  }

  const cancelPending = () => {
    if (timer) clearTimeout(timer);
    if (rest) clearTimeout(rest);
    timer = rest = undefined;
  };

  const publishNow = () => {
    if (shuttingDown) return;
    cancelPending();
    if (scanned) runSafe(connection, 'validation', undefined, undefined, publishEditedFirst);
    else runSafe(connection, 'validation', undefined, undefined, publishOpenFilesAlone);
  };

  return {
    publishNow,
    publishSoon(delay = service.settings().debounceMs, editedUri?: string) {
      cancelPending();
      if (shuttingDown) return;
      if (editedUri) edited.add(editedUri);
      timer = setTimeout(() => {
        timer = undefined;
        publishNow();
      }, delay);
    },
    markScanned() {
      scanned = true;
    },
    pending: () => timer !== undefined || rest !== undefined,
    stop() {
      shuttingDown = true;
      cancelPending();
    },
    stopped: () => shuttingDown,
  };
}

/** Everything of a problem that reaches the client. */
function problemSignature(p: Problem): string {
  const { start, end } = p.range;
  const data = p.data === undefined ? '' : JSON.stringify(p.data);
  return `${p.code}|${p.severity}|${start.line}:${start.character}-${end.line}:${end.character}|${p.message}|${data}`;
}
