// The server's first scan on two cores (server/src/node/parallel-diagnostics.ts): a worker thread parses
// the files as the scan reads them and shares the first full analysis' rules with the main thread. Later
// analyses (edits) stay on the main thread, incremental.
import type { Connection } from 'vscode-languageserver/node';
import type { LanguageService } from '../core/index';
import { defaultJobs, startDiagnosticsWorker, type DiagnosticsWorker } from '../node/parallel-diagnostics';

/** A worker for the first scan, unless NETPOL_LENS_JOBS=1 or the machine has one core. */
export function startFirstScanWorker(connection: Connection): DiagnosticsWorker | undefined {
  return startDiagnosticsWorker({
    jobs: defaultJobs(),
    log: (message) => connection.console.warn(`netpol-lens: ${message}`),
    onError: (what, error) => connection.console.error(`netpol-lens: ${what} failed: ${String(error)}`),
  });
}

/**
 * The scan's hook: the workspace as it is when the first file is read (open documents, unreadable files),
 * then each file read, before the service parses it.
 */
export function streamTo(worker: DiagnosticsWorker, service: LanguageService) {
  let begun = false;
  return (uri: string, text: string) => {
    if (!begun) worker.analyse(service.snapshot());
    begun = true;
    worker.add(uri, text);
  };
}

/**
 * Computes every diagnostic with the worker and makes them the service's, so the publish that follows
 * sends them without running the rules again (returns whether they were taken). An edit in the meantime
 * makes them stale: they are dropped and the publish analyses the edited workspace on this thread (its
 * edited file first).
 */
export async function computeWithWorker(
  connection: Connection,
  service: LanguageService,
  worker: DiagnosticsWorker,
): Promise<boolean> {
  const generation = service.generation();
  try {
    return service.adoptDiagnostics(await worker.allDiagnostics(service), generation);
  } catch (error) {
    connection.console.error(`netpol-lens: first analysis on two threads failed: ${String(error)}`);
    return false;
  } finally {
    worker.stop();
  }
}
